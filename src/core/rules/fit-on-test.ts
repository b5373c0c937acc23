import { heldOutOnly, provenanceOf, rowsName, type FitEvent, type Provenance } from '../analysis/provenance';
import { confidence, related, reportedModel } from '../analysis/provenance/report';
import type { Finding, Rule } from './types';

/** LK202: a preprocessor, statistic or model learns from test or validation rows. */
export const fitOnTest: Rule = {
  code: 'LK202',
  name: 'fit-on-test',
  severity: 'error',
  docs: {
    summary: 'A preprocessor, a statistic or a model is fitted on test or validation data.',
    why:
      'Held-out rows exist to measure how the model does on data it has never seen. Calling `fit` or ' +
      '`fit_transform` on them (a scaler refitted on `X_test`, missing values filled with the test mean, a model ' +
      'trained on the test set) lets their information into the pipeline, and in production there is no test set ' +
      'to refit on: fit on the training rows and only `transform` the held-out ones.',
    example: [
      '# %%',
      'import pandas as pd',
      'from sklearn.preprocessing import StandardScaler',
      'from sklearn.model_selection import train_test_split',
      'from sklearn.svm import SVC',
      '',
      '# %%',
      'df = pd.read_csv("heart.csv")',
      'X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=["target"]), df["target"], random_state=0)',
      'scaler = StandardScaler()',
      'X_train_s = scaler.fit_transform(X_train)',
      'X_test_s = scaler.fit_transform(X_test)',
      'model = SVC().fit(X_train_s, y_train)',
      'print(model.score(X_test_s, y_test))',
    ].join('\n'),
    useInstead: [
      '# %%',
      'import pandas as pd',
      'from sklearn.preprocessing import StandardScaler',
      'from sklearn.model_selection import train_test_split',
      'from sklearn.svm import SVC',
      '',
      '# %%',
      'df = pd.read_csv("heart.csv")',
      'X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=["target"]), df["target"], random_state=0)',
      'scaler = StandardScaler()',
      'X_train_s = scaler.fit_transform(X_train)',
      'X_test_s = scaler.transform(X_test)',
      'model = SVC().fit(X_train_s, y_train)',
      'print(model.score(X_test_s, y_test))',
    ].join('\n'),
    fixSafety: 'No automatic fix yet. Replacing `fit_transform` with `transform` on held-out data changes the transformed values, by design.',
  },
  check(analysed) {
    const provenance = provenanceOf(analysed);
    const findings: Finding[] = [];
    for (const fit of provenance.fits) {
      if (fit.speculative || !heldOutOnly(fit.rows)) continue;
      if (fit.kind === 'statistic' && !fit.applied) continue;
      const model = fit.kind === 'estimator' ? reportedModel(fit.object) : modelUsing(provenance, fit);
      const what = fit.kind === 'estimator' ? 'the model' : fit.kind === 'statistic' ? 'the statistic' : 'the preprocessing';
      findings.push({
        message: `\`${fit.api}\` learns from ${rowsName(fit.rows)} rows, so ${what} has seen the data that is meant to evaluate \`${model}\`.`,
        cell: fit.location.cell,
        range: fit.location.range,
        related: fit.data.split === undefined ? [] : [related(fit.data.split.location, `the ${rowsName(fit.rows)} rows come from this split`)],
        data: { model, source: fit.api, rows: rowsName(fit.rows), confidence: confidence(provenance, fit) },
      });
    }
    return findings;
  },
};

/** The model that is evaluated on, or predicts from, data carrying what a fit learned. */
function modelUsing(provenance: Provenance, fit: FitEvent): string {
  const evaluation = provenance.evaluations.find((e) => !e.speculative && e.data.learned.includes(fit));
  if (evaluation !== undefined) return reportedModel(evaluation.model);
  const prediction = provenance.applications.find((a) => !a.speculative && a.object.role !== 'transformer' && a.object.current !== fit && a.data.learned.includes(fit));
  return reportedModel(prediction?.object);
}
