// plan(): roles from what code does, module extraction from the def-use graph, configuration
// literals, the report, kinds against existing files, and clear refusals for bad notebooks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeNotebookFull } from '../../../src/core/engine';
import { SCAFFOLD_ANALYSIS } from '../../../src/core/scaffold/from-notebook';
import { loadNotebookFile, parseNotebookText } from '../../../src/core/notebook';
import { plan, type ScaffoldPlan } from '../../../src/core/scaffold';
import { renderTemplate } from '../../../src/core/scaffold/render';
import { repoRoot } from '../../helpers/paths';
import { planGolden } from './snapshots';

async function planFixture(name: string): Promise<ScaffoldPlan> {
  const notebook = await loadNotebookFile(join(repoRoot, 'test', 'fixtures', 'scaffold', name));
  return plan(await analyzeNotebookFull(notebook, SCAFFOLD_ANALYSIS));
}

function file(result: ScaffoldPlan, path: string): string {
  const change = result.changes.find((c) => c.path === path);
  assert.ok(change, `no ${path} planned`);
  return change.content;
}

test('churn: cells get roles from their calls, not from headings', async () => {
  const result = await planGolden('churn');
  const roles = Object.fromEntries(result.report.cells.map((c) => [c.cell, c.role]));
  assert.deepEqual(roles, {
    1: 'setup',
    2: 'ingestion',
    4: 'preprocessing',
    5: 'preprocessing',
    6: 'config',
    7: 'preprocessing',
    9: 'training',
    10: 'training',
    11: 'training',
  });
  // Cell 3 loads the data and prints its shape: the print is left out in the cell's own placement.
  assert.ok(result.report.cells.find((c) => c.cell === 2)!.leftOut.includes('`print(df.shape)`'));
  assert.ok(!result.report.leftOut.some((l) => l.startsWith('Cell 3,')));
});

test('the report numbers cells as `nb2prod check` does (from 1, markdown included)', async () => {
  const notebook = await loadNotebookFile(join(repoRoot, 'examples', 'churn.ipynb'));
  const analysis = await analyzeNotebookFull(notebook, SCAFFOLD_ANALYSIS);
  const result = plan(analysis);
  const lines = [...result.report.fixed, ...result.report.review].filter((l) => /^cell \d+, [A-Z]{2}\d{3} /.test(l));
  assert.equal(lines.length, 4);
  for (const line of lines) {
    const [, shown, code] = /^cell (\d+), ([A-Z]{2}\d{3}) /.exec(line)!;
    assert.ok(
      analysis.diagnostics.some((d) => d.code === code && d.cell + 1 === Number(shown)),
      `${line}: no ${code} in the cell check calls cell ${shown}`,
    );
  }
  // The NB101 finding: read in the fifth cell (0-based 4), defined in the seventh.
  assert.ok(result.report.fixed.some((l) => l.startsWith('cell 5, NB101 use-before-define:') && l.includes('only defined in cell 7')));
});

test('churn: functions take what earlier steps define and return what later steps use', async () => {
  const preprocessing = file(await planGolden('churn'), 'src/data/preprocessing.py');
  assert.match(preprocessing, /# From notebook cell 6\.\ndef add_features\(frame, df\):/);
  assert.match(preprocessing, /def cleaning_cell5\(df\):\n {4}"""Data preparation from notebook cell 5\."""[\s\S]*?config\.MIN_TENURE[\s\S]*?return df\n/);
  assert.match(preprocessing, /data = add_features\(df, df=df\)\n {4}return data/);
  assert.match(preprocessing, /def prepare_frame\(raw\):[\s\S]*df = raw\n {4}df = cleaning_cell5\(df\)\n {4}data = cleaning_cell8\(df\)\n {4}return data/);
  assert.match(preprocessing, /\("scaler", StandardScaler\(\)\)/);
});

test('churn: configuration literals and unresolved names move to config.py', async () => {
  const result = await planGolden('churn');
  const config = file(result, 'src/utils/config.py');
  for (const line of [
    'MIN_TENURE = 1',
    'TARGET = "churned"',
    'RANDOM_SEED = 42',
    'TEST_SIZE = 0.2',
    '"max_iter": 1000,',
    'CONTRACT_MAP = None',
    'REQUIRED_SETTINGS = ["CONTRACT_MAP"]',
    'DATA_PATH = str(PROJECT_ROOT / "data/churn.csv")',
    'METRICS = ["accuracy", "roc_auc"]',
  ]) {
    assert.ok(config.includes(line), `config.py lacks ${line}`);
  }
  assert.match(config, /FEATURES = \["tenure_months"/);
  assert.match(file(result, 'src/data/ingestion.py'), /pd\.read_csv\(config\.DATA_PATH, parse_dates=\["signup_date"\]\)/);
  assert.match(file(result, 'src/model/train.py'), /return LogisticRegression\(\*\*config\.MODEL_PARAMS\)/);
});

test('churn: the leak the Pipeline fixes is reported as fixed; what it cannot fix is under Review', async () => {
  const result = await planGolden('churn');
  assert.ok(result.report.fixed.some((f) => f.includes('LK201') && f.includes('StandardScaler')));
  const readme = file(result, 'README.md');
  const review = readme.slice(readme.indexOf('## Review'));
  assert.match(review, /`contract_map`/);
  assert.match(review, /`add_features` \(cell 6\) read the notebook global `df`/);
});

test('predict.py reads artifacts only: no fit, no import of training code', async () => {
  const predict = file(await planGolden('house_prices'), 'src/model/predict.py');
  assert.doesNotMatch(predict, /\.fit(_transform)?\(/);
  assert.doesNotMatch(predict, /^\s*(from|import) [^\n]*(src\.model\.train|src\.model import train|src\.data)/m);
});

test('several models: the saved or last one is trained, the others are listed as left out', async () => {
  const result = await planFixture('two_models.py');
  assert.ok(result.ok);
  assert.match(file(result, 'src/model/train.py'), /GradientBoostingRegressor\(\*\*config\.MODEL_PARAMS\)/);
  assert.ok(result.report.leftOut.some((l) => l.includes('trains 2 models') && l.includes('`LinearRegression()` (cell 3)')));
});

test('bad input: no model, syntax errors and markdown only are explained and plan nothing', async () => {
  const noModel = await planFixture('no_model.py');
  assert.equal(noModel.ok, false);
  assert.deepEqual(noModel.changes, []);
  assert.match(noModel.report.problems[0]!, /^No model is trained/);
  assert.ok(noModel.report.problems.includes('Nothing was written.'));
  const syntax = await planFixture('syntax_error.py');
  assert.equal(syntax.ok, false);
  assert.match(syntax.report.problems[0]!, /^Cell 2 has a syntax error at line \d+: .*Fix it first/);
  const markdown = await planFixture('only_markdown.ipynb');
  assert.equal(markdown.ok, false);
  assert.match(markdown.report.problems[0]!, /only markdown/);
});

test('a model whose inputs cannot be traced is refused with the reason', async () => {
  const notebook = parseNotebookText(
    'x.py',
    '# %%\nfrom sklearn.linear_model import Ridge\nimport numpy as np\n# %%\nX = np.random.default_rng(0).normal(size=(10, 2))\ny = X.sum(axis=1)\nRidge().fit(X, y)\n',
  );
  const result = plan(await analyzeNotebookFull(notebook, SCAFFOLD_ANALYSIS));
  assert.equal(result.ok, false);
  assert.match(result.report.problems.join('\n'), /could not be traced back/);
});

test('clustering and outlier-detection models are refused by their task in the library tables, not scaffolded as regressors', async () => {
  const cells = (model: string) =>
    `# %%\nimport pandas as pd\nfrom sklearn.cluster import KMeans\nfrom sklearn.ensemble import IsolationForest\n# %%\ndf = pd.read_csv("d.csv")\nX = df[["a", "b"]]\ny = df["t"]\n# %%\nmodel = ${model}\nmodel.fit(X, y)\n`;
  for (const [model, task] of [
    ['KMeans(n_clusters=3, random_state=0)', 'clustering'],
    ['IsolationForest(random_state=0)', 'outlier detection'],
  ] as const) {
    const result = plan(await analyzeNotebookFull(parseNotebookText('x.py', cells(model)), SCAFFOLD_ANALYSIS));
    assert.equal(result.ok, false);
    assert.deepEqual(result.changes, []);
    assert.equal(
      result.report.problems[0],
      `\`${model.split('(')[0]}\` (cell 3) is a ${task} model: the scaffold trains classifiers and regressors, whose predictions it can score against a target and serve.`,
    );
  }
});

test('a model built from names of other cells: build_model rebuilds them, in order, and the task comes from the inner estimator', async () => {
  const result = await planGolden('plan_search');
  assert.ok(result.ok, result.report.problems.join('\n'));
  const train = file(result, 'src/model/train.py');
  assert.match(
    train,
    /def build_model\(\):\n {4}"""The unfitted estimator of notebook cell 8, [^\n]*\n {4}# From notebook cell 7\.\n {4}numeric = Pipeline\(\[[^\n]*\n {4}pre = ColumnTransformer\(\[\("num", numeric, [^\n]*\n {4}model = Pipeline\(\[\("pre", pre\), \("clf", LogisticRegression\(max_iter=500\)\)\]\)\n {4}return GridSearchCV\(model, \{"clf__C": \[0\.1, 1\.0, 10\.0\]\}, \*\*config\.MODEL_PARAMS\)\n/,
  );
  // Each import once: the template's own `from sklearn.pipeline import Pipeline` is not repeated.
  for (const line of [
    'from sklearn.pipeline import Pipeline',
    'from sklearn.compose import ColumnTransformer',
    'from sklearn.model_selection import GridSearchCV',
  ]) {
    assert.equal(train.split('\n').filter((l) => l === line).length, 1, line);
  }
  assert.match(file(result, 'src/utils/config.py'), /TASK = "classification"/);
  assert.equal(result.report.cells.find((c) => c.cell === 6)?.role, 'training');
  assert.ok(!result.report.leftOut.some((l) => l.includes('Cell 7')), result.report.leftOut.join('\n'));
  assert.deepEqual(result.report.review, []);
});

test('a name the model reads that is computed from data is refused with the edit to make, not silently copied', async () => {
  const notebook = parseNotebookText(
    'x.py',
    '# %%\nimport pandas as pd\nfrom sklearn.linear_model import LogisticRegression\nfrom sklearn.model_selection import train_test_split\n' +
      '# %%\ndf = pd.read_csv("d.csv")\nX = df[["a", "b"]]\ny = df["t"]\nX_train, X_test, y_train, y_test = train_test_split(X, y)\n' +
      '# %%\nweights = {0: 1.0, 1: float((y_train == 0).sum() / (y_train == 1).sum())}\nmodel = LogisticRegression(class_weight=weights)\nmodel.fit(X_train, y_train)\n',
  );
  const result = plan(await analyzeNotebookFull(notebook, SCAFFOLD_ANALYSIS));
  // build_model would read `weights`, which nothing in train.py defines: training could not run.
  assert.equal(result.ok, false);
  assert.deepEqual(result.changes, []);
  assert.deepEqual(result.report.problems, [
    'The generated project would read names that nothing in it defines, so training would stop with `NameError`:',
    "  src/model/train.py:29: `build_model` reads `weights`, which nothing in the generated file defines or imports. It comes from the model of notebook cell 3: write `weights` as a literal in the notebook (it then becomes a setting in config.py), or compute it inside the model's constructor call.",
    'Nothing was written.',
  ]);
  assert.ok(
    result.report.review.includes(
      'The model reads `weights` (cell 3), a value computed from data, which training cannot rebuild on its own: define it in `build_model` in `src/model/train.py`.',
    ),
    result.report.review.join('\n'),
  );
});

test('a cell that binds a name before reading it takes no parameter for it', async () => {
  const notebook = parseNotebookText(
    'x.py',
    '# %%\nimport numpy as np\nimport pandas as pd\nfrom sklearn.linear_model import Ridge\n' +
      '# %%\nrng = np.random.default_rng(0)\ndf = pd.DataFrame({"a": rng.normal(size=50), "b": rng.normal(size=50)})\ndf["t"] = df["a"] * 2\n' +
      '# %%\nfeatures = ["a", "b"]\nRidge().fit(df[features], df["t"])\n',
  );
  const result = plan(await analyzeNotebookFull(notebook, SCAFFOLD_ANALYSIS));
  assert.ok(result.ok, result.report.problems.join('\n'));
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.match(preprocessing, /def prepare_cell2\(\):\n/);
  assert.match(preprocessing, / {4}df = prepare_cell2\(\)\n {4}return df/);
});

test('computed feature columns are refused with what to write instead', async () => {
  const notebook = parseNotebookText(
    'x.py',
    '# %%\nimport pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n' +
      '# %%\ndf = pd.read_csv("d.csv")\nfeatures = [c for c in df.columns if c != "t"]\nLogisticRegression().fit(df[features], df["t"])\n',
  );
  const result = plan(await analyzeNotebookFull(notebook, SCAFFOLD_ANALYSIS));
  assert.equal(result.ok, false);
  assert.ok(
    result.report.problems.includes(
      '  Could not read the feature columns of `df[features]`: they are computed, and training needs them written out; list them (`features = ["a", "b"]`) or drop the other columns (`X = df.drop(columns=[...])`).',
    ),
    result.report.problems.join('\n'),
  );
  // Positions written out (`df.iloc[:, :-1]`, `df.iloc[:, [0, 2]]`) are followed (shapes.test.ts); positions computed are not.
  const positional = parseNotebookText(
    'x.py',
    '# %%\nimport pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n# %%\ndf = pd.read_csv("d.csv")\nLogisticRegression().fit(df.iloc[:, list(range(3))], df["t"])\n',
  );
  const refused = plan(await analyzeNotebookFull(positional, SCAFFOLD_ANALYSIS));
  assert.ok(
    refused.report.problems.includes(
      '  Unsupported feature selection `df.iloc[:, list(range(3))]`: select the feature columns by name (`df[["a", "b"]]`, or `df.drop(columns=[...])`).',
    ),
    refused.report.problems.join('\n'),
  );
});

test('a cell magic line is neither code to place nor exploration to list', async () => {
  const notebook = parseNotebookText(
    'x.ipynb',
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } },
      cells: [
        'import pandas as pd\nfrom sklearn.linear_model import Ridge',
        'df = pd.read_csv("d.csv")\nfeatures = ["a", "b"]',
        '%%time\nmodel = Ridge(alpha=1.0)\nmodel.fit(df[features], df["t"])',
      ].map((source, i) => ({ id: `c${i}`, cell_type: 'code', execution_count: i + 1, metadata: {}, outputs: [], source })),
    }),
  );
  const result = plan(await analyzeNotebookFull(notebook, SCAFFOLD_ANALYSIS));
  assert.ok(result.ok, result.report.problems.join('\n'));
  assert.deepEqual(result.report.leftOut, []);
  assert.match(file(result, 'src/model/train.py'), /return Ridge\(\*\*config\.MODEL_PARAMS\)/);
});

test('a target encoded with LabelEncoder: the classifier learns the labels themselves, and the review says so', async () => {
  const notebook = parseNotebookText(
    'x.py',
    '# %%\nimport pandas as pd\nfrom sklearn.preprocessing import LabelEncoder\nfrom sklearn.svm import SVC\nfrom sklearn.model_selection import train_test_split\n' +
      '# %%\ndf = pd.read_csv("d.csv")\nle = LabelEncoder()\ny = le.fit_transform(df["plan"])\nX = df[["a", "b"]]\nX_train, X_test, y_train, y_test = train_test_split(X, y, random_state=5)\n' +
      '# %%\nsvc = SVC(probability=True)\nsvc.fit(X_train, y_train)\n',
  );
  const result = plan(await analyzeNotebookFull(notebook, SCAFFOLD_ANALYSIS));
  assert.ok(result.ok, result.report.problems.join('\n'));
  assert.match(file(result, 'src/utils/config.py'), /^TARGET = "plan"$/m);
  assert.match(file(result, 'src/utils/config.py'), /^TASK = "classification"$/m);
  assert.ok(
    result.report.review.some((r) =>
      r.startsWith('The notebook encodes the target with `LabelEncoder` (cell 2); the classifier now learns the labels themselves'),
    ),
    result.report.review.join('\n'),
  );
});

test('the saved model is the search whose best estimator is dumped, even when a baseline is fitted after it', async () => {
  const notebook = parseNotebookText(
    'x.py',
    '# %%\nimport joblib\nimport pandas as pd\nfrom sklearn.ensemble import RandomForestClassifier\nfrom sklearn.linear_model import LogisticRegression\nfrom sklearn.model_selection import GridSearchCV\n' +
      '# %%\ndf = pd.read_csv("d.csv")\nX = df[["a", "b"]]\ny = df["t"]\n' +
      '# %%\nsearch = GridSearchCV(RandomForestClassifier(random_state=0), {"max_depth": [2, 4]})\nsearch.fit(X, y)\n' +
      '# %%\nbaseline = LogisticRegression()\nbaseline.fit(X, y)\n' +
      '# %%\nbest = search.best_estimator_\njoblib.dump(best, "model.joblib")\n',
  );
  const result = plan(await analyzeNotebookFull(notebook, SCAFFOLD_ANALYSIS));
  assert.ok(result.ok, result.report.problems.join('\n'));
  assert.match(
    file(result, 'src/model/train.py'),
    /return GridSearchCV\(RandomForestClassifier\(random_state=0\), \{"max_depth": \[2, 4\]\}, \*\*config\.MODEL_PARAMS\)/,
  );
  assert.ok(
    result.report.leftOut.some((l) => l.includes('the one the notebook saves') && l.includes('`LogisticRegression()` (cell 4)')),
    result.report.leftOut.join('\n'),
  );
});

test('fillna on the features becomes a SimpleImputer step of the Pipeline; a fill it cannot rebuild is refused', async () => {
  const shaped = (fill: string): ReturnType<typeof parseNotebookText> =>
    parseNotebookText(
      'x.py',
      '# %%\nimport pandas as pd\nfrom sklearn.tree import DecisionTreeClassifier\nfrom sklearn.model_selection import train_test_split\n' +
        `# %%\ndf = pd.read_csv("d.csv")\nfeatures = ["a", "b"]\nX = df[features].fillna(${fill})\ny = df["t"]\nX_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\n` +
        '# %%\nmodel = DecisionTreeClassifier(max_depth=3).fit(X_train, y_train)\n',
    );
  const constant = plan(await analyzeNotebookFull(shaped('0'), SCAFFOLD_ANALYSIS));
  assert.ok(constant.ok, constant.report.problems.join('\n'));
  const steps = file(constant, 'src/data/preprocessing.py');
  assert.match(steps, /^from sklearn\.impute import SimpleImputer$/m);
  assert.match(
    steps,
    / {4}return \[\n {8}# Notebook cell 2, its `fillna` as a Pipeline step\.\n {8}\("simpleimputer", SimpleImputer\(strategy="constant", fill_value=0\)\),\n {4}\]/,
  );
  assert.ok(
    constant.report.review.some((r) =>
      r.startsWith('`df[features].fillna(0)` (cell 2) fills missing values before the model; training does it inside the Pipeline'),
    ),
  );
  const median = plan(await analyzeNotebookFull(shaped('df[features].median()'), SCAFFOLD_ANALYSIS));
  assert.match(file(median, 'src/data/preprocessing.py'), /\("simpleimputer", SimpleImputer\(strategy="median"\)\)/);
  // One column's median fills every column with that one number: not what a per-column imputer does.
  assert.equal(plan(await analyzeNotebookFull(shaped('df["a"].median()'), SCAFFOLD_ANALYSIS)).ok, false);
  const forward = plan(await analyzeNotebookFull(shaped('method="ffill"'), SCAFFOLD_ANALYSIS));
  assert.equal(forward.ok, false);
  assert.match(
    forward.report.problems.join('\n'),
    /filled by `df\[features\]\.fillna\(method="ffill"\)`, which nb2prod cannot rebuild as a Pipeline step; fill with a number, or with the columns' `mean\(\)` or `median\(\)`/,
  );
});

test('pd.get_dummies before the split moves into the Pipeline as a OneHotEncoder; the frame keeps the raw column', async () => {
  const result = plan(await analyzeNotebookFull(await loadNotebookFile(join(repoRoot, 'test', 'fixtures', 'scaffold', 'dummies.ipynb')), SCAFFOLD_ANALYSIS));
  assert.ok(result.ok, result.report.problems.join('\n'));
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.doesNotMatch(preprocessing, /= pd\.get_dummies\(/);
  assert.match(
    preprocessing,
    / {4}return \[\n {8}# Notebook cells 3, 4: feature engineering row by row, inside the model so that it scores raw rows\.\n {8}\("features", FunctionTransformer\(model_features, kw_args=\{"drop": list\(config\.DROP_COLUMNS\)\}\)\),\n {8}# Notebook cell 4, its `pd\.get_dummies` as a Pipeline step\.\n {8}\("columntransformer", ColumnTransformer\(\[\("onehot", OneHotEncoder\(handle_unknown="ignore", sparse_output=False, drop="first"\), \["plan"\]\)\], remainder="passthrough"\)\),\n {8}# Notebook cell 6, fitted in cell 6\.\n {8}\("imputer", SimpleImputer\(strategy="median"\)\),\n {4}\]/,
  );
  for (const line of ['from sklearn.compose import ColumnTransformer', 'from sklearn.preprocessing import OneHotEncoder'])
    assert.match(preprocessing, new RegExp(`^${line}$`, 'm'));
  assert.ok(
    result.report.fixed.some(
      (f) =>
        f.startsWith('cell 4, LK201 preprocessing-before-split: `pd.get_dummies`') &&
        f.endsWith('Training now does it inside the Pipeline, on the training split only.'),
    ),
    result.report.fixed.join('\n'),
  );
  assert.ok(
    result.report.review.some((r) => r.startsWith('`pd.get_dummies` (cell 4) one-hot encoded `plan` before the model')),
    result.report.review.join('\n'),
  );
});

test('pd.get_dummies runs inside the Pipeline, its categories learned, when later code reads the dummy columns', async () => {
  const notebook = parseNotebookText(
    'x.py',
    '# %%\nimport pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n' +
      '# %%\ndf = pd.read_csv("d.csv")\ndf = pd.get_dummies(df, columns=["plan"])\ndf["pro_or_team"] = df["plan_pro"] + df["plan_team"]\n' +
      '# %%\nX = df.drop(columns=["t"])\nLogisticRegression().fit(X, df["t"])\n',
  );
  const result = plan(await analyzeNotebookFull(notebook, SCAFFOLD_ANALYSIS));
  assert.ok(result.ok, result.report.problems.join('\n'));
  const preprocessing = file(result, 'src/data/preprocessing.py');
  assert.match(
    preprocessing,
    / {4}df = statistics\.dummies\('pd\.get_dummies\(df, columns=\["plan"\]\)', df, columns=\["plan"\]\)\n {4}df\["pro_or_team"\] = df\["plan_pro"\] \+ df\["plan_team"\]\n/,
  );
  assert.doesNotMatch(preprocessing, /OneHotEncoder/);
  // The dummy columns it reads are engineered, not raw inputs.
  assert.match(file(result, 'src/utils/config.py'), /^ENGINEERED_FROM = \["plan"\]$/m);
});

test('pd.get_dummies moves into the Pipeline when later code reads other columns of the encoded frame, not its dummies', async () => {
  const cells = (later: string): ReturnType<typeof parseNotebookText> =>
    parseNotebookText(
      'x.py',
      '# %%\nimport pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n' +
        `# %%\ndf = pd.read_csv("d.csv")\ndf = pd.get_dummies(df, columns=["plan"])\n${later}\n` +
        '# %%\nX = df.drop(columns=["t"])\nLogisticRegression().fit(X, df["t"])\n',
    );
  const moved = plan(await analyzeNotebookFull(cells('df["fee_per_seat"] = df["fee"] / df["seats"]'), SCAFFOLD_ANALYSIS));
  assert.ok(moved.ok, moved.report.problems.join('\n'));
  const preprocessing = file(moved, 'src/data/preprocessing.py');
  assert.doesNotMatch(preprocessing, /pd\.get_dummies\(/);
  assert.match(
    preprocessing,
    /\("columntransformer", ColumnTransformer\(\[\("onehot", OneHotEncoder\(handle_unknown="ignore", sparse_output=False\), \["plan"\]\)\], remainder="passthrough"\)\),/,
  );
  assert.match(preprocessing, / {4}df\["fee_per_seat"\] = df\["fee"\] \/ df\["seats"\]\n/);
  // Reading a dummy column, or the frame as a whole, needs the encoded frame: the encoding runs in
  // the Pipeline's first step, with the categories it learns from the training rows.
  for (const later of ['df["pro"] = df["plan_pro"] * 2', 'print(df.shape)\ndf = df.fillna(0)']) {
    const kept = plan(await analyzeNotebookFull(cells(later), SCAFFOLD_ANALYSIS));
    assert.ok(kept.ok, kept.report.problems.join('\n'));
    assert.match(
      file(kept, 'src/data/preprocessing.py'),
      / {4}df = statistics\.dummies\('pd\.get_dummies\(df, columns=\["plan"\]\)', df, columns=\["plan"\]\)\n/,
      later,
    );
    assert.doesNotMatch(file(kept, 'src/data/preprocessing.py'), /OneHotEncoder/, later);
  }
});

test('kinds compare the plan with what the target folder holds', async () => {
  const analysis = await analyzeNotebookFull(await loadNotebookFile(join(repoRoot, 'test', 'fixtures', 'scaffold', 'house_prices.ipynb')), SCAFFOLD_ANALYSIS);
  const first = plan(analysis);
  const config = first.changes.find((c) => c.path === 'src/utils/config.py')!;
  const readme = first.changes.find((c) => c.path === 'README.md')!;
  const second = plan(analysis, {
    existing: new Map([
      [config.path, config.content],
      [readme.path, 'my notes\n'],
    ]),
  });
  const kinds = Object.fromEntries(second.changes.map((c) => [c.path, c.kind]));
  assert.equal(kinds['src/utils/config.py'], 'unchanged');
  assert.equal(kinds['README.md'], 'overwrite');
  assert.equal(second.changes.find((c) => c.path === 'README.md')!.previous, 'my notes\n');
  assert.equal(kinds['src/model/train.py'], 'create');
});

test('rendering refuses missing and unused slot values', () => {
  const template = '"""{{notebook}}"""\n# nb2prod:slot body\nx = 1\n# nb2prod:end\n';
  assert.equal(renderTemplate('t.py', template, { notebook: 'n.ipynb', body: 'y = 2' }), '"""n.ipynb"""\ny = 2\n');
  assert.throws(() => renderTemplate('t.py', template, { notebook: 'n' }), /no value for slot `body`/);
  assert.throws(() => renderTemplate('t.py', template, { notebook: 'n', body: '', extra: '' }), /does not have: extra/);
});

test('an estimator the notebook left unseeded is listed as fixed: training seeds it with RANDOM_SEED', async () => {
  const result = await planFixture('masked.ipynb');
  assert.ok(result.ok, result.report.problems.join('\n'));
  assert.ok(
    result.report.fixed.includes(
      'cell 5, NB111 unseeded-randomness: `RandomForestClassifier` is called without a seed (`random_state`), so each run gives different results that cannot be reproduced. Training gives every estimator of the saved Pipeline that the notebook left unseeded `random_state=RANDOM_SEED`, so two trainings give the same model.',
    ),
    result.report.fixed.join('\n'),
  );
  assert.ok(!result.report.review.some((r) => r.includes('NB111')), result.report.review.join('\n'));
  // The split's seed is the one training gives it.
  assert.match(file(result, 'src/utils/config.py'), /^RANDOM_SEED = 12$/m);
  assert.match(file(result, 'src/model/train.py'), /^ {4}pipeline = seeded\(Pipeline\(.*\), config\.RANDOM_SEED\)$/m);
});
