// Encodings LEARNED from the data before the split (`LabelEncoder().fit_transform`, `pd.get_dummies`
// of the frame's columns) run inside the saved Pipeline's first step: `statistics.codes` and
// `statistics.dummies` learn each column's categories from the training rows, so the model takes
// the raw columns. An encoding nb2prod cannot place there refuses, naming the cell and the edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebookFull } from '../../../src/core/engine';
import { SCAFFOLD_ANALYSIS } from '../../../src/core/scaffold/from-notebook';
import { parseNotebookText } from '../../../src/core/notebook';
import { plan, type ScaffoldPlan } from '../../../src/core/scaffold';

const HEADER =
  '# %%\nimport pandas as pd\nfrom sklearn.linear_model import LogisticRegression\nfrom sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import LabelEncoder\n';
const fitOn = (x: string, y: string): string =>
  `X_train, X_test, y_train, y_test = train_test_split(${x}, ${y}, random_state=1)\nmodel = LogisticRegression().fit(X_train, y_train)\n`;

async function planOf(cells: string): Promise<ScaffoldPlan> {
  return plan(await analyzeNotebookFull(parseNotebookText('x.py', HEADER + cells), SCAFFOLD_ANALYSIS));
}

function file(result: ScaffoldPlan, path: string): string {
  assert.ok(result.ok, result.report.problems.join('\n'));
  const change = result.changes.find((c) => c.path === path);
  assert.ok(change, `no ${path} planned`);
  return change.content;
}

function engineering(result: ScaffoldPlan): string {
  const text = file(result, 'src/data/preprocessing.py');
  const from = text.indexOf('def engineer_features(');
  assert.ok(from >= 0, text);
  return text.slice(from, text.indexOf('\n\n\n', from));
}

function setting(result: ScaffoldPlan, name: string): string | undefined {
  return new RegExp(`^${name} = (.*)$`, 'm').exec(file(result, 'src/utils/config.py'))?.[1];
}

test('LabelEncoder().fit_transform, le.fit_transform in a loop over column names, on an attribute, and .apply(LabelEncoder().fit_transform) become statistics.codes', async () => {
  const result = await planOf(
    '# %%\ndf = pd.read_csv("d.csv")\ndf["sex"] = LabelEncoder().fit_transform(df["sex"])\nle = LabelEncoder()\n' +
      'for c in ["port", "deck"]:\n    df[c] = le.fit_transform(df[c])\ndf[["a", "b"]] = df[["a", "b"]].apply(LabelEncoder().fit_transform)\n' +
      `df.cls = le.fit_transform(df.cls)\n# %%\nfeatures = ["sex", "port", "deck", "a", "b", "cls", "age"]\n${fitOn('df[features]', 'df["t"]')}`,
  );
  assert.equal(
    engineering(result),
    [
      'def engineer_features(df, statistics):',
      '    """The notebook\'s feature engineering (cell 2) on a copy of raw rows, with the categories it encodes read from `statistics` (learned from the training rows by `FittedFeatures.fit`; a category training never saw is coded -1)."""',
      '    df = df.copy()',
      '    # From notebook cell 2.',
      '    df["sex"] = statistics.codes(\'LabelEncoder().fit_transform(df["sex"])\', df["sex"])',
      '    # nb2prod: `le = LabelEncoder()` is not run: `statistics.codes` learns the categories instead.',
      '    for c in ["port", "deck"]:',
      "        df[c] = statistics.codes('le.fit_transform(df[c])', df[c])",
      '    df[["a", "b"]] = df[["a", "b"]].apply(lambda column: statistics.codes(\'df[["a", "b"]].apply(LabelEncoder().fit_transform)\', column))',
      "    df.cls = statistics.codes('le.fit_transform(df.cls)', df.cls)",
      '    return df',
    ].join('\n'),
  );
  assert.equal(setting(result, 'INPUT_COLUMNS'), '["age", "sex", "port", "deck", "a", "b", "cls"]');
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.match(preprocessing, /^from sklearn\.preprocessing import LabelEncoder$/m);
  assert.match(preprocessing, /\n {4}def codes\(self, key, column\):\n {8}"""`LabelEncoder\(\)\.fit_transform\(column\)` with the categories learned/);
  assert.match(preprocessing, /-1 for a category training never saw/);
  // Generated only when used.
  assert.doesNotMatch(preprocessing, /def dummies\(/);
});

test('pd.get_dummies(frame, columns=[...]) bound to a new frame becomes statistics.dummies; the model takes the encoded raw columns', async () => {
  const result = await planOf(
    '# %%\ndf = pd.read_csv("d.csv")\nencoded = pd.get_dummies(df, columns=["plan", "region"], drop_first=True)\n' +
      `# %%\nfeatures = ["age", "plan_pro", "plan_team", "region_west"]\n${fitOn('encoded[features]', 'encoded["t"]')}`,
  );
  assert.equal(
    engineering(result),
    [
      'def engineer_features(df, statistics):',
      '    """The notebook\'s feature engineering (cell 2) on a copy of raw rows, with the categories it encodes read from `statistics` (learned from the training rows by `FittedFeatures.fit`; a category training never saw gets zeros in every dummy column)."""',
      '    df = df.copy()',
      '    # From notebook cell 2.',
      '    encoded = statistics.dummies(\'pd.get_dummies(df, columns=["plan", "region"], drop_first=True)\', df, columns=["plan", "region"], drop_first=True)',
      '    return encoded',
    ].join('\n'),
  );
  assert.equal(setting(result, 'INPUT_COLUMNS'), '["age", "plan", "region"]');
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.match(preprocessing, /\n {4}def dummies\(self, key, data, \*\*options\):\n/);
  assert.match(preprocessing, /pd\.CategoricalDtype\(categories\)/);
  assert.doesNotMatch(preprocessing, /def codes\(|LabelEncoder/);
});

test('a column\'s dummies put next to the selected features (pd.concat, axis="columns"), the column and a dummy dropped, run inside the Pipeline', async () => {
  const result = await planOf(
    '# %%\ndf = pd.read_csv("d.csv")\ninputs = df.drop("t", axis="columns")\ntarget = df.t\ndummies = pd.get_dummies(inputs.Sex)\n' +
      'inputs = pd.concat([inputs, dummies], axis="columns")\ninputs.drop(["Sex", "male"], axis="columns", inplace=True)\n' +
      `inputs.Age = inputs.Age.fillna(inputs.Age.mean())\n# %%\n${fitOn('inputs', 'target')}`,
  );
  assert.equal(
    engineering(result),
    [
      'def engineer_features(df, statistics):',
      '    """The notebook\'s feature engineering (cell 2) on a copy of raw rows, with the categories it encodes read from `statistics` (learned from the training rows by `FittedFeatures.fit`; a category training never saw gets zeros in every dummy column)."""',
      '    df = df.copy()',
      '    # From notebook cell 2.',
      '    inputs = df.drop("t", axis="columns", errors="ignore")',
      "    dummies = statistics.dummies('pd.get_dummies(inputs.Sex)', inputs.Sex)",
      '    inputs = pd.concat([inputs, dummies], axis="columns")',
      '    inputs.drop(["Sex", "male"], axis="columns", inplace=True, errors="ignore")',
      "    inputs.Age = inputs.Age.fillna(statistics.value('inputs.Age.mean()', lambda: inputs.Age.mean()))",
      '    return inputs',
    ].join('\n'),
  );
  assert.equal(setting(result, 'ENGINEERED_FROM'), '["Sex", "Age"]');
});

test('dummies put before the frame (pd.concat([dummies, frame], axis=1)) run inside the Pipeline too', async () => {
  const result = await planOf(
    `# %%\ndf = pd.read_csv("d.csv")\ndf = pd.concat([pd.get_dummies(df["plan"], prefix="plan"), df], axis=1)\n# %%\nfeatures = ["age", "plan_pro"]\n${fitOn('df[features]', 'df["t"]')}`,
  );
  assert.match(
    engineering(result),
    / {4}df = pd\.concat\(\[statistics\.dummies\('pd\.get_dummies\(df\["plan"\], prefix="plan"\)', df\["plan"\], prefix="plan"\), df\], axis=1\)\n {4}return df$/,
  );
  assert.equal(setting(result, 'INPUT_COLUMNS'), '["age", "plan"]');
});

test('an attribute recoding of the features right after they are selected by a drop runs inside the Pipeline', async () => {
  const result = await planOf(
    '# %%\ndf = pd.read_csv("d.csv")\ninputs = df.drop("t", axis="columns")\ntarget = df.t\ninputs.Sex = inputs.Sex.map({"male": 1, "female": 2})\n' +
      `# %%\n${fitOn('inputs', 'target')}`,
  );
  assert.match(
    engineering(result),
    / {4}inputs = df\.drop\("t", axis="columns", errors="ignore"\)\n {4}inputs\.Sex = inputs\.Sex\.map\(\{"male": 1, "female": 2\}\)\n {4}return inputs$/,
  );
});

test("a column's dummies joined in a loop over column names become statistics.dummies; a rename is row-wise; a drop by position is not run", async () => {
  const result = await planOf(
    '# %%\nhr = pd.read_csv("d.csv")\nhr = hr.rename(columns={"sales": "dept"})\ncat_vars = ["dept", "salary"]\nfor var in cat_vars:\n    cat_list = "var" + "_" + var\n' +
      '    cat_list = pd.get_dummies(hr[var], prefix=var)\n    hr1 = hr.join(cat_list)\n    hr = hr1\nhr.drop(hr.columns[[3, 4]], axis=1, inplace=True)\n' +
      `# %%\ncols = ["age", "dept_it", "salary_low"]\n${fitOn('hr[cols]', 'hr["left"]')}`,
  );
  assert.equal(
    engineering(result),
    [
      'def engineer_features(hr, statistics):',
      '    """The notebook\'s feature engineering (cell 2) on a copy of raw rows, with the categories it encodes read from `statistics` (learned from the training rows by `FittedFeatures.fit`; a category training never saw gets zeros in every dummy column)."""',
      '    hr = hr.copy()',
      '    # From notebook cell 2.',
      '    hr = hr.rename(columns={"sales": "dept"})',
      '    for var in config.CAT_VARS:',
      '        cat_list = "var" + "_" + var',
      "        cat_list = statistics.dummies('pd.get_dummies(hr[var], prefix=var)', hr[var], prefix=var)",
      '        hr1 = hr.join(cat_list)',
      '        hr = hr1',
      '    # nb2prod: `hr.drop(hr.columns[[3, 4]], axis=1, inplace=True)` is not run: it drops columns by position, and the model selects its features by name.',
      '    return hr',
    ].join('\n'),
  );
  assert.equal(setting(result, 'INPUT_COLUMNS'), '["age", "sales", "salary"]');
});

test('features chosen by position take label encodings, which rewrite columns in place, inside the Pipeline; dummies, which add columns, refuse', async () => {
  const encoded = await planOf(
    '# %%\ndata = pd.read_csv("d.csv")\nlb = LabelEncoder()\ndata["sex"] = lb.fit_transform(data["sex"])\n' +
      `# %%\nX = data.iloc[:, :-1]\ny = data.iloc[:, -1]\n${fitOn('X', 'y')}`,
  );
  assert.match(engineering(encoded), / {4}data\["sex"\] = statistics\.codes\('lb\.fit_transform\(data\["sex"\]\)', data\["sex"\]\)\n {4}return data$/);
  assert.match(file(encoded, 'src/data/preprocessing.py'), /\("features", FittedFeatures\(drop=list\(config\.DROP_COLUMNS\)\)\),/);
  assert.equal(setting(encoded, 'FEATURES'), 'slice(None, -1)');
  const dummies = await planOf(
    `# %%\ndata = pd.read_csv("d.csv")\ndata = data.join(pd.get_dummies(data["sex"], prefix="sex"))\n# %%\nX = data.iloc[:, 1:]\ny = data.iloc[:, 0]\n${fitOn('X', 'y')}`,
  );
  assert.equal(dummies.ok, false);
  assert.deepEqual(dummies.report.problems, [
    '`pd.get_dummies(data["sex"], prefix="sex")` (cell 2) encodes a feature with categories learned from every row, and it cannot run inside the saved Pipeline because the features are chosen by position (`data.iloc[:, 1:]`, cell 3) and the engineering adds or removes columns, which moves them; the model would take encoded columns no raw row has. Select the features by name instead (`X = df.drop(columns=["target"])` or a list of columns) (or encode inside the model: `OneHotEncoder(handle_unknown="ignore")` or `OrdinalEncoder` in a Pipeline fitted after the split).',
    'Nothing was written.',
  ]);
});

test('a learned encoding nb2prod cannot run inside the Pipeline refuses, naming the cell and the edit, with nothing written', async () => {
  const filtered = await planOf(
    `# %%\ndf = pd.read_csv("d.csv")\ndf["sex"] = LabelEncoder().fit_transform(df["sex"])\ndf = df[df["age"] > 0]\n# %%\nfeatures = ["sex", "age"]\n${fitOn('df[features]', 'df["t"]')}`,
  );
  assert.equal(filtered.ok, false);
  assert.deepEqual(filtered.changes, []);
  assert.deepEqual(filtered.report.problems, [
    '`LabelEncoder().fit_transform(df["sex"])` (cell 2) encodes a feature with categories learned from every row, and it cannot run inside the saved Pipeline because `df = df[df["age"] > 0]` (cell 2) is not row-wise (it binds a value other than a column of the frame); the model would take encoded columns no raw row has. Move that code above the encoding, or after the split (or encode inside the model: `OneHotEncoder(handle_unknown="ignore")` or `OrdinalEncoder` in a Pipeline fitted after the split).',
    'Nothing was written.',
  ]);
  // Dummies named by the categories alone cannot be told from raw columns when the features are listed by name.
  const unnamed = await planOf(
    `# %%\ndf = pd.read_csv("d.csv")\ndf = df.join(pd.get_dummies(df["sex"]))\n# %%\nfeatures = ["age", "female"]\n${fitOn('df[features]', 'df["t"]')}`,
  );
  assert.equal(unnamed.ok, false);
  assert.match(unnamed.report.problems[0]!, /^`pd\.get_dummies\(df\["sex"\]\)` \(cell 2\) .*give `pd\.get_dummies` `prefix="sex"`/);
});

test('an encoding inside a notebook function that data preparation calls refuses, naming the call, the function and the edit', async () => {
  const helper =
    'def encode(frame):\n    le = LabelEncoder()\n    for c in list(frame.select_dtypes(include=["object"])):\n        frame[c] = le.fit_transform(frame[c])\n    return frame\n';
  const refused = await planOf(`# %%\n${helper}\n# %%\ndf = pd.read_csv("d.csv")\ndf = encode(df)\n# %%\n${fitOn('df.drop(columns=["t"])', 'df["t"]')}`);
  assert.equal(refused.ok, false);
  assert.deepEqual(refused.changes, []);
  assert.equal(
    refused.report.problems[0],
    '`df = encode(df)` (cell 3) calls `encode`, which encodes columns of the features with categories learned from every row (`LabelEncoder.fit_transform`, cell 2); nb2prod does not run a notebook function\'s encodings inside the saved Pipeline, so the model would take encoded columns no raw row has. Write the encoding in the cell itself (`df[c] = LabelEncoder().fit_transform(df[c])` for each named column), or encode inside the model: `OneHotEncoder(handle_unknown="ignore")` or `OrdinalEncoder` in a Pipeline fitted after the split.',
  );
  // Twin: a function that encodes only the target gives the model nothing encoded; no refusal.
  const target = 'def encode_target(frame):\n    frame["t"] = LabelEncoder().fit_transform(frame["t"])\n    return frame\n';
  const kept = await planOf(`# %%\n${target}\n# %%\ndf = pd.read_csv("d.csv")\ndf = encode_target(df)\n# %%\n${fitOn('df[["a", "b"]]', 'df["t"]')}`);
  assert.ok(kept.ok, kept.ok ? '' : kept.report.problems.join('\n'));
});

test('a target label-encoded in the frame stays in prepare_frame: the model predicts the codes', async () => {
  const result = await planOf(
    `# %%\ndf = pd.read_csv("d.csv")\ndf["species"] = LabelEncoder().fit_transform(df["species"])\n# %%\nfeatures = ["a", "b"]\n${fitOn('df[features]', 'df["species"]')}`,
  );
  assert.match(file(result, 'src/data/preprocessing.py'), / {4}df\["species"\] = LabelEncoder\(\)\.fit_transform\(df\["species"\]\)\n/);
});

test('an encoding of a column the model does not take stays in prepare_frame without a refusal', async () => {
  const result = await planOf(
    `# %%\ndf = pd.read_csv("d.csv")\ndf["name"] = LabelEncoder().fit_transform(df["name"])\ndf = df[df["age"] > 0]\n# %%\nfeatures = ["age", "fare"]\n${fitOn('df[features]', 'df["t"]')}`,
  );
  assert.match(file(result, 'src/data/preprocessing.py'), / {4}df\["name"\] = LabelEncoder\(\)\.fit_transform\(df\["name"\]\)\n/);
});

test('pd.get_dummies of the features selected by a drop, bound back to them, is one-hot encoded inside the Pipeline', async () => {
  const result = await planOf(
    `# %%\ndf = pd.read_csv("d.csv")\nX = df.drop("t", axis=1)\ny = df["t"]\nX = pd.get_dummies(X, drop_first=True)\n# %%\n${fitOn('X', 'y')}`,
  );
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.doesNotMatch(preprocessing, /def engineer_features|get_dummies\(/);
  assert.match(
    preprocessing,
    /\("columntransformer", ColumnTransformer\(\[\("onehot", OneHotEncoder\(handle_unknown="ignore", sparse_output=False, drop="first"\), make_column_selector/,
  );
  assert.equal(setting(result, 'DROP_COLUMNS'), '["t"]');
});
