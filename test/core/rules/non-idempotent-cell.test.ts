// NB107 non-idempotent-cell: statements that a second run repeats on a value the cell did not create.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import { compact, findings, notebook, type CellSpec } from '../../helpers/notebooks';

const nb107 = (cells: string[]): Promise<string[]> => findings(cells, { select: ['NB107'] });
const setup = 'import numpy as np\nimport pandas as pd\ndf = pd.DataFrame({"a": [1.0], "c": [2]})\nrows = []\ncfg = {}\ncount = 0';

test('augmented assignment of a global, also on a column', async () => {
  assert.deepEqual(await nb107([setup, 'count += 1']), ['NB107 cell 1 0:0-0:10']);
  assert.deepEqual(await nb107([setup, 'df["a"] *= 2']), ['NB107 cell 1 0:0-0:12']);
});

test('rebinding a global from its own value: method, subscript, operator, concat', async () => {
  assert.deepEqual(await nb107([setup, 'df = df.drop(columns=["c"])']), ['NB107 cell 1 0:0-0:27']);
  assert.deepEqual(await nb107([setup, 'df = df[df.a > df.a.mean()]']), ['NB107 cell 1 0:0-0:27']);
  assert.deepEqual(await nb107([setup, 'df = df[1:]']), ['NB107 cell 1 0:0-0:11']);
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
  assert.deepEqual(await nb107([setup, 'df[\'a\'] = np.log(df["a"])']), ['NB107 cell 1 0:0-0:25']);
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
  assert.deepEqual(await nb107([setup, 'df["a"] = df["a"] + 1\ndf = df.drop(columns=["c"])\nrows.append(1)']), [
    'NB107 cell 1 0:0-0:21',
    'NB107 cell 1 2:0-2:14',
  ]);
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

test('idempotent rebinding: fixed-point calls, fixed filters, assign of constants, reset_index(drop=True)', async () => {
  const silent = [
    'df = pd.to_datetime(df)\ndf["d"] = pd.to_datetime(df["d"], format="%Y")\ndf["n"] = pd.to_numeric(df["n"], errors="coerce")',
    'df = df.replace({"a": 0}, 1)\ndf["a"] = df["a"].replace("x", "y").astype(str).str.lower()\ndf["a"] = df["a"].clip(0, 1)',
    'df = df[df.city.isin(["a", "b"])]\ndf = df[df.a > 0]\ndf = df.loc[(df.a > 0) & ~df.b.isnull()]\ndf = df[["a", "b"]]',
    'df = df.assign(flag=1)\ndf = df.dropna().drop_duplicates().reset_index(drop=True)\ndf = df.sort_values("a").rename(columns={"a": "b"})',
    'x = np.ones(3)',
    'x = x.reshape((len(x), 1))\ndf.rename(columns={"a": "b"}, inplace=True)\ndf.reset_index(drop=True, inplace=True)',
  ];
  assert.deepEqual(await findings(silent, { select: ['NB107'] }), []);
  // The true twins: a filter on a statistic of the rows left, an assign that reads what it replaces,
  // set_index and reset_index without drop fail or add a column on the second run, a wrapper with a second use.
  const twins = [
    setup,
    'df = df[df.a < df.a.quantile(0.99)]',
    'df = df.assign(a=df.a * 2)',
    'df = df.set_index("a")',
    'df = df.reset_index()',
    'df["a"] = pd.to_numeric(df["a"] * 2)',
  ];
  assert.deepEqual(await findings(twins, { select: ['NB107'] }), [
    'NB107 cell 1 0:0-0:35',
    'NB107 cell 2 0:0-0:26',
    'NB107 cell 3 0:0-0:22',
    'NB107 cell 4 0:0-0:21',
    'NB107 cell 5 0:0-0:36',
  ]);
});

test('without re-run evidence in the counts, only clearly harmful updates are on by default', async () => {
  const cells = [
    setup,
    'df = df.drop(columns=["c"])',
    'df.set_index("a", inplace=True)',
    'df["c"] = df["c"].map({1: "x"})',
    'count += 1',
    'rows.append(1)',
    'df["a"] = np.log(df["a"])',
    'df = pd.concat([df, df])',
  ];
  assert.deepEqual((await defaultTier(cells)).map(compact), [
    'NB107 cell 4 0:0-0:10',
    'NB107 cell 5 0:0-0:14',
    'NB107 cell 6 0:0-0:25',
    'NB107 cell 7 0:0-0:24',
  ]);
  // Selected by its exact code, the preview patterns come back.
  assert.equal((await nb107(cells)).length, 7);
});

/** NB107 findings in the default tier (a code prefix does not select preview patterns). */
/** NB107's default patterns: the rule is in the preview tier, so it is selected, and its preview patterns are left out. */
const defaultTier = async (cells: readonly CellSpec[]) => (await analyzeNotebook(notebook(cells), { select: ['NB107'] })).filter((d) => !d.preview);

test('re-run evidence in the counts keeps a finding on by default and says so', async () => {
  // Cell 2 ran after cell 3, which reads `df` and stands below it: the counts show the re-run.
  const reader: CellSpec[] = [
    [setup, 1],
    ['df = df.drop(columns=["c"])', 4],
    ['print(df.shape)', 3, 1],
  ];
  const [d] = await defaultTier(reader);
  assert.equal(
    d?.message,
    'Re-running this cell rebuilds `df` from the value the previous run already changed, because it is assigned from itself here. ' +
      'The saved counts show it ran after cell 3, which stands below it and reads `df` (execution count 4 after 3).',
  );
  assert.deepEqual(d?.related, [
    { cell: 2, range: { start: { line: 0, character: 6 }, end: { line: 0, character: 8 } }, message: '`df` is read here (execution count 3)' },
  ]);
  assert.deepEqual(d?.data, { name: 'df', kind: 'self-rebinding', rerun: 'reader' });
  // Execution count 2 is missing right before the cell's 3: the trace of running it twice in a row.
  const gap: CellSpec[] = [
    [setup, 1],
    ['df = df.drop(columns=["c"])', 3],
    ['print(df.shape)', 4],
  ];
  assert.deepEqual(
    (await defaultTier(gap)).map((x) => x.message.replace(/^.*here\. /, '')),
    ['The saved counts suggest it did run more than once: execution count 2, just before its 3, belongs to no cell.'],
  );
  // The silent twin: run once, top to bottom.
  assert.deepEqual(
    await defaultTier([
      [setup, 1],
      ['df = df.drop(columns=["c"])', 2],
      ['print(df.shape)', 3],
    ]),
    [],
  );
});

test('pandas append assigned to a name returns a new frame; list append in place still fires', async () => {
  assert.deepEqual(await nb107([setup, 'combined = df.append(df)']), []);
  assert.deepEqual(await nb107([setup, 'rows.append(df)']), ['NB107 cell 1 0:0-0:15']);
  // Rebinding the frame to its own append grows it on every run: default tier, without evidence.
  assert.deepEqual((await defaultTier([setup, 'df = df.append(df)'])).map(compact), ['NB107 cell 1 0:0-0:18']);
});
