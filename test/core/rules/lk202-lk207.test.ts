import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import { notebook } from '../../helpers/notebooks';
import { IMPORTS, leaks } from '../provenance/leak-helpers';

const LOAD = 'df = pd.read_csv("data.csv")\nX = df.drop(columns=["y"])\ny = df["y"]';
const SPLIT = 'X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)';

describe('LK202 fit-on-test', () => {
  it('fires at a fit on the union of train and test after the split', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      SPLIT,
      'sc = StandardScaler().fit(pd.concat([X_train, X_test]))',
      'm = LogisticRegression().fit(sc.transform(X_train), y_train)\nprint(m.score(sc.transform(X_test), y_test))',
    ];
    assert.deepEqual(await leaks(cells, ['LK']), ['LK202 cell 3 0:5-0:55 LogisticRegression StandardScaler.fit']);
  });

  it('fires at a scaler refitted on all rows after splitting, and at a model trained on test rows', async () => {
    const refit = [
      IMPORTS,
      LOAD,
      SPLIT,
      'sc = StandardScaler()\nsc.fit(X)',
      'm = LogisticRegression().fit(sc.transform(X_train), y_train)\nprint(m.score(sc.transform(X_test), y_test))',
    ];
    assert.deepEqual(await leaks(refit, ['LK']), ['LK202 cell 3 1:0-1:9 LogisticRegression StandardScaler.fit']);
    const onTest = [IMPORTS, LOAD, SPLIT, 'm = LogisticRegression().fit(X_test, y_test)'];
    assert.deepEqual(await leaks(onTest, ['LK202']), ['LK202 cell 3 0:4-0:44 LogisticRegression LogisticRegression.fit']);
  });
});

describe('LK202 and LK201 on one fit', () => {
  // A helper that joins the test rows with their predictions column-wise gives a test-only value
  // no split is recorded for; the fit before the only split must stay LK201's alone.
  const REPORT = [
    'def report(train, test):',
    '    m = LogisticRegression().fit(train, train["y"])',
    '    both = pd.concat([test, pd.DataFrame(m.predict(test), columns=["p"])], axis=1)',
    '    print(pd.crosstab(both.y, both.p))',
    '    print(np.sum(both.y == both.p) / float(len(test)))',
  ].join('\n');

  it('reports a fit before the only split once, as LK201', async () => {
    const cells = [
      IMPORTS,
      REPORT,
      'df = pd.read_csv("data.csv")\nfeats = pd.DataFrame(StandardScaler().fit_transform(df.drop(columns=["y"])))\nfeats["y"] = df["y"]',
      'train, test, y_train, y_test = train_test_split(feats, feats["y"], random_state=0)\nreport(train, test)',
    ];
    assert.deepEqual(await leaks(cells, ['LK']), ['LK201 cell 2 1:21-1:75 LogisticRegression StandardScaler.fit_transform']);
  });

  it('still reports LK202 at a fit on all rows after the split, in the same shape', async () => {
    const cells = [
      IMPORTS,
      REPORT,
      'df = pd.read_csv("data.csv")\nX = df.drop(columns=["y"])',
      'X_train, X_test, y_train, y_test = train_test_split(X, df["y"], random_state=0)\nsc = StandardScaler().fit(X)',
      'train = pd.DataFrame(sc.transform(X_train))\ntrain["y"] = y_train\ntest = pd.DataFrame(sc.transform(X_test))\ntest["y"] = y_test\nreport(train, test)',
    ];
    assert.deepEqual(await leaks(cells, ['LK']), ['LK202 cell 3 1:5-1:28 LogisticRegression StandardScaler.fit']);
  });
});

describe('LK205 inconsistent-transform', () => {
  it('fires at a refit on the test rows (not also LK202) and at their own statistics', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      SPLIT,
      'sc = StandardScaler()\nA = sc.fit_transform(X_train)\nB = sc.fit_transform(X_test)',
      'm = LogisticRegression().fit(A, y_train)\nprint(m.score(B, y_test))',
    ];
    assert.deepEqual(await leaks(cells, ['LK']), ['LK205 cell 3 2:4-2:28 LogisticRegression StandardScaler.fit_transform']);
    const own = [IMPORTS, LOAD, SPLIT, 'm = Ridge().fit(X_train.fillna(X_train.mean()), y_train)', 'print(m.score(X_test.fillna(X_test.mean()), y_test))'];
    assert.deepEqual(await leaks(own, ['LK']), ['LK205 cell 4 0:14-0:42 Ridge DataFrame.fillna']);
  });

  it('fires at a prediction on test data that skipped the training transformer', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      SPLIT,
      'sc = StandardScaler().fit(X_train)\nm = LogisticRegression().fit(sc.transform(X_train), y_train)',
      'pred = m.predict(X_test)\nprint(accuracy_score(y_test, pred))',
    ];
    assert.deepEqual(await leaks(cells, ['LK']), ['LK205 cell 4 0:7-0:24 LogisticRegression LogisticRegression.predict']);
  });

  it('stays quiet when train and test go through the same fitted objects', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      SPLIT,
      'sc = StandardScaler().fit(X_train)\nm = LogisticRegression().fit(sc.transform(X_train), y_train)',
      'print(accuracy_score(y_test, m.predict(sc.transform(X_test))))',
    ];
    assert.deepEqual(await leaks(cells, ['LK']), []);
  });
});

describe('LK204 test-reuse', () => {
  it('fires once at the test evaluation inside a selection loop', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      SPLIT,
      'for c in [0.1, 1, 10]:\n    m = LogisticRegression(C=c).fit(X_train, y_train)\n    print(c, m.score(X_test, y_test))',
    ];
    assert.deepEqual(await leaks(cells, ['LK']), ['LK204 cell 3 2:13-2:36 LogisticRegression LogisticRegression.score']);
  });

  it('fires when a second model is scored on the same test set; a loop over several classes names no class', async () => {
    const two = [
      IMPORTS,
      LOAD,
      SPLIT,
      'a = LogisticRegression().fit(X_train, y_train)\nprint(a.score(X_test, y_test))',
      'b = RandomForestClassifier(random_state=0).fit(X_train, y_train)\nprint(accuracy_score(y_test, b.predict(X_test)))',
    ];
    assert.deepEqual(await leaks(two, ['LK204']), ['LK204 cell 4 1:6-1:47 RandomForestClassifier sklearn.metrics.accuracy_score']);
    const dict = [
      IMPORTS,
      LOAD,
      SPLIT,
      'models = {"lr": LogisticRegression(), "rf": RandomForestClassifier(random_state=0)}\nfor name, m in models.items():\n    m.fit(X_train, y_train)\n    print(name, accuracy_score(y_test, m.predict(X_test)))',
    ];
    assert.deepEqual(await leaks(dict, ['LK204']), ['LK204 cell 3 3:16-3:57 - sklearn.metrics.accuracy_score']);
    const [loop] = await analyzeNotebook(notebook(dict), { select: ['LK204'] });
    assert.equal(
      loop?.message,
      '`sklearn.metrics.accuracy_score` scores a model fitted in the same loop on the test data, so the test set picks among candidates and no longer gives an unbiased score for the model.',
    );
    assert.equal('model' in (loop?.data ?? {}), false);
  });

  it('fires at early stopping on the test set; stays quiet for several metrics of one model and for CV folds', async () => {
    const xgb = [`${IMPORTS}\nfrom xgboost import XGBClassifier`, LOAD, SPLIT, 'm = XGBClassifier()\nm.fit(X_train, y_train, eval_set=[(X_test, y_test)])'];
    assert.deepEqual(await leaks(xgb, ['LK204']), ['LK204 cell 3 1:0-1:52 XGBClassifier XGBClassifier.fit']);
    const metrics = [
      IMPORTS,
      LOAD,
      SPLIT,
      'm = LogisticRegression().fit(X_train, y_train)\np = m.predict(X_test)\nprint(accuracy_score(y_test, p))\nprint(m.score(X_test, y_test))',
    ];
    assert.deepEqual(await leaks(metrics, ['LK']), []);
  });
});

describe('LK206 temporal-split', () => {
  it('fires at a shuffled split of date-sorted data and at a random sample', async () => {
    const cells = [IMPORTS, 'df = pd.read_csv("sales.csv").sort_values("date")\nX = df[["a"]]\ny = df["y"]', SPLIT, 'm = Ridge().fit(X_train, y_train)'];
    assert.deepEqual(await leaks(cells, ['LK']), ['LK206 cell 2 0:35-0:73 Ridge sklearn.model_selection.train_test_split']);
    const sample = [
      IMPORTS,
      'df = pd.read_csv("p.csv", parse_dates=["day"], index_col="day")',
      'train = df.sample(frac=0.8, random_state=0)\ntest = df.drop(train.index)',
      'm = Ridge().fit(train[["a"]], train["y"])\nprint(m.score(test[["a"]], test["y"]))',
    ];
    assert.deepEqual(await leaks(sample, ['LK']), ['LK206 cell 2 0:8-0:43 Ridge DataFrame.sample']);
  });

  it('stays quiet with shuffle=False and for data with no time order', async () => {
    const cells = [
      IMPORTS,
      'df = pd.read_csv("sales.csv").sort_values("date")\nX = df[["a"]]\ny = df["y"]',
      'X_train, X_test, y_train, y_test = train_test_split(X, y, shuffle=False)',
      'm = Ridge().fit(X_train, y_train)',
    ];
    assert.deepEqual(await leaks(cells, ['LK']), []);
    assert.deepEqual(await leaks([IMPORTS, LOAD, SPLIT, 'm = Ridge().fit(X_train, y_train)'], ['LK']), []);
  });
});

describe('LK207 train-as-test', () => {
  it('fires when the only evaluation uses the training rows, or the model was trained on everything', async () => {
    const cells = [IMPORTS, LOAD, 'm = RandomForestClassifier(random_state=0).fit(X, y)\nprint(accuracy_score(y, m.predict(X)))'];
    assert.deepEqual(await leaks(cells, ['LK']), ['LK207 cell 2 1:6-1:37 RandomForestClassifier sklearn.metrics.accuracy_score']);
    const trainRows = [IMPORTS, LOAD, SPLIT, 'm = Ridge().fit(X_train, y_train)\nprint(m.score(X_train, y_train))'];
    assert.deepEqual(await leaks(trainRows, ['LK']), ['LK207 cell 3 1:6-1:31 Ridge Ridge.score']);
    const everything = [IMPORTS, LOAD, 'm = Ridge().fit(X, y)', SPLIT, 'print(m.score(X_test, y_test))'];
    assert.deepEqual(await leaks(everything, ['LK207']), ['LK207 cell 4 0:6-0:29 Ridge Ridge.score']);
  });

  it('stays quiet when a training score sits next to a held-out score', async () => {
    const cells = [IMPORTS, LOAD, SPLIT, 'm = Ridge().fit(X_train, y_train)\nprint(m.score(X_train, y_train), m.score(X_test, y_test))'];
    assert.deepEqual(await leaks(cells, ['LK']), []);
  });
});
