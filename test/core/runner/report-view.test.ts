// What the prediction panel shows of a large report: counts over every row, the first rows, and the later rows with findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RowResult } from '../../../src/core/runner/predict';
import { reportView } from '../../../src/core/runner/report-view';

function rows(n: number, status: (i: number) => RowResult['status']): RowResult[] {
  return Array.from({ length: n }, (_, i) => ({ row: i, status: status(i), issues: [] }));
}

test('a small report is shown whole', () => {
  const view = reportView(rows(3, (i) => (i === 1 ? 'rejected' : 'ok')));
  assert.deepEqual(view.counts, { rows: 3, predicted: 2, rejected: 1, warned: 0 });
  assert.deepEqual(
    view.rows.map((r) => r.row),
    [0, 1, 2],
  );
  assert.equal(view.first, 3);
  assert.equal(view.hidden, 0);
});

test('a large report: the first rows, then the later rows with findings, counted over every row', () => {
  const status = (i: number): RowResult['status'] => (i % 1000 === 7 ? 'rejected' : i % 5000 === 9 ? 'warning' : 'ok');
  const view = reportView(rows(200_000, status), 100);
  assert.deepEqual(view.counts, { rows: 200_000, predicted: 199_800, rejected: 200, warned: 40 });
  assert.equal(view.first, 100);
  assert.deepEqual(
    view.rows.slice(0, 100).map((r) => r.row),
    Array.from({ length: 100 }, (_, i) => i),
  );
  const later = view.rows.slice(100);
  assert.equal(later.length, 100, 'at most as many later rows as the limit');
  assert.ok(later.every((r) => r.status !== 'ok' && r.row >= 100));
  assert.deepEqual(
    later.slice(0, 3).map((r) => r.row),
    [1007, 2007, 3007],
  );
  assert.deepEqual(
    later.map((r) => r.row),
    [...later.map((r) => r.row)].sort((a, b) => a - b),
    'in row order',
  );
  assert.equal(view.hidden, 200_000 - 200);
});
