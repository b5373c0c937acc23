import { provenanceOf, rowsName, type Contamination, type FitEvent } from '../analysis/provenance';
import {
  addCallSite,
  anchor,
  cellName,
  confidence,
  foldsOfFittedPart,
  leakReach,
  placeKey,
  reachRelated,
  splitAfterFit,
  withModel,
} from '../analysis/provenance/report';
import { preprocessingFixes } from '../fixes/leakage-split-fixes';
import type { Finding, Rule } from './types';

/**
 * LK201: a preprocessor or a statistic learns from rows that are split into train and test
 * afterwards (or cross-validated), so what it learned from the test rows reaches training.
 */
export const preprocessingBeforeSplit: Rule = {
  code: 'LK201',
  name: 'preprocessing-before-split',
  severity: 'error',
  tier: 'preview',
  docs: {
    tierReason:
      "Right 9 times in 20 in the audits of public notebooks: per-group aggregates of each row's own entity, encodings of a fixed set of categories and outputs that never reach the model are the usual false alarms.",
    summary: 'A scaler, imputer, encoder, vectorizer, reducer, feature selector or pandas statistic learns from rows that are split into train and test later.',
    why:
      'Fitting preprocessing on the whole dataset lets it learn from the test rows: their mean, their categories, ' +
      'their vocabulary, which features correlate with the label. The model is then evaluated on rows whose ' +
      'information it has already seen, so the score is optimistic and will not hold in production, where the ' +
      'preprocessing must be fitted on training data alone. Split first, then fit on the training part (ideally ' +
      'inside a `Pipeline`, which also keeps cross-validation honest). The same holds inside the training part: a ' +
      'scaler fitted on `X_train` and then `GridSearchCV(..., cv=5).fit(X_train_scaled, y_train)` or `cross_val_score` ' +
      "on the scaled rows lets every fold's validation rows shape the preprocessing, so the cross-validated scores " +
      'and the choice of hyperparameters are optimistic.',
    example: [
      '# %%',
      'import pandas as pd',
      'from sklearn.preprocessing import StandardScaler',
      'from sklearn.model_selection import train_test_split',
      'from sklearn.linear_model import LogisticRegression',
      '',
      '# %%',
      'df = pd.read_csv("churn.csv")',
      'X = df.drop(columns=["churned"])',
      'y = df["churned"]',
      'X_scaled = StandardScaler().fit_transform(X)',
      '',
      '# %%',
      'X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, test_size=0.2, random_state=0)',
      'model = LogisticRegression().fit(X_train, y_train)',
      'print(model.score(X_test, y_test))',
    ].join('\n'),
    useInstead: [
      '# %%',
      'import pandas as pd',
      'from sklearn.pipeline import make_pipeline',
      'from sklearn.preprocessing import StandardScaler',
      'from sklearn.model_selection import train_test_split',
      'from sklearn.linear_model import LogisticRegression',
      '',
      '# %%',
      'df = pd.read_csv("churn.csv")',
      'X = df.drop(columns=["churned"])',
      'y = df["churned"]',
      'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)',
      '',
      '# %%',
      'model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X_train, y_train)',
      'print(model.score(X_test, y_test))',
    ].join('\n'),
    fixSafety:
      'Unsafe, by design: moving the fit after `train_test_split` (fit on the training part, `transform` on both), or wrapping the ' +
      'transformer and the model in a `make_pipeline` trained on the raw split, changes the fitted parameters and the reported scores. ' +
      'Offered only for one module-level transformer whose output is read by the split alone; otherwise `data.fixBlockedBy` says why.',
  },
  check(analysed) {
    const provenance = provenanceOf(analysed);
    return leakFindings(
      provenance.contaminations.filter((c) => c.fit.kind !== 'resampler' && c.fit.kind !== 'estimator' && splitAfterFit(c)),
      (c) => {
        const reach = leakReach(provenance, c.fit);
        const where =
          c.split !== undefined
            ? `the rows are split in ${cellName(c.split.location)}`
            : `\`${c.crossValidation?.api ?? 'cross-validation'}\` splits them in ${cellName(c.crossValidation?.location ?? c.fit.location)}`;
        const fixes = preprocessingFixes(analysed, c);
        const finding: Finding = {
          message: leakMessage(c, where, reach.phrase),
          cell: anchor(c.fit).cell,
          range: anchor(c.fit).range,
          related: [
            ...reachRelated(
              reach,
              c.split?.location ?? c.crossValidation?.location,
              c.split !== undefined ? 'the rows are split here, after the fit' : 'cross-validation splits the rows here',
            ),
          ],
          data: {
            ...withModel(reach.model),
            source: c.fit.api,
            pattern: c.fit.pattern ?? 'transformation',
            confidence: confidence(provenance, c.fit),
            ...('blockedBy' in fixes ? { fixBlockedBy: fixes.blockedBy } : {}),
          },
          ...('fixes' in fixes ? { fixes: fixes.fixes } : {}),
        };
        return finding;
      },
    );
  },
};

/** What LK201 says about one leak: which rows the fit learned, and which split or folds it reaches. */
function leakMessage(c: Contamination, where: string, model: string): string {
  const api = `\`${c.fit.api}\``;
  if (c.labelledRowsDivided === true)
    return `${api} learns from the labelled rows (and the unlabelled competition rows) before ${where}${c.split === undefined ? ' into folds' : ''}, so the held-out labelled rows leak into the training of ${model}.`;
  if (c.fittedPartSplit === true)
    return `${api} learns from every ${rowsName(c.fit.rows)} row before ${where} again, so the held-out rows of that split leak into the training of ${model}.`;
  if (foldsOfFittedPart(c))
    return `${api} learns from the ${rowsName(c.fit.rows)} rows before ${where} into folds, so every fold's validation rows leak into the training of ${model}.`;
  return `${api} learns from all rows before ${where}, so test rows leak into the training of ${model}.`;
}

/**
 * One finding per leaking line (a fit can reach several splits), skipping speculative analysis. A
 * line inside a notebook function that several module-level calls run is one root cause: it is
 * reported at the first call, and the other calls are related locations.
 */
export function leakFindings(contaminations: readonly Contamination[], toFinding: (c: Contamination) => Finding): Finding[] {
  const byLine = new Map<string, Finding>();
  const findings: Finding[] = [];
  for (const c of contaminations) {
    if (c.fit.speculative) continue;
    const key = `${c.fit.api}@${placeKey(c.fit.location)}`;
    const earlier = byLine.get(key);
    if (earlier !== undefined) {
      addCallSite(earlier, anchor(c.fit));
      continue;
    }
    const finding = toFinding(c);
    byLine.set(key, finding);
    findings.push(finding);
  }
  return findings;
}

/** Adds a finding about a fit, remembered by the fit's line so that later calls of the same line join it. */
export function record(byLine: Map<string, Finding>, fit: FitEvent, findings: Finding[], finding: Finding): void {
  byLine.set(`${fit.api}@${placeKey(fit.location)}`, finding);
  findings.push(finding);
}
