// NB107 non-idempotent-cell: statements that a second run repeats on a value the cell did not create.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import { findings, notebook } from '../../helpers/notebooks';

const nb107 = (cells: string[]): Promise<string[]> => findings(cells, { select: ['NB107'] });
const setup = 'import numpy as np\nimport pandas as pd\ndf = pd.DataFrame({"a": [1.0], "c": [2]})\nrows = []\ncfg = {}\ncount = 0';

test('augmented assignment of a global, also on a column', async () => {
  assert.deepEqual(await nb107([setup, 'count += 1']), ['NB107 cell 1 0:0-0:10']);
  assert.deepEqual(await nb107([setup, 'df["a"] *= 2']), ['NB107 cell 1 0:0-0:12']);
});

test('rebinding a global from its own value: method, subscript, operator, concat', async () => {
  assert.deepEqual(await nb107([setup, 'df = df.drop(columns=["c"])']), ['NB107 cell 1 0:0-0:27']);
  assert.deepEqual(await nb107([setup, 'df = df[df.a > 0]']), ['NB107 cell 1 0:0-0:17']);
  assert.deepEqual(await nb107([setup, 'count = count + 1']), ['NB107 cell 1 0:0-0:17']);
  assert.deepEqual(await nb107([setup, 'df = pd.concat([df, df])']), ['NB107 cell 1 0:0-0:24']);
  assert.deepEqual(await nb107([setup, 'if True:\n    df = df.reset_index()']), ['NB107 cell 1 1:4-1:25']);
});

test('inplace=True, container methods and del on values from other cells', async () => {
  assert.deepEqual(await nb107([setup, 'df.set_index("a", inplace=True)']), ['NB107 cell 1 0:0-0:31']);
  assert.deepEqual(await nb107([setup, 'print(1)\nrows.append(3)']), ['NB107 cell 1 1:0-1:14']);
  assert.deepEqual(await nb107([setup, 'cfg.update(lr=0.1)']), ['NB107 cell 1 0:0-0:18']);
  assert.deepEqual(await nb107([setup, 'cfg.setdefault("k", [])']), ['NB107 cell 1 0:0-0:23']);
  assert.deepEqual(await nb107([setup, 'df.pop("c")']), ['NB107 cell 1 0:0-0:11']);
  assert.deepEqual(await nb107([setup, 'del df["c"]']), ['NB107 cell 1 0:0-0:11']);
  assert.deepEqual(await nb107([setup, 'del count']), ['NB107 cell 1 0:0-0:9']);
});

test('a column replaced by a value derived from itself', async () => {
  assert.deepEqual(await nb107([setup, 'df["a"] = df["a"] * 2']), ['NB107 cell 1 0:0-0:21']);
  assert.deepEqual(await nb107([setup, "df['a'] = np.log(df[\"a\"])"]), ['NB107 cell 1 0:0-0:25']);
  assert.deepEqual(await nb107([setup, 'df.loc[:, "a"] = df.loc[:, "a"].clip(0).pow(2)']), ['NB107 cell 1 0:0-0:46']);
});

test('message and data', async () => {
  const [d] = await analyzeNotebook(notebook([setup, 'df["a"] = np.log(df["a"])']), { select: ['NB107'] });
  assert.equal(d?.message, 'Re-running this cell transforms `df["a"]` again, because it is replaced by a value computed from itself.');
  assert.deepEqual(d?.data, { name: 'df', kind: 'column-from-itself' });
  assert.equal(d?.severity, 'warning');
  const [e] = await analyzeNotebook(notebook([setup, 'rows.append(1)']), { select: ['NB107'] });
  assert.equal(e?.message, 'Re-running this cell calls `rows.append(...)` again, and this cell did not create `rows`, so it changes once more on every run.');
  assert.deepEqual(e?.data, { name: 'rows', kind: 'mutating-method' });
});

test('one finding per name and cell, at the first statement', async () => {
  assert.deepEqual(await nb107([setup, 'df["a"] = df["a"] + 1\ndf = df.drop(columns=["c"])\nrows.append(1)']), ['NB107 cell 1 0:0-0:21', 'NB107 cell 1 2:0-2:14']);
});

test('values created earlier in the same cell are recreated by a re-run', async () => {
  assert.deepEqual(
    await nb107([
      setup,
      'out = []\nout.append(1)\nn = 0\nn += 1\nt = pd.read_csv("a.csv")\nt = t.drop(columns=["c"])\nt["a"] = t["a"] * 2\nt.dropna(inplace=True)\ndel t["c"]\nd = {}\nd.update(a=1)',
    ]),
    [],
  );
});

test('idempotent calls, new names, modules and function bodies do not fire', async () => {
  const cells = [
    setup,
    'df = df.astype(float).copy()\ndf["a"] = df["a"].fillna(0)\ndf["a"] = df["a"].str.lower()\ndf.dropna(inplace=True)',
    'features = df.drop(columns=["c"])\nfeatures["b"] = df["a"] * 2\nvalues = np.append(np.zeros(1), 1)\nrows.sort()\ncfg.clear()',
    'def log_rows():\n    rows.append(1)\n    global count\n    count += 1',
  ];
  assert.deepEqual(await nb107(cells), []);
});

test('a loop-carried value bound afresh by the loop is recreated by a re-run; one only rebuilt from itself is not', async () => {
  const carried = 'for i in range(3):\n    if i == 0:\n        pred = df["a"]\n    else:\n        pred = pred + df["a"]';
  const reversed = 'for i in range(3):\n    if i > 0:\n        total = total + df["a"]\n    else:\n        total = df["a"]';
  assert.deepEqual(await nb107([setup, 'pred = 0\ntotal = 0', carried, reversed]), []);
  // The true twin: `total` comes from another cell and the loop only adds to it.
  assert.deepEqual(await nb107([setup, 'total = 0', 'for i in range(3):\n    total = total + df["a"]']), ['NB107 cell 2 1:4-1:27']);
});
