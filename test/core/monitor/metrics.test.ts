// Hand-computed drift metrics: every expected value is worked out in the comment next to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CategoricalCounter, NumericCounter } from '../../../src/core/monitor/counters';
import { jensenShannonDistance, psi } from '../../../src/core/monitor/divergence';
import { binOf, buildReference, type CategoricalReference, type NumericReference } from '../../../src/core/monitor/reference';

const close = (actual: number | null, expected: number, tolerance = 1e-12): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${actual} vs ${expected}`);
};

test('PSI by hand', () => {
  // (0.25 − 0.5)·ln(0.5) + (0.75 − 0.5)·ln(1.5) = 0.173287 + 0.101366
  close(psi([0.5, 0.5], [0.25, 0.75]), 0.2746530721670274);
  // An empty reference bin is floored at ε = 1e-4: (0.99 − 1)·ln(0.99) + (0.01 − 1e-4)·ln(0.01 / 1e-4)
  close(psi([1, 0], [0.99, 0.01]), 0.04569168819981713);
  // A bin empty on both sides adds nothing; identical vectors give 0.
  close(psi([0.5, 0.5, 0], [0.5, 0.5, 0]), 0);
  assert.throws(() => psi([1], [0.5, 0.5]));
});

test('Jensen–Shannon distance by hand (base 2)', () => {
  // m = (0.375, 0.625); KL(p‖m) = 0.0465545, KL(q‖m) = 0.0510350; sqrt of their mean.
  close(jensenShannonDistance([0.5, 0.5], [0.25, 0.75]), 0.22089576884901735);
  // Disjoint supports give the maximum, 1; unnormalised inputs are normalised first.
  close(jensenShannonDistance([1, 0], [0, 1]), 1);
  close(jensenShannonDistance([2, 2], [1, 3]), 0.22089576884901735);
});

function numeric(
  edges: number[],
  frequencies: number[],
  extra: Partial<{ std: number; missing_rate: number; quantiles: Record<string, number> }> = {},
): NumericReference {
  return buildReference(
    {
      kind: 'numeric',
      bin_edges: edges,
      frequencies,
      quantiles: extra.quantiles ?? {},
      mean: null,
      std: extra.std ?? 1,
      missing_rate: extra.missing_rate ?? 0,
    },
    false,
  ) as NumericReference;
}

test('numeric counter: bins, tails, KS and Wasserstein against a uniform reference, by hand', () => {
  // Reference: uniform on [0, 2] (two equal bins). Batch: −1, 0.5, 1.5, 2.5.
  const counter = new NumericCounter(numeric([0, 1, 2], [0.5, 0.5]));
  for (const v of ['-1', 0.5, '1.5', 2.5]) counter.add(v);
  const result = counter.result(1e-4);
  // Out-of-range values fall into the outer bins for PSI: (0.5, 0.5) vs (0.5, 0.5).
  assert.deepEqual(result.histogram.current, [0.5, 0.5]);
  close(result.metrics.psi, 0);
  assert.equal(result.below, 1);
  assert.equal(result.above, 1);
  // KS: at 0⁻ the batch has 0.25 and the reference 0; at 1.5⁻ 0.5 vs 0.75; at 2 0.75 vs 1.
  close(result.metrics.ks, 0.25);
  // W1 = 0.25 (−1..0) + 0.0625 (0..0.5) + 0.125 (0.5..1.5) + 0.0625 (1.5..2) + 0.125 (2..2.5) = 0.625;
  // the two steps inside [0, 2] are smeared over one counting cell each, and the errors cancel.
  close(result.metrics.wasserstein, 0.625, 0.02);
});

test('numeric counter: missing and unparsable values, and a missing bucket in PSI', () => {
  const counter = new NumericCounter(numeric([0, 1, 2], [0.5, 0.5], { missing_rate: 0.5 }));
  for (const v of ['', 'NA', null, 'abc', 0.5, 1.5]) counter.add(v);
  const result = counter.result(1e-4);
  assert.equal(result.rows, 6);
  assert.equal(result.missing, 3);
  assert.equal(result.invalid, 1);
  assert.deepEqual(result.histogram.labels, ['[0, 1)', '[1, 2]', '(missing)']);
  // Reference (0.25, 0.25, 0.5); batch (1/6, 1/6, 4/6): invalid values count as missing.
  assert.deepEqual(result.histogram.reference, [0.25, 0.25, 0.5]);
  close(result.histogram.current[2]!, 4 / 6);
});

test('numeric counter: a constant training feature', () => {
  const counter = new NumericCounter(numeric([3], [1], { std: 0 }));
  for (const v of [3, 3, 4, 1]) counter.add(v);
  const result = counter.result(1e-4);
  assert.deepEqual(result.histogram.current, [0.25, 0.5, 0.25]);
  close(result.metrics.ks, 0.25);
  // Std 0: distances are not normalised. (|1 − 3| + |4 − 3|) / 4 = 0.75.
  close(result.metrics.wasserstein, 0.75);
});

test('discrete reference: identical integer distributions give KS and Wasserstein 0', () => {
  // Values 0, 1, 2 with shares 0.2, 0.5, 0.3: np.quantile edges collapse to [0, 1, 2].
  const reference = buildReference(
    { kind: 'numeric', bin_edges: [0, 1, 2], frequencies: [0.2, 0.8], quantiles: { '0.5': 1 }, mean: 1.1, std: 0.7, missing_rate: 0 },
    true,
  ) as NumericReference;
  const counter = new NumericCounter(reference);
  for (let i = 0; i < 10; i++) counter.add(i < 2 ? 0 : i < 7 ? 1 : 2);
  const result = counter.result(1e-4);
  close(result.metrics.ks, 0);
  close(result.metrics.wasserstein, 0);
  close(result.metrics.psi, 0);
});

test('categorical counter: unseen and missing buckets, by hand', () => {
  const reference = buildReference({ kind: 'categorical', frequencies: { a: 0.5, b: 0.5 }, missing_rate: 0 }) as CategoricalReference;
  const counter = new CategoricalCounter(reference);
  for (const v of ['a', 'a', 'c', null]) counter.add(v);
  const result = counter.result(1e-4);
  assert.deepEqual(result.histogram.labels, ['a', 'b', '(unseen)', '(missing)']);
  assert.deepEqual(result.histogram.reference, [0.5, 0.5, 0, 0]);
  assert.deepEqual(result.histogram.current, [0.5, 0, 0.25, 0.25]);
  // m = (0.5, 0.25, 0.125, 0.125); KL(p‖m) = 0.5·log2(2) = 0.5, KL(q‖m) = 2·0.25·log2(2) = 0.5; sqrt(0.5).
  close(result.metrics.jensen_shannon, Math.SQRT1_2);
  // (1e-4 − 0.5)·ln(1e-4 / 0.5) + 2·(0.25 − 1e-4)·ln(0.25 / 1e-4)
  close(result.metrics.psi, 8.168203072614952, 1e-9);
  assert.deepEqual(result.unseen, [{ value: 'c', count: 1 }]);
});

test('categorical counter: numbers and booleans are spelled like Python str()', () => {
  const reference = buildReference({ kind: 'categorical', frequencies: { '1': 0.5, True: 0.5 }, missing_rate: 0 }) as CategoricalReference;
  const counter = new CategoricalCounter(reference);
  for (const v of [1, true, '1', 'True']) counter.add(v);
  assert.equal(counter.result(1e-4).unseenRows, 0);
});

test('binOf follows numpy.histogram: [e_i, e_i+1), the last bin closed', () => {
  const edges = [0, 1, 2, 3];
  assert.deepEqual(
    [-0.1, 0, 0.5, 1, 2.999, 3, 3.1].map((x) => binOf(edges, x)),
    [-1, 0, 0, 1, 2, 2, -1],
  );
});

test('quantile knots refine the reference CDF inside a bin', () => {
  // One bin [0, 10] with the 1% quantile at 9: the CDF is 0.01 at 9, not 0.9 as a straight line says.
  const reference = numeric([0, 10], [1], { quantiles: { '0.01': 9 } });
  const at9 = Array.from(reference.grid).indexOf(9);
  assert.ok(at9 > 0);
  close(reference.gridCdf[at9]!, 0.01);
});
