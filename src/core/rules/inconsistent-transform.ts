import { heldOutOnly, provenanceOf, rowsName, type FitEvent, type Location, type ObjectState, type Provenance, type Value } from '../analysis/provenance';
import {
  addCallSite,
  anchor,
  capitalized,
  confidence,
  modelPhrase,
  placeKey,
  related,
  reportedModel,
  trainingReached,
  withModel,
} from '../analysis/provenance/report';
import { record } from './preprocessing-before-split';
import type { Finding, Rule } from './types';

/**
 * LK205: the data a model scores or predicts went through other fitted transformers than the
 * data it was trained on: a different or refitted object, a missing step, or steps in another order.
 */
export const inconsistentTransform: Rule = {
  code: 'LK205',
  name: 'inconsistent-transform',
  severity: 'error',
  tier: 'preview',
  docs: {
    tierReason:
      'Right 12 times in 17 in the audits of public notebooks: per-sample normalisation and encodings that give the same columns on test are read as refits, and the named model is often not the one scored.',
    summary: 'Test data goes through different, refitted, missing or reordered transformers than the training data of the model that scores it.',
    why:
      'A model only means something on inputs prepared exactly like its training data. When test rows skip the ' +
      'scaler, go through a second encoder fitted separately, or meet the steps in another order, the score ' +
      'measures a mismatch that production will either reproduce by accident or not at all. Fit the transformers ' +
      'once on training data and apply the same fitted objects, in the same order, everywhere; a `Pipeline` ' +
      'makes this automatic.',
    example: [
      '# %%',
      'import pandas as pd',
      'from sklearn.preprocessing import MinMaxScaler',
      'from sklearn.model_selection import train_test_split',
      'from sklearn.neighbors import KNeighborsClassifier',
      '',
      '# %%',
      'df = pd.read_csv("wine.csv")',
      'X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=["quality"]), df["quality"], random_state=0)',
      'scaler = MinMaxScaler().fit(X_train)',
      'model = KNeighborsClassifier().fit(scaler.transform(X_train), y_train)',
      'print(model.score(X_test, y_test))',
    ].join('\n'),
    useInstead: [
      '# %%',
      'import pandas as pd',
      'from sklearn.preprocessing import MinMaxScaler',
      'from sklearn.model_selection import train_test_split',
      'from sklearn.neighbors import KNeighborsClassifier',
      '',
      '# %%',
      'df = pd.read_csv("wine.csv")',
      'X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=["quality"]), df["quality"], random_state=0)',
      'scaler = MinMaxScaler().fit(X_train)',
      'model = KNeighborsClassifier().fit(scaler.transform(X_train), y_train)',
      'print(model.score(scaler.transform(X_test), y_test))',
    ].join('\n'),
    fixSafety: 'No automatic fix yet. Applying the training transformers to the test data changes the scores, by design.',
  },
  check(analysed) {
    const provenance = provenanceOf(analysed);
    const uses: { model: ObjectState; fit: FitEvent; data: Value; location: Location; api: string }[] = [];
    for (const a of provenance.applications) {
      if (a.speculative || a.fit === undefined || a.fit.kind !== 'estimator' || a.method === 'fit_transform') continue;
      uses.push({
        model: a.object,
        fit: a.fit,
        data: a.data,
        location: a.location,
        api: a.object.className === undefined ? a.method : `${a.object.className}.${a.method}`,
      });
    }
    for (const e of provenance.evaluations) {
      if (e.speculative || e.fit === undefined || e.data.prediction !== undefined) continue;
      uses.push({ model: e.model, fit: e.fit, data: e.data, location: e.location, api: e.api });
    }
    const findings: Finding[] = refitsOnHeldOut(provenance);
    const seen = new Set<string>();
    for (const use of uses) {
      if (!heldOutOnly(use.data.rows)) continue;
      // Held-out data with its own refit or statistic is reported at that fit, not again here.
      if (use.data.learned.some((f) => heldOutOnly(f.rows)) || use.data.chain.some((f) => heldOutOnly(f.rows))) continue;
      const problem = mismatch(use.fit.chainIn, use.data.chain);
      if (problem === undefined) continue;
      const key = `${use.location.cell}:${use.location.range.start.line}:${use.location.range.start.character}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const model = reportedModel(use.model);
      findings.push({
        message: `\`${use.api}\` gets data that ${problem.text}, unlike the data ${modelPhrase(use.model)} was trained on.`,
        cell: use.location.cell,
        range: use.location.range,
        related: [
          related(use.fit.location, `${capitalized(modelPhrase(use.model))} is trained here`),
          ...(problem.step === undefined ? [] : [related(problem.step.location, `\`${problem.step.api}\` is fitted here`)]),
        ],
        data: { ...withModel(model), source: use.api, confidence: confidence(provenance, use.fit) },
      });
    }
    return findings;
  },
};

/**
 * Preprocessing fitted on held-out rows alone, to transform those same rows: the test set gets
 * its own scaler, vocabulary or fill values instead of the training ones.
 */
function refitsOnHeldOut(provenance: Provenance): Finding[] {
  const findings: Finding[] = [];
  const byLine = new Map<string, Finding>();
  for (const fit of provenance.fits) {
    if (fit.speculative || !heldOutOnly(fit.rows) || fit.kind === 'estimator' || fit.kind === 'resampler') continue;
    const earlier = byLine.get(`${fit.api}@${placeKey(fit.location)}`);
    if (earlier !== undefined) {
      addCallSite(earlier, anchor(fit));
      continue;
    }
    if (fit.kind === 'statistic' && !fit.applied) continue;
    // Its state prepares training rows too: a fit on test (LK202), not a different treatment of the test rows.
    if (trainingReached(provenance, fit) !== undefined) continue;
    // Only a refit whose output a trained model scores or predicts changes what the model sees:
    // statistics for plots, printing or helper arithmetic on test rows are not preprocessing.
    const user =
      provenance.evaluations.find((e) => !e.speculative && e.fit !== undefined && e.data.learned.includes(fit))?.model ??
      provenance.applications.find((a) => !a.speculative && a.fit?.kind === 'estimator' && a.object.current !== fit && a.data.learned.includes(fit))?.object;
    if (user === undefined) continue;
    const model = reportedModel(user);
    const at = anchor(fit);
    const what =
      fit.kind === 'statistic'
        ? 'their own statistics'
        : fit.object === undefined
          ? `their own \`${fit.api}\``
          : `their own \`${fit.object.className ?? fit.api}\``;
    record(byLine, fit, findings, {
      message: `\`${fit.api}\` learns from the ${rowsName(fit.rows)} rows themselves, so they get ${what} instead of the preprocessing ${modelPhrase(user)} was trained with.`,
      cell: at.cell,
      range: at.range,
      related: fit.data.split === undefined ? [] : [related(fit.data.split.location, 'the held-out rows come from this split')],
      data: { ...withModel(model), source: fit.api, pattern: fit.pattern ?? 'transformation', confidence: confidence(provenance, fit) },
    });
  }
  return findings;
}

/** How the held-out chain differs from the training chain; undefined when they match or differ only by a refit on test (LK202). */
function mismatch(train: readonly FitEvent[], test: readonly FitEvent[]): { text: string; step?: FitEvent } | undefined {
  if (train.length === test.length && train.every((f, i) => f === test[i])) return undefined;
  // A refit on held-out rows is LK202's finding; saying it twice would be noise.
  if (test.some((f) => heldOutOnly(f.rows))) return undefined;
  const missing = train.find((f) => !test.includes(f) && !test.some((t) => t.object !== undefined && t.object === f.object));
  if (missing !== undefined) {
    const other = test.find((t) => t.object?.className !== undefined && t.object.className === missing.object?.className);
    if (other !== undefined) return { text: `went through a different \`${other.object?.className ?? other.api}\` fitted separately`, step: other };
    return { text: `never went through \`${missing.api}\``, step: missing };
  }
  const refitted = train.find((f) => !test.includes(f));
  if (refitted !== undefined) return { text: `went through \`${refitted.object?.className ?? refitted.api}\` refitted after training`, step: refitted };
  const extra = test.find((f) => !train.includes(f));
  if (extra !== undefined) return { text: `went through \`${extra.api}\``, step: extra };
  return { text: 'went through the same transformers in another order' };
}
