// The editor's "Suppress NBxxx on this line / in this cell" fixes: the fixed text, and that the
// finding is gone after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse } from '../../../src/core/analysis/analysed-notebook';
import { analyzeNotebook } from '../../../src/core/engine';
import { applyEdits } from '../../../src/core/fixes/apply';
import { suppressionFixes } from '../../../src/core/suppressions/insert';
import { compact, notebook } from '../../helpers/notebooks';

/** Per fix of the first finding with `code`: its title and the cell's text after it. */
async function fixed(cells: string[], code: string): Promise<{ title: string; text: string }[]> {
  const nb = notebook(cells);
  const diagnostic = (await analyzeNotebook(nb, { select: [code] })).find((d) => d.code === code);
  assert.ok(diagnostic, `${code} should fire`);
  return suppressionFixes(await analyse(nb), diagnostic).map((fix) => ({
    title: fix.title,
    text: applyEdits(cells[diagnostic.cell]!, fix.edits),
  }));
}

test('a line and a cell directive are added for a finding', async () => {
  assert.deepEqual(await fixed(['import os\nprint(x)\n'], 'NB102'), [
    { title: 'Suppress NB102 on this line', text: 'import os\nprint(x)  # nb2prod: ignore[NB102]\n' },
    { title: 'Suppress NB102 in this cell', text: '# nb2prod: ignore[NB102]\nimport os\nprint(x)\n' },
  ]);
});

test('the code joins a directive already on the line or atop the cell', async () => {
  assert.deepEqual(await fixed(['# nb2prod: ignore[NB110]\nfrom os import *  # why: demo  # nb2prod: ignore[NB1O1]'], 'NB109'), [
    { title: 'Suppress NB109 on this line', text: '# nb2prod: ignore[NB110]\nfrom os import *  # why: demo  # nb2prod: ignore[NB1O1, NB109]' },
    { title: 'Suppress NB109 in this cell', text: '# nb2prod: ignore[NB110, NB109]\nfrom os import *  # why: demo  # nb2prod: ignore[NB1O1]' },
  ]);
});

test('the line fix keeps CRLF line ends and goes after an existing comment', async () => {
  assert.deepEqual((await fixed(['print(x)  # note\r\ny = 1'], 'NB102'))[0], {
    title: 'Suppress NB102 on this line',
    text: 'print(x)  # note  # nb2prod: ignore[NB102]\r\ny = 1',
  });
});

test('no line fix after a line continuation or inside a string that goes on; no cell fix above a cell magic', async () => {
  assert.deepEqual(
    (await fixed(['y = x + \\\n    1'], 'NB102')).map((f) => f.title),
    ['Suppress NB102 in this cell'],
  );
  assert.deepEqual(
    (await fixed(['%%time\nprint(x)'], 'NB102')).map((f) => f.title),
    ['Suppress NB102 on this line'],
  );
});

test('after either fix the finding is gone', async () => {
  for (const fix of await fixed(['import os\nprint(x)\nprint(y)'], 'NB102')) {
    const after = await analyzeNotebook(notebook([fix.text]), { select: ['NB102'] });
    assert.deepEqual(after.map(compact), fix.title.endsWith('line') ? ['NB102 cell 0 2:6-2:7'] : [], fix.title);
  }
});
