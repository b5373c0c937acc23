/**
 * Data provenance of a notebook, computed once per analysed notebook and shared by every rule
 * that asks: sources, splits and rows roles, fits and what they learned from, evaluations,
 * saves, and the leaks found while values flowed.
 */
import type { AnalysedNotebook } from '../analysed-notebook';
import { LruCache } from '../../python/cache';
import { identity, perAnalysis } from '../memo';
import { Interpreter } from './interpreter';
import type { FitEvent, Provenance } from './model';

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
