/**
 * The execution history a saved notebook carries, reconstructed from its stored execution
 * counts without running anything. Jupyter numbers every execution of the kernel session, and
 * each code cell keeps the number of its LAST run, so the counts tell which cell ran after
 * which; missing numbers are runs whose cell was re-run later, deleted, or cleared. When the
 * counts cannot be read as one session (a restart left duplicates behind, a cell has outputs
 * but no count), the history says it is ambiguous instead of guessing.
 */
import { range, type Range } from '../diagnostic';
import { cellNumber, type Cell } from '../notebook/model';
import { perAnalysis } from './memo';

/** One executed code cell and the count it was saved with. */
export interface HistoryEntry {
  /** 0-based index among all cells. */
  cell: number;
  /** The stored execution count. */
  count: number;
}

/** How a missing execution count can be explained. */
export type GapExplanation =
  /** The run was of a cell that ran again later: its stored count is now higher. */
  | 'rerun'
  /** The run was of a cell that has been deleted since. */
  | 'deleted'
  /** The run was of a cell whose outputs were cleared, which also clears its count. */
  | 'cleared';

/** A run of consecutive execution counts that no cell carries. */
export interface ExecutionGap {
  /** First missing count. */
  from: number;
  /** Last missing count (inclusive). */
  to: number;
  /** The cell with the stored count just below the gap; undefined when the counts start above 1. */
  afterCell?: number;
  /** The cell with the stored count just above the gap. */
  beforeCell: number;
  /** Every explanation the notebook leaves possible, most common first. */
  explanations: GapExplanation[];
  /** Cells without a count that may have run in the gap and been cleared since. */
  clearedCandidates: number[];
  /** One sentence for people. */
  message: string;
}

/** A cell that ran out of place: outside a longest run of counts that increase in document order. */
export interface OutOfOrderCell extends HistoryEntry {
  /**
   * Executed cells BELOW this one that ran before it (lower counts), nearest first, at most
   * `RELATED_LIMIT` of them (a reversed notebook would otherwise hold a quadratic list).
   */
  ranAfter: HistoryEntry[];
  /** How many cells below ran before it, including those not listed. */
  ranAfterTotal: number;
  /** Executed cells ABOVE this one that ran after it (higher counts), nearest first, at most `RELATED_LIMIT`. */
  ranBefore: HistoryEntry[];
  /** How many cells above ran after it, including those not listed. */
  ranBeforeTotal: number;
}

/** How many cells an out-of-order cell lists as run after or before it. */
export const RELATED_LIMIT = 10;

/** Why the stored counts cannot be read as one kernel session. */
export type AmbiguityKind = 'duplicate-counts' | 'outputs-without-count' | 'restart-suspected';

/** One reason the history is ambiguous. */
export interface Ambiguity {
  kind: AmbiguityKind;
  /** The cells concerned, in document order. */
  cells: number[];
  /** One sentence for people. */
  message: string;
  /** The same as a short clause, for the one-line verdict (`cells 2 and 23 share count 1`). */
  clause: string;
}

/** The reconstructed history: plain data, safe to put in a diagnostic's `data`. */
export interface ExecutionHistory {
  /** Executed code cells sorted by stored count (document order breaks ties). */
  order: HistoryEntry[];
  /** Counts missing below the highest stored count, lowest first. */
  gaps: ExecutionGap[];
  /** The minimal set of cells whose counts contradict document order, in document order. */
  outOfOrder: OutOfOrderCell[];
  /** True when the counts cannot be read as one session; see `ambiguities`. */
  ambiguous: boolean;
  ambiguities: Ambiguity[];
  /** Code cells with code, no count and no outputs that have executed cells below them. */
  unexecuted: number[];
}

/** Reconstructs the history of one notebook's cells (markdown and raw cells are ignored). */
export function reconstructHistory(cells: readonly Cell[]): ExecutionHistory {
  const code = cells.filter((c) => c.kind === 'code');
  const executed: HistoryEntry[] = code.flatMap((c) => (c.executionCount === null ? [] : [{ cell: c.index, count: c.executionCount }]));
  const order = [...executed].sort((a, b) => a.count - b.count || a.cell - b.cell);
  const lastExecuted = executed.at(-1)?.cell ?? -1;
  // A cell with outputs but no count ran at an unknown time; only cells with neither never ran.
  const countless = code.filter((c) => c.executionCount === null && hasCode(c.source));
  const unexecuted = countless.filter((c) => c.outputCount === 0 && c.index < lastExecuted).map((c) => c.index);
  const cleared = countless.filter((c) => c.outputCount === 0).map((c) => c.index);
  return {
    order,
    gaps: findGaps(order, cleared),
    outOfOrder: outOfOrderCells(executed),
    ...ambiguity(
      executed,
      order,
      countless.filter((c) => c.outputCount > 0).map((c) => c.index),
    ),
    unexecuted,
  };
}

/** The history of an analysed notebook, computed once however many rules ask for it. */
export const executionHistory = perAnalysis((analysed) => reconstructHistory(analysed.notebook.cells));

/** Whether a cell holds anything but blank lines and comments, i.e. running it does something. */
export function hasCode(source: string): boolean {
  return source.split(/\r\n|\r|\n/).some((line) => {
    const trimmed = line.trim();
    return trimmed !== '' && !trimmed.startsWith('#');
  });
}

function findGaps(order: readonly HistoryEntry[], cleared: readonly number[]): ExecutionGap[] {
  const gaps: ExecutionGap[] = [];
  let previous: HistoryEntry | undefined;
  for (const entry of order) {
    const from = previous ? previous.count + 1 : 1;
    if (entry.count > from) gaps.push(gap(from, entry.count - 1, previous?.cell, entry.cell, cleared));
    previous = entry;
  }
  return gaps;
}

function gap(from: number, to: number, afterCell: number | undefined, beforeCell: number, cleared: readonly number[]): ExecutionGap {
  // Any cell with a higher count may also have run in the gap, so a re-run is always possible.
  const explanations: GapExplanation[] = ['rerun', 'deleted', ...(cleared.length > 0 ? (['cleared'] as const) : [])];
  const counts = from === to ? `Execution count ${from} is` : `Execution counts ${from}–${to} are`;
  const clearedText = cleared.length > 0 ? `, or of ${cellList(cleared)}, whose outputs may have been cleared` : '';
  return {
    from,
    to,
    ...(afterCell === undefined ? {} : { afterCell }),
    beforeCell,
    explanations,
    // The same array for every gap: a notebook with hundreds of gaps must not copy it each time.
    clearedCandidates: cleared as number[],
    message: `${counts} missing: those runs were of cells that ran again later, of cells deleted since${clearedText}.`,
  };
}

/**
 * The complement of a longest strictly increasing subsequence of counts in document order.
 * Patience sorting keeps the smallest possible tail for each length, so among equally long
 * subsequences it keeps the lower counts and flags the higher ones: the cells re-run last,
 * which is what usually happened.
 */
function outOfOrderCells(executed: readonly HistoryEntry[]): OutOfOrderCell[] {
  const tails: number[] = [];
  const previous: number[] = [];
  executed.forEach((entry, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((executed[tails[mid] as number] as HistoryEntry).count < entry.count) lo = mid + 1;
      else hi = mid;
    }
    previous[i] = lo > 0 ? (tails[lo - 1] as number) : -1;
    tails[lo] = i;
  });
  const kept = new Set<number>();
  for (let i = tails.at(-1) ?? -1; i >= 0; i = previous[i] as number) kept.add(i);
  return executed.flatMap((entry, i) => {
    if (kept.has(i)) return [];
    const ranAfter: HistoryEntry[] = [];
    const ranBefore: HistoryEntry[] = [];
    let ranAfterTotal = 0;
    let ranBeforeTotal = 0;
    for (let j = i + 1; j < executed.length; j++) {
      const other = executed[j] as HistoryEntry;
      if (other.count < entry.count && ranAfterTotal++ < RELATED_LIMIT) ranAfter.push(other);
    }
    for (let j = i - 1; j >= 0; j--) {
      const other = executed[j] as HistoryEntry;
      if (other.count > entry.count && ranBeforeTotal++ < RELATED_LIMIT) ranBefore.push(other);
    }
    return [{ ...entry, ranAfter, ranAfterTotal, ranBefore, ranBeforeTotal }];
  });
}

function ambiguity(
  executed: readonly HistoryEntry[],
  order: readonly HistoryEntry[],
  outputsWithoutCount: readonly number[],
): Pick<ExecutionHistory, 'ambiguous' | 'ambiguities'> {
  const ambiguities: Ambiguity[] = [];
  const byCount = new Map<number, number[]>();
  for (const { cell, count } of executed) byCount.set(count, [...(byCount.get(count) ?? []), cell]);
  for (const [count, cells] of [...byCount].sort((a, b) => a[0] - b[0])) {
    if (cells.length < 2) continue;
    ambiguities.push({
      kind: 'duplicate-counts',
      cells,
      message:
        `${capitalize(cellList(cells))} ${cells.length === 2 ? 'both' : 'all'} have execution count ${count}: the kernel was restarted (or cells were pasted from ` +
        'another notebook) and only some cells were re-run, so which of them ran first is unknown.',
      clause: `${cellList(cells)} share execution count ${count}`,
    });
  }
  if (outputsWithoutCount.length > 0) {
    const one = outputsWithoutCount.length === 1;
    ambiguities.push({
      kind: 'outputs-without-count',
      cells: [...outputsWithoutCount],
      message: `${capitalize(cellList(outputsWithoutCount))} ${one ? 'has' : 'have'} outputs but no execution count, so when ${one ? 'it' : 'they'} ran is unknown.`,
      clause: `${cellList(outputsWithoutCount)} ${one ? 'has' : 'have'} outputs but no count`,
    });
  }
  const restart = suspectedRestart(order);
  if (restart) ambiguities.push(restart);
  return { ambiguous: ambiguities.length > 0, ambiguities };
}

/**
 * A restart leaves the cells it did not re-run with counts from the older session. When the
 * low counts start at 1, sit entirely below the high ones in the document, and a gap separates
 * the two groups, "the lower cells ran first, then the upper ones" and "the upper cells ran in
 * an earlier session" are equally plausible, so we say both rather than pick one.
 */
function suspectedRestart(order: readonly HistoryEntry[]): Ambiguity | undefined {
  if (order[0]?.count !== 1) return undefined;
  // Prefix minimum and suffix maximum of document positions keep this linear.
  const lowTop: number[] = [];
  order.forEach((e, k) => lowTop.push(Math.min(e.cell, lowTop[k - 1] ?? Infinity)));
  const highBottom: number[] = new Array<number>(order.length);
  for (let k = order.length - 1; k >= 0; k--) highBottom[k] = Math.max((order[k] as HistoryEntry).cell, highBottom[k + 1] ?? -1);
  for (let k = 1; k < order.length; k++) {
    if ((order[k] as HistoryEntry).count - (order[k - 1] as HistoryEntry).count < 2) continue;
    if ((highBottom[k] as number) >= (lowTop[k - 1] as number)) continue;
    const lowCells = order
      .slice(0, k)
      .map((e) => e.cell)
      .sort((a, b) => a - b);
    const highCells = order
      .slice(k)
      .map((e) => e.cell)
      .sort((a, b) => a - b);
    return {
      kind: 'restart-suspected',
      cells: [...highCells, ...lowCells],
      message:
        `${capitalize(cellList(lowCells))} ${lowCells.length === 1 ? 'has' : 'have'} the lowest counts (from 1) but stand below ` +
        `${cellList(highCells)}: either they ran first, or the kernel was restarted and ${cellList(highCells)} ran in an earlier session.`,
      clause: `a restart may separate ${cellList(lowCells, 2)} from ${cellList(highCells, 2)}`,
    };
  }
  return undefined;
}

/** `cell 3`, `cells 3 and 5`, `cells 2, 3 and 7` from 0-based indexes (shown 1-based). */
export function cellList(cells: readonly number[], limit = 5, total = cells.length): string {
  const shown = cells.slice(0, limit).map((c) => String(cellNumber(c)));
  const more = total - shown.length;
  if (cells.length === 1) return `cell ${shown[0]}`;
  if (more > 0) return `cells ${shown.join(', ')} and ${more} more`;
  return `cells ${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A sentence to append to a finding when the history is ambiguous in a way that concerns the
 * cells involved (or the whole session, for a suspected restart); empty otherwise.
 */
export function ambiguityNote(history: ExecutionHistory, involved: readonly number[]): string {
  const relevant = history.ambiguities.filter((a) => a.kind === 'restart-suspected' || a.cells.some((c) => involved.includes(c)));
  if (relevant.length === 0) return '';
  return ` The stored counts are ambiguous, so this may be wrong: ${relevant.map((a) => a.message).join(' ')}`;
}

/** The range of a cell's first line of code (else its first line), without surrounding blanks. */
export function cellHeadRange(source: string): Range {
  const lines = source.split(/\r\n|\r|\n/);
  let index = lines.findIndex((line) => hasCode(line));
  if (index < 0) index = 0;
  const line = lines[index] ?? '';
  const start = line.length - line.trimStart().length;
  return range(index, start, index, Math.max(start, line.trimEnd().length));
}
