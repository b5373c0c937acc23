// Notebook-defined classes and helpers, pandas `pipe`/`rank`, and the rule boundaries that depend
// on where learned state flows (LK202 vs LK205, label-only statistics, model names through dicts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IMPORTS, leaks } from './leak-helpers';

const ALL = ['LK', 'PR301', 'PR302'];
const run = (cells: string[]): Promise<string[]> => leaks([IMPORTS, ...cells], ALL);
const FRAME = 'df = pd.read_csv("d.csv")\nX = df.drop(columns=["y"])\ny = df["y"]';

describe('provenance: notebook classes', () => {
  const PREP =
    'class Prep:\n    def __init__(self):\n        self.scaler = StandardScaler()\n' +
    '    def fit_apply(self, frame):\n        return self.scaler.fit_transform(frame)\n' +
    '    def apply(self, frame):\n        return self.scaler.transform(frame)';

  it('reports LK201 at the method call when a method fits self.scaler on all rows', async () => {
    assert.deepEqual(
      await run([
        FRAME,
        PREP,
        'prep = Prep()\nZ = prep.fit_apply(X)\nZ_tr, Z_te, y_tr, y_te = train_test_split(Z, y)\nm = Ridge().fit(Z_tr, y_tr)\nprint(m.score(Z_te, y_te))',
      ]),
      ['LK201 cell 3 1:4-1:21 Ridge StandardScaler.fit_transform'],
    );
  });

  it('stays quiet when the method fits on the training rows and the other method transforms the test rows', async () => {
    assert.deepEqual(
      await run([
        FRAME,
        PREP,
        'X_tr, X_te, y_tr, y_te = train_test_split(X, y)\nprep = Prep()\nm = Ridge().fit(prep.fit_apply(X_tr), y_tr)\nprint(m.score(prep.apply(X_te), y_te))',
      ]),
      [],
    );
  });

  it('reports PR302 in a predict method that refits on incoming data, and not when it only transforms', async () => {
    const serving = (body: string): string[] => [
      FRAME,
      'X_tr, X_te, y_tr, y_te = train_test_split(X, y)\nscaler = StandardScaler().fit(X_tr)\nm = Ridge().fit(scaler.transform(X_tr), y_tr)\njoblib.dump({"model": m, "scaler": scaler}, "m.joblib")',
      `class Predictor:\n    def __init__(self, path):\n        bundle = joblib.load(path)\n        self.model = bundle["model"]\n        self.scaler = bundle["scaler"]\n    def predict(self, frame):\n        return self.model.predict(${body})`,
      'Predictor("m.joblib").predict(pd.read_csv("new.csv"))',
    ];
    assert.deepEqual(await run(serving('StandardScaler().fit_transform(frame)')), ['PR302 cell 3 6:34-6:71 Ridge StandardScaler.fit_transform']);
    assert.deepEqual(await run(serving('self.scaler.transform(frame)')), []);
  });

  it('reports PR302 in a serve method that nothing calls, run speculatively on the last instance', async () => {
    assert.deepEqual(
      await run([
        FRAME,
        'class Service:\n    def __init__(self, model):\n        self.model = model\n    def serve(self, batch):\n        return self.model.predict(SimpleImputer().fit_transform(batch))',
        'X_tr, X_te, y_tr, y_te = train_test_split(X, y)\nm = Ridge().fit(X_tr, y_tr)\nprint(m.score(X_te, y_te))\nsvc = Service(m)',
      ]),
      ['PR302 cell 2 4:34-4:70 Ridge SimpleImputer.fit_transform'],
    );
  });
});

describe('provenance: notebook helpers and pandas', () => {
  const EVALUATE = 'def evaluate(model, features, target):\n    return accuracy_score(target, model.predict(features))';

  it('reports LK207 at the helper call when the helper scores the training rows and nothing else does', async () => {
    const cells = (scored: string): string[] => [
      FRAME,
      EVALUATE,
      `X_tr, X_te, y_tr, y_te = train_test_split(X, y)\nclf = LogisticRegression().fit(X_tr, y_tr)\nprint(evaluate(clf, ${scored}))`,
    ];
    assert.deepEqual(await run(cells('X_tr, y_tr')), ['LK207 cell 3 2:6-2:31 LogisticRegression sklearn.metrics.accuracy_score']);
    assert.deepEqual(await run(cells('X_te, y_te')), []);
  });

  it('reports LK201 for rank(pct=True) over all rows, and nothing for a quantile that only defines the label', async () => {
    assert.deepEqual(
      await run([
        'df = pd.read_csv("d.csv")\ndf["label"] = (df["score"] > np.quantile(df["score"], 0.8)).astype(int)\ndf["pct"] = df["amount"].rank(pct=True)',
        'X_tr, X_te, y_tr, y_te = train_test_split(df[["pct", "age"]], df["label"])\nm = LogisticRegression().fit(X_tr, y_tr)\nprint(m.score(X_te, y_te))',
      ]),
      ['LK201 cell 1 2:12-2:39 LogisticRegression Series.rank'],
    );
  });

  it('still reports a quantile that flows into the features', async () => {
    assert.deepEqual(
      await run([
        'df = pd.read_csv("d.csv")\ndf["high"] = (df["score"] > np.quantile(df["score"], 0.8)).astype(int)',
        'X_tr, X_te, y_tr, y_te = train_test_split(df[["high", "age"]], df["label"])\nm = LogisticRegression().fit(X_tr, y_tr)\nprint(m.score(X_te, y_te))',
      ]),
      ['LK201 cell 1 1:28-1:57 LogisticRegression np.quantile'],
    );
  });

  it('follows pipe(lambda d: ...) on the test rows (LK205), and stays quiet with the training medians', async () => {
    const cells = (fill: string): string[] => [
      FRAME,
      'X_tr, X_te, y_tr, y_te = train_test_split(X, y)\nmed = X_tr.median()\nm = Ridge().fit(X_tr.fillna(med), y_tr)',
      `print(m.score(X_te.pipe(lambda d: d.fillna(${fill})), y_te))`,
    ];
    assert.deepEqual(await run(cells('d.median()')), ['LK205 cell 3 0:14-0:55 Ridge DataFrame.fillna']);
    assert.deepEqual(await run(cells('med')), []);
  });
});

describe('provenance: rule boundaries and names', () => {
  it('reports a scaler fitted on test rows that transforms training rows as LK202, not LK205', async () => {
    assert.deepEqual(
      await run([
        FRAME,
        'def scale_pair(a, b):\n    s = StandardScaler().fit(b)\n    return s.transform(a), s.transform(b)',
        'X_tr, X_te, y_tr, y_te = train_test_split(X, y)\nA, B = scale_pair(X_tr, X_te)\nm = LogisticRegression().fit(A, y_tr)\nprint(m.score(B, y_te))',
      ]),
      ['LK202 cell 3 1:7-1:29 LogisticRegression StandardScaler.fit'],
    );
  });

  it('resolves the model of a dict written by joblib.dump and read back by joblib.load', async () => {
    assert.deepEqual(
      await run([
        FRAME,
        'X_tr, X_te, y_tr, y_te = train_test_split(X, y)\nclf = LogisticRegression().fit(X_tr, y_tr)\nprint(clf.score(X_te, y_te))\njoblib.dump({"model": clf}, "clf.joblib")',
        'art = joblib.load("clf.joblib")\nbatch = pd.read_csv("new.csv")\nart["model"].predict(StandardScaler().fit_transform(batch))',
      ]),
      ['PR302 cell 3 2:21-2:58 LogisticRegression StandardScaler.fit_transform'],
    );
  });

  it('names Pipeline.score by the pipeline and data.model by its final step', async () => {
    assert.deepEqual(await run([FRAME, 'pipe = make_pipeline(StandardScaler(), LogisticRegression())\npipe.fit(X, y)\nprint(pipe.score(X, y))']), [
      'LK207 cell 2 2:6-2:22 LogisticRegression Pipeline.score',
    ]);
  });
});
