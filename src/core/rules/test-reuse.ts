import { Rows, provenanceOf, type EvaluationEvent } from '../analysis/provenance';
import { anchor, capitalized, cellName, confidence, modelPhrase, related, reportedModel, withModel } from '../analysis/provenance/report';
import type { Finding, Rule } from './types';

/**
 * LK204: the test rows score several models, or pick among candidates (a loop that fits and
 * scores, early stopping on the test set), so the final score is no longer an unbiased estimate.
 */
export const testReuse: Rule = {
  code: 'LK204',
  name: 'test-reuse',
  severity: 'warning',
  tier: 'preview',
  docs: {
    tierReason: 'Right 12 times in 20 in the audits of public notebooks: k-fold folds and textbook comparisons that choose nothing are read as test reuse.',
    summary: 'The same test data evaluates several models or drives model selection (hyperparameters, early stopping) with no untouched hold-out.',
    why:
      'Every time the test set helps choose between models, settings or epochs, the chosen model is a little ' +
      'fitted to that test set, and its test score overstates how it will do on new data. Choose on a validation ' +
      'split or with cross-validation on the training data, and score the one chosen model on the test set once.',
    example: [
      '# %%',
      'import pandas as pd',
      'from sklearn.model_selection import train_test_split',
      'from sklearn.ensemble import RandomForestClassifier',
      'from sklearn.metrics import accuracy_score',
      '',
      '# %%',
      'df = pd.read_csv("churn.csv")',
      'X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=["churned"]), df["churned"], random_state=0)',
      'for depth in [2, 4, 8, 16]:',
      '    model = RandomForestClassifier(max_depth=depth, random_state=0).fit(X_train, y_train)',
      '    print(depth, accuracy_score(y_test, model.predict(X_test)))',
    ].join('\n'),
    useInstead: [
      '# %%',
      'import pandas as pd',
      'from sklearn.model_selection import GridSearchCV, train_test_split',
      'from sklearn.ensemble import RandomForestClassifier',
      'from sklearn.metrics import accuracy_score',
      '',
      '# %%',
      'df = pd.read_csv("churn.csv")',
      'X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=["churned"]), df["churned"], random_state=0)',
      'search = GridSearchCV(RandomForestClassifier(random_state=0), {"max_depth": [2, 4, 8, 16]}, cv=5)',
      'search.fit(X_train, y_train)',
      'print(accuracy_score(y_test, search.predict(X_test)))',
    ].join('\n'),
    fixSafety: 'No automatic fix: choosing on a validation split or with cross-validation is a change of method.',
    preview:
      'Monitoring the test data during training (`validation_data=(X_test, y_test)`, `eval_set=[(X_test, y_test)]`) without early stopping ' +
      'or checkpoint callbacks is a preview pattern: the curve is only watched, and it selects the model only when the author picks epochs from ' +
      'it, which the code does not show. With `early_stopping_rounds` or `callbacks` it is reported by default.',
  },
  check(analysed) {
    const provenance = provenanceOf(analysed);
    const findings: Finding[] = [];
    const byTestSet = new Map<string, EvaluationEvent[]>();
    for (const evaluation of provenance.evaluations) {
      if (evaluation.speculative || evaluation.data.rows !== Rows.test) continue;
      const key = evaluation.data.split !== undefined ? `split:${evaluation.data.split.id}` : `data:${evaluation.data.datasets.join(',')}`;
      const group = byTestSet.get(key);
      if (group === undefined) byTestSet.set(key, [evaluation]);
      else group.push(evaluation);
    }
    for (const group of byTestSet.values()) {
      const models: EvaluationEvent[] = [];
      for (const evaluation of group) {
        const key = evaluation.fit?.id ?? evaluation.model.id;
        if (!models.some((m) => (m.fit?.id ?? m.model.id) === key)) models.push(evaluation);
      }
      const [first, second] = models;
      // A fit and a score in the same loop compare candidates on the test set, even if the loop is seen once.
      const inLoop = group.find((e) => e.loop !== undefined && e.fit?.loop === e.loop);
      const reported = inLoop ?? second;
      if (reported === undefined || first === undefined) continue;
      const model = reportedModel(reported.model);
      const message =
        reported === inLoop
          ? `\`${reported.api}\` scores a model fitted in the same loop on the test data, so the test set picks among candidates and no longer gives an unbiased score for ${modelPhrase(reported.model)}.`
          : `\`${reported.api}\` scores ${modelPhrase(reported.model)} on the same test data that already scored ${modelPhrase(first.model).replace('the model', 'another model')} in ${cellName(first.location)}, so choosing between them uses the test set.`;
      findings.push({
        message,
        cell: anchor(reported).cell,
        range: anchor(reported).range,
        related: [
          ...(reported === inLoop ? [] : [related(first.location, 'the same test data scores another model here')]),
          ...(reported.fit === undefined ? [] : [related(reported.fit.location, `${capitalized(modelPhrase(reported.model))} is fitted here`)]),
          ...(reported.data.split === undefined ? [] : [related(reported.data.split.location, 'the test rows come from this split')]),
        ],
        data: { ...withModel(model), source: reported.api, confidence: confidence(provenance, reported.fit) },
      });
    }
    for (const fit of provenance.fits) {
      // Early stopping or model checkpoints watching the test set select the model on it.
      const monitored = fit.monitor;
      if (fit.speculative || monitored === undefined) continue;
      const watchesTest = (monitored.items ?? [monitored]).some((v) => v.rows === Rows.test || (v.items ?? []).some((i) => i.rows === Rows.test));
      if (!watchesTest) continue;
      const model = reportedModel(fit.object);
      findings.push({
        message:
          fit.selectsByMonitor === true
            ? `\`${fit.api}\` monitors the test data while training, so early stopping and model selection use the rows that should score ${modelPhrase(fit.object)}.`
            : `\`${fit.api}\` monitors the test data while training, so choosing epochs or rounds from that curve uses the rows that should score ${modelPhrase(fit.object)}.`,
        // Without early stopping or checkpoints the curve is only watched: a selection only if someone acts on it.
        ...(fit.selectsByMonitor === true ? {} : { preview: true }),
        cell: anchor(fit).cell,
        range: anchor(fit).range,
        related: [],
        data: { ...withModel(model), source: fit.api, confidence: confidence(provenance, fit) },
      });
    }
    return findings;
  },
};
