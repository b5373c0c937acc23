import { heldOutOnly, provenanceOf, Rows, rowsName, type FitEvent, type Provenance } from '../analysis/provenance';
import {
  addCallSite,
  anchor,
  capitalized,
  cellName,
  confidence,
  leakReach,
  modelPhrase,
  placeKey,
  reachRelated,
  related,
  reportedModel,
  splitAfterFit,
  splitBefore,
  trainingReached,
  withModel,
} from '../analysis/provenance/report';
import { leakFindings, record } from './preprocessing-before-split';
import type { Finding, Rule } from './types';

/**
 * LK202: a preprocessor, statistic or model learns from rows that include test rows of an
 * earlier split (a scaler refitted on all rows after splitting, an encoder fitted on the union
 * of train and test), or a model is trained on test rows.
 */
export const fitOnTest: Rule = {
  code: 'LK202',
  name: 'fit-on-test',
  severity: 'error',
  tier: 'preview',
  docs: {
    tierReason:
      'Right 3 times in 20 in the audits of public notebooks: data-flow roles are still wrong on code written elsewhere (a fit before the only split reported as after it, training rows taken for validation rows).',
    summary: 'A preprocessor, a statistic or a model is fitted on data that includes the test or validation rows of an earlier split.',
    why:
      'Held-out rows exist to measure how the model does on data it has never seen. A scaler fitted on all rows ' +
      'after splitting, an encoder fitted on the union of train and test, or target means computed over both ' +
      'carry test information into the training data, and the evaluation no longer measures generalisation. Fit on ' +
      'the training rows only and `transform` the held-out ones.',
    example: [
      '# %%',
      'import pandas as pd',
      'from sklearn.preprocessing import StandardScaler',
      'from sklearn.model_selection import train_test_split',
      'from sklearn.svm import SVC',
      '',
      '# %%',
      'df = pd.read_csv("heart.csv")',
      'X = df.drop(columns=["target"])',
      'X_train, X_test, y_train, y_test = train_test_split(X, df["target"], random_state=0)',
      'scaler = StandardScaler().fit(pd.concat([X_train, X_test]))',
      'model = SVC().fit(scaler.transform(X_train), y_train)',
      'print(model.score(scaler.transform(X_test), y_test))',
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
      'X = df.drop(columns=["target"])',
      'X_train, X_test, y_train, y_test = train_test_split(X, df["target"], random_state=0)',
      'scaler = StandardScaler().fit(X_train)',
      'model = SVC().fit(scaler.transform(X_train), y_train)',
      'print(model.score(scaler.transform(X_test), y_test))',
    ].join('\n'),
    fixSafety: 'No automatic fix yet. Fitting on the training rows only changes the fitted parameters and the scores, by design.',
  },
  check(analysed) {
    const provenance = provenanceOf(analysed);
    const preprocessing = provenance.contaminations.filter((c) => c.fit.kind !== 'resampler' && c.fit.kind !== 'estimator');
    // One root cause, one finding: a fit that comes before every split of its rows is LK201's,
    // even when a value derived from it gets a role elsewhere without a split of its own.
    const beforeSplit = new Set(preprocessing.filter(splitAfterFit).map((c) => fitKey(c.fit)));
    const afterSplit = preprocessing.filter((c) => !splitAfterFit(c) && !(beforeSplit.has(fitKey(c.fit)) && splitBefore(provenance, c.fit) === undefined));
    const findings = leakFindings(afterSplit, (c) => {
      const reach = leakReach(provenance, c.fit);
      const split = splitBefore(provenance, c.fit) ?? c.split;
      return {
        message: `\`${c.fit.api}\` learns from ${rowsName(c.fit.rows) === 'all' ? 'all rows, test rows included,' : `${rowsName(c.fit.rows)} rows`} after the data was split${split === undefined ? '' : ` in ${cellName(split.location)}`}, so test information reaches ${reach.phrase}.`,
        cell: anchor(c.fit).cell,
        range: anchor(c.fit).range,
        related: reachRelated(reach, split?.location, 'the rows were split here, before the fit'),
        data: { ...withModel(reach.model), source: c.fit.api, pattern: c.fit.pattern ?? 'transformation', confidence: confidence(provenance, c.fit) },
      };
    });
    const byLine = new Map<string, Finding>();
    const once = (fit: FitEvent): boolean => {
      const earlier = byLine.get(`${fit.api}@${placeKey(fit.location)}`);
      if (earlier !== undefined) addCallSite(earlier, anchor(fit));
      return earlier !== undefined;
    };
    for (const fit of provenance.fits) {
      // Preprocessing fitted on held-out rows alone whose state prepares the training rows of a model.
      if (fit.speculative || fit.transductive === true || fit.kind === 'estimator' || fit.kind === 'resampler' || !heldOutOnly(fit.rows)) continue;
      const training = trainingReached(provenance, fit);
      if (training === undefined || once(fit)) continue;
      const model = reportedModel(training.object);
      const phrase = modelPhrase(training.object);
      const at = anchor(fit);
      record(byLine, fit, findings, {
        message: `\`${fit.api}\` learns from ${rowsName(fit.rows)} rows, and its state prepares the training data of ${phrase}, so test information reaches the model.`,
        cell: at.cell,
        range: at.range,
        related: [
          ...(fit.data.split === undefined ? [] : [related(fit.data.split.location, 'the held-out rows come from this split')]),
          related(training.location, `${capitalized(phrase)} is trained here on data prepared with it`),
        ],
        data: { ...withModel(model), source: fit.api, pattern: fit.pattern ?? 'transformation', confidence: confidence(provenance, fit) },
      });
    }
    for (const fit of provenance.fits) {
      // A model trained on held-out rows: whatever scores it afterwards has seen its training data.
      if (fit.speculative || fit.kind !== 'estimator' || !heldOutOnly(fit.rows) || stackedOrSwapped(provenance, fit) || once(fit)) continue;
      const model = reportedModel(fit.object);
      const at = anchor(fit);
      const finding: Finding = {
        message: `\`${fit.api}\` trains ${modelPhrase(fit.object)} on ${rowsName(fit.rows)} rows, the data meant to evaluate it.`,
        cell: at.cell,
        range: at.range,
        related:
          fit.data.split === undefined
            ? []
            : [{ cell: fit.data.split.location.cell, range: fit.data.split.location.range, message: 'the held-out rows come from this split' }],
        data: { ...withModel(model), source: fit.api, confidence: confidence(provenance, fit) },
      };
      record(byLine, fit, findings, finding);
    }
    return findings;
  },
};

/** The line of a fit, as findings are keyed: one finding per leaking line. */
function fitKey(fit: FitEvent): string {
  return `${fit.api}@${placeKey(fit.location)}`;
}

/**
 * A model trained on held-out rows that is no leak: a meta-model (stacking, calibration) fitted on
 * the predictions other models make for the validation rows, or a swap of roles (train on the
 * held-out half, score on the training half: two-fold cross-validation by hand).
 */
function stackedOrSwapped(provenance: Provenance, fit: FitEvent): boolean {
  if (fit.data.prediction !== undefined || fit.learnedIn.some((f) => f.kind === 'estimator')) return true;
  const scoredOn = [...provenance.applications, ...provenance.evaluations].filter((e) => e.fit === fit && !e.speculative);
  return scoredOn.length > 0 && scoredOn.every((e) => e.data.rows === Rows.train);
}
