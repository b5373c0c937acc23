/**
 * Streaming counters, one per feature: a batch is seen once, row by row, and each counter keeps
 * only fixed-size arrays (counting cells for numeric features, one slot per training category
 * plus a capped list of unseen values), so memory does not grow with the number of rows.
 */
import { areaBetweenCdfs, jensenShannonDistance, ksFromCdf, psi } from './divergence';
import type { CategoricalReference, NumericReference, ValuesReference } from './reference';

/** The metrics drift is judged on; `null` where a metric does not apply or has no data. */
export interface DriftMetrics {
  psi: number | null;
  jensen_shannon: number | null;
  ks: number | null;
  wasserstein: number | null;
}

/** Reference and current shares per bucket: what the report draws. */
export interface Histogram {
  labels: string[];
  reference: number[];
  current: number[];
}

/** What one counter measured. */
export interface CounterResult {
  metrics: DriftMetrics;
  histogram: Histogram;
  /** Rows seen (present, missing and invalid). */
  rows: number;
  missing: number;
  /** Values that are neither missing nor of the feature's kind (text in a numeric column). */
  invalid: number;
  /** Numeric values below the smallest / above the largest training value. */
  below?: number;
  above?: number;
  /** Most frequent values training never saw (categorical), with their counts. */
  unseen?: Array<{ value: string; count: number }>;
  unseenRows?: number;
}

/** Cells pandas reads as missing in a CSV (its default `na_values`), so both sides agree. */
export const MISSING_TOKENS: ReadonlySet<string> = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);

/** Counts numeric values into the cells of a numeric reference. */
export class NumericCounter {
  private readonly cells: Float64Array;
  private below = 0;
  private above = 0;
  private belowDistance = 0;
  private aboveDistance = 0;
  private equal = 0;
  private present = 0;
  private missing = 0;
  private invalid = 0;

  constructor(private readonly reference: NumericReference) {
    this.cells = new Float64Array(Math.max(0, reference.grid.length - 1));
  }

  /** Counts one raw value: a number, a CSV cell, null. */
  add(value: unknown): void {
    let x: number;
    if (typeof value === 'number') x = value;
    else if (value === null || value === undefined) return void this.missing++;
    else if (typeof value === 'string') {
      // Number() first: most cells are numbers, and only NaN or 0 can hide a missing token ('', ' ').
      if (value.length === 0) return void this.missing++;
      x = Number(value);
      if (Number.isNaN(x) || x === 0) {
        if (MISSING_TOKENS.has(value.trim())) return void this.missing++;
        if (Number.isNaN(x)) return void this.invalid++;
      }
    } else if (typeof value === 'boolean') x = value ? 1 : 0;
    else return void this.invalid++;
    if (Number.isNaN(x)) return void this.missing++;
    if (!Number.isFinite(x)) return void this.invalid++;
    this.addNumber(x);
  }

  /** Counts one finite number. */
  addNumber(x: number): void {
    this.present++;
    const grid = this.reference.grid;
    const last = grid.length - 1;
    if (last < 0) return;
    if (x < grid[0]!) {
      this.below++;
      this.belowDistance += grid[0]! - x;
    } else if (x > grid[last]!) {
      this.above++;
      this.aboveDistance += x - grid[last]!;
    } else if (last === 0) this.equal++;
    else {
      // Largest j with grid[j] <= x; a value on the last edge belongs to the last cell.
      let lo = 0;
      let hi = last - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (grid[mid]! <= x) lo = mid;
        else hi = mid - 1;
      }
      this.cells[lo]!++;
    }
  }

  /** The metrics and the histogram of what was counted. */
  result(epsilon: number): CounterResult {
    const ref = this.reference;
    const rows = this.present + this.missing + this.invalid;
    const absent = this.missing + this.invalid;
    const labels: string[] = [];
    const refShares: number[] = [];
    const counts: number[] = [];
    let ks: number | null = null;
    let wasserstein: number | null = null;
    if (ref.edges.length >= 2) {
      const bins = ref.binShares.length;
      const binCounts = new Array<number>(bins).fill(0);
      for (let j = 0; j < this.cells.length; j++) binCounts[ref.cellBin[j]!]! += this.cells[j]!;
      binCounts[0]! += this.below;
      binCounts[bins - 1]! += this.above;
      for (let i = 0; i < bins; i++) labels.push(binLabel(ref.edges, i));
      refShares.push(...ref.binShares);
      counts.push(...binCounts);
      if (this.present > 0) {
        // P(X < grid[j]) at every point but the last, where it is P(X <= max) like the
        // reference's 1 there (training's last bin is closed), so values equal to the training
        // maximum are not read as drift; the share above the maximum shows up at that point.
        const currentCdf = new Float64Array(ref.grid.length);
        let cumulative = this.below;
        for (let j = 0; j < ref.grid.length; j++) {
          currentCdf[j] = cumulative / this.present;
          if (j < this.cells.length) cumulative += this.cells[j]!;
        }
        currentCdf[ref.grid.length - 1] = (this.present - this.above) / this.present;
        ks = ksFromCdf(ref.gridCdf, currentCdf);
        const inside = areaBetweenCdfs(ref.grid, ref.gridCdf, currentCdf, ref.discrete ? 'step' : 'linear');
        wasserstein = (inside + (this.belowDistance + this.aboveDistance) / this.present) / ref.scale;
      }
    } else if (ref.edges.length === 1) {
      const c = ref.edges[0]!;
      labels.push(`< ${fmt(c)}`, `= ${fmt(c)}`, `> ${fmt(c)}`);
      refShares.push(0, 1, 0);
      counts.push(this.below, this.equal, this.above);
      if (this.present > 0) {
        ks = Math.max(this.below, this.above) / this.present;
        wasserstein = (this.belowDistance + this.aboveDistance) / this.present / ref.scale;
      }
    } else {
      labels.push('present');
      refShares.push(0);
      counts.push(this.present);
    }
    const histogram = withMissing(labels, refShares, counts, ref.missingRate, absent, rows);
    return {
      metrics: {
        psi: rows > 0 ? psi(histogram.reference, histogram.current, epsilon) : null,
        jensen_shannon: rows > 0 ? jensenShannonDistance(histogram.reference, histogram.current) : null,
        ks,
        wasserstein,
      },
      histogram,
      rows,
      missing: this.missing,
      invalid: this.invalid,
      below: this.below,
      above: this.above,
    };
  }
}

/** How many distinct unseen categories are tracked by name; the rest are only counted. */
export const MAX_UNSEEN_TRACKED = 1000;

/** Counts category values against a categorical reference. */
export class CategoricalCounter {
  private readonly index = new Map<string, number>();
  private readonly counts: Float64Array;
  private readonly unseen = new Map<string, number>();
  private unseenRows = 0;
  private missing = 0;

  constructor(private readonly reference: CategoricalReference) {
    reference.categories.forEach((c, i) => this.index.set(c, i));
    this.counts = new Float64Array(reference.categories.length);
  }

  /** Counts one raw value; numbers and booleans are spelled as Python's `str()` spells them. */
  add(value: unknown): void {
    if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) return void this.missing++;
    let key: string;
    if (typeof value === 'string') {
      if (MISSING_TOKENS.has(value)) return void this.missing++;
      key = value;
    } else if (typeof value === 'boolean') key = value ? 'True' : 'False';
    else if (typeof value === 'number') key = String(value);
    else key = JSON.stringify(value);
    const slot = this.index.get(key);
    if (slot !== undefined) return void this.counts[slot]!++;
    this.unseenRows++;
    const seen = this.unseen.get(key);
    if (seen !== undefined) this.unseen.set(key, seen + 1);
    else if (this.unseen.size < MAX_UNSEEN_TRACKED) this.unseen.set(key, 1);
  }

  /** The metrics and histogram: training categories, then "(unseen)" with a reference share of 0. */
  result(epsilon: number): CounterResult {
    const ref = this.reference;
    const rows = sumOf(this.counts) + this.unseenRows + this.missing;
    const histogram = withMissing([...ref.categories, '(unseen)'], [...ref.shares, 0], [...this.counts, this.unseenRows], ref.missingRate, this.missing, rows);
    const unseen = [...this.unseen.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 5)
      .map(([value, count]) => ({ value, count }));
    return {
      metrics: {
        psi: rows > 0 ? psi(histogram.reference, histogram.current, epsilon) : null,
        jensen_shannon: rows > 0 ? jensenShannonDistance(histogram.reference, histogram.current) : null,
        ks: null,
        wasserstein: null,
      },
      histogram,
      rows,
      missing: this.missing,
      invalid: 0,
      unseen,
      unseenRows: this.unseenRows,
    };
  }
}

/**
 * Counts a numeric feature with few distinct training values (see ValuesReference): the share of
 * each training value, an "(unseen)" bucket for any other number, and "(missing)". PSI and
 * Jensen–Shannon come from these shares; KS and Wasserstein from the numeric counter it feeds
 * too (a per-feature rule may still name them).
 */
export class ValuesCounter {
  private readonly index = new Map<number, number>();
  private readonly counts: Float64Array;
  private readonly unseen = new Map<number, number>();
  private unseenRows = 0;

  constructor(
    private readonly reference: ValuesReference,
    private readonly numeric: NumericCounter,
  ) {
    reference.values.forEach((v, i) => this.index.set(v, i));
    this.counts = new Float64Array(reference.values.length);
  }

  /** How many distinct values training had. */
  get distinct(): number {
    return this.reference.values.length;
  }

  /** Counts one raw value (parsed as NumericCounter parses it). */
  add(value: unknown): void {
    this.numeric.add(value);
    let x: number;
    if (typeof value === 'number') x = value;
    else if (typeof value === 'boolean') x = value ? 1 : 0;
    else if (typeof value === 'string') {
      if (value.length === 0 || MISSING_TOKENS.has(value.trim())) return;
      x = Number(value);
    } else return;
    if (!Number.isFinite(x)) return;
    const slot = this.index.get(x);
    if (slot !== undefined) return void this.counts[slot]!++;
    this.unseenRows++;
    const seen = this.unseen.get(x);
    if (seen !== undefined) this.unseen.set(x, seen + 1);
    else if (this.unseen.size < MAX_UNSEEN_TRACKED) this.unseen.set(x, 1);
  }

  /** The metrics and histogram: one bucket per training value, then "(unseen)" and "(missing)". */
  result(epsilon: number): CounterResult {
    const numeric = this.numeric.result(epsilon);
    const ref = this.reference;
    const absent = numeric.missing + numeric.invalid;
    const rows = sumOf(this.counts) + this.unseenRows + absent;
    const histogram = withMissing([...ref.values.map(fmt), '(unseen)'], [...ref.shares, 0], [...this.counts, this.unseenRows], ref.missingRate, absent, rows);
    const unseen = [...this.unseen.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, 5)
      .map(([value, count]) => ({ value: fmt(value), count }));
    return {
      ...numeric,
      metrics: {
        ...numeric.metrics,
        psi: rows > 0 ? psi(histogram.reference, histogram.current, epsilon) : null,
        jensen_shannon: rows > 0 ? jensenShannonDistance(histogram.reference, histogram.current) : null,
      },
      histogram,
      unseen,
      unseenRows: this.unseenRows,
    };
  }
}

/**
 * Shares over all rows: the present buckets scaled by (1 − missing rate), plus a "(missing)"
 * bucket when training or the batch has missing values, so a column that suddenly arrives
 * empty is drift even if its present values look like training.
 */
function withMissing(labels: string[], refShares: number[], counts: number[], refMissing: number, missing: number, rows: number): Histogram {
  const reference = refShares.map((s) => s * (1 - refMissing));
  const current = counts.map((c) => (rows > 0 ? c / rows : 0));
  if (refMissing > 0 || missing > 0) {
    labels = [...labels, '(missing)'];
    reference.push(refMissing);
    current.push(rows > 0 ? missing / rows : 0);
  }
  return { labels, reference, current };
}

function binLabel(edges: readonly number[], i: number): string {
  const last = i === edges.length - 2;
  return `[${fmt(edges[i]!)}, ${fmt(edges[i + 1]!)}${last ? ']' : ')'}`;
}

/** A short, exact-enough spelling of a bin edge. */
export function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : Number(x.toPrecision(4)).toString();
}

function sumOf(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
