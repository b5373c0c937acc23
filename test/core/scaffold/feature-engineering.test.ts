// Row-wise feature engineering at the end of data preparation runs inside the saved Pipeline
// (engineer_features as its first step), so the model takes raw columns; statistics it computes
// from its own frame (a median, a mode, group means, thresholds) are learned by that step from the
// training rows; what else looks at more than one row stays in prepare_frame, with the reason
// under Review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebookFull } from '../../../src/core/engine';
import { SCAFFOLD_ANALYSIS } from '../../../src/core/scaffold/from-notebook';
import { parseNotebookText } from '../../../src/core/notebook';
import { plan, type ScaffoldPlan } from '../../../src/core/scaffold';

const HEADER = '# %%\nimport pandas as pd\nfrom sklearn.linear_model import LogisticRegression\nfrom sklearn.model_selection import train_test_split\n';
const LOAD = '# %%\ntrain = pd.read_csv("train.csv")\ntest = pd.read_csv("test.csv")\nfull_data = [train, test]\n';
const MODEL =
  '# %%\nfeatures = ["pclass", "title", "family"]\nX_train, X_test, y_train, y_test = train_test_split(train[features], train["survived"], random_state=1)\nmodel = LogisticRegression().fit(X_train, y_train)\n';
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

test("a loop over [train, test] engineering columns row by row becomes the Pipeline's first step, over the needed frame only", async () => {
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
  assert.match(
    preprocessing,
    / {8}# Notebook cell 3: feature engineering row by row, inside the model so that it scores raw rows\.\n {8}\("features", FunctionTransformer\(model_features, kw_args=\{"columns": list\(config\.FEATURES\)\}\)\),/,
  );
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
  assert.ok(
    cell2?.leftOut.some((l) => l.includes('full_data = [train, test]')),
    JSON.stringify(cell2),
  );
  assert.ok(
    result.report.review.some((r) => r.startsWith('Cell 3 computes `title`, `family` row by row: training runs that code inside the saved Pipeline')),
    result.report.review.join('\n'),
  );
});

test('a function applied to both frames, with fixed-edge pd.cut and .map, is row-wise; its definition stays a module function', async () => {
  const cells =
    `${LOAD}# %%\ndef encode(frame):\n    frame["sex"] = frame["sex"].map({"female": 1, "male": 0})\n    frame["title"] = pd.cut(frame["age"], bins=[0, 18, 60, 100], labels=False)\n    frame["family"] = frame["siblings"] + 1\n    return frame\n\n\ntrain = encode(train)\ntest = encode(test)\n` +
    MODEL.replace('"pclass"', '"sex"');
  const result = await planOf(cells);
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.match(preprocessing, /^def encode\(frame\):$/m);
  assert.match(
    section(preprocessing, 'def engineer_features('),
    / {4}train = train\.copy\(\)\n {4}# From notebook cell 3\.\n {4}train = encode\(train\)\n {4}return train$/,
  );
  assert.match(file(result, 'src/utils/config.py'), /^INPUT_COLUMNS = \["sex", "age", "siblings"\]$/m);
  assert.match(file(result, 'src/utils/config.py'), /^TEXT_INPUTS = \[\]$/m);
});

test('a median the engineering computes from its own frame becomes a statistic the Pipeline learns from the training rows', async () => {
  const fill = '    dataset["fare"] = dataset["fare"].fillna(dataset["fare"].median())\n';
  const model = MODEL.replace('"pclass"', '"fare"');
  const inside = await planOf(`${LOAD}# %%\n${LOOP}${fill}${model}`);
  const preprocessing = file(inside, 'src/data/preprocessing.py');
  assert.equal(
    section(preprocessing, 'def engineer_features('),
    [
      'def engineer_features(train, statistics):',
      '    """The notebook\'s feature engineering (cell 3) on a copy of raw rows, with the statistics of the data it computes read from `statistics` (learned from the training rows by `FittedFeatures.fit`)."""',
      '    train = train.copy()',
      '    # From notebook cell 3.',
      '    for dataset in [train]:',
      '        dataset["title"] = dataset["name"].str.extract(r" ([A-Za-z]+)\\.", expand=False).map({"Mr": 1, "Mrs": 2}).fillna(0)',
      '        dataset["family"] = dataset["siblings"] + dataset["parents"] + 1',
      '        dataset["fare"] = dataset["fare"].fillna(statistics.value(\'dataset["fare"].median()\', lambda: dataset["fare"].median()))',
      '    return train',
    ].join('\n'),
  );
  assert.match(
    preprocessing,
    / {8}# Notebook cell 3: feature engineering with the statistics it learns from the training rows, inside the model so that it scores raw rows\.\n {8}\("features", FittedFeatures\(columns=list\(config\.FEATURES\)\)\),/,
  );
  assert.match(preprocessing, /^class FittedFeatures\(BaseEstimator, TransformerMixin\):$/m);
  assert.match(preprocessing, /^ {8}engineer_features\(X, LearnedStatistics\(self\.statistics_, fitting=True\)\)$/m);
  assert.match(preprocessing, /^ {8}return engineer_features\(X, LearnedStatistics\(self\.statistics_, fitting=False\)\)\[columns\]$/m);
  assert.match(preprocessing, /^from sklearn\.base import BaseEstimator, TransformerMixin$/m);
  assert.doesNotMatch(preprocessing, /FunctionTransformer/);
  assert.match(file(inside, 'src/utils/config.py'), /^INPUT_COLUMNS = \["name", "siblings", "parents", "fare"\]$/m);
  assert.ok(
    inside.report.review.includes(
      'The notebook learned `dataset["fare"].median()` (cell 3) from every row before the split; the Pipeline\'s first step (`FittedFeatures`) learns it from the training split only, when it is fitted, and applies the learned value to the rows it scores, so raw rows with missing values score through `predict`.',
    ),
    inside.report.review.join('\n'),
  );
  assert.ok(!inside.report.review.some((r) => r.includes('is not row-wise')), inside.report.review.join('\n'));
  // A fill before the loop, at the top level, moves with it.
  const before = await planOf(`${LOAD}# %%\ntrain["fare"] = train["fare"].fillna(train["fare"].median())\n${LOOP}${model}`);
  const moved = section(file(before, 'src/data/preprocessing.py'), 'def engineer_features(');
  assert.match(
    moved,
    /\n {4}train\["fare"\] = train\["fare"\]\.fillna\(statistics\.value\('train\["fare"\]\.median\(\)', lambda: train\["fare"\]\.median\(\)\)\)\n {4}for dataset in \[train\]:\n/,
  );
});

test('group statistics, thresholds, modes and frame-wide fills are learned too', async () => {
  const cells =
    `${LOAD}# %%\ntrain["age"] = train["age"].fillna(train.groupby("pclass")["age"].transform("median"))\n` +
    'train["old"] = (train["age"] > train["age"].quantile(0.9)).astype(int)\n' +
    'train["port"] = train["port"].fillna(train["port"].mode()[0]).map({"S": 0, "C": 1})\n' +
    'train = train.fillna(train.mean())\n' +
    MODEL.replace('"pclass", "title", "family"', '"age", "old", "port", "fare"');
  const result = await planOf(cells);
  assert.equal(
    section(file(result, 'src/data/preprocessing.py'), '    # From notebook cell 3.'),
    [
      '    # From notebook cell 3.',
      '    train["age"] = train["age"].fillna(statistics.per_group(\'train.groupby("pclass")["age"].transform("median")\', train, "pclass", lambda: train.groupby("pclass")["age"].agg("median")))',
      '    train["old"] = (train["age"] > statistics.value(\'train["age"].quantile(0.9)\', lambda: train["age"].quantile(0.9))).astype(int)',
      '    train["port"] = train["port"].fillna(statistics.value(\'train["port"].mode()[0]\', lambda: train["port"].mode()[0])).map({"S": 0, "C": 1})',
      "    train = train.fillna(statistics.value('train.mean()', lambda: train.mean()))",
      '    return train',
    ].join('\n'),
  );
  assert.match(file(result, 'src/utils/config.py'), /^INPUT_COLUMNS = \["fare", "age", "pclass", "port"\]$/m);
});

test('a statistic bound to a name first, and one of the non-missing values, are learned too', async () => {
  const cells =
    `${LOAD}# %%\nfreq_port = train["port"].dropna().mode()[0]\n# %%\nfor dataset in full_data:\n    dataset["port"] = dataset["port"].fillna(freq_port).map({"S": 0, "C": 1})\n` +
    MODEL.replace('"title", "family"', '"port"');
  const result = await planOf(cells);
  assert.match(
    section(file(result, 'src/data/preprocessing.py'), 'def engineer_features('),
    / {4}# From notebook cell 3\.\n {4}freq_port = statistics\.value\('train\["port"\]\.dropna\(\)\.mode\(\)\[0\]', lambda: train\["port"\]\.dropna\(\)\.mode\(\)\[0\]\)\n {4}# From notebook cell 4\.\n {4}for dataset in \[train\]:\n {8}dataset\["port"\] = dataset\["port"\]\.fillna\(freq_port\)\.map/,
  );
  assert.match(file(result, 'src/utils/config.py'), /^INPUT_COLUMNS = \["pclass", "port"\]$/m);
});

test('a statistic the engineering cannot learn stays in prepare_frame with everything before it, and Review says why', async () => {
  // Ranks place each row among the others: no value to learn.
  const rank = await planOf(`${LOAD}# %%\ntrain["fare"] = train["fare"].rank()\n${LOOP}${MODEL.replace('"pclass"', '"fare"')}`);
  const preprocessing = file(rank, 'src/data/preprocessing.py');
  assert.match(section(preprocessing, 'def prepare_cell3(train):'), /train\["fare"\] = train\["fare"\]\.rank\(\)\n {4}return train$/);
  assert.doesNotMatch(section(preprocessing, 'def engineer_features('), /rank|statistics/);
  assert.ok(
    rank.report.review.some((r) =>
      r.startsWith(
        '`train["fare"] = train["fare"].rank()` (cell 3) is not row-wise feature engineering (`.rank()` looks at more than one row): it stays in `prepare_frame`',
      ),
    ),
    rank.report.review.join('\n'),
  );
  // A median of another frame than the one engineered: the loop stays in prepare_frame.
  const other = await planOf(`${LOAD}# %%\n${LOOP}    dataset["fare"] = dataset["fare"].fillna(train["fare"].median())\n${MODEL}`);
  const kept = file(other, 'src/data/preprocessing.py');
  assert.doesNotMatch(kept, /engineer_features|FunctionTransformer|FittedFeatures/);
  assert.match(kept, / {4}for dataset in \[train\]:\n/);
  assert.match(file(other, 'src/utils/config.py'), /^INPUT_COLUMNS = None$/m);
  assert.ok(
    other.report.review.some((r) =>
      r.startsWith('`for dataset in full_data:` (cell 3) is not row-wise feature engineering (`.median()` looks at more than one row)'),
    ),
    other.report.review.join('\n'),
  );
  // Inside a notebook function (which other code may call): not learned.
  const inFunction = await planOf(
    `${LOAD}# %%\ndef fill(frame):\n    frame["fare"] = frame["fare"].fillna(frame["fare"].median())\n    return frame\n\n\ntrain = fill(train)\n${LOOP}${MODEL.replace('"pclass"', '"fare"')}`,
  );
  assert.match(section(file(inFunction, 'src/data/preprocessing.py'), 'def prepare_cell3(train):'), / {4}train = fill\(train\)\n/);
  assert.ok(
    inFunction.report.review.some((r) =>
      r.startsWith('`train = fill(train)` (cell 3) is not row-wise feature engineering (`.median()` looks at more than one row)'),
    ),
    inFunction.report.review.join('\n'),
  );
});

test('features chosen by drop: the engineering runs in the Pipeline, which drops the columns after it', async () => {
  const model =
    '# %%\nX = train.drop(["survived", "name", "ticket"], axis=1)\nX_train, X_test, y_train, y_test = train_test_split(X, train["survived"], random_state=1)\nmodel = LogisticRegression().fit(X_train, y_train)\n';
  const result = await planOf(`${LOAD}# %%\n${LOOP}${model}`);
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.match(section(preprocessing, 'def engineer_features('), /^def engineer_features\(train\):\n/);
  assert.equal(
    section(preprocessing, 'def model_features('),
    [
      'def model_features(frame, drop):',
      '    """The Pipeline\'s first step: engineers the features of raw input rows and drops the columns the notebook dropped."""',
      '    return engineer_features(frame).drop(columns=drop, errors="ignore")',
    ].join('\n'),
  );
  assert.match(preprocessing, /\("features", FunctionTransformer\(model_features, kw_args=\{"drop": list\(config\.DROP_COLUMNS\)\}\)\),/);
  const config = file(result, 'src/utils/config.py');
  assert.match(config, /^FEATURES = None$/m);
  assert.match(config, /^DROP_COLUMNS = \["survived", "name", "ticket"\]$/m);
  assert.match(config, /^INPUT_COLUMNS = None$/m);
  assert.match(config, /^ENGINEERED_FROM = \["name", "siblings", "parents"\]$/m);
  assert.match(config, /^TEXT_INPUTS = \["name"\]$/m);
  // A column the engineering drops itself is no input either; its drop tolerates the column's absence.
  const dropping = await planOf(`${LOAD}# %%\n${LOOP}train = train.drop(["cabin"], axis=1)\n${model}`);
  assert.match(
    section(file(dropping, 'src/data/preprocessing.py'), 'def engineer_features('),
    /\n {4}train = train\.drop\(\["cabin"\], axis=1, errors="ignore"\)\n {4}return train$/,
  );
  assert.match(file(dropping, 'src/utils/config.py'), /^DROP_COLUMNS = \["survived", "name", "ticket", "cabin"\]$/m);
});

test('pd.cut with a number of bins learns its edges from the data: not row-wise', async () => {
  const result = await planOf(`${LOAD}# %%\ntrain["title"] = pd.cut(train["age"], bins=4, labels=False)\ntrain["family"] = train["siblings"] + 1\n${MODEL}`);
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.match(section(preprocessing, 'def engineer_features('), / {4}train\["family"\] = train\["siblings"\] \+ 1\n {4}return train$/);
  assert.ok(
    result.report.review.some((r) => r.includes('(`pd.cut` without literal bin edges learns the edges from the data)')),
    result.report.review.join('\n'),
  );
});

test('code that writes the target column is not feature engineering', async () => {
  const result = await planOf(
    `${LOAD}# %%\ntrain["survived"] = train["survived"].map({"yes": 1, "no": 0})\n${MODEL.replace('"title", "family"', '"pclass2"')}`,
  );
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
  const rank = '    dataset["fare"] = dataset["fare"].rank()\n';
  const result = await planOf(`${LOAD}# %%\n${LOOP}${rank}# %%\nfor dataset in full_data:\n    dataset["family"] = dataset["family"] + 0\n${rank}${MODEL}`);
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.match(preprocessing, /def prepare_cell3\(train\):[\s\S]*?\n {4}return train\n/);
  assert.match(preprocessing, /def prepare_cell4\(train\):[\s\S]*?\n {4}return train\n/);
  assert.match(preprocessing, / {4}train = prepare_cell3\(train\)\n {4}train = prepare_cell4\(train\)\n {4}return train\n/);
});

test('a literal recoding of the frame in place and attribute assignments are row-wise: the model takes the raw text columns', async () => {
  const recode =
    '# %%\ntrain.replace({"sex": {"female": 0, "male": 1}}, inplace=True)\n# %%\ntrain.title = train.name.map({"a": 1})\ntrain.family = train.siblings.fillna(0)\n';
  const result = await planOf(`${LOAD}${recode}${MODEL.replace('"pclass"', '"sex"')}`);
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.match(
    section(preprocessing, 'def engineer_features('),
    / {4}train\.replace\(\{"sex": \{"female": 0, "male": 1\}\}, inplace=True\)\n {4}# From notebook cell 4\.\n {4}train\.title = train\.name\.map\(\{"a": 1\}\)\n {4}train\.family = train\.siblings\.fillna\(0\)\n {4}return train$/,
  );
  assert.match(file(result, 'src/utils/config.py'), /^INPUT_COLUMNS = \["sex", "name", "siblings"\]$/m);
});

test('a frame replace without a literal dict of dicts per column is not a recoding nb2prod can place in the model', async () => {
  const result = await planOf(
    `${LOAD}# %%\ntrain.replace("?", None, inplace=True)\ntrain["family"] = train["siblings"] + 1\ntrain["title"] = train["name"].str.len()\n${MODEL}`,
  );
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.match(section(preprocessing, 'def prepare_frame('), /train = prepare_cell3\(train\)/);
  assert.doesNotMatch(section(preprocessing, 'def engineer_features('), /replace/);
});
