import { provenanceOf, type FitEvent, type Provenance } from '../analysis/provenance';
import { capitalized, confidence, modelPhrase, related, reportedModel, withModel } from '../analysis/provenance/report';
import type { Finding, Rule } from './types';

/** Names of functions that serve predictions. */
const PREDICTION_FUNCTION = /predict|infer|serve|serving|score_new|forecast|handler/i;

/** PR302: prediction code fits preprocessing on the incoming data instead of loading the fitted one. */
export const refitAtInference: Rule = {
  code: 'PR302',
  name: 'refit-at-inference',
  severity: 'warning',
  tier: 'preview',
  docs: {
    tierReason: 'Right 0 times in 10 in the audit of public notebooks: fits inside training and cross-validation helpers are taken for prediction code.',
    summary: 'Prediction code (a predict function, or cells that use a saved or loaded model) fits a transformer or statistic on the incoming data.',
    why:
      'A scaler, encoder or fill value fitted on the request batch learns from that batch: one row scales to ' +
      'zeros, a batch of one category encodes differently than in training, and predictions change with the ' +
      'batch they arrive in. Load the preprocessing fitted at training time and only call `transform`.',
    example: [
      '# %%',
      'import joblib',
      'import pandas as pd',
      'from sklearn.preprocessing import StandardScaler',
      '',
      '# %%',
      'model = joblib.load("model.joblib")',
      '',
      'def predict(batch):',
      '    features = StandardScaler().fit_transform(batch)',
      '    return model.predict(features)',
      '',
      '# %%',
      'print(predict(pd.read_csv("incoming.csv")))',
    ].join('\n'),
    useInstead: [
      '# %%',
      'import joblib',
      'import pandas as pd',
      'from sklearn.preprocessing import StandardScaler',
      'from sklearn.linear_model import LogisticRegression',
      '',
      '# %%',
      'train = pd.read_csv("train.csv")',
      'scaler = StandardScaler().fit(train[["age", "income"]])',
      'model = LogisticRegression().fit(scaler.transform(train[["age", "income"]]), train["label"])',
      'joblib.dump(scaler, "scaler.joblib")',
      'joblib.dump(model, "model.joblib")',
      '',
      '# %%',
      'def predict(batch, model_path, scaler_path):',
      '    fitted_scaler = joblib.load(scaler_path)',
      '    fitted_model = joblib.load(model_path)',
      '    return fitted_model.predict(fitted_scaler.transform(batch))',
      '',
      '# %%',
      'print(predict(pd.read_csv("incoming.csv"), "model.joblib", "scaler.joblib"))',
    ].join('\n'),
    fixSafety: 'No automatic fix: the fitted preprocessor has to be saved at training time first (see PR301).',
  },
  check(analysed) {
    const provenance = provenanceOf(analysed);
    const predictingFunctions = new Set(provenance.applications.filter((a) => a.inFunction !== undefined && isPredict(a.method)).map((a) => a.inFunction));
    const firstArtifact = Math.min(...provenance.saves.filter((s) => !s.speculative).map((s) => s.order), ...provenance.loads.map((l) => l.order));
    const mark = [...provenance.saves, ...provenance.loads].find((e) => e.order === firstArtifact)?.datasetMark ?? 0;
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const fit of provenance.fits) {
      if (fit.kind === 'estimator' || fit.kind === 'resampler' || (fit.kind === 'statistic' && !fit.applied)) continue;
      const predicted = predictedFrom(provenance, fit);
      // A statistic that never reaches the predicted data (dates of an evaluation window, a count
      // printed next to the predictions) does not change what the model sees.
      if (fit.kind === 'statistic' && predicted === undefined) continue;
      // A helper that trains a model and predicts with it (KNN imputation) is training code, not inference.
      const trainsItself = predicted?.fit !== undefined && predicted.fit.inFunction !== undefined && predicted.fit.inFunction === fit.inFunction;
      const inPredictFunction =
        fit.inFunction !== undefined && !trainsItself && (PREDICTION_FUNCTION.test(fit.inFunction) || predictingFunctions.has(fit.inFunction));
      const afterArtifact =
        fit.inFunction === undefined && fit.order > firstArtifact && fit.datasets.length > 0 && fit.datasets.every((d) => d > mark) && predicted !== undefined;
      if (!inPredictFunction && !afterArtifact) continue;
      const key = `${fit.location.cell}:${fit.location.range.start.line}:${fit.location.range.start.character}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const predictor =
        predictedFrom(provenance, fit) ??
        provenance.applications.find((a) => a.inFunction === fit.inFunction && fit.inFunction !== undefined && isPredict(a.method));
      const model = reportedModel(predictor?.object);
      const where = inPredictFunction ? `in \`${fit.inFunction ?? ''}\`` : 'after the model is saved or loaded';
      findings.push({
        message: `\`${fit.api}\` ${where} learns from the incoming data, so predictions of ${modelPhrase(predictor?.object)} depend on each batch instead of on the preprocessing fitted in training.`,
        cell: fit.location.cell,
        range: fit.location.range,
        related:
          predictor === undefined ? [] : [related(predictor.location, `${capitalized(modelPhrase(predictor.object))} predicts from the refitted data here`)],
        data: { ...withModel(model), source: fit.api, confidence: confidence(provenance, fit) },
      });
    }
    return findings;
  },
};

function isPredict(method: string): boolean {
  return method.startsWith('predict') || method === 'decision_function' || method === 'forecast';
}

/** The first prediction whose input carries what a fit learned. */
function predictedFrom(provenance: Provenance, fit: FitEvent): Provenance['applications'][number] | undefined {
  return provenance.applications.find((a) => isPredict(a.method) && a.order > fit.order && a.data.learned.includes(fit));
}
