import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cellToFile, NotebookError, parseIpynb, positionAt } from '../../../src/core/notebook';
import type { Notebook } from '../../../src/core/notebook';

/** The repository root, found from the compiled file's location wherever the build went. */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}
const fixture = (name: string): string => readFileSync(join(repoRoot(), 'test/fixtures/notebook', name), 'utf8');

/** A minimal notebook with the given cells, as JSON text. */
function notebookText(cells: unknown[], extra: Record<string, unknown> = {}, indent?: number): string {
  return JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5, ...extra }, null, indent);
}

function errorOf(text: string, path = 'nb.ipynb'): string {
  try {
    parseIpynb(path, text);
  } catch (error) {
    assert.ok(error instanceof NotebookError, `expected a NotebookError, got ${String(error)}`);
    assert.ok(!error.message.includes('\n'), 'the message must be one line');
    return error.message;
  }
  assert.fail('expected an error');
}

/**
 * For every character of every cell, the file text at the position cellToFile gives must be
 * that character as JSON writes it: this proves lines AND columns, escapes included.
 */
function assertOriginsExact(notebook: Notebook, text: string): void {
  const fileLines = text.split('\n');
  for (const cell of notebook.cells) {
    for (let offset = 0; offset < cell.source.length; offset++) {
      const at = cellToFile(cell, positionAt(cell.source, offset));
      assert.ok(at, `cell ${cell.index} offset ${offset} has no file position`);
      const onDisk = fileLines[at.line]?.slice(at.character) ?? '';
      const ch = cell.source[offset] ?? '';
      const forms = [JSON.stringify(ch).slice(1, -1), `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`, ch === '/' ? '\\/' : ch];
      assert.ok(
        forms.some((form) => onDisk.startsWith(form)),
        `cell ${cell.index} offset ${offset} (${JSON.stringify(ch)}) maps to ${at.line}:${at.character} = ${JSON.stringify(onDisk.slice(0, 8))}`,
      );
    }
  }
}

test('a pretty-printed nbformat 4.5 notebook (indent 1, as Jupyter writes)', () => {
  const text = fixture('pretty.ipynb');
  const nb = parseIpynb('pretty.ipynb', text);
  assert.equal(nb.format, 'ipynb');
  assert.equal(nb.nbformatVersion, '4.5');
  assert.equal(nb.language, 'python');
  assert.deepEqual(
    nb.cells.map((c) => [c.index, c.kind, c.id, c.executionCount, c.outputCount, c.executionSuccess]),
    [
      [0, 'markdown', 'a1', null, 0, undefined],
      [1, 'code', 'b2', 2, 2, true],
      [2, 'code', 'c3', 1, 2, false],
      [3, 'code', 'd4', null, 0, undefined],
      [4, 'raw', 'e5', null, 0, undefined],
    ],
  );
  assert.equal(nb.cells[1]?.source, 'import pandas as pd\ns = "a\\tb"  # é\nx = 1');
  assert.equal(nb.cells[2]?.source, 'print(y)\nz = 2');
  assert.equal(nb.cells[3]?.source, '');

  assert.deepEqual(nb.cells[0]?.origin?.lineMap, [7, 8]);
  assert.deepEqual(nb.cells[1]?.origin?.lineMap, [41, 42, 43]);
  assert.equal(nb.cells[1]?.origin?.firstLine, 41);
  assert.deepEqual(nb.cells[1]?.origin?.segments, [
    { offset: 0, line: 41, character: 5 },
    { offset: 20, line: 42, character: 5 },
    { offset: 36, line: 43, character: 5 },
  ]);
  // A single string: every cell line is on the string's file line.
  assert.deepEqual(nb.cells[2]?.origin?.lineMap, [68, 68]);
  assert.deepEqual(nb.cells[3]?.origin, { firstLine: 76, lineMap: [76], segments: [] });
  assert.deepEqual(nb.cells[4]?.origin?.lineMap, [83]);

  // `a` in `s = "a\tb"`: after `s = \"` on disk, column 5 + 6.
  assert.deepEqual(cellToFile(nb.cells[1]!, { line: 1, character: 5 }), { line: 42, character: 11 });
  // `z` on the second line of the single string: after `print(y)\n` (10 units written).
  assert.deepEqual(cellToFile(nb.cells[2]!, { line: 1, character: 0 }), { line: 68, character: 24 });
  assertOriginsExact(nb, text);
});

test('a notebook saved with CRLF line breaks maps to the same lines', () => {
  const text = fixture('pretty.ipynb').replace(/\n/g, '\r\n');
  const nb = parseIpynb('crlf.ipynb', text);
  assert.deepEqual(
    nb.cells.map((c) => c.origin?.lineMap),
    [[7, 8], [41, 42, 43], [68, 68], [76], [83]],
  );
  assert.deepEqual(cellToFile(nb.cells[1]!, { line: 1, character: 5 }), { line: 42, character: 11 });
});

test('a compact one-line notebook maps every line to file line 0 with exact columns', () => {
  const text = notebookText([
    { cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source: ['a = "\\"x\\""\n', 'b = 2\t# \u00e9 \ud83d\ude00\n', 'c'] },
    { cell_type: 'code', execution_count: 2, metadata: {}, outputs: [], source: 'd = 1\ne = "\\\\"' },
  ]);
  const nb = parseIpynb('c.ipynb', text);
  assert.deepEqual(nb.cells[0]?.origin?.lineMap, [0, 0, 0]);
  assert.deepEqual(nb.cells[1]?.origin?.lineMap, [0, 0]);
  assertOriginsExact(nb, text);
});

test('columns stay exact when the writer escaped differently (\\u00e9, \\/)', () => {
  const text =
    '{"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],\n' +
    '  "source": ["x = \'\\u00e9\\/\' + y\\n", "z"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 2}';
  const nb = parseIpynb('w.ipynb', text);
  assert.equal(nb.cells[0]?.source, "x = 'é/' + y\nz");
  assert.equal(nb.cells[0]?.origin?.segments?.[0]?.raw, '"x = \'\\u00e9\\/\' + y\\n"');
  // `y` is after the 17 raw units of `x = '\u00e9\/' + ` (5 + 6 + 2 + 4); the content starts at column 14.
  assert.deepEqual(cellToFile(nb.cells[0]!, { line: 0, character: 11 }), { line: 1, character: 14 + 17 });
  assertOriginsExact(nb, text);
});

test('nbformat 4.0 without ids, metadata or execution counts', () => {
  const text = JSON.stringify({
    nbformat: 4,
    nbformat_minor: 0,
    metadata: { language_info: { name: 'R' } },
    cells: [
      { cell_type: 'code', source: 'x <- 1', outputs: [] },
      { cell_type: 'markdown', source: [] },
    ],
  });
  const nb = parseIpynb('r.ipynb', text);
  assert.equal(nb.nbformatVersion, '4.0');
  assert.equal(nb.language, 'r');
  assert.equal(nb.cells[0]?.executionCount, null);
  assert.equal(nb.cells[0]?.id, undefined);
  assert.equal(nb.cells[1]?.source, '');
});

test('kernelspec.language wins over language_info.name', () => {
  const nb = parseIpynb(
    'j.ipynb',
    notebookText([], { metadata: { kernelspec: { name: 'j', display_name: 'J', language: 'Julia' }, language_info: { name: 'python' } } }),
  );
  assert.equal(nb.language, 'julia');
});

test('the kernelspec name, display name, language and language version are kept; absent metadata gives no kernel', () => {
  const py2 = parseIpynb(
    'old.ipynb',
    notebookText([], {
      metadata: { kernelspec: { name: 'python2', display_name: 'Python 2', language: 'python' }, language_info: { name: 'python', version: '2.7.12' } },
    }),
  );
  assert.deepEqual(py2.kernel, { name: 'python2', displayName: 'Python 2', language: 'python', languageVersion: '2.7.12' });
  const codemirror = parseIpynb(
    'cm.ipynb',
    notebookText([], { metadata: { language_info: { name: 'python', codemirror_mode: { name: 'ipython', version: 2 } } } }),
  );
  assert.deepEqual(codemirror.kernel, { language: 'python', languageVersion: '2' });
  assert.equal(parseIpynb('bare.ipynb', notebookText([])).kernel, undefined);
});

test('extra metadata from JupyterLab, VS Code and Colab is accepted', () => {
  const nb = parseIpynb(
    'colab.ipynb',
    notebookText(
      [
        {
          cell_type: 'code',
          execution_count: 1,
          metadata: { colab: { base_uri: 'https://x' }, id: 'xyz', outputId: 'o' },
          outputs: [{ output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '1' }, metadata: { tags: [] } }],
          source: '1',
        },
      ],
      { metadata: { colab: { provenance: [] }, vscode: { interpreter: { hash: 'abc' } }, accelerator: 'GPU' } },
    ),
  );
  assert.equal(nb.cells[0]?.outputCount, 1);
});

test('execution counts stored as strings are coerced; empty strings mean never run', () => {
  const nb = parseIpynb(
    's.ipynb',
    notebookText([
      { cell_type: 'code', execution_count: '3', metadata: {}, outputs: [], source: 'a' },
      { cell_type: 'code', execution_count: '', metadata: {}, outputs: [], source: 'b' },
    ]),
  );
  assert.deepEqual(
    nb.cells.map((c) => c.executionCount),
    [3, null],
  );
  assert.equal(
    errorOf(notebookText([{ cell_type: 'code', execution_count: 'three', metadata: {}, outputs: [], source: 'a' }])),
    'nb.ipynb: expected integer or null at cells[0].execution_count',
  );
});

test('nbformat 3 and 5 are refused with a clear message', () => {
  assert.equal(
    errorOf(JSON.stringify({ nbformat: 3, nbformat_minor: 0, worksheets: [], metadata: {} }), 'old.ipynb'),
    'old.ipynb: nbformat 3 is not supported, only nbformat 4 is (convert it with `jupyter nbconvert --to notebook --nbformat 4`)',
  );
  assert.equal(errorOf(notebookText([], { nbformat: 5 })), 'nb.ipynb: nbformat 5 is not supported, only nbformat 4 is');
  assert.equal(errorOf('{"cells": []}'), 'nb.ipynb: not a Jupyter notebook: it has no "nbformat" version');
  assert.equal(errorOf('{"nbformat": "4", "cells": []}'), 'nb.ipynb: not a Jupyter notebook: its "nbformat" is "4", not a version number');
  assert.equal(errorOf('[1, 2]'), 'nb.ipynb: expected a notebook object at (root)');
});

test('malformed JSON is reported with a 1-based line:column', () => {
  const truncated = notebookText([{ cell_type: 'code', source: 'x', metadata: {}, outputs: [], execution_count: null }], {}, 1).slice(0, 40);
  assert.equal(errorOf(truncated), 'nb.ipynb: invalid JSON: unexpected end of file (expected "}") at 4:23');
  assert.equal(errorOf('{\n "cells": [],\n "nbformat" 4\n}'), 'nb.ipynb: invalid JSON: expected ":" at 3:13');
  assert.equal(errorOf('{"cells": [1,]}'), 'nb.ipynb: invalid JSON: expected a value at 1:14');
  assert.equal(errorOf('\n\n<!DOCTYPE html>\n<html lang="en">'), 'nb.ipynb: not a notebook: the file is an HTML page (a web page saved under a .ipynb name)');
  assert.equal(errorOf('  \n'), 'nb.ipynb: empty file, expected a notebook');
});

test('schema violations name the JSON path', () => {
  const cell = { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: 'x' };
  const cases: Array<[unknown[], string]> = [
    [[cell, cell, cell, { ...cell, source: 42 }], 'expected string or array of strings at cells[3].source'],
    [[{ ...cell, source: ['a', 2] }], 'expected string or array of strings at cells[0].source'],
    [[{ ...cell, cell_type: 'heading' }], 'expected one of "code", "markdown", "raw" at cells[0].cell_type'],
    [[{ ...cell, outputs: [{ output_type: 'stream', name: 'stdout' }] }], 'expected string or array of strings at cells[0].outputs[0].text'],
    [[{ ...cell, outputs: [{ output_type: 'stream', name: 'out', text: '' }] }], 'expected one of "stdout", "stderr" at cells[0].outputs[0].name'],
    [
      [{ ...cell, outputs: [{ output_type: 'error', ename: 'E', evalue: 'v', traceback: 'no' }] }],
      'expected array, got string at cells[0].outputs[0].traceback',
    ],
    [
      [{ ...cell, outputs: [{ output_type: 'pyout' }] }],
      'expected one of "execute_result", "display_data", "stream", "error" at cells[0].outputs[0].output_type',
    ],
    [[{ ...cell, metadata: [] }], 'expected an object at cells[0].metadata'],
    [[{ ...cell, id: 7 }], 'expected string, got number at cells[0].id'],
    [[{ cell_type: 'markdown', metadata: {} }], 'expected string or array of strings at cells[0].source'],
  ];
  for (const [cells, problem] of cases) assert.equal(errorOf(notebookText(cells)), `nb.ipynb: ${problem}`);
  assert.equal(errorOf(JSON.stringify({ nbformat: 4, nbformat_minor: 4, metadata: {} })), 'nb.ipynb: missing required property (expected array) at cells');
});

test('a 50 MB notebook full of outputs loads with correct origins', () => {
  const image = 'iVBORw0KGgo'.repeat(100_000); // 1.1 MB of base64 per output
  const cells = Array.from({ length: 50 }, (_, i) => ({
    cell_type: 'code',
    execution_count: i + 1,
    metadata: {},
    outputs: [
      { output_type: 'display_data', data: { 'image/png': image, 'text/plain': ['<Figure "x">'] }, metadata: {} },
      { output_type: 'stream', name: 'stdout', text: ['"source": ["fake"]\n'] },
    ],
    source: [`x${i} = ${i}\n`, `print(x${i})`],
  }));
  const text = notebookText(cells, {}, 1);
  assert.ok(text.length > 50_000_000);
  const nb = parseIpynb('big.ipynb', text);
  assert.equal(nb.cells.length, 50);
  const lines = text.split('\n');
  for (const cell of nb.cells) {
    const [l0, l1] = cell.origin?.lineMap ?? [];
    assert.equal(lines[l0 ?? -1], `    "x${cell.index} = ${cell.index}\\n",`);
    assert.equal(lines[l1 ?? -1], `    "print(x${cell.index})"`);
  }
});
