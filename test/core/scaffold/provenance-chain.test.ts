// The modelling chain comes from the provenance analysis the leakage rules read: which fit is
// trained, the fitted transformers on its input path and whether they learned from held-out rows,
// and the split. Cases the scaffold's former syntax-only tracer got wrong, each next to its twin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebookFull } from '../../../src/core/engine';
import { parseNotebookText } from '../../../src/core/notebook';
import { plan, type ScaffoldPlan } from '../../../src/core/scaffold';
import { SCAFFOLD_ANALYSIS } from '../../../src/core/scaffold/from-notebook';

const HEAD =
  '# %%\nimport pandas as pd\nfrom sklearn.ensemble import RandomForestClassifier\nfrom sklearn.linear_model import LogisticRegression, Ridge\n' +
  'from sklearn.metrics import accuracy_score, mean_absolute_error\nfrom sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler\n' +
  '# %%\ndf = pd.read_csv("d.csv")\nX = df[["a", "b"]]\ny = df["t"]\n';

async function planCells(cells: string): Promise<ScaffoldPlan> {
  return plan(await analyzeNotebookFull(parseNotebookText('x.py', HEAD + cells), SCAFFOLD_ANALYSIS));
}

function file(result: ScaffoldPlan, path: string): string {
  const change = result.changes.find((c) => c.path === path);
  assert.ok(change, `no ${path} planned: ${result.report.problems.join('\n')}`);
  return change.content;
}

function setting(result: ScaffoldPlan, name: string): string | undefined {
  return new RegExp(`^${name} = (.*)$`, 'm').exec(file(result, 'src/utils/config.py'))?.[1];
}

test('a model fitted inside a helper function is the trained model, fitted on the arguments of the call', async () => {
  const result = await planCells(
    '# %%\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=3)\n' +
      '# %%\ndef train_model(features, labels):\n    model = RandomForestClassifier(n_estimators=50, random_state=0)\n    model.fit(features, labels)\n    return model\n' +
      '# %%\nclf = train_model(X_train, y_train)\nprint(accuracy_score(y_test, clf.predict(X_test)))\n',
  );
  assert.ok(result.ok, result.report.problems.join('\n'));
  assert.match(file(result, 'src/model/train.py'), / {4}return RandomForestClassifier\(\*\*config\.MODEL_PARAMS\)\n/);
  assert.match(file(result, 'src/utils/config.py'), /"n_estimators": 50,/);
  assert.equal(setting(result, 'TEST_SIZE'), '0.3');
  assert.equal(setting(result, 'RANDOM_SEED'), '3');
  assert.equal(setting(result, 'FEATURES'), '["a", "b"]');
  assert.equal(setting(result, 'TARGET'), '"t"');
  // The function that fits the model and the cell that calls it are training, the model's constructor is in train.py.
  assert.deepEqual(
    result.report.cells.filter((c) => c.cell >= 3).map((c) => `${c.cell} ${c.role} ${c.placedIn.join(' ')}`),
    ['3 training src/model/train.py', '4 training src/model/evaluate.py src/model/train.py'],
  );
});

test('a fit in a function nothing calls may never run: it is not a trained model', async () => {
  const result = await planCells(
    '# %%\ndef train_model(features, labels):\n    model = RandomForestClassifier(n_estimators=50, random_state=0)\n    model.fit(features, labels)\n    return model\n',
  );
  assert.equal(result.ok, false);
  assert.match(result.report.problems[0]!, /^No model is trained/);
});

test('renamed split parts: the split, its settings and the evaluated model come from the split call', async () => {
  const result = await planCells(
    '# %%\nX_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.15, random_state=7, stratify=y)\n' +
      '# %%\nclf = LogisticRegression(C=0.5).fit(X_tr, y_tr)\nprint(accuracy_score(y_va, clf.predict(X_va)))\n',
  );
  assert.ok(result.ok, result.report.problems.join('\n'));
  assert.equal(setting(result, 'TEST_SIZE'), '0.15');
  assert.equal(setting(result, 'RANDOM_SEED'), '7');
  assert.equal(setting(result, 'STRATIFY'), 'True');
  assert.ok(!result.report.review.some((r) => r.includes('never splits')), result.report.review.join('\n'));
});

test('a scaler fitted on every row and applied after the split is a leak the Pipeline fixes; one fitted on the training rows is not', async () => {
  const leaky = await planCells(
    '# %%\nscaler = StandardScaler().fit(X)\nX_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\n' +
      '# %%\nX_train_s = scaler.transform(X_train)\nclf = LogisticRegression().fit(X_train_s, y_train)\nprint(clf.score(scaler.transform(X_test), y_test))\n',
  );
  assert.ok(leaky.ok, leaky.report.problems.join('\n'));
  assert.match(
    file(leaky, 'src/data/preprocessing.py'),
    / {8}# Notebook cell 3, fitted before the split in cell 3 \(a leak\); the Pipeline fits it on the training split only\.\n {8}\("scaler", StandardScaler\(\)\),\n/,
  );
  assert.ok(
    leaky.report.fixed.some((f) => f.startsWith('cell 3, LK201') && f.includes('StandardScaler')),
    leaky.report.fixed.join('\n'),
  );
  const clean = await planCells(
    '# %%\nX_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\nscaler = StandardScaler().fit(X_train)\n' +
      '# %%\nX_train_s = scaler.transform(X_train)\nclf = LogisticRegression().fit(X_train_s, y_train)\nprint(clf.score(scaler.transform(X_test), y_test))\n',
  );
  assert.ok(clean.ok, clean.report.problems.join('\n'));
  assert.match(file(clean, 'src/data/preprocessing.py'), / {8}# Notebook cell 3, fitted in cell 3\.\n {8}\("scaler", StandardScaler\(\)\),\n/);
});

test('the evaluated fit is trained, not a later model of another class that nothing evaluates', async () => {
  const result = await planCells(
    '# %%\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=4)\n' +
      '# %%\nmodel = Ridge(alpha=2.0)\nmodel.fit(X_train, y_train)\nprint(mean_absolute_error(y_test, model.predict(X_test)))\n' +
      '# %%\nexplore = RandomForestClassifier(max_depth=2)\nexplore.fit(X, y)\n',
  );
  assert.ok(result.ok, result.report.problems.join('\n'));
  assert.match(file(result, 'src/model/train.py'), / {4}return Ridge\(\*\*config\.MODEL_PARAMS\)\n/);
  assert.match(file(result, 'src/utils/config.py'), /"alpha": 2\.0,/);
  assert.equal(setting(result, 'TEST_SIZE'), '0.2');
  assert.ok(
    result.report.leftOut.includes(
      'The notebook trains 2 models; the project trains `Ridge(alpha=2.0)` (cell 4), the one the notebook evaluates last. Left out: `RandomForestClassifier(max_depth=2)` (cell 5).',
    ),
    result.report.leftOut.join('\n'),
  );
});

test('a final refit of the evaluated class on every row is trained, with the split of the evaluated fit', async () => {
  const result = await planCells(
    '# %%\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=4)\n' +
      '# %%\nmodel = Ridge(alpha=2.0)\nmodel.fit(X_train, y_train)\nprint(mean_absolute_error(y_test, model.predict(X_test)))\n' +
      '# %%\nfinal = Ridge(alpha=3.0)\nfinal.fit(X, y)\n',
  );
  assert.ok(result.ok, result.report.problems.join('\n'));
  assert.match(file(result, 'src/utils/config.py'), /"alpha": 3\.0,/);
  assert.equal(setting(result, 'TEST_SIZE'), '0.2');
  assert.equal(setting(result, 'RANDOM_SEED'), '4');
  assert.ok(
    result.report.leftOut.includes(
      'The notebook trains 2 models; the project trains `Ridge(alpha=3.0)` (cell 5), the one the notebook refits after evaluating it. Left out: `Ridge(alpha=2.0)` (cell 4).',
    ),
    result.report.leftOut.join('\n'),
  );
});

test('a model fitted twice is one model; the evaluated fit on the training split gives the split', async () => {
  const result = await planCells(
    '# %%\nmodel = Ridge(alpha=2.0)\nmodel.fit(X, y)\n' +
      '# %%\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=4)\nmodel.fit(X_train, y_train)\nprint(mean_absolute_error(y_test, model.predict(X_test)))\n',
  );
  assert.ok(result.ok, result.report.problems.join('\n'));
  assert.equal(setting(result, 'TEST_SIZE'), '0.2');
  assert.equal(setting(result, 'RANDOM_SEED'), '4');
  assert.ok(!result.report.leftOut.some((l) => l.includes('models;')), result.report.leftOut.join('\n'));
});

const BLOCKS_HEAD =
  '# %%\nimport numpy as np\nimport pandas as pd\nfrom sklearn.impute import SimpleImputer\nfrom sklearn.linear_model import LogisticRegression\n' +
  'from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import OneHotEncoder, StandardScaler\n' +
  '# %%\ndf = pd.read_csv("d.csv")\nnumeric = ["age", "fee"]\ncategorical = ["plan"]\nfeatures = ["age", "fee", "plan"]\n' +
  'X_train, X_test, y_train, y_test = train_test_split(df[features], df["churned"], test_size=0.25, random_state=3)\n' +
  '# %%\nimputer = SimpleImputer(strategy="median")\nscaler = StandardScaler()\nencoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)\n' +
  'train_num = scaler.fit_transform(imputer.fit_transform(X_train[numeric]))\ntrain_cat = encoder.fit_transform(X_train[categorical])\n';

async function planBlocks(combine: string): Promise<ScaffoldPlan> {
  const cells = `${BLOCKS_HEAD}# %%\nX_all = ${combine}\nmodel = LogisticRegression(max_iter=500).fit(X_all, y_train)\n`;
  return plan(await analyzeNotebookFull(parseNotebookText('x.py', cells), SCAFFOLD_ANALYSIS));
}

test('blocks scaled and encoded apart and put side by side become one ColumnTransformer in the Pipeline', async () => {
  for (const combine of [
    'np.hstack([train_num, train_cat])',
    'np.c_[train_num, train_cat]',
    'np.concatenate((train_num, train_cat), axis=1)',
    'pd.concat([pd.DataFrame(train_num), pd.DataFrame(train_cat)], axis=1)',
  ]) {
    const result = await planBlocks(combine);
    assert.ok(result.ok, `${combine}: ${result.report.problems.join('\n')}`);
    const preprocessing = file(result, 'src/data/preprocessing.py');
    const written = combine.slice(0, combine.search(/[[(]/));
    assert.ok(
      preprocessing.includes(
        `    return [\n        # Notebook cell 4, its \`${written}\` as a Pipeline step.\n` +
          '        ("columntransformer", ColumnTransformer([("imputer_scaler", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), ["age", "fee"]), ("encoder", OneHotEncoder(handle_unknown="ignore", sparse_output=False), ["plan"])])),\n    ]\n',
      ),
      `${combine}:\n${preprocessing}`,
    );
    for (const line of [
      'from sklearn.compose import ColumnTransformer',
      'from sklearn.pipeline import make_pipeline',
      'from sklearn.impute import SimpleImputer',
      'from sklearn.preprocessing import OneHotEncoder',
      'from sklearn.preprocessing import StandardScaler',
    ]) {
      assert.match(preprocessing, new RegExp(`^${line}$`, 'm'), combine);
    }
    assert.equal(setting(result, 'FEATURES'), '["age", "fee", "plan"]');
    assert.ok(
      result.report.review.some((r) => r.startsWith(`\`${written}\` (cell 4) puts together blocks of columns transformed apart`)),
      result.report.review.join('\n'),
    );
  }
});

test('blocks put together one under the other, or from columns nb2prod cannot read, are refused', async () => {
  const stacked = await planBlocks('np.vstack([train_num, train_cat])');
  assert.equal(stacked.ok, false);
  const computed = plan(
    await analyzeNotebookFull(
      parseNotebookText(
        'x.py',
        `${BLOCKS_HEAD}# %%\nX_all = np.hstack([train_num, X_train[[c for c in X_train.columns if c != "plan"]]])\nmodel = LogisticRegression().fit(X_all, y_train)\n`,
      ),
      SCAFFOLD_ANALYSIS,
    ),
  );
  assert.equal(computed.ok, false);
  assert.ok(
    computed.report.problems.includes(
      '  Each block `np.hstack` (cell 4) puts together must select named columns of one frame (`X_train[["a", "b"]]`), transformed or not.',
    ),
    computed.report.problems.join('\n'),
  );
});
