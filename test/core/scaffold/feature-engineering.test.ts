// Row-wise feature engineering at the end of data preparation runs inside the saved Pipeline
// (engineer_features as its first step), so the model takes raw columns; what looks at more
// than one row stays in prepare_frame, with the reason under Review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebookFull } from '../../../src/core/engine';
import { SCAFFOLD_ANALYSIS } from '../../../src/core/scaffold/from-notebook';
import { parseNotebookText } from '../../../src/core/notebook';
import { plan, type ScaffoldPlan } from '../../../src/core/scaffold';

const HEADER = '# %%\nimport pandas as pd\nfrom sklearn.linear_model import LogisticRegression\nfrom sklearn.model_selection import train_test_split\n';
const LOAD = '# %%\ntrain = pd.read_csv("train.csv")\ntest = pd.read_csv("test.csv")\nfull_data = [train, test]\n';
const MODEL = '# %%\nfeatures = ["pclass", "title", "family"]\nX_train, X_test, y_train, y_test = train_test_split(train[features], train["survived"], random_state=1)\nmodel = LogisticRegression().fit(X_train, y_train)\n';
const LOOP =
  'for dataset in full_data:\n' +
  '    dataset["title"] = dataset["name"].str.extract(r" ([A-Za-z]+)\\.", expand=False).map({"Mr": 1, "Mrs": 2}).fillna(0)\n' +
  '    dataset["family"] = dataset["siblings"] + dataset["parents"] + 1\n';

async function planOf(cells: string): Promise<ScaffoldPlan> {
  const result = plan(await analyzeNotebookFull(parseNotebookText('x.py', HEADER + cells), SCAFFOLD_ANALYSIS));
  assert.ok(result.ok, result.report.problems.join('\n'));
  return result;
}

function file(result: ScaffoldPlan, path: string): string {
  const change = result.changes.find((c) => c.path === path);
  assert.ok(change, `no ${path} planned`);
  return change.content;
}

function section(text: string, start: string): string {
  const from = text.indexOf(start);
  assert.ok(from >= 0, `no ${start}`);
  const end = text.indexOf('\n\n\n', from);
  return text.slice(from, end < 0 ? undefined : end);
}

test('a loop over [train, test] engineering columns row by row becomes the Pipeline\'s first step, over the needed frame only', async () => {
  const result = await planOf(`${LOAD}# %%\n${LOOP}${MODEL}`);
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.equal(
    section(preprocessing, 'def engineer_features('),
    [
      'def engineer_features(train):',
      '    """The notebook\'s row-wise feature engineering (cell 3) on a copy of raw rows: the saved Pipeline\'s first step runs it in training and inference."""',
      '    train = train.copy()',
      '    # From notebook cell 3.',
      '    for dataset in [train]:',
      '        dataset["title"] = dataset["name"].str.extract(r" ([A-Za-z]+)\\.", expand=False).map({"Mr": 1, "Mrs": 2}).fillna(0)',
      '        dataset["family"] = dataset["siblings"] + dataset["parents"] + 1',
      '    return train',
    ].join('\n'),
  );
  assert.match(preprocessing, /def prepare_frame\(raw\):\n {4}"""[^\n]*"""\n {4}train = raw\n {4}return train\n/);
  assert.match(preprocessing, / {8}# Notebook cell 3: feature engineering row by row, inside the model so that it scores raw rows\.\n {8}\("features", FunctionTransformer\(model_features, kw_args=\{"columns": list\(config\.FEATURES\)\}\)\),/);
  assert.match(preprocessing, /^from sklearn\.preprocessing import FunctionTransformer$/m);
  // The loop's variable is bound by the loop: never a parameter, never a required setting.
  assert.doesNotMatch(preprocessing, /def \w+\([^)]*dataset/);
  const config = file(result, 'src/utils/config.py');
  assert.match(config, /^INPUT_COLUMNS = \["pclass", "name", "siblings", "parents"\]$/m);
  assert.match(config, /^TEXT_INPUTS = \["name"\]$/m);
  assert.match(config, /^REQUIRED_SETTINGS = \[\]$/m);
  // The second frame is not needed by the model: not read, and listed as left out.
  assert.doesNotMatch(file(result, 'src/data/ingestion.py'), /test\.csv/);
  // Cell 2 is partly placed (it reads train.csv), so its left-out line stands in its own row of the README's table.
  const cell2 = result.report.cells.find((c) => c.cell === 1);
  assert.ok(cell2?.leftOut.some((l) => l.includes('full_data = [train, test]')), JSON.stringify(cell2));
  assert.ok(result.report.review.some((r) => r.startsWith('Cell 3 computes `title`, `family` row by row: training runs that code inside the saved Pipeline')), result.report.review.join('\n'));
});

test('a function applied to both frames, with fixed-edge pd.cut and .map, is row-wise; its definition stays a module function', async () => {
  const cells =
    `${LOAD}# %%\ndef encode(frame):\n    frame["sex"] = frame["sex"].map({"female": 1, "male": 0})\n    frame["title"] = pd.cut(frame["age"], bins=[0, 18, 60, 100], labels=False)\n    frame["family"] = frame["siblings"] + 1\n    return frame\n\n\ntrain = encode(train)\ntest = encode(test)\n` +
    MODEL.replace('"pclass"', '"sex"');
  const result = await planOf(cells);
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.match(preprocessing, /^def encode\(frame\):$/m);
  assert.match(section(preprocessing, 'def engineer_features('), / {4}train = train\.copy\(\)\n {4}# From notebook cell 3\.\n {4}train = encode\(train\)\n {4}return train$/);
  assert.match(file(result, 'src/utils/config.py'), /^INPUT_COLUMNS = \["sex", "age", "siblings"\]$/m);
  assert.match(file(result, 'src/utils/config.py'), /^TEXT_INPUTS = \[\]$/m);
});

test('a statistic of the data stays in prepare_frame with everything before it, and Review says why', async () => {
  const median = 'train["fare"] = train["fare"].fillna(train["fare"].median())\n';
  // Before the row-wise loop: the loop still moves; the fill does not.
  const before = await planOf(`${LOAD}# %%\n${median}${LOOP}${MODEL}`);
  const preprocessing = file(before, 'src/data/preprocessing.py');
  assert.match(section(preprocessing, 'def prepare_cell3(train):'), /train\["fare"\] = train\["fare"\]\.fillna\(train\["fare"\]\.median\(\)\)\n {4}return train$/);
  assert.doesNotMatch(section(preprocessing, 'def engineer_features('), /median/);
  assert.ok(before.report.review.some((r) => r.startsWith('`train["fare"] = train["fare"].fillna(train["fare"].median())` (cell 3) is not row-wise feature engineering (`.median()` looks at more than one row): it stays in `prepare_frame`')), before.report.review.join('\n'));
  // Inside the loop: the loop stays in prepare_frame, and nothing moves into the Pipeline.
  const inside = await planOf(`${LOAD}# %%\n${LOOP}    dataset["fare"] = dataset["fare"].fillna(dataset["fare"].median())\n${MODEL}`);
  const kept = file(inside, 'src/data/preprocessing.py');
  assert.doesNotMatch(kept, /engineer_features|FunctionTransformer/);
  assert.match(kept, / {4}for dataset in \[train\]:\n/);
  assert.match(file(inside, 'src/utils/config.py'), /^INPUT_COLUMNS = None$/m);
  assert.ok(inside.report.review.some((r) => r.startsWith('`for dataset in full_data:` (cell 3) is not row-wise feature engineering (`.median()` looks at more than one row)')), inside.report.review.join('\n'));
});

test('pd.cut with a number of bins learns its edges from the data: not row-wise', async () => {
  const result = await planOf(`${LOAD}# %%\ntrain["title"] = pd.cut(train["age"], bins=4, labels=False)\ntrain["family"] = train["siblings"] + 1\n${MODEL}`);
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.match(section(preprocessing, 'def engineer_features('), / {4}train\["family"\] = train\["siblings"\] \+ 1\n {4}return train$/);
  assert.ok(result.report.review.some((r) => r.includes('(`pd.cut` without literal bin edges learns the edges from the data)')), result.report.review.join('\n'));
});

test('code that writes the target column is not feature engineering', async () => {
  const result = await planOf(`${LOAD}# %%\ntrain["survived"] = train["survived"].map({"yes": 1, "no": 0})\n${MODEL.replace('"title", "family"', '"pclass2"')}`);
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.doesNotMatch(preprocessing, /engineer_features/);
  assert.match(preprocessing, /train\["survived"\] = train\["survived"\]\.map/);
});

test('a column no feature needs, computed from raw columns, stays in prepare_frame; the model does not take its inputs', async () => {
  const result = await planOf(`${LOAD}# %%\ntrain["flag"] = 1 * (train["cabin"] == "yes")\n${LOOP}${MODEL}`);
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.doesNotMatch(section(preprocessing, 'def engineer_features('), /cabin/);
  assert.match(section(preprocessing, 'def prepare_cell3(train):'), / {4}train\["flag"\] = 1 \* \(train\["cabin"\] == "yes"\)\n {4}return train$/);
  assert.match(file(result, 'src/utils/config.py'), /^INPUT_COLUMNS = \["pclass", "name", "siblings", "parents"\]$/m);
});

test('a date parsed with pd.to_datetime is a free-text input, not a category', async () => {
  const result = await planOf(`${LOAD}# %%\ntrain["title"] = pd.to_datetime(train["created"]).dt.month\ntrain["family"] = train["siblings"] + 1\n${MODEL}`);
  const config = file(result, 'src/utils/config.py');
  assert.match(config, /^INPUT_COLUMNS = \["pclass", "created", "siblings"\]$/m);
  assert.match(config, /^TEXT_INPUTS = \["created"\]$/m);
});

test('loops over frames that stay in prepare_frame pass the frame on, not the loop variable', async () => {
  const median = '    dataset["fare"] = dataset["fare"].fillna(dataset["fare"].median())\n';
  const result = await planOf(`${LOAD}# %%\n${LOOP}${median}# %%\nfor dataset in full_data:\n    dataset["family"] = dataset["family"] + 0\n${median}${MODEL}`);
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.match(preprocessing, /def prepare_cell3\(train\):[\s\S]*?\n {4}return train\n/);
  assert.match(preprocessing, /def prepare_cell4\(train\):[\s\S]*?\n {4}return train\n/);
  assert.match(preprocessing, / {4}train = prepare_cell3\(train\)\n {4}train = prepare_cell4\(train\)\n {4}return train\n/);
});

test('a literal recoding of the frame in place and attribute assignments are row-wise: the model takes the raw text columns', async () => {
  const recode = '# %%\ntrain.replace({"sex": {"female": 0, "male": 1}}, inplace=True)\n# %%\ntrain.title = train.name.map({"a": 1})\ntrain.family = train.siblings.fillna(0)\n';
  const result = await planOf(`${LOAD}${recode}${MODEL.replace('"pclass"', '"sex"')}`);
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.match(section(preprocessing, 'def engineer_features('), / {4}train\.replace\(\{"sex": \{"female": 0, "male": 1\}\}, inplace=True\)\n {4}# From notebook cell 4\.\n {4}train\.title = train\.name\.map\(\{"a": 1\}\)\n {4}train\.family = train\.siblings\.fillna\(0\)\n {4}return train$/);
  assert.match(file(result, 'src/utils/config.py'), /^INPUT_COLUMNS = \["sex", "name", "siblings"\]$/m);
});

test('a frame replace without a literal dict of dicts per column is not a recoding nb2prod can place in the model', async () => {
  const result = await planOf(`${LOAD}# %%\ntrain.replace("?", None, inplace=True)\ntrain["family"] = train["siblings"] + 1\ntrain["title"] = train["name"].str.len()\n${MODEL}`);
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.match(section(preprocessing, 'def prepare_frame('), /train = prepare_cell3\(train\)/);
  assert.doesNotMatch(section(preprocessing, 'def engineer_features('), /replace/);
});
