import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cellToFile, isPercentFormat, parsePyNotebook } from '../../../src/core/notebook';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

test('percent format: preamble, titled, markdown and plain cells with their origins', () => {
  const text = readFileSync(join(repoRoot(), 'test/fixtures/notebook/percent.py'), 'utf8');
  const nb = parsePyNotebook('percent.py', text);
  assert.equal(nb.format, 'percent');
  assert.equal(nb.language, 'python');
  assert.equal(nb.nbformatVersion, undefined);
  assert.deepEqual(nb.cells, [
    { index: 0, kind: 'code', source: 'import os', executionCount: null, outputCount: 0, origin: { firstLine: 0 } },
    { index: 1, kind: 'code', source: 'df = load()', executionCount: null, outputCount: 0, origin: { firstLine: 3 } },
    {
      index: 2,
      kind: 'markdown',
      source: '# Heading\n\nSome *text*',
      executionCount: null,
      outputCount: 0,
      origin: { firstLine: 6, columnShift: [2, 1, 2] },
    },
    { index: 3, kind: 'code', source: 'x = 1\ny = 2', executionCount: null, outputCount: 0, origin: { firstLine: 11 } },
  ]);
  assert.deepEqual(cellToFile(nb.cells[3]!, { line: 1, character: 4 }), { line: 12, character: 4 });
  // `Some` is after the stripped `# ` on file line 8.
  assert.deepEqual(cellToFile(nb.cells[2]!, { line: 2, character: 0 }), { line: 8, character: 2 });
});

test('a blank preamble is not a cell; `#%%`, [md], [raw] and empty cells', () => {
  const nb = parsePyNotebook('p.py', '\n\n#%%\na = 1\n# %% [md] Notes\n# hi\n# %% [raw]\nraw\n# %%\n\n# %%   tags=["x"]\nb = 2\n');
  assert.deepEqual(
    nb.cells.map((c) => [c.kind, c.source, c.origin?.firstLine]),
    [
      ['code', 'a = 1', 3],
      ['markdown', 'hi', 5],
      ['raw', 'raw', 7],
      ['code', '', 9],
      ['code', 'b = 2', 11],
    ],
  );
});

test('`# In[ ]:` markers as nbconvert writes them carry execution counts', () => {
  const text = '#!/usr/bin/env python\n# coding: utf-8\n\n# In[3]:\n\n\nimport os\n\n\n# In[ ]:\n\n\nos.getcwd()\n';
  const nb = parsePyNotebook('n.py', text);
  assert.deepEqual(
    nb.cells.map((c) => [c.kind, c.source, c.executionCount, c.origin?.firstLine]),
    [
      ['code', '#!/usr/bin/env python\n# coding: utf-8', null, 0],
      ['code', 'import os', 3, 6],
      ['code', 'os.getcwd()', null, 12],
    ],
  );
});

test('CRLF files keep their line breaks inside cells', () => {
  const nb = parsePyNotebook('w.py', '# %%\r\na = 1\r\nb = 2\r\n# %% [markdown]\r\n# x\r\n# y\r\n');
  assert.deepEqual(
    nb.cells.map((c) => c.source),
    ['a = 1\r\nb = 2', 'x\r\ny'],
  );
});

test('a .py without markers is one code cell holding the text unchanged', () => {
  const text = 'import os\n# %%% not a marker\nprint(os.sep)  # %% not at line start\n';
  assert.equal(isPercentFormat(text), false);
  const nb = parsePyNotebook('s.py', text);
  assert.equal(nb.format, 'script');
  assert.deepEqual(nb.cells, [{ index: 0, kind: 'code', source: text, executionCount: null, outputCount: 0, origin: { firstLine: 0 } }]);
  assert.deepEqual(cellToFile(nb.cells[0]!, { line: 2, character: 6 }), { line: 2, character: 6 });
});
