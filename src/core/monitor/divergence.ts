/**
 * Distances between a reference distribution and a current one, on proportions that the
 * callers have already binned (training bins, categories). Pure arithmetic, no I/O, so the
 * hand-computed and numpy/scipy reference tests exercise exactly what `drift` runs.
 */

/**
 * Floor for empty bins in PSI. PSI = Σ (c − r)·ln(c / r) is infinite when one side of a bin is
 * empty, so both proportions are raised to at least this value before the sum and the vectors
 * are NOT renormalised (the same choice as Evidently's `psi`, so numbers are comparable). A bin
 * empty on both sides contributes exactly 0. With 1e-4, a bin that training never populated and
 * that now holds 1% of the rows contributes (0.01 − 0.0001)·ln(100) ≈ 0.046.
 */
export const PSI_EPSILON = 1e-4;

/** Population stability index of two proportion vectors of the same length. */
export function psi(reference: readonly number[], current: readonly number[], epsilon = PSI_EPSILON): number {
  if (reference.length !== current.length) throw new Error(`psi: ${reference.length} reference bins but ${current.length} current bins`);
  let total = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max(reference[i]!, epsilon);
    const c = Math.max(current[i]!, epsilon);
    total += (c - r) * Math.log(c / r);
  }
  return total;
}

/**
 * Jensen–Shannon distance (the square root of the divergence) with base-2 logarithms, so it lies
 * in [0, 1]; inputs are normalised first, as scipy.spatial.distance.jensenshannon does. Zero
 * proportions need no epsilon: 0·log 0 is taken as 0 and the mixture is never 0 where p or q is
 * not, which is why categories unseen in training can keep a reference proportion of exactly 0.
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  if (p.length !== q.length) throw new Error(`jensenShannonDistance: lengths ${p.length} and ${q.length}`);
  const sp = sum(p);
  const sq = sum(q);
  if (sp <= 0 || sq <= 0) return sp === sq ? 0 : 1;
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]! / sp;
    const b = q[i]! / sq;
    const m = (a + b) / 2;
    if (a > 0) divergence += 0.5 * a * Math.log2(a / m);
    if (b > 0) divergence += 0.5 * b * Math.log2(b / m);
  }
  return Math.sqrt(Math.max(0, divergence));
}

/**
 * Kolmogorov–Smirnov statistic from two CDFs known at the same points: max |F_ref − F_cur|.
 * Both arrays must hold the same kind of value at each point (here: left limits P(X < x)).
 */
export function ksFromCdf(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < reference.length; i++) worst = Math.max(worst, Math.abs(reference[i]! - current[i]!));
  return worst;
}

/**
 * ∫ |F_ref − F_cur| dx over a grid where both CDFs are known at the grid points.
 *  - `linear`: both CDFs are taken as linear between points (the reference is linear there by
 *    construction; the current CDF is only known at the points). Where the difference changes
 *    sign inside a cell, the two triangles are integrated separately.
 *  - `step`: all mass of a cell sits on its left point, so each CDF is constant over the cell at
 *    its value at the cell's right point (for discrete values: integers, flags).
 */
export function areaBetweenCdfs(grid: ArrayLike<number>, reference: ArrayLike<number>, current: ArrayLike<number>, mode: 'linear' | 'step' = 'linear'): number {
  let area = 0;
  for (let j = 0; j + 1 < grid.length; j++) {
    const width = grid[j + 1]! - grid[j]!;
    if (!(width > 0)) continue;
    const d1 = current[j + 1]! - reference[j + 1]!;
    if (mode === 'step') {
      area += width * Math.abs(d1);
      continue;
    }
    const d0 = current[j]! - reference[j]!;
    const a0 = Math.abs(d0);
    const a1 = Math.abs(d1);
    if (d0 * d1 >= 0) area += (width * (a0 + a1)) / 2;
    else area += (width * (a0 * a0 + a1 * a1)) / (2 * (a0 + a1));
  }
  return area;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
