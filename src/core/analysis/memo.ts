/**
 * Memos that make re-analysis after an edit cheap. An analysis is a new AnalysedNotebook each
 * time, but the facts of an unchanged cell are the same object as before (the parser caches
 * them per source text), so:
 * - `perAnalysis` computes a notebook-wide view once per analysis, however many rules ask;
 * - `perCell` keeps what a rule derives from one cell across analyses, until the cell's source,
 *   its index or the notebook-wide context the derivation reads (a key the caller names)
 *   changes. After a one-cell edit only that cell is derived again.
 */
import { createHash } from 'node:crypto';
import type { CellFacts } from '../python/facts';
import type { AnalysedCell, AnalysedNotebook } from './analysed-notebook';

/** `compute` once per analysed notebook. */
export function perAnalysis<T>(compute: (analysed: AnalysedNotebook) => T): (analysed: AnalysedNotebook) => T {
  const cache = new WeakMap<AnalysedNotebook, T>();
  return (analysed) => {
    if (cache.has(analysed)) return cache.get(analysed) as T;
    const value = compute(analysed);
    cache.set(analysed, value);
    return value;
  };
}

interface CellEntry<T> {
  /** The cell's source: two sources can mask to the same Python (and facts) but differ in magics. */
  source: string;
  index: number;
  context: string;
  value: T;
}

/** Entries kept per facts object: cells with the same text (empty ones, say) at several indexes. */
const ENTRIES_PER_FACTS = 8;

/**
 * `compute` once per code cell source, index and `context`: a string naming everything outside
 * the cell that `compute` reads, including whatever `args` stand for ('' when nothing). Cells
 * without facts are not computed: undefined. Results are shared between analyses: callers must
 * not change them.
 */
export function perCell<T, A extends unknown[] = []>(
  compute: (cell: AnalysedCell & { facts: CellFacts; python: string }, ...args: A) => T,
): (cell: AnalysedCell, context: string, ...args: A) => T | undefined {
  const cache = new WeakMap<CellFacts, CellEntry<T>[]>();
  return (cell, context, ...args) => {
    const { facts, python } = cell;
    if (facts === null || python === null) return undefined;
    const { index, source } = cell.cell;
    const entries = cache.get(facts);
    const hit = entries?.find((e) => e.index === index && e.context === context && e.source === source);
    if (hit) return hit.value;
    const value = compute(cell as AnalysedCell & { facts: CellFacts; python: string }, ...args);
    cache.set(facts, [{ source, index, context, value }, ...(entries ?? []).slice(0, ENTRIES_PER_FACTS - 1)]);
    return value;
  };
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;

/**
 * A number naming `value` for as long as it lives, for context keys: objects made per cell and
 * kept across analyses (a cell's reads, its facts) keep their number while the cell is unchanged.
 */
export function identity(value: object): number {
  let id = identities.get(value);
  if (id === undefined) identities.set(value, (id = nextIdentity++));
  return id;
}

/**
 * A short stand-in for a long context text (every import of a large notebook): each cell's memo
 * compares contexts, and comparing the texts themselves would cost the text's length per cell.
 */
export function digest(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}
