// Execution history reconstructed from stored counts: order, gaps, out-of-order cells,
// ambiguity and never-run cells, on hand-made counts (including bad input).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cell } from '../../../src/core/notebook/model';
import { cellHeadRange, cellList, hasCode, reconstructHistory } from '../../../src/core/analysis/history';
import { parseNotebookText } from '../../../src/core/notebook';

/** A count, or `[count, outputCount]`, or `{md}` for a markdown cell; sources are `cN = N`. */
type Spec = number | null | [number | null, number] | { md: string } | { src: string; count: number | null };

function cells(specs: readonly Spec[]): Cell[] {
  return specs.map((spec, index): Cell => {
    if (spec !== null && typeof spec === 'object' && 'md' in spec) return { index, kind: 'markdown', source: spec.md, executionCount: null, outputCount: 0 };
    if (spec !== null && typeof spec === 'object' && 'src' in spec)
      return { index, kind: 'code', source: spec.src, executionCount: spec.count, outputCount: 0 };
    const [count, outputs] = Array.isArray(spec) ? spec : [spec, spec === null ? 0 : 1];
    return { index, kind: 'code', source: `c${index} = ${index}`, executionCount: count, outputCount: outputs };
  });
}

const outOfOrder = (specs: readonly Spec[]): number[] => reconstructHistory(cells(specs)).outOfOrder.map((c) => c.cell);

test('top to bottom: order in count order, no gaps, nothing out of order, not ambiguous', () => {
  const history = reconstructHistory(cells([1, 2, 3]));
  assert.deepEqual(history.order, [
    { cell: 0, count: 1 },
    { cell: 1, count: 2 },
    { cell: 2, count: 3 },
  ]);
  assert.deepEqual(history.gaps, []);
  assert.deepEqual(history.outOfOrder, []);
  assert.equal(history.ambiguous, false);
  assert.deepEqual(history.unexecuted, []);
});

test('no counts at all: an empty history', () => {
  const history = reconstructHistory(cells([null, null, { md: '# t' }]));
  assert.deepEqual(history, { order: [], gaps: [], outOfOrder: [], ambiguous: false, ambiguities: [], unexecuted: [] });
});

test('out of order: the complement of a longest increasing run, keeping low counts', () => {
  assert.deepEqual(outOfOrder([1, 5, 4, 3, 6]), [1, 2]);
  assert.deepEqual(outOfOrder([1, 3, 4, 2]), [3]);
  assert.deepEqual(outOfOrder([3, 1, 2]), [0]);
  assert.deepEqual(outOfOrder([4, 5, 6]), []);
  assert.deepEqual(outOfOrder([2, 1]), [0]);
});

test('each out-of-order cell says which cells it ran after and before', () => {
  const [first, second] = reconstructHistory(cells([1, 5, 4, 3, 6])).outOfOrder;
  assert.deepEqual(first, {
    cell: 1,
    count: 5,
    ranAfter: [
      { cell: 2, count: 4 },
      { cell: 3, count: 3 },
    ],
    ranAfterTotal: 2,
    ranBefore: [],
    ranBeforeTotal: 0,
  });
  assert.deepEqual(second, { cell: 2, count: 4, ranAfter: [{ cell: 3, count: 3 }], ranAfterTotal: 1, ranBefore: [{ cell: 1, count: 5 }], ranBeforeTotal: 1 });
  const [bottom] = reconstructHistory(cells([1, 3, 4, 2])).outOfOrder;
  assert.deepEqual(bottom?.ranAfter, []);
  // Nearest first.
  assert.deepEqual(
    bottom?.ranBefore.map((e) => e.cell),
    [2, 1],
  );
});

test('a reversed notebook lists at most ten related cells per out-of-order cell, with totals', () => {
  const specs = Array.from({ length: 30 }, (_, i) => 30 - i);
  const history = reconstructHistory(cells(specs));
  assert.equal(history.outOfOrder.length, 29);
  const [first] = history.outOfOrder;
  assert.equal(first?.ranAfter.length, 10);
  assert.equal(first?.ranAfterTotal, 29);
  assert.deepEqual(
    first?.ranAfter.slice(0, 2).map((e) => e.cell),
    [1, 2],
  );
});

test('gaps: missing counts with the cells around them and every possible explanation', () => {
  const history = reconstructHistory(cells([1, 2, 5, 6]));
  assert.equal(history.gaps.length, 1);
  const [gap] = history.gaps;
  assert.equal(gap?.from, 3);
  assert.equal(gap?.to, 4);
  assert.equal(gap?.afterCell, 1);
  assert.equal(gap?.beforeCell, 2);
  assert.deepEqual(gap?.explanations, ['rerun', 'deleted']);
  assert.equal(gap?.message, 'Execution counts 3–4 are missing: those runs were of cells that ran again later, of cells deleted since.');
  assert.equal(history.ambiguous, false);
});

test('a leading gap (counts start above 1) has no cell before it; cleared cells are candidates', () => {
  const history = reconstructHistory(cells([null, 4, 5]));
  const [gap] = history.gaps;
  assert.equal(gap?.from, 1);
  assert.equal(gap?.to, 3);
  assert.equal(gap?.afterCell, undefined);
  assert.deepEqual(gap?.explanations, ['rerun', 'deleted', 'cleared']);
  assert.deepEqual(gap?.clearedCandidates, [0]);
  assert.match(gap?.message ?? '', /or of cell 1, whose outputs may have been cleared\.$/);
  assert.equal(history.ambiguous, false);
});

test('duplicate counts: ambiguous (a restart), said once per duplicated count', () => {
  const history = reconstructHistory(cells([1, 2, 3, 3, 1]));
  assert.equal(history.ambiguous, true);
  assert.deepEqual(
    history.ambiguities.map((a) => [a.kind, a.cells]),
    [
      ['duplicate-counts', [0, 4]],
      ['duplicate-counts', [2, 3]],
    ],
  );
  assert.equal(
    history.ambiguities[1]?.message,
    'Cells 3 and 4 both have execution count 3: the kernel was restarted (or cells were pasted from another notebook) and only some cells were re-run, so which of them ran first is unknown.',
  );
  // Duplicates are in the order by document position, never dropped.
  assert.deepEqual(
    history.order.map((e) => e.cell),
    [0, 4, 1, 2, 3],
  );
});

test('a cell with outputs but no count: ambiguous, and not counted as never run', () => {
  const history = reconstructHistory(cells([1, [null, 2], 2]));
  assert.equal(history.ambiguous, true);
  assert.deepEqual(
    history.ambiguities.map((a) => [a.kind, a.cells, a.message]),
    [['outputs-without-count', [1], 'Cell 2 has outputs but no execution count, so when it ran is unknown.']],
  );
  assert.deepEqual(history.unexecuted, []);
});

test('low counts from 1 below high ones across a gap: a suspected restart, not a certainty', () => {
  const history = reconstructHistory(cells([12, 13, 1, 2]));
  assert.equal(history.ambiguous, true);
  assert.deepEqual(
    history.ambiguities.map((a) => [a.kind, a.cells]),
    [['restart-suspected', [0, 1, 2, 3]]],
  );
  assert.match(
    history.ambiguities[0]?.message ?? '',
    /^Cells 3 and 4 have the lowest counts \(from 1\) but stand below cells 1 and 2: either they ran first, or the kernel was restarted/,
  );
  // Without a gap, or with a low cell above a high one, there is no reason to suspect a restart.
  assert.equal(reconstructHistory(cells([3, 4, 1, 2])).ambiguous, false);
  assert.equal(reconstructHistory(cells([1, 9, 2])).ambiguous, false);
});

test('never-run cells: only code cells with code, no outputs, and executed cells below', () => {
  const specs: Spec[] = [1, null, { src: '', count: null }, { src: '# a comment\n\n   # another', count: null }, { md: 'text' }, 2, null];
  assert.deepEqual(reconstructHistory(cells(specs)).unexecuted, [1]);
});

test('markdown cells are ignored and indexes count every cell', () => {
  const history = reconstructHistory(cells([{ md: 'a' }, 2, { md: 'b' }, 1]));
  assert.deepEqual(history.order, [
    { cell: 3, count: 1 },
    { cell: 1, count: 2 },
  ]);
  assert.deepEqual(
    history.outOfOrder.map((c) => c.cell),
    [1],
  );
});

/** An .ipynb text as JupyterLab, VS Code or Colab write it, with raw `execution_count` values. */
function ipynb(counts: unknown[], metadata: Record<string, unknown>): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 4,
    metadata,
    cells: counts.map((count, i) => {
      const cell: Record<string, unknown> = { cell_type: 'code', metadata: {}, outputs: [], source: [`v${i} = ${i}`] };
      if (count !== 'missing') cell['execution_count'] = count;
      return cell;
    }),
  });
}

test('bad input from real writers: counts as strings, missing counts, Colab and VS Code metadata', () => {
  const colab = { colab: { provenance: [], name: 'x.ipynb' }, kernelspec: { name: 'python3', display_name: 'Python 3' }, accelerator: 'GPU' };
  const notebook = parseNotebookText('colab.ipynb', ipynb(['1', 'missing', '3', ' 2 ', ''], colab));
  const history = reconstructHistory(notebook.cells);
  assert.deepEqual(
    history.order.map((e) => [e.cell, e.count]),
    [
      [0, 1],
      [3, 2],
      [2, 3],
    ],
  );
  assert.deepEqual(history.unexecuted, [1]);
  assert.deepEqual(
    history.outOfOrder.map((c) => c.cell),
    [2],
  );
  const vscode = { vscode: { interpreter: { hash: 'abc' } }, language_info: { name: 'python' } };
  assert.equal(reconstructHistory(parseNotebookText('v.ipynb', ipynb([1, 2], vscode)).cells).outOfOrder.length, 0);
});

test('helpers: cell lists, code detection and the head range', () => {
  assert.equal(cellList([2]), 'cell 3');
  assert.equal(cellList([0, 1]), 'cells 1 and 2');
  assert.equal(cellList([0, 1, 2, 3, 4, 5, 6]), 'cells 1, 2, 3, 4, 5 and 2 more');
  assert.equal(hasCode('# only\n  \n'), false);
  assert.equal(hasCode('%matplotlib inline'), true);
  assert.deepEqual(cellHeadRange('# note\n\n    x = 1  \n'), { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } });
  assert.deepEqual(cellHeadRange(''), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
});
