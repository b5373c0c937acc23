// Feature and target selections as people write them: each shape in, the settings training
// reads (TARGET, TARGET_MAP, FEATURES, DROP_COLUMNS, TEST_SIZE) out, and shapes nb2prod cannot
// follow refused with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebookFull } from '../../../src/core/engine';
import { SCAFFOLD_ANALYSIS } from '../../../src/core/scaffold/from-notebook';
import { plan, type ScaffoldPlan } from '../../../src/core/scaffold';
import { notebook } from '../../helpers/notebooks';

const IMPORTS = 'import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\nfrom sklearn.model_selection import train_test_split';
const LOAD = 'df = pd.read_csv("data/train.csv")';

async function planCells(selection: string, fit = 'model = LogisticRegression().fit(X, y)'): Promise<ScaffoldPlan> {
  return plan(await analyzeNotebookFull(notebook([IMPORTS, LOAD, selection, fit]), SCAFFOLD_ANALYSIS));
}

/** The settings lines of config.py that say how rows become X and y. */
function settings(result: ScaffoldPlan): string[] {
  assert.ok(result.ok, result.report.problems.join('\n'));
  const config = result.changes.find((c) => c.path === 'src/utils/config.py')!.content;
  return config.split('\n').filter((l) => /^(TARGET|TARGET_MAP|FEATURES|DROP_COLUMNS|TEST_SIZE|RANDOM_SEED) = /.test(l));
}

test('a target column read as an attribute: `df.Churn`', async () => {
  assert.deepEqual(settings(await planCells('X = df[["a", "b"]]\ny = df.Churn')), [
    'TARGET = "Churn"',
    'TARGET_MAP = None',
    'FEATURES = ["a", "b"]',
    'DROP_COLUMNS = []',
    'RANDOM_SEED = 0',
    'TEST_SIZE = 0.25',
  ]);
});

test('a target turned into an array or copied keeps its column: `.to_numpy()`, `.copy()`, `.values`', async () => {
  for (const target of ['df.target.to_numpy()', 'df["target"].copy()', 'df.target.values', 'df["target"].to_numpy().ravel()']) {
    assert.deepEqual(settings(await planCells(`X = df[["a"]]\ny = ${target}`)).slice(0, 2), ['TARGET = "target"', 'TARGET_MAP = None'], target);
  }
});

test('a target by position: `df.iloc[:, 0]`, `df.iloc[:, -1]`, with the features as a range of positions', async () => {
  assert.deepEqual(settings(await planCells('X = df.iloc[:, 1:5]\ny = df.iloc[:, 0]')).slice(0, 3), [
    'TARGET = 0',
    'TARGET_MAP = None',
    'FEATURES = slice(1, 5)',
  ]);
  assert.deepEqual(settings(await planCells('X = df.iloc[:, :-1].values\ny = df.iloc[:, -1].values')).slice(0, 3), [
    'TARGET = -1',
    'TARGET_MAP = None',
    'FEATURES = slice(None, -1)',
  ]);
});

test('a target recoded with a literal dict: `.map({...})` becomes TARGET_MAP, comments inside dropped', async () => {
  const result = await planCells('X = df[["a"]]\ny = df["churn"].map({"no": 0,  # stayed\n    "yes": 1})');
  assert.deepEqual(settings(result).slice(0, 2), ['TARGET = "churn"', 'TARGET_MAP = {"no": 0, "yes": 1}']);
  assert.match(result.changes.find((c) => c.path === 'src/model/train.py')!.content, /^ {8}y = y\.map\(config\.TARGET_MAP\)$/m);
  assert.ok(
    result.report.review.includes(
      'The notebook recodes the target with `.map({"no": 0, "yes": 1})` (cell 3); training applies `TARGET_MAP` in `src/utils/config.py` to the target column and refuses labels it does not map, so predictions are the recoded values.',
    ),
    result.report.review.join('\n'),
  );
});

test('features as every column but some: `drop(columns=[...])`, `drop([...], axis=1)`, comments inside the call', async () => {
  for (const drop of ['df.drop(columns=["id", "t"])', 'df.drop(["id", "t"], axis=1)', 'df.drop(columns=["id",  # a key, not a feature\n    "t"])']) {
    assert.deepEqual(settings(await planCells(`X = ${drop}\ny = df["t"]`)).slice(2, 4), ['FEATURES = None', 'DROP_COLUMNS = ["id", "t"]'], drop);
  }
});

test('a comment between split arguments does not shift them', async () => {
  const result = await planCells(
    'X = df[["a"]]\ny = df["t"]\nX_train, X_test, y_train, y_test = train_test_split(\n    X, y,  # features, labels\n    test_size=0.3, random_state=1)',
    'model = LogisticRegression().fit(X_train, y_train)',
  );
  assert.deepEqual(settings(result), ['TARGET = "t"', 'TARGET_MAP = None', 'FEATURES = ["a"]', 'DROP_COLUMNS = []', 'RANDOM_SEED = 1', 'TEST_SIZE = 0.3']);
});

test("shapes that do not name a column of the features' frame are refused with the reason", async () => {
  // `data.target` of another object (a Bunch) is no column of `df`; positions held in a variable are not written out.
  const bunch = plan(
    await analyzeNotebookFull(
      notebook([IMPORTS, `${LOAD}\ndata = object()`, 'X = df[["a"]]\ny = data.target', 'model = LogisticRegression().fit(X, y)']),
      SCAFFOLD_ANALYSIS,
    ),
  );
  assert.equal(bunch.ok, false);
  assert.ok(bunch.report.problems.includes('  Could not find the target column of the model (`data.target`).'), bunch.report.problems.join('\n'));
  const positions = await planCells('cols = [0, 2]\nX = df.iloc[:, cols]\ny = df["t"]');
  assert.equal(positions.ok, false);
  assert.ok(
    positions.report.problems.some((p) => p.includes('df.iloc[:, cols]')),
    positions.report.problems.join('\n'),
  );
  const mapped = await planCells('X = df[["a"]]\ny = df["t"].map(lambda v: v == "yes")');
  assert.equal(mapped.ok, false);
});

test('features as every column but some, written as a mask or a column list: `df.loc[:, df.columns != "t"]`', async () => {
  const shapes: Array<[string, string[]]> = [
    ['df.loc[:, df.columns != "t"]', ['t']],
    ['df.loc[:, "t" != df.columns]', ['t']],
    ['df.loc[:, ~df.columns.isin(["id", "t"])]', ['id', 't']],
    ['df[df.columns.difference(["id", "t"])]', ['id', 't']],
    ['df.loc[:, df.columns.difference(["t"])].values', ['t']],
  ];
  for (const [selection, dropped] of shapes) {
    assert.deepEqual(
      settings(await planCells(`X = ${selection}\ny = df["t"]`)).slice(2, 4),
      ['FEATURES = None', `DROP_COLUMNS = [${dropped.map((d) => JSON.stringify(d)).join(', ')}]`],
      selection,
    );
  }
  // Inside the split call, as the notebook writes it.
  const inline = await planCells(
    'X_train, X_test, y_train, y_test = train_test_split(df.loc[:, df.columns != "Outcome"], df["Outcome"], random_state=66)',
    'model = LogisticRegression().fit(X_train, y_train)',
  );
  assert.deepEqual(settings(inline), [
    'TARGET = "Outcome"',
    'TARGET_MAP = None',
    'FEATURES = None',
    'DROP_COLUMNS = ["Outcome"]',
    'RANDOM_SEED = 66',
    'TEST_SIZE = 0.25',
  ]);
  // A mask over another frame's columns, or a row mask, is no column selection of `df`.
  const other = await planCells('other = df.copy()\nX = df.loc[:, other.columns != "t"]\ny = df["t"]');
  assert.equal(other.ok, false);
  assert.ok(
    other.report.problems.some((p) => p.includes('other.columns != "t"')),
    other.report.problems.join('\n'),
  );
});

test('features and target by position, one column or a list, through `.values` and `.reshape(-1, 1)`', async () => {
  assert.deepEqual(settings(await planCells('X = df.iloc[:, 4].values.reshape(-1, 1)\ny = df.iloc[:, 1].values.reshape(-1, 1)')).slice(0, 3), [
    'TARGET = 1',
    'TARGET_MAP = None',
    'FEATURES = [4]',
  ]);
  assert.deepEqual(settings(await planCells('X = df.iloc[:, [1, 3]]\ny = df.iloc[:, -1].to_numpy().reshape(-1)')).slice(0, 3), [
    'TARGET = -1',
    'TARGET_MAP = None',
    'FEATURES = [1, 3]',
  ]);
  assert.deepEqual(settings(await planCells('X = df.iloc[:, 2:5].values\ny = df.loc[:, "t"].values')).slice(0, 3), [
    'TARGET = "t"',
    'TARGET_MAP = None',
    'FEATURES = slice(2, 5)',
  ]);
  // Inside the split call.
  const inline = await planCells(
    'X_train, X_test, y_train, y_test = train_test_split(df.iloc[:, [0, 2]].to_numpy(), df.iloc[:, 3].values, test_size=0.2)',
    'model = LogisticRegression().fit(X_train, y_train)',
  );
  assert.deepEqual(settings(inline), ['TARGET = 3', 'TARGET_MAP = None', 'FEATURES = [0, 2]', 'DROP_COLUMNS = []', 'RANDOM_SEED = 0', 'TEST_SIZE = 0.2']);
  const readme = inline.ok ? inline.changes.find((c) => c.path === 'README.md')!.content : '';
  assert.match(readme, /the prepared columns at positions `0, 2`/);
  // A reshape into another shape is no column.
  const reshaped = await planCells('X = df.iloc[:, 4].values.reshape(2, -1)\ny = df["t"]');
  assert.equal(reshaped.ok, false);
});
