// Targets the notebook changes before fitting: a numpy transform becomes a
// TransformedTargetRegressor in build_model with the metrics on the notebook's scale, a label
// encoding is dropped (the classifier learns the labels), an array conversion or a one-column
// frame keeps its column; an inverse nb2prod cannot recognise is refused naming the cell and the edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebookFull } from '../../../src/core/engine';
import { SCAFFOLD_ANALYSIS } from '../../../src/core/scaffold/from-notebook';
import { plan, type ScaffoldPlan } from '../../../src/core/scaffold';
import { notebook } from '../../helpers/notebooks';

const IMPORTS = [
  'import numpy as np',
  'import pandas as pd',
  'from sklearn.linear_model import LinearRegression, LogisticRegression',
  'from sklearn.metrics import mean_absolute_error',
  'from sklearn.model_selection import train_test_split',
  'from sklearn.preprocessing import LabelEncoder',
].join('\n');
const LOAD = 'df = pd.read_csv("data/train.csv")';
const SPLIT = 'X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=1)';

async function planCells(...cells: string[]): Promise<ScaffoldPlan> {
  return plan(await analyzeNotebookFull(notebook([IMPORTS, LOAD, ...cells]), SCAFFOLD_ANALYSIS));
}

function file(result: ScaffoldPlan, path: string): string {
  assert.ok(result.ok, result.report.problems.join('\n'));
  return result.changes.find((c) => c.path === path)!.content;
}

/** build_model's return statement, and the config lines that say what training fits and scores. */
function fitted(result: ScaffoldPlan): { model: string; settings: string[] } {
  const train = file(result, 'src/model/train.py');
  const model = train.slice(train.indexOf('    return ', train.indexOf('def build_model')), train.indexOf('\n\n', train.indexOf('def build_model'))).trim();
  const settings = file(result, 'src/utils/config.py')
    .split('\n')
    .filter((l) => /^(TARGET|TARGET_MAP|METRIC_SCALE) = /.test(l));
  return { model, settings };
}

test('`np.log1p(y)` scored as `np.expm1(model.predict(X))`: a TransformedTargetRegressor, metrics on the original scale', async () => {
  const result = await planCells(
    `X = df[["a", "b"]]\ny = np.log1p(df["price"])\n${SPLIT}`,
    'model = LinearRegression()\nmodel.fit(X_train, y_train)\npred = np.expm1(model.predict(X_test))\nprint(mean_absolute_error(np.expm1(y_test), pred))',
  );
  const { model, settings } = fitted(result);
  assert.equal(
    model,
    'return TransformedTargetRegressor(\n        regressor=LinearRegression(**config.MODEL_PARAMS),\n        # Notebook cell 3 fits the model on `np.log1p(df["price"])`.\n        func=np.log1p,\n        inverse_func=np.expm1,\n    )',
  );
  assert.deepEqual(settings, ['TARGET = "price"', 'TARGET_MAP = None', 'METRIC_SCALE = "original"']);
  assert.match(file(result, 'src/model/train.py'), /^from sklearn\.compose import TransformedTargetRegressor$/m);
  assert.ok(
    result.report.review.includes(
      'The notebook fits the model on `np.log1p(df["price"])` (cell 3); `build_model` wraps it in `TransformedTargetRegressor(func=np.log1p, inverse_func=np.expm1)`, so the saved model takes raw rows and predicts `price` on its original scale. The notebook scores `np.expm1(model.predict(X_test))` (cell 4), and so the metrics are on the original scale too.',
    ),
    result.report.review.join('\n'),
  );
});

test('the transform written as `.apply(np.log1p)` or `np.log(y + 1)`; the inverse found through a name bound to the predictions, written by hand as `np.exp(p) - 1`, or as `p ** 2` for a square root', async () => {
  const cases: Array<[string, string, string]> = [
    ['np.log1p(df.price)', 'p = model.predict(X_test)\nprices = np.exp(p) - 1', 'func=np.log1p'],
    ['np.log(df["price"].values)', 'p = model.predict(X_test)\nprices = np.exp(p)', 'func=np.log'],
    ['np.sqrt(df["price"])', 'prices = model.predict(X_test) ** 2', 'func=np.sqrt'],
    ['df["price"].apply(np.log1p)', 'prices = np.expm1(model.predict(X_test))', 'func=np.log1p'],
    ['df.price.transform(np.sqrt)', 'prices = np.square(model.predict(X_test))', 'func=np.sqrt'],
    ['np.log(df["price"] + 1)', 'prices = np.exp(model.predict(X_test)) - 1', 'func=np.log1p'],
  ];
  for (const [target, scoring, func] of cases) {
    const result = await planCells(`X = df[["a"]]\ny = ${target}\n${SPLIT}`, `model = LinearRegression().fit(X_train, y_train)\n${scoring}`);
    const { model, settings } = fitted(result);
    assert.ok(model.includes(func), `${target}: ${model}`);
    assert.deepEqual(settings, ['TARGET = "price"', 'TARGET_MAP = None', 'METRIC_SCALE = "original"'], target);
  }
});

test('a notebook that scores on the log scale only: metrics on that scale, said in the Review', async () => {
  const result = await planCells(
    `X = df[["a"]]\ny = np.log1p(df["price"])\n${SPLIT}`,
    'model = LinearRegression().fit(X_train, y_train)\nprint(mean_absolute_error(y_test, model.predict(X_test)))',
  );
  assert.deepEqual(fitted(result).settings, ['TARGET = "price"', 'TARGET_MAP = None', 'METRIC_SCALE = "transformed"']);
  assert.ok(
    result.report.review.some((r) =>
      r.endsWith(
        'The notebook scores its predictions on the `np.log1p` scale only, so the metrics are computed on that scale too (`METRIC_SCALE = "transformed"` in `src/utils/config.py`: `np.log1p` of the target and of the predictions); predictions served are on the original scale.',
      ),
    ),
    result.report.review.join('\n'),
  );
});

test('an inverse nb2prod cannot recognise is refused naming both cells and the edit, and nothing is written', async () => {
  const cases: Array<[string, string]> = [
    ['prices = np.exp(model.predict(X_test))', '`np.exp(model.predict(X_test))`'],
    ['p = model.predict(X_test)\nprices = 10 ** p', '`10 ** p`'],
  ];
  for (const [scoring, text] of cases) {
    const result = await planCells(`X = df[["a"]]\ny = np.log1p(df["price"])\n${SPLIT}`, `model = LinearRegression().fit(X_train, y_train)\n${scoring}`);
    assert.equal(result.ok, false);
    assert.deepEqual(result.changes, []);
    assert.deepEqual(result.report.problems, [
      `Cell 4 turns the model's predictions back with ${text}, which nb2prod cannot recognise as the inverse of \`np.log1p(df["price"])\` (cell 3): write it as \`np.expm1(...)\` around the predictions, so that training can save the model as \`TransformedTargetRegressor(func=np.log1p, inverse_func=np.expm1)\` and predict \`price\` on its original scale.`,
      'Nothing was written.',
    ]);
  }
  // A notebook function around the predictions is an inverse nb2prod cannot check either.
  const own = await planCells(
    'def back(v):\n    return np.exp(v) - 1',
    `X = df[["a"]]\ny = np.log1p(df["price"])\n${SPLIT}`,
    'model = LinearRegression().fit(X_train, y_train)\nprices = back(model.predict(X_test))',
  );
  assert.equal(own.ok, false);
  assert.match(own.report.problems[0]!, /^Cell 5 turns the model's predictions back with `back\(model\.predict\(X_test\)\)`/);
});

test("a classifier's target transformed by numpy is no regression target: refused as before", async () => {
  const result = await planCells(`X = df[["a"]]\ny = np.log1p(df["n"])\n${SPLIT}`, 'model = LogisticRegression().fit(X_train, y_train)');
  assert.equal(result.ok, false);
  assert.ok(result.report.problems.includes('  Could not find the target column of the model (`np.log1p(df["n"])`).'), result.report.problems.join('\n'));
});

test("label encodings of a classifier's target are dropped: LabelEncoder, pd.factorize, .cat.codes", async () => {
  const encodings: Array<[string, string]> = [
    ['y = LabelEncoder().fit_transform(df["species"])', '`LabelEncoder`'],
    ['encoder = LabelEncoder()\ny = encoder.fit_transform(df.species)', '`LabelEncoder`'],
    ['y = pd.factorize(df["species"])[0]', '`pd.factorize`'],
    ['y, names = pd.factorize(df["species"])', '`pd.factorize`'],
    ['y = df["species"].astype("category").cat.codes', '`.astype("category").cat.codes`'],
  ];
  for (const [encoding, how] of encodings) {
    const result = await planCells(`X = df[["a"]]\n${encoding}\n${SPLIT}`, 'model = LogisticRegression().fit(X_train, y_train)');
    const { model, settings } = fitted(result);
    assert.equal(model, 'return LogisticRegression(**config.MODEL_PARAMS)', encoding);
    assert.deepEqual(settings, ['TARGET = "species"', 'TARGET_MAP = None', 'METRIC_SCALE = "original"'], encoding);
    assert.ok(
      result.report.review.some((r) => r.startsWith(`The notebook encodes the target with ${how} (cell 3); the classifier now learns the labels themselves`)),
      `${encoding}: ${result.report.review.join('\n')}`,
    );
  }
});

test('a target as an array or a one-column frame keeps its column: `np.array(df["y"])`, `df[["y"]]`, `.values.ravel()`', async () => {
  const shapes: Array<[string, string]> = [
    ['y = np.array(df["actual"])', 'model = LinearRegression().fit(X_train, y_train)'],
    ['y = np.asarray(df.actual)', 'model = LinearRegression().fit(X_train, y_train)'],
    ['y = df[["actual"]]', 'model = LinearRegression().fit(X_train, y_train)'],
    ['y = df[["actual"]]', 'model = LinearRegression().fit(X_train, y_train.values.ravel())'],
  ];
  for (const [target, fit] of shapes) {
    const { model, settings } = fitted(await planCells(`X = df[["a"]]\n${target}\n${SPLIT}`, fit));
    assert.equal(model, 'return LinearRegression(**config.MODEL_PARAMS)', target);
    assert.deepEqual(settings, ['TARGET = "actual"', 'TARGET_MAP = None', 'METRIC_SCALE = "original"'], `${target} / ${fit}`);
  }
  // Two columns are not a target nb2prod can train on.
  const two = await planCells(`X = df[["a"]]\ny = df[["b", "c"]]\n${SPLIT}`, 'model = LinearRegression().fit(X_train, y_train)');
  assert.equal(two.ok, false);
  assert.ok(two.report.problems.includes('  Could not find the target column of the model (`df[["b", "c"]]`).'), two.report.problems.join('\n'));
});

test('a target column replaced in place by its log (`df["price"] = np.log1p(df["price"])`) stays as the notebook has it, said in the Review', async () => {
  const result = await planCells(
    'df["price"] = np.log1p(df["price"])',
    `X = df[["a"]]\ny = df["price"]\n${SPLIT}`,
    'model = LinearRegression().fit(X_train, y_train)',
  );
  const { model, settings } = fitted(result);
  assert.equal(model, 'return LinearRegression(**config.MODEL_PARAMS)');
  assert.deepEqual(settings, ['TARGET = "price"', 'TARGET_MAP = None', 'METRIC_SCALE = "original"']);
  assert.match(file(result, 'src/data/preprocessing.py'), /^ {4}df\["price"\] = np\.log1p\(df\["price"\]\)$/m);
  assert.ok(
    result.report.review.includes(
      '`df["price"] = np.log1p(df["price"])` (cell 3) replaces the target column with its `np.log1p`: training keeps that step in `prepare_frame`, so the saved model and `predict` answer on the `np.log1p` scale, not in `price` as the data has it. To serve the original scale, leave the column as it is and fit on `np.log1p(...)` of it (`y = np.log1p(df["price"])`): training then saves a `TransformedTargetRegressor`.',
    ),
    result.report.review.join('\n'),
  );
  // Another column replaced by its log is a feature, not the target: nothing to say.
  const feature = await planCells(
    'df["a"] = np.log1p(df["a"])',
    `X = df[["a"]]\ny = df["price"]\n${SPLIT}`,
    'model = LinearRegression().fit(X_train, y_train)',
  );
  assert.ok(!feature.report.review.some((r) => r.includes('replaces the target column')), feature.report.review.join('\n'));
});
