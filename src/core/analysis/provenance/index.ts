/**
 * Data provenance of a notebook, computed once per analysed notebook and shared by every rule
 * that asks: sources, splits and rows roles, fits and what they learned from, evaluations,
 * saves, and the leaks found while values flowed.
 */
import type { AnalysedNotebook } from '../analysed-notebook';
import { LruCache } from '../../python/cache';
import { identity, perAnalysis } from '../memo';
import { Interpreter } from './interpreter';
import { Rows, type Contamination, type FitEvent, type Provenance, type SplitEvent, type Value } from './model';

export * from './model';
export { modelClass } from './events';

/**
 * The interpreter reads each cell's index, Python and facts, nothing else (not the execution
 * counts): notebooks whose cells have the same facts objects in the same places have the same
 * provenance. Running cells in the editor changes only the counts, so the recent results are kept.
 */
const recent = new LruCache<string, Provenance>(4);

/** The provenance of a notebook (once per analysis, so rules share one run; reused while no cell's code changes). */
export const provenanceOf = perAnalysis((analysed: AnalysedNotebook): Provenance => {
  const key = analysed.cells.map((c) => (c.facts === null || c.python === null || c.facts.flow === undefined ? '-' : identity(c.facts))).join(',');
  let result = recent.get(key);
  if (result === undefined) {
    result = new Interpreter().run(analysed);
    settleUnknownRoles(result);
    dropLabelOnlyLeaks(result);
    dropTransductiveLeaks(result);
    dropUnusedSlices(result);
    dropUntrainedPartSplits(result);
    recent.set(key, result);
  }
  return result;
});

/**
 * Objects of unknown classes get their role from how the whole notebook uses them: a fit of an
 * object that later predicts trained a model, one that later transforms fitted a preprocessor.
 */
function settleUnknownRoles(result: Provenance): void {
  for (const fit of result.fits) {
    const object = fit.object;
    if (object === undefined || fit.kind === 'statistic' || fit.kind === 'function' || fit.kind === 'resampler') continue;
    if (object.role === 'estimator' || object.role === 'search') fit.kind = 'estimator';
    else if (object.role === 'transformer') fit.kind = 'transformer';
  }
}

/**
 * A statistic that only defines the label (`y = score > np.quantile(score, 0.8)`) is not
 * preprocessing: when what a fit learned reaches the target of a model but never its features,
 * evaluations or predictions, its contaminations are dropped.
 */
function dropLabelOnlyLeaks(result: Provenance): void {
  if (result.contaminations.length === 0) return;
  const toTarget = new Set<FitEvent>();
  const toFeatures = new Set<FitEvent>();
  const add = (into: Set<FitEvent>, fits: readonly FitEvent[]): void => fits.forEach((f) => into.add(f));
  for (const fit of result.fits) {
    if (fit.kind !== 'estimator' || fit.speculative) continue;
    add(toTarget, fit.target?.learned ?? []);
    add(toFeatures, fit.learnedIn);
  }
  for (const e of result.evaluations) add(toFeatures, e.data.learned);
  for (const c of result.crossValidations) add(toFeatures, c.data.learned);
  for (const a of result.applications) add(toFeatures, a.data.learned);
  result.contaminations = result.contaminations.filter((c) => !toTarget.has(c.fit) || toFeatures.has(c.fit));
}

/**
 * Kaggle notebooks read `train.csv` and `test.csv`, whose test rows have no labels, and often fit
 * encoders or fill values on both (`pd.concat([train, test])`) before splitting back by
 * `len(train)`. Nothing can score those test rows, so what was learned from them reaches no
 * evaluation: such fits are marked `transductive` and their contaminations dropped. A test file
 * is unlabelled when it was read under a test name and no model is trained or scored against
 * labels taken from it. A fit that also saw validation rows (`pd.concat([X_tr, X_val, test])`) stays a leak.
 */
function dropTransductiveLeaks(result: Provenance): void {
  const unlabelled = new Set(result.splits.filter((s) => s.kind === 'name' && s.role === Rows.test).flatMap((s) => s.datasets));
  if (unlabelled.size === 0) return;
  // Labels of the test file: a target taken from it while it still has its test role (`test["y"]`).
  // Targets taken from the concatenation split back (`full["y"][:n]`) come from the train file's rows.
  const labels = (target: Value | undefined): void => {
    if (target?.split?.kind === 'name' && target.split.role === Rows.test) target.split.datasets.forEach((d) => unlabelled.delete(d));
  };
  for (const fit of result.fits) if (fit.kind === 'estimator') labels(fit.target);
  for (const e of result.evaluations) labels(e.target);
  if (unlabelled.size === 0) return;
  for (const fit of result.fits) {
    if (fit.kind === 'estimator' || (fit.rows & Rows.test) === 0 || (fit.rows & Rows.validation) !== 0) continue;
    if (fit.datasets.some((d) => unlabelled.has(d))) fit.transductive = true;
  }
  result.contaminations = result.contaminations.filter((c) => c.fit.transductive !== true || dividesLabelledRows(c));
  for (const c of result.contaminations) if (c.fit.transductive === true) c.labelledRowsDivided = true;
}

/**
 * A transductive fit still leaks when a later split or cross-validation divides the labelled rows
 * it learned from into a training and a held-out part (`pd.concat([train, test])`, a scaler
 * fitted on it, then `train_test_split` of the training file's rows for validation): those
 * held-out rows shaped the fit. Cutting the concatenation back apart (by name or by a slice of
 * the combined rows) divides nothing the fit could inflate. Encodings of categories are left out:
 * the categories of the competition rows change no score of the training rows.
 */
function dividesLabelledRows(c: Contamination): boolean {
  if (c.fit.pattern === 'encoding') return false;
  if (c.crossValidation !== undefined) return true;
  const split = c.split;
  return split !== undefined && split.kind !== 'name' && (split.kind !== 'slice' || split.input.rows === Rows.train);
}

/**
 * `df[:100]` passed to a plot or printed takes rows by position like a split does, but a slice
 * no model is trained, scored or predicts on separates nothing: its contaminations are dropped.
 */
function dropUnusedSlices(result: Provenance): void {
  if (!result.contaminations.some((c) => c.split?.kind === 'slice')) return;
  const used = new Set<SplitEvent>();
  const use = (split: SplitEvent | undefined): void => {
    if (split !== undefined) used.add(split);
  };
  for (const fit of result.fits) if (fit.kind === 'estimator') use(fit.data.split);
  for (const e of result.evaluations) use(e.data.split);
  for (const a of result.applications) if (a.object.role !== 'transformer') use(a.data.split);
  for (const c of result.crossValidations) use(c.data.split);
  result.contaminations = result.contaminations.filter((c) => c.split?.kind !== 'slice' || used.has(c.split));
}

/**
 * A second split of a fitted training part leaks only into a split some model is trained on
 * (the validation rows of a split nobody trains with score nothing).
 */
function dropUntrainedPartSplits(result: Provenance): void {
  if (!result.contaminations.some((c) => c.fittedPartSplit === true)) return;
  const trained = new Set(result.fits.filter((f) => f.kind === 'estimator' && f.data.split !== undefined).map((f) => f.data.split));
  result.contaminations = result.contaminations.filter((c) => c.fittedPartSplit !== true || trained.has(c.split));
}
