import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IMPORTS, leaks } from '../provenance/leak-helpers';

const TRAIN = 'df = pd.read_csv("train.csv")\nsc = StandardScaler()\nXs = sc.fit_transform(df[["a", "b"]])\nm = LogisticRegression().fit(Xs, df["y"])';

describe('PR301 preprocessor-not-saved', () => {
  it('fires at the save of a model whose scaler is never saved', async () => {
    assert.deepEqual(await leaks([IMPORTS, TRAIN, 'joblib.dump(m, "model.joblib")'], ['PR']), ['PR301 cell 2 0:0-0:30 LogisticRegression joblib.dump']);
  });

  it('fires for pickle and for a Pipeline fitted on data transformed outside it', async () => {
    const pickled = [`${IMPORTS}\nimport pickle`, TRAIN, 'with open("m.pkl", "wb") as f:\n    pickle.dump(m, f)'];
    assert.deepEqual(await leaks(pickled, ['PR301']), ['PR301 cell 2 1:4-1:21 LogisticRegression pickle.dump']);
    const outside = [
      IMPORTS,
      'df = pd.read_csv("train.csv")\nsc = StandardScaler()\nXs = sc.fit_transform(df[["a"]])\npipe = make_pipeline(PCA(2), LogisticRegression()).fit(Xs, df["y"])',
      'joblib.dump(pipe, "p.joblib")',
    ];
    assert.deepEqual(await leaks(outside, ['PR301']), ['PR301 cell 2 0:0-0:29 LogisticRegression joblib.dump']);
  });

  it('stays quiet when the scaler is saved too (separately or together) or lives in the Pipeline', async () => {
    assert.deepEqual(await leaks([IMPORTS, TRAIN, 'joblib.dump(m, "model.joblib")\njoblib.dump(sc, "scaler.joblib")'], ['PR']), []);
    assert.deepEqual(await leaks([IMPORTS, TRAIN, 'joblib.dump({"model": m, "scaler": sc}, "bundle.joblib")'], ['PR']), []);
    const pipe = [
      IMPORTS,
      'df = pd.read_csv("train.csv")\npipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(df[["a"]], df["y"])',
      'joblib.dump(pipe, "p.joblib")',
    ];
    assert.deepEqual(await leaks(pipe, ['PR']), []);
  });
});

describe('PR302 refit-at-inference', () => {
  it('fires at a fit inside a predict function, called or not', async () => {
    const fn = [IMPORTS, TRAIN, 'def predict(batch):\n    return m.predict(StandardScaler().fit_transform(batch))'];
    assert.deepEqual(await leaks(fn, ['PR302']), ['PR302 cell 2 1:21-1:58 LogisticRegression StandardScaler.fit_transform']);
    const stat = [
      IMPORTS,
      TRAIN,
      'def serve(batch):\n    batch = batch.fillna(batch.mean())\n    return m.predict(sc.transform(batch))',
      'serve(pd.read_csv("new.csv"))',
    ];
    assert.deepEqual(await leaks(stat, ['PR302']), ['PR302 cell 2 1:12-1:38 LogisticRegression DataFrame.fillna']);
  });

  it('fires at a fit on new data in cells after the model is loaded', async () => {
    const cells = [
      IMPORTS,
      'model = joblib.load("model.joblib")',
      'new = pd.read_csv("new.csv")\nXn = StandardScaler().fit_transform(new)\nprint(model.predict(Xn))',
    ];
    assert.deepEqual(await leaks(cells, ['PR302']), ['PR302 cell 2 1:5-1:40 - StandardScaler.fit_transform']);
  });

  it('stays quiet when prediction code only transforms with the fitted scaler', async () => {
    const cells = [
      IMPORTS,
      TRAIN,
      'joblib.dump(m, "m.joblib")\njoblib.dump(sc, "s.joblib")',
      'def predict(batch):\n    return m.predict(sc.transform(batch))',
      'print(predict(pd.read_csv("new.csv")))',
    ];
    assert.deepEqual(await leaks(cells, ['PR']), []);
  });
});
