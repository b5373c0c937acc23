// NB101's fix: move the defining cell above its first reader, only when no other edge changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNotebook } from '../../../src/core/engine';
import { applyFixToIpynb, applyFixToSources } from '../../../src/core/fixes/apply';
import { loadNotebookFile } from '../../../src/core/notebook';
import { notebook } from '../../helpers/notebooks';
import { repoRoot } from '../../helpers/paths';

async function nb101(cells: string[]) {
  return (await analyzeNotebook(notebook(cells), { select: ['NB101'] }))[0];
}

test('safe move of the defining cell above the first cell that reads too early', async () => {
  const cells = ['import pandas as pd', 'df = pd.read_csv(path)', 'print(df.shape)', 'path = "a.csv"'];
  const d = await nb101(cells);
  assert.deepEqual(d?.fixes, [{ title: 'Move cell 4 above cell 2', safety: 'safe', edits: [], moves: [{ cell: 3, before: 1 }] }]);
  assert.equal(d?.data['fixBlockedBy'], undefined);
  const fixed = applyFixToSources(cells, d!.fixes![0]!).sources;
  assert.deepEqual(fixed, ['import pandas as pd', 'path = "a.csv"', 'df = pd.read_csv(path)', 'print(df.shape)']);
  assert.deepEqual(await analyzeNotebook(notebook(fixed), { select: ['NB101', 'NB102'] }), []);
});

test('every early reader of the moved cell gets the same move, above the first of them', async () => {
  const found = await analyzeNotebook(notebook(['print(a)', 'print(b)', 'a = 1\nb = 2']), { select: ['NB101'] });
  assert.deepEqual(
    found.map((d) => d.fixes?.[0]?.moves),
    [[{ cell: 2, before: 0 }], [{ cell: 2, before: 0 }]],
  );
});

test('blocked: the moved cell reads something defined by a cell it would jump over', async () => {
  const d = await nb101(['x = 1', 'print(y)', 'x = 2', 'y = x + 1']);
  assert.equal(d?.fixes, undefined);
  assert.equal(d?.data['fixBlockedBy'], 'cell 4 reads `x`, defined in cell 3');
});

test('blocked: a cell in between reads a name the moved cell redefines or changes in place', async () => {
  assert.equal(
    (await nb101(['x = 1', 'print(y)', 'print(x)', 'y = 3\nx = 5']))?.data['fixBlockedBy'],
    'cell 3 reads `x` from cell 1, which cell 4 would change first',
  );
  const mutated = await nb101(['xs = [1]', 'print(y)', 'print(len(xs))', 'y = 3\nxs.append(2)']);
  assert.equal(mutated?.data['fixBlockedBy'], 'cell 3 reads `xs` from cell 1, which cell 4 would change first');
});

test('blocked: a cell in between defines the same name', async () => {
  const d = await nb101(['print(y)', 'x = 7', 'y = 3\nx = 5', 'print(x)']);
  assert.equal(d?.data['fixBlockedBy'], "cell 2 also defines `x`, and would then override cell 3's value");
});

test('no move inside one cell', async () => {
  const d = await nb101(['print(y)\ny = 2']);
  assert.equal(d?.fixes, undefined);
  assert.equal(d?.data['fixBlockedBy'], '`y` is defined further down in the same cell; reorder its statements instead');
});

test('fixes/nb101-move.ipynb: the NB101 fix gives the committed fixed notebook byte for byte, and NB101 no longer fires there', async () => {
  const input = join(repoRoot, 'test/fixtures/imports/fixes/nb101-move.ipynb');
  const output = join(repoRoot, 'test/fixtures/imports/fixes/nb101-move.fixed.ipynb');
  const before = await analyzeNotebook(await loadNotebookFile(input), { select: ['NB101'] });
  const fix = before.find((d) => d.cell === 2)?.fixes?.[0];
  assert.ok(fix, 'the diagnostic offers a fix');
  assert.equal(applyFixToIpynb(readFileSync(input, 'utf8'), fix), readFileSync(output, 'utf8'));
  const after = await analyzeNotebook(await loadNotebookFile(output), { select: ['NB101'] });
  assert.deepEqual(
    after.filter((d) => d.severity !== 'info').map((d) => `${d.code} cell ${d.cell}`),
    [],
  );
});
