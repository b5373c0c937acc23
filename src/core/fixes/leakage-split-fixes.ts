/**
 * The quick fixes LK201 offers for one leak: fit after the split, and (when the model is trained
 * right after the split) transformer and model in one Pipeline; or why none can be written.
 */
import type { Fix } from '../diagnostic';
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import type { Contamination } from '../analysis/provenance';
import { moveFitAfterSplit } from './leakage-move-fit';
import { wrapInPipeline } from './leakage-pipeline';
import { splitFixShape } from './leakage-split-shape';

/** The fixes for a leak (best first), or the reason for `data.fixBlockedBy`. */
export function preprocessingFixes(analysed: AnalysedNotebook, leak: Contamination): { fixes: Fix[] } | { blockedBy: string } {
  const outcome = splitFixShape(analysed, leak);
  if ('blockedBy' in outcome) return outcome;
  const pipeline = wrapInPipeline(analysed, leak, outcome.shape);
  return { fixes: [moveFitAfterSplit(outcome.shape), ...('fix' in pipeline ? [pipeline.fix] : [])] };
}
