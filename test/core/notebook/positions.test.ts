import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellToFile, escapedLength, lineStarts, offsetAt, positionAt } from '../../../src/core/notebook';
import type { Cell } from '../../../src/core/notebook';

test('offsetAt and positionAt round-trip over \\n, \\r\\n and \\r', () => {
  const source = 'ab\r\ncd\nef\rg😀h';
  assert.deepEqual(lineStarts(source), [0, 4, 7, 10]);
  const expected: Array<[number, number, number]> = [
    [0, 0, 0],
    [2, 0, 2],
    [4, 1, 0],
    [6, 1, 2],
    [7, 2, 0],
    [9, 2, 2],
    [10, 3, 0],
    [11, 3, 1],
    [13, 3, 3],
    [14, 3, 4],
  ];
  for (const [offset, line, character] of expected) {
    assert.deepEqual(positionAt(source, offset), { line, character }, `offset ${offset}`);
    assert.equal(offsetAt(source, { line, character }), offset, `${line}:${character}`);
  }
  // Between \r and \n is the end of the line; out-of-range values clamp.
  assert.deepEqual(positionAt(source, 3), { line: 0, character: 2 });
  assert.deepEqual(positionAt(source, 99), { line: 3, character: 4 });
  assert.deepEqual(positionAt(source, -5), { line: 0, character: 0 });
  assert.equal(offsetAt(source, { line: 0, character: 50 }), 2);
  assert.equal(offsetAt(source, { line: 9, character: 0 }), source.length);
  assert.equal(offsetAt('', { line: 0, character: 0 }), 0);
});

test('escapedLength counts JSON escapes as Jupyter writes them', () => {
  assert.equal(escapedLength('a"b\\c'), 7);
  assert.equal(escapedLength('\n\t\r\b\f'), 10);
  assert.equal(escapedLength('\u0001'), 6);
  assert.equal(escapedLength('é😀'), 3);
  assert.equal(escapedLength('\ud800x'), 7);
  // A pair cut by the end of the range still counts as written on disk.
  assert.equal(escapedLength('😀', 0, 1), 1);
});

const cell = (source: string, origin?: Cell['origin']): Cell => ({
  index: 0,
  kind: 'code',
  source,
  executionCount: null,
  outputCount: 0,
  ...(origin ? { origin } : {}),
});

test('cellToFile for scripts, live cells and out-of-range lines', () => {
  assert.equal(cellToFile(cell('x'), { line: 0, character: 0 }), undefined);
  const py = cell('a = 1\nbb', { firstLine: 10 });
  assert.deepEqual(cellToFile(py, { line: 1, character: 1 }), { line: 11, character: 1 });
  assert.deepEqual(cellToFile(py, { line: 1, character: 9 }), { line: 11, character: 2 });
  assert.equal(cellToFile(py, { line: 2, character: 0 }), undefined);
});

test('cellToFile for ipynb segments, lines split across literals and empty sources', () => {
  // Source literals ["a = \"x\"\n", "b"] at file lines 3 and 4, content at column 5.
  const nb = cell('a = "x"\nb', {
    firstLine: 3,
    lineMap: [3, 4],
    segments: [
      { offset: 0, line: 3, character: 5 },
      { offset: 8, line: 4, character: 5 },
    ],
  });
  assert.deepEqual(cellToFile(nb, { line: 0, character: 5 }), { line: 3, character: 11 });
  assert.deepEqual(cellToFile(nb, { line: 0, character: 7 }), { line: 3, character: 14 });
  assert.deepEqual(cellToFile(nb, { line: 1, character: 1 }), { line: 4, character: 6 });
  // One line written as two literals ["ab", "cd"]: `d` is in the second.
  const split = cell('abcd', {
    firstLine: 2,
    lineMap: [2],
    segments: [
      { offset: 0, line: 2, character: 4 },
      { offset: 2, line: 3, character: 4 },
    ],
  });
  assert.deepEqual(cellToFile(split, { line: 0, character: 3 }), { line: 3, character: 5 });
  assert.deepEqual(cellToFile(cell('', { firstLine: 7, lineMap: [7], segments: [] }), { line: 0, character: 0 }), { line: 7, character: 0 });
});
