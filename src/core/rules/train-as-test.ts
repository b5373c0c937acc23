import { heldOutOnly, provenanceOf, Rows, type EvaluationEvent, type FitEvent } from '../analysis/provenance';
import { anchor, capitalized, confidence, modelPhrase, related, reportedModel, withModel } from '../analysis/provenance/report';
import type { Finding, Rule } from './types';

/** LK207: a model is evaluated on the rows it was trained on. */
export const trainAsTest: Rule = {
  code: 'LK207',
  name: 'train-as-test',
  severity: 'error',
  tier: 'preview',
  docs: {
    tierReason:
      'Right 5 times in 20 in the audits of public notebooks: a held-out score in the same or the next cell is often missed, and training metrics shown on purpose are reported.',
    summary: 'A model is evaluated on data it was trained on, with no evaluation on held-out rows.',
    why:
      'A score computed on training rows measures memorisation, not generalisation: a deep tree scores 100% ' +
      'there and may be useless on new data. Hold out rows the model never sees during training (or ' +
      'cross-validate) and report the score on those.',
    example: [
      '# %%',
      'import pandas as pd',
      'from sklearn.tree import DecisionTreeClassifier',
      'from sklearn.metrics import accuracy_score',
      '',
      '# %%',
      'df = pd.read_csv("loans.csv")',
      'X = df.drop(columns=["default"])',
      'y = df["default"]',
      'model = DecisionTreeClassifier().fit(X, y)',
      'print(accuracy_score(y, model.predict(X)))',
    ].join('\n'),
    useInstead: [
      '# %%',
      'import pandas as pd',
      'from sklearn.tree import DecisionTreeClassifier',
      'from sklearn.metrics import accuracy_score',
      'from sklearn.model_selection import train_test_split',
      '',
      '# %%',
      'df = pd.read_csv("loans.csv")',
      'X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=["default"]), df["default"], random_state=0)',
      'model = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)',
      'print(accuracy_score(y_test, model.predict(X_test)))',
    ].join('\n'),
    fixSafety: 'No automatic fix: holding out data changes what the model is trained on.',
  },
  check(analysed) {
    const provenance = provenanceOf(analysed);
    const findings: Finding[] = [];
    const reported = new Set<number>();
    const heldOutScored = new Set<number>();
    for (const e of provenance.evaluations) if (!e.speculative && heldOutOnly(e.data.rows) && !trainedOnAll(e)) heldOutScored.add(e.model.id);
    for (const c of provenance.crossValidations) heldOutScored.add(c.model.id);
    for (const e of provenance.evaluations) {
      const fit = e.fit;
      if (e.speculative || fit === undefined || reported.has(e.model.id) || unsupervised(fit)) continue;
      const sameData = fit.datasets.some((d) => e.data.datasets.includes(d));
      if (!sameData) continue;
      const onAll = trainedOnAll(e);
      const onTrain = e.data.rows === Rows.train && fit.rows === Rows.train && e.data.split === fit.data.split && !heldOutScored.has(e.model.id);
      const onEverything = e.data.rows === Rows.all && fit.rows === Rows.all && !heldOutScored.has(e.model.id);
      if (!onAll && !onTrain && !onEverything) continue;
      reported.add(e.model.id);
      const model = reportedModel(e.model);
      const phrase = modelPhrase(e.model);
      findings.push({
        message:
          onAll && heldOutOnly(e.data.rows)
            ? `\`${e.api}\` scores ${phrase} on held-out rows that were part of its training data, so the score measures memorisation.`
            : `\`${e.api}\` scores ${phrase} on the rows it was trained on, and no held-out data scores it.`,
        cell: anchor(e).cell,
        range: anchor(e).range,
        related: [related(fit.location, `${capitalized(phrase)} is trained here on the same rows`)],
        data: { ...withModel(model), source: e.api, confidence: confidence(provenance, fit) },
      });
    }
    return findings;
  },
};

/** The model was trained on every row and is scored on a held-out part of the same data. */
function trainedOnAll(e: EvaluationEvent): boolean {
  return e.fit !== undefined && e.fit.rows === Rows.all && heldOutOnly(e.data.rows) && e.fit.datasets.some((d) => e.data.datasets.includes(d));
}

/**
 * A model fitted without labels (clustering, density, outlier scores): scoring it on its own
 * training data (`silhouette_score(X, km.labels_)`, clusters against known classes) is how
 * unsupervised models are evaluated, not a train-as-test mistake. statsmodels models take their
 * data in the constructor, so their bare `fit()` stays supervised.
 */
function unsupervised(fit: FitEvent): boolean {
  return fit.target === undefined && fit.object?.role !== 'data-model' && fit.object?.constructorData === undefined;
}
