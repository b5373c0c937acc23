import { provenanceOf, type ObjectState } from '../analysis/provenance';
import { capitalized, cellName, confidence, modelPhrase, related, reportedModel, withModel } from '../analysis/provenance/report';
import { savePreprocessorFix } from '../fixes/leakage-save-preprocessor';
import type { Range } from '../diagnostic';
import type { Finding, Rule } from './types';

/** PR301: a model is saved, but a fitted transformer its training data went through is not. */
export const preprocessorNotSaved: Rule = {
  code: 'PR301',
  name: 'preprocessor-not-saved',
  severity: 'warning',
  docs: {
    summary:
      'A trained model is saved, but a fitted transformer it depends on (scaler, encoder, vectorizer...) is never saved, or is fitted outside the saved Pipeline.',
    why:
      'Production loads the saved file and feeds it raw inputs. If the scaler or encoder that prepared the ' +
      'training data stays in the notebook, inference either skips it (silently wrong predictions) or refits it ' +
      'on incoming data (a different transformation every time). Save the fitted preprocessing with the model, ' +
      'best as one `Pipeline` object.',
    example: [
      '# %%',
      'import joblib',
      'import pandas as pd',
      'from sklearn.preprocessing import StandardScaler',
      'from sklearn.linear_model import LogisticRegression',
      '',
      '# %%',
      'train = pd.read_csv("train.csv")',
      'scaler = StandardScaler()',
      'X = scaler.fit_transform(train.drop(columns=["label"]))',
      'model = LogisticRegression().fit(X, train["label"])',
      'joblib.dump(model, "model.joblib")',
    ].join('\n'),
    useInstead: [
      '# %%',
      'import joblib',
      'import pandas as pd',
      'from sklearn.pipeline import make_pipeline',
      'from sklearn.preprocessing import StandardScaler',
      'from sklearn.linear_model import LogisticRegression',
      '',
      '# %%',
      'train = pd.read_csv("train.csv")',
      'model = make_pipeline(StandardScaler(), LogisticRegression())',
      'model.fit(train.drop(columns=["label"]), train["label"])',
      'joblib.dump(model, "model.joblib")',
    ].join('\n'),
    fixSafety:
      'Unsafe: the fix adds a `dump` of the fitted transformer, with the call and folder the model is saved with, named after its ' +
      'variable (`scaler.joblib`); it writes a new file, which may overwrite one of that name, and inference code must still load it. ' +
      'Offered only when the transformer has a name of its own and the model path is a string in the save; otherwise `data.fixBlockedBy` says why.',
  },
  check(analysed) {
    const provenance = provenanceOf(analysed);
    const saved = new Set<ObjectState>();
    const addSaved = (object: ObjectState): void => {
      if (saved.has(object)) return;
      saved.add(object);
      object.parts.forEach(addSaved);
    };
    for (const save of provenance.saves) save.objects.forEach(addSaved);
    // One finding per unsaved transformer, at the first save that needs it; later saves of models
    // that need it too are related locations, not findings of their own.
    const byTransformer = new Map<ObjectState, Finding>();
    const findings: Finding[] = [];
    for (const save of provenance.saves) {
      if (save.speculative) continue;
      for (const object of save.objects) {
        const fit = object.current;
        if (fit === undefined || fit.kind !== 'estimator') continue;
        for (const step of fit.chainIn) {
          const transformer = step.object;
          if (transformer === undefined || saved.has(transformer)) continue;
          const earlier = byTransformer.get(transformer);
          if (earlier !== undefined) {
            if (![earlier, ...earlier.related].some((r) => sameStart(r, save.location)))
              earlier.related.push(related(save.location, 'a model that needs it is saved here too'));
            continue;
          }
          const model = reportedModel(object);
          const phrase = modelPhrase(object);
          const name = transformer.className === undefined ? 'transformer' : `\`${transformer.className}\``;
          const outside = object.role === 'composite' ? ` outside the saved \`${object.className ?? 'Pipeline'}\`` : '';
          const fix = savePreprocessorFix(analysed, save, transformer);
          const finding: Finding = {
            message: `\`${save.api}\` saves ${phrase} but not the ${name} fitted${outside} in ${cellName(step.location)} that prepares its inputs, so production cannot reproduce the preprocessing.`,
            cell: save.location.cell,
            range: save.location.range,
            related: [
              related(step.location, `${capitalized(name)} is fitted here and never saved`),
              related(fit.location, `${capitalized(phrase)} is trained here on its output`),
            ],
            data: {
              ...withModel(model),
              source: save.api,
              preprocessor: step.api,
              confidence: confidence(provenance, fit, step),
              ...('blockedBy' in fix ? { fixBlockedBy: fix.blockedBy } : {}),
            },
            ...('fix' in fix ? { fixes: [fix.fix] } : {}),
          };
          byTransformer.set(transformer, finding);
          findings.push(finding);
        }
      }
    }
    return findings;
  },
};

/** Whether two places start at the same position of the same cell. */
function sameStart(a: { cell: number; range: Range }, b: { cell: number; range: Range }): boolean {
  return a.cell === b.cell && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
}
