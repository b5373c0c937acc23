/**
 * What `reference_stats` in the manifest says about one feature, turned into the structures the
 * streaming counters fill: no raw training data is needed, only what training froze.
 *
 * Numeric features: training stores bin edges that are its own quantiles (np.quantile at
 * 0, 1/K, ..., 1, de-duplicated), the share of rows in each bin (numpy histogram semantics:
 * [e_i, e_{i+1}) and the last bin closed), and the 1/5/25/50/75/95/99 % quantiles. That fixes
 * the training CDF at those points ("knots"). Between knots the reference CDF is taken as
 * linear, i.e. uniform density inside each interval. This is the one approximation behind the
 * KS statistic and the Wasserstein distance (docs/monitoring.md); PSI and Jensen–Shannon use the
 * training bins as they are and are exact.
 */
import type { z } from 'zod';
import type { distributionSchema } from '../artifacts/manifest';

/** One distribution of `reference_stats` (a feature or the predictions). */
export type Distribution = z.infer<typeof distributionSchema>;

/**
 * Cells per knot interval in which the current batch is counted. More cells locate the current
 * CDF more finely (the reference is linear inside an interval anyway); 8 keeps 50 features at
 * a few thousand counters.
 */
export const CELLS_PER_INTERVAL = 8;

/** A numeric reference, ready for counting. */
export interface NumericReference {
  kind: 'numeric';
  /** Values sit on a few points (integers, flags): no interpolation inside intervals (see buildReference). */
  discrete: boolean;
  /** Training bin edges: K + 1 values; one value for a constant feature; none when never present. */
  edges: number[];
  /** Share of the present training values in each bin (sums to 1). */
  binShares: number[];
  /** Edges of the counting cells: the knots, each interval cut into CELLS_PER_INTERVAL cells. */
  grid: Float64Array;
  /** Reference P(X < grid[j]) (0 at the first edge; linear between knots). */
  gridCdf: Float64Array;
  /** The training bin each counting cell belongs to (for PSI). */
  cellBin: Int32Array;
  /** Share of missing values in training. */
  missingRate: number;
  /** What Wasserstein distances are divided by: the training standard deviation when positive, else 1. */
  scale: number;
}

/** A categorical reference. */
export interface CategoricalReference {
  kind: 'categorical';
  /** Training categories, in the manifest's order. */
  categories: string[];
  /** Share of each category among present training values (sums to 1). */
  shares: number[];
  missingRate: number;
}

/** Either reference. */
export type Reference = NumericReference | CategoricalReference;

/**
 * A numeric feature with few distinct values (0/1 flags, small counts): training stores the
 * share of each value (`value_shares`, keys spelled as Python's `str(float)`), because its
 * quantile bin edges collapse (a 0/1 flag has one bin [0, 1] holding everything, so PSI and KS
 * could not see its share move). Such a feature is judged like a category: Jensen–Shannon over
 * the training values, an "(unseen)" bucket and "(missing)".
 */
export interface ValuesReference {
  kind: 'values';
  /** The training values, ascending. */
  values: number[];
  /** Share of each value among present training values (sums to 1). */
  shares: number[];
  missingRate: number;
}

/** The value shares of a numeric distribution, when training stored them (few distinct values); else null. */
export function valuesReference(stats: Distribution): ValuesReference | null {
  if (stats.kind !== 'numeric') return null;
  const raw = (stats as { value_shares?: unknown }).value_shares;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const pairs: Array<[number, number]> = [];
  for (const [key, share] of Object.entries(raw as Record<string, unknown>)) {
    const x = Number(key);
    if (key.trim() === '' || !Number.isFinite(x) || typeof share !== 'number' || !(share >= 0)) return null;
    pairs.push([x, share]);
  }
  if (pairs.length === 0) return null;
  pairs.sort((a, b) => a[0] - b[0]);
  return { kind: 'values', values: pairs.map((p) => p[0]), shares: normalise(pairs.map((p) => p[1])), missingRate: stats.missing_rate };
}

/**
 * Builds the counting structure of one reference distribution.
 *
 * `discrete` is for features whose values sit on a few points (integer dtypes, or bins that
 * np.unique collapsed because of ties). There, "uniform inside an interval" is false: the mass
 * of a bin sits on its left edge, and comparing an interpolated reference with the exact current
 * CDF inside an interval would report drift between identical distributions. So discrete
 * features are counted per interval only (both CDFs known exactly at the edges, both linear
 * in between) and stored quantiles are not used as knots (with ties they interpolate between
 * atoms and are not points of the CDF).
 */
export function buildReference(stats: Distribution, discrete = false): Reference {
  if (stats.kind === 'categorical') {
    const categories = Object.keys(stats.frequencies);
    return { kind: 'categorical', categories, shares: normalise(categories.map((c) => stats.frequencies[c] ?? 0)), missingRate: stats.missing_rate };
  }
  const edges = [...stats.bin_edges];
  const scale = stats.std !== null && stats.std > 0 ? stats.std : 1;
  if (edges.length < 2) {
    return {
      kind: 'numeric',
      discrete,
      edges,
      binShares: edges.length === 1 ? [1] : [],
      grid: new Float64Array(edges),
      gridCdf: new Float64Array(edges.length),
      cellBin: new Int32Array(0),
      missingRate: stats.missing_rate,
      scale,
    };
  }
  const binShares = normalise(stats.frequencies.slice(0, edges.length - 1));
  while (binShares.length < edges.length - 1) binShares.push(0);
  const knots = knotsOf(edges, binShares, discrete ? {} : stats.quantiles);
  const per = discrete ? 1 : CELLS_PER_INTERVAL;
  const cells = (knots.x.length - 1) * per;
  const grid = new Float64Array(cells + 1);
  const gridCdf = new Float64Array(cells + 1);
  const cellBin = new Int32Array(cells);
  const slopes = discrete ? null : pchipSlopes(knots.x, knots.cdf);
  let bin = 0;
  for (let k = 0; k + 1 < knots.x.length; k++) {
    const x0 = knots.x[k]!;
    const x1 = knots.x[k + 1]!;
    const f0 = knots.cdf[k]!;
    const f1 = knots.cdf[k + 1]!;
    const h = x1 - x0;
    while (bin + 1 < edges.length - 1 && x0 >= edges[bin + 1]!) bin++;
    for (let s = 0; s < per; s++) {
      const t = s / per;
      const j = k * per + s;
      grid[j] = x0 + h * t;
      if (slopes === null) gridCdf[j] = f0;
      else {
        // Cubic Hermite basis on [x0, x1] with the monotone slopes.
        const t2 = t * t;
        const t3 = t2 * t;
        const value = (2 * t3 - 3 * t2 + 1) * f0 + (t3 - 2 * t2 + t) * h * slopes[k]! + (-2 * t3 + 3 * t2) * f1 + (t3 - t2) * h * slopes[k + 1]!;
        gridCdf[j] = Math.min(f1, Math.max(f0, value));
      }
      cellBin[j] = bin;
    }
  }
  grid[cells] = edges[edges.length - 1]!;
  gridCdf[cells] = 1;
  return { kind: 'numeric', discrete, edges, binShares, grid, gridCdf, cellBin, missingRate: stats.missing_rate, scale };
}

/**
 * Knots of the reference CDF: every bin edge with the cumulative share below it, plus each
 * stored quantile that falls strictly inside a bin with a level strictly between that bin's
 * cumulative shares (ties at an edge would otherwise contradict the histogram).
 */
function knotsOf(edges: number[], shares: number[], quantiles: Record<string, number | null>): { x: number[]; cdf: number[] } {
  const cdfAtEdge = [0];
  for (const share of shares) cdfAtEdge.push(Math.min(1, cdfAtEdge[cdfAtEdge.length - 1]! + share));
  cdfAtEdge[cdfAtEdge.length - 1] = 1;
  const inside: Array<{ x: number; p: number }> = [];
  for (const [key, value] of Object.entries(quantiles)) {
    const p = Number(key);
    if (value === null || !Number.isFinite(p) || !Number.isFinite(value)) continue;
    const bin = binOf(edges, value);
    if (bin < 0 || value === edges[bin]) continue;
    if (p > cdfAtEdge[bin]! && p < cdfAtEdge[bin + 1]!) inside.push({ x: value, p });
  }
  const x: number[] = [];
  const cdf: number[] = [];
  const points = [...edges.map((e, i) => ({ x: e, p: cdfAtEdge[i]! })), ...inside].sort((a, b) => a.x - b.x || a.p - b.p);
  for (const point of points) {
    if (x.length > 0 && point.x === x[x.length - 1]) continue;
    // Quantiles and bins come from the same training rows, so they agree; the clamp only guards
    // against rounding in the stored JSON.
    x.push(point.x);
    cdf.push(Math.max(point.p, cdf.length > 0 ? cdf[cdf.length - 1]! : 0));
  }
  return { x, cdf };
}

/**
 * Fritsch–Carlson slopes of the monotone cubic (PCHIP) through the knots: zero where the CDF is
 * flat on either side, else a weighted harmonic mean of the neighbouring secants. A monotone
 * cubic follows a smooth density's curvature inside a bin (the tails above all), where a
 * straight line would assume a uniform density; it never leaves [F_k, F_k+1].
 */
function pchipSlopes(x: readonly number[], f: readonly number[]): number[] {
  const n = x.length;
  const secant = (k: number): number => (f[k + 1]! - f[k]!) / (x[k + 1]! - x[k]!);
  const slopes = new Array<number>(n).fill(0);
  if (n < 2) return slopes;
  slopes[0] = secant(0);
  slopes[n - 1] = secant(n - 2);
  for (let k = 1; k + 1 < n; k++) {
    const a = secant(k - 1);
    const b = secant(k);
    if (a <= 0 || b <= 0) continue;
    const h0 = x[k]! - x[k - 1]!;
    const h1 = x[k + 1]! - x[k]!;
    const w1 = 2 * h1 + h0;
    const w2 = h1 + 2 * h0;
    slopes[k] = (w1 + w2) / (w1 / a + w2 / b);
  }
  return slopes;
}

/** The interval [edges[i], edges[i+1]) holding x (the last one closed), or -1 outside. */
export function binOf(edges: ArrayLike<number>, x: number): number {
  const last = edges.length - 1;
  if (last < 1 || !(x >= edges[0]!) || x > edges[last]!) return -1;
  if (x === edges[last]) return last - 1;
  let lo = 0;
  let hi = last - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Shares that sum to 1 (all zeros stay zeros). */
export function normalise(values: readonly number[]): number[] {
  let total = 0;
  for (const v of values) total += v;
  return total > 0 ? values.map((v) => v / total) : values.map(() => 0);
}
