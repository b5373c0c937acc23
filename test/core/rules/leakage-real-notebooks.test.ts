// Patterns from public notebooks that the leakage and production rules got wrong, each as a
// minimal notebook that must stay silent next to a true twin that must still fire.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import { notebook } from '../../helpers/notebooks';
import { IMPORTS, leaks } from '../provenance/leak-helpers';

/** Messages of the findings of the given codes. */
async function messages(cells: readonly string[], select: string[]): Promise<string[]> {
  return (await analyzeNotebook(notebook(cells), { select })).map((d) => d.message);
}

const KAGGLE_READ = 'train = pd.read_csv("train.csv")\ntest = pd.read_csv("test.csv")\ny = train["Survived"]';
const KAGGLE_PREP = 'full = pd.concat([train.drop(columns=["Survived"]), test])\nfull = pd.get_dummies(full)';
const KAGGLE_BACK = 'X = full[:len(train)]\nX_test = full[len(train):]';
const KAGGLE_VALIDATE =
  'X_tr, X_val, y_tr, y_val = train_test_split(X, y, random_state=0)\nm = LogisticRegression().fit(X_tr, y_tr)\nprint(accuracy_score(y_val, m.predict(X_val)))';

describe('Kaggle train.csv and test.csv', () => {
  it('stays quiet at encoders fitted on train and an unlabelled test file, split back by len(train)', async () => {
    const cells = [IMPORTS, KAGGLE_READ, KAGGLE_PREP, KAGGLE_BACK, `${KAGGLE_VALIDATE}\npred = m.predict(X_test)`];
    assert.deepEqual(await leaks(cells, ['LK']), []);
  });

  it('still fires when the test file has labels that score the model, naming the cell of the split before the fit', async () => {
    const cells = [IMPORTS, KAGGLE_READ, KAGGLE_PREP, KAGGLE_BACK, `${KAGGLE_VALIDATE}\nprint(accuracy_score(test["Survived"], m.predict(X_test)))`];
    assert.deepEqual(await leaks(cells, ['LK202']), ['LK202 cell 2 1:7-1:27 LogisticRegression pd.get_dummies']);
    assert.deepEqual(await messages(cells, ['LK202']), [
      '`pd.get_dummies` learns from train+test rows after the data was split in cell 2, so test information reaches `LogisticRegression`.',
    ]);
  });
});

describe('positional slices named by their role', () => {
  const LOAD = 'df = pd.read_csv("d.csv")\nX = df.drop(columns=["y"])\ny = df["y"]';
  it('takes the head of a slice as validation data when the name says so', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      'X_valid, X_train = X[:5000], X[5000:]\ny_valid, y_train = y[:5000], y[5000:]',
      'm = LogisticRegression().fit(X_train, y_train)\nprint(m.score(X_valid, y_valid))',
    ];
    assert.deepEqual(await leaks(cells, ['LK']), []);
    const single = [
      IMPORTS,
      LOAD,
      'X_valid = X[:5000]\nX_train = X[5000:]\ny_valid = y[:5000]\ny_train = y[5000:]',
      'm = LogisticRegression().fit(X_train, y_train)\nprint(m.score(X_valid, y_valid))',
    ];
    assert.deepEqual(await leaks(single, ['LK']), []);
  });

  it('still fires when the model is trained on the part named as validation', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      'X_valid, X_train = X[:5000], X[5000:]\ny_valid, y_train = y[:5000], y[5000:]',
      'm = LogisticRegression().fit(X_valid, y_valid)\nprint(m.score(X_valid, y_valid))',
    ];
    assert.deepEqual(await leaks(cells, ['LK202']), ['LK202 cell 3 0:4-0:46 LogisticRegression LogisticRegression.fit']);
  });
});

const LOAD = 'df = pd.read_csv("data.csv")\nX = df.drop(columns=["y"])\ny = df["y"]';
const SPLIT = 'X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)';

describe('stacking and role swaps (LK202)', () => {
  it('stays quiet at a meta-model fitted on predictions for the validation rows, and at a two-fold swap', async () => {
    const stack = [
      IMPORTS,
      LOAD,
      'X_tr, X_val, y_tr, y_val = train_test_split(X, y, random_state=0)',
      'base = RandomForestClassifier(random_state=0).fit(X_tr, y_tr)\nmeta = LogisticRegression().fit(base.predict_proba(X_val), y_val)',
    ];
    assert.deepEqual(await leaks(stack, ['LK202']), []);
    const swap = [IMPORTS, LOAD, SPLIT, 'm = LogisticRegression().fit(X_test, y_test)\nprint(accuracy_score(y_train, m.predict(X_train)))'];
    assert.deepEqual(await leaks(swap, ['LK202']), []);
  });

  it('still fires at a model trained on the validation features themselves', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      'X_tr, X_val, y_tr, y_val = train_test_split(X, y, random_state=0)',
      'meta = LogisticRegression().fit(X_val, y_val)\nprint(meta.score(X_val, y_val))',
    ];
    assert.deepEqual(await leaks(cells, ['LK202']), ['LK202 cell 3 0:7-0:45 LogisticRegression LogisticRegression.fit']);
  });
});

describe('one root cause, one finding', () => {
  it('reports a leaking line of a helper once, with the other calls related', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      'def prep(d):\n    return StandardScaler().fit_transform(d)',
      'A = prep(X)\nB = prep(X)',
      'A_train, A_test, y_train, y_test = train_test_split(A, y, random_state=0)\nm = LogisticRegression().fit(A_train, y_train)\nB_train, B_test = train_test_split(B, random_state=0)',
    ];
    const [finding, ...rest] = await analyzeNotebook(notebook(cells), { select: ['LK201'] });
    assert.equal(rest.length, 0);
    assert.deepEqual(
      [finding?.cell, finding?.range.start.line, finding?.related.map((r) => `${r.cell}:${r.range.start.line} ${r.message}`)],
      [
        3,
        0,
        [
          '4:0 the rows are split here, after the fit',
          '4:1 `LogisticRegression` is trained here on the contaminated rows',
          '3:1 the same code runs again from this call',
        ],
      ],
    );
  });

  it('reports an unsaved scaler once however many times the model is saved (PR301)', async () => {
    const train = 'df = pd.read_csv("train.csv")\nsc = StandardScaler()\nXs = sc.fit_transform(df[["a", "b"]])\nm = LogisticRegression().fit(Xs, df["y"])';
    const cells = [IMPORTS, train, 'joblib.dump(m, "a.joblib")', 'joblib.dump(m, "b.joblib")'];
    assert.deepEqual(await leaks(cells, ['PR301']), ['PR301 cell 2 0:0-0:26 LogisticRegression joblib.dump']);
    const [finding] = await analyzeNotebook(notebook(cells), { select: ['PR301'] });
    assert.deepEqual(
      finding?.related.map((r) => `${r.cell} ${r.message}`),
      [
        '1 `StandardScaler` is fitted here and never saved',
        '1 `LogisticRegression` is trained here on its output',
        '3 a model that needs it is saved here too',
      ],
    );
  });
});

describe('messages name what the notebook wrote', () => {
  it('says "the model" and names the call when the model class is unknown, never Unknown or a module', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      'Xs = StandardScaler().fit_transform(X)',
      'X_train, X_test, y_train, y_test = train_test_split(Xs, y, random_state=0)',
      'from mystery import Thing\nm = Thing()\nm.fit(X_train, y_train)\nprint(m.score(X_test, y_test))',
    ];
    assert.deepEqual(await messages(cells, ['LK201']), [
      '`StandardScaler.fit_transform` learns from all rows before the rows are split in cell 4, so test rows leak into the training of the model.',
    ]);
    const dummies = [IMPORTS, LOAD, SPLIT, 'm = LogisticRegression().fit(pd.get_dummies(X_train), y_train)\nprint(m.score(pd.get_dummies(X_test), y_test))'];
    assert.deepEqual(await messages(dummies, ['LK205']), [
      '`pd.get_dummies` learns from the test rows themselves, so they get their own `pd.get_dummies` instead of the preprocessing `LogisticRegression` was trained with.',
    ]);
  });
});

describe('per-row statistics and positions (LK201, LK205)', () => {
  it('stays quiet at row-wise normalisation before the split', async () => {
    const imports = `${IMPORTS}\nfrom sklearn import preprocessing`;
    for (const step of ['Xs = X / X.sum(axis=1)', 'Xs = X / np.sum(X, 1)', 'Xs = preprocessing.normalize(X)']) {
      assert.deepEqual(
        await leaks(
          [imports, LOAD, step, 'X_train, X_test, y_train, y_test = train_test_split(Xs, y, random_state=0)\nm = LogisticRegression().fit(X_train, y_train)'],
          ['LK201'],
        ),
        [],
        step,
      );
    }
  });

  it('still fires at column statistics before the split', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      'Xs = X / X.sum()',
      'X_train, X_test, y_train, y_test = train_test_split(Xs, y, random_state=0)\nm = LogisticRegression().fit(X_train, y_train)',
    ];
    assert.deepEqual(await leaks(cells, ['LK201']), ['LK201 cell 2 0:9-0:16 LogisticRegression DataFrame.sum']);
  });

  const splitAndFit =
    'X_train, X_test, y_train, y_test = train_test_split(Xs, y, random_state=0)\nm = LogisticRegression().fit(X_train, y_train)\nprint(m.score(X_test, y_test))';
  it('stays quiet at per-sample normalisation: Normalizer, rows divided by their own sum or norm', async () => {
    const imports = `${IMPORTS}\nfrom sklearn.preprocessing import Normalizer`;
    const steps = [
      'Xs = Normalizer().fit_transform(X)',
      'norm = Normalizer(norm="l1")\nnorm.fit(X)\nXs = norm.transform(X)',
      'Xs = X.div(X.sum(axis=1), axis=0)',
      'Xs = X / np.linalg.norm(X, axis=1, keepdims=True)',
    ];
    for (const step of steps) assert.deepEqual(await leaks([imports, LOAD, step, splitAndFit], ['LK']), [], step);
  });

  it('still fires at per-column scaling before the split: a column maximum, MinMaxScaler', async () => {
    const imports = `${IMPORTS}\nfrom sklearn.preprocessing import MinMaxScaler`;
    assert.deepEqual(await leaks([imports, LOAD, 'Xs = X.div(X.max(), axis=1)', splitAndFit], ['LK']), [
      'LK201 cell 2 0:5-0:27 LogisticRegression DataFrame.div',
    ]);
    assert.deepEqual(await leaks([imports, LOAD, 'Xs = MinMaxScaler().fit_transform(X)', splitAndFit], ['LK']), [
      'LK201 cell 2 0:5-0:36 LogisticRegression MinMaxScaler.fit_transform',
    ]);
  });

  it('stays quiet at statistics of test rows used only for a plot, fires when the model scores them', async () => {
    const plot = [
      `${IMPORTS}\nimport matplotlib.pyplot as plt`,
      LOAD,
      SPLIT,
      'm = LogisticRegression().fit(X_train, y_train)\nfig, ax = plt.subplots()\nax.set_xlim(X_test["a"].min(), X_test["a"].max())\nprint(m.score(X_test, y_test))',
    ];
    assert.deepEqual(await leaks(plot, ['LK205']), []);
    const scored = [IMPORTS, LOAD, SPLIT, 'm = LogisticRegression().fit(X_train, y_train)\nprint(m.score(X_test / X_test.max(), y_test))'];
    assert.deepEqual(await leaks(scored, ['LK205']), ['LK205 cell 3 1:23-1:35 LogisticRegression DataFrame.max']);
  });

  it('stays quiet at top-k positions, plot slices and look-back windows', async () => {
    const topk = [
      IMPORTS,
      LOAD,
      'Xs = StandardScaler().fit_transform(X)\nk = len(X) // 10\nbest = np.argsort(Xs[:, 0])[:k]\nprint(best)',
      'X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\nm = LogisticRegression().fit(X_train, y_train)',
    ];
    assert.deepEqual(await leaks(topk, ['LK']), []);
    const partition = [
      IMPORTS,
      LOAD,
      'Xs = StandardScaler().fit_transform(X)\nk = 10\nnearest = np.argpartition(Xs[:, 0], k)[:k]\nprint(nearest)',
      'X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\nm = LogisticRegression().fit(X_train, y_train)',
    ];
    assert.deepEqual(await leaks(partition, ['LK']), []);
    const plot = [
      `${IMPORTS}\nimport matplotlib.pyplot as plt`,
      LOAD,
      'Xs = StandardScaler().fit_transform(X)\nn = len(Xs) // 2\nplt.plot(Xs[:n])',
      'X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\nm = LogisticRegression().fit(X_train, y_train)',
    ];
    assert.deepEqual(await leaks(plot, ['LK']), []);
    const windows = [
      IMPORTS,
      'df = pd.read_csv("prices.csv")\nn = int(len(df) * 0.8)\ntrain = df[:n]\ntest = df[n:]',
      'sc = StandardScaler()\nscaled = sc.fit_transform(train[["close"]])\nX_train = []\nfor i in range(60, n):\n    X_train.append(scaled[i - 60:i, 0])',
      'm = Ridge().fit(np.array(X_train), train["close"][60:])',
    ];
    assert.deepEqual(await leaks(windows, ['LK']), []);
  });

  it('still fires when a positional split of scaled rows trains a model', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      'Xs = StandardScaler().fit_transform(X)\nn = len(Xs) // 2',
      'm = LogisticRegression().fit(Xs[:n], y[:n])\nprint(m.score(Xs[n:], y[n:]))',
    ];
    assert.deepEqual(await leaks(cells, ['LK201']), ['LK201 cell 2 0:5-0:38 LogisticRegression StandardScaler.fit_transform']);
  });
});

describe('unsupervised models and evaluation windows (LK207, PR302)', () => {
  it('stays quiet at the silhouette of a clustering on its own data, fires at a classifier scored on its training rows', async () => {
    const imports = `${IMPORTS}\nfrom sklearn.cluster import KMeans\nfrom sklearn.metrics import silhouette_score`;
    const km = [imports, LOAD, 'km = KMeans(n_clusters=3, random_state=0).fit(X)\nprint(silhouette_score(X, km.predict(X)))'];
    assert.deepEqual(await leaks(km, ['LK207']), []);
    const fitPredict = [imports, LOAD, 'labels = KMeans(n_clusters=3, random_state=0).fit_predict(X)\nprint(silhouette_score(X, labels))'];
    assert.deepEqual(await leaks(fitPredict, ['LK']), []);
    const scaled = [
      imports,
      LOAD,
      'Xs = StandardScaler().fit_transform(X)\nkm = KMeans(n_clusters=3, random_state=0)\nkm.fit(Xs)\nprint(silhouette_score(Xs, km.labels_))',
    ];
    assert.deepEqual(await leaks(scaled, ['LK']), []);
    const clf = [imports, LOAD, 'm = LogisticRegression().fit(X, y)\nprint(accuracy_score(y, m.predict(X)))'];
    assert.deepEqual(await leaks(clf, ['LK207']), ['LK207 cell 2 1:6-1:37 LogisticRegression sklearn.metrics.accuracy_score']);
  });

  it('stays quiet at the dates of a forecast window in a predicting function, fires at a scaler refitted there', async () => {
    const train = 'df = pd.read_csv("train.csv")\nm = Ridge().fit(df[["a"]], df["y"])';
    const window = [
      IMPORTS,
      train,
      'def predict_period(batch):\n    start = batch["date"].min()\n    end = batch["date"].max()\n    print(start, end)\n    return m.predict(batch[["a"]])',
    ];
    assert.deepEqual(await leaks(window, ['PR302']), []);
    const refit = [IMPORTS, train, 'def predict_period(batch):\n    return m.predict(StandardScaler().fit_transform(batch[["a"]]))'];
    assert.deepEqual(await leaks(refit, ['PR302']), ['PR302 cell 2 1:21-1:65 Ridge StandardScaler.fit_transform']);
  });
});

describe('Kaggle test files: labels and shuffles', () => {
  it('stays quiet when the target is taken from the concatenation split back and arrays are shuffled together', async () => {
    const imports = `${IMPORTS}\nfrom sklearn.utils import shuffle`;
    const cells = [
      imports,
      'train = pd.read_csv("train.csv")\ntest = pd.read_csv("test.csv")',
      'full = pd.concat([train, test])\nfull = pd.get_dummies(full)\nn = len(train)',
      'X = full.drop(columns=["Survived"])[:n]\ny = full["Survived"][:n]\nX, y = shuffle(X, y, random_state=0)',
      KAGGLE_VALIDATE,
    ];
    assert.deepEqual(await leaks(cells, ['LK']), []);
  });

  it('still fires when the test file labels score the model', async () => {
    const cells = [
      IMPORTS,
      'train = pd.read_csv("train.csv")\ntest = pd.read_csv("test.csv")',
      'full = pd.concat([train, test])\nfull = pd.get_dummies(full)\nn = len(train)',
      'X = full.drop(columns=["Survived"])[:n]\ny = full["Survived"][:n]',
      `${KAGGLE_VALIDATE}\nprint(accuracy_score(test["Survived"], m.predict(full.drop(columns=["Survived"])[n:])))`,
    ];
    assert.deepEqual(await leaks(cells, ['LK202']), ['LK202 cell 2 1:7-1:27 LogisticRegression pd.get_dummies']);
  });
});

describe('test data monitored while training (LK204)', () => {
  const xgb = (call: string): string[] => [`${IMPORTS}\nfrom xgboost import XGBClassifier`, LOAD, SPLIT, `m = XGBClassifier()\n${call}`];
  it('keeps a watched curve without early stopping in the preview tier', async () => {
    const cells = xgb('m.fit(X_train, y_train, eval_set=[(X_test, y_test)])');
    // LK204 is in the preview tier; within it, a watched curve is a preview pattern.
    assert.deepEqual(
      (await analyzeNotebook(notebook(cells), { select: ['LK204'] })).filter((d) => !d.preview),
      [],
    );
    assert.deepEqual(await leaks(cells, ['LK204']), ['LK204 cell 3 1:0-1:52 XGBClassifier XGBClassifier.fit']);
  });

  it('fires by default when early stopping selects by the test data', async () => {
    const cells = xgb('m.fit(X_train, y_train, eval_set=[(X_test, y_test)], early_stopping_rounds=10)');
    assert.deepEqual(await leaks(cells, ['LK']), ['LK204 cell 3 1:0-1:78 XGBClassifier XGBClassifier.fit']);
  });
});

describe('cross-validation scores are not data (LK201)', () => {
  it('stays quiet at the mean of fold scores, from cross_val_score and from a KFold loop', async () => {
    const cvs = [
      IMPORTS,
      LOAD,
      'scores = cross_val_score(LogisticRegression(), X, y, cv=5)\nprint("%.3f" % np.mean(scores), scores.std())\ngood = np.mean(scores) > 0.8',
    ];
    assert.deepEqual(await leaks(cvs, ['LK']), []);
    const loop = [
      IMPORTS,
      LOAD,
      'scores = []\nfor tr, te in KFold(5).split(X):\n    m = LogisticRegression().fit(X.iloc[tr], y.iloc[tr])\n    scores.append(accuracy_score(y.iloc[te], m.predict(X.iloc[te])))\nprint(np.mean(scores))',
    ];
    assert.deepEqual(await leaks(loop, ['LK']), []);
  });

  it('still fires at np.mean of the features, centring them before the split', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      'Xs = X - np.mean(X, axis=0)',
      'X_train, X_test, y_train, y_test = train_test_split(Xs, y, random_state=0)\nm = LogisticRegression().fit(X_train, y_train)',
    ];
    assert.deepEqual(await leaks(cells, ['LK']), ['LK201 cell 2 0:9-0:27 LogisticRegression np.mean']);
  });
});

describe('the split a message names is the one before (LK202) or after (LK201) the fit', () => {
  it('LK202 names the split before the fit, not a later re-split', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      SPLIT,
      'sc = StandardScaler().fit(pd.concat([X_train, X_test]))\nm = LogisticRegression().fit(sc.transform(X_train), y_train)\nprint(m.score(sc.transform(X_test), y_test))',
      'X_tr2, X_te2, y_tr2, y_te2 = train_test_split(X, y, random_state=1)\nm2 = Ridge().fit(X_tr2, y_tr2)',
    ];
    assert.deepEqual(await leaks(cells, ['LK']), ['LK202 cell 3 0:5-0:55 LogisticRegression StandardScaler.fit']);
    assert.deepEqual(await messages(cells, ['LK202']), [
      '`StandardScaler.fit` learns from train+test rows after the data was split in cell 3, so test information reaches `LogisticRegression`.',
    ]);
  });

  it('LK201 names the split after the fit, with a cell between them', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      'Xs = StandardScaler().fit_transform(X)',
      'print(Xs.shape)',
      'X_train, X_test, y_train, y_test = train_test_split(Xs, y, random_state=0)\nm = LogisticRegression().fit(X_train, y_train)',
    ];
    assert.deepEqual(await leaks(cells, ['LK']), ['LK201 cell 2 0:5-0:38 LogisticRegression StandardScaler.fit_transform']);
    assert.deepEqual(await messages(cells, ['LK201']), [
      '`StandardScaler.fit_transform` learns from all rows before the rows are split in cell 5, so test rows leak into the training of `LogisticRegression`.',
    ]);
  });
});
