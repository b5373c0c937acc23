import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import { notebook } from '../../helpers/notebooks';
import { IMPORTS, leaks } from '../provenance/leak-helpers';

const LOAD = 'df = pd.read_csv("data.csv")\nX = df.drop(columns=["y"])\ny = df["y"]';
const SPLIT = 'X_train, X_test, y_train, y_test = train_test_split(Xs, y, random_state=0)';
const TRAIN = 'model = LogisticRegression().fit(X_train, y_train)\nprint(model.score(X_test, y_test))';

describe('LK201 preprocessing-before-split', () => {
  it('fires at a scaler fitted on all rows that are split afterwards, naming model and source', async () => {
    assert.deepEqual(await leaks([IMPORTS, LOAD, 'Xs = StandardScaler().fit_transform(X)', SPLIT, TRAIN], ['LK201']), [
      'LK201 cell 2 0:5-0:38 LogisticRegression StandardScaler.fit_transform',
    ]);
  });

  it('points related locations at the split, the training and the evaluation', async () => {
    const [d] = await analyzeNotebook(notebook([IMPORTS, LOAD, 'Xs = StandardScaler().fit_transform(X)', SPLIT, TRAIN]), { select: ['LK201'] });
    assert.ok(d);
    assert.deepEqual(
      d.related.map((r) => r.cell),
      [3, 4, 4],
    );
    assert.match(d.message, /split in cell 4/);
    assert.equal(d.data['pattern'], 'scaling');
  });

  it('catches encoders, vectorizers, reducers, get_dummies and pandas statistics', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      ['X["age"] = X["age"].fillna(X["age"].median())', 'X = pd.get_dummies(X)', 'Xs = PCA(n_components=3).fit_transform(X)'].join('\n'),
      SPLIT,
      TRAIN,
    ];
    assert.deepEqual(await leaks(cells, ['LK201']), [
      'LK201 cell 2 0:11-0:45 LogisticRegression Series.fillna',
      'LK201 cell 2 1:4-1:21 LogisticRegression pd.get_dummies',
      'LK201 cell 2 2:5-2:41 LogisticRegression PCA.fit_transform',
    ]);
  });

  it('follows tuple unpacking, aliases, .copy(), .values and notebook functions (anchored at the call)', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      'def scale(frame):\n    return StandardScaler().fit_transform(frame)',
      'data = X.copy()\nXs = scale(data.values)',
      SPLIT,
      TRAIN,
    ];
    assert.deepEqual(await leaks(cells, ['LK201']), ['LK201 cell 3 1:5-1:23 LogisticRegression StandardScaler.fit_transform']);
  });

  it('counts cross-validation and KFold loops as splits made later', async () => {
    const cv = [IMPORTS, LOAD, 'Xs = StandardScaler().fit_transform(X)', 'print(cross_val_score(RandomForestClassifier(random_state=0), Xs, y))'];
    assert.deepEqual(await leaks(cv, ['LK201']), ['LK201 cell 2 0:5-0:38 RandomForestClassifier StandardScaler.fit_transform']);
    const loop = [
      IMPORTS,
      LOAD,
      'Xs = StandardScaler().fit_transform(X)',
      'for tr, te in KFold(5).split(Xs):\n    m = Ridge().fit(Xs[tr], y[tr])\n    print(m.score(Xs[te], y[te]))',
    ];
    assert.deepEqual(await leaks(loop, ['LK201']), ['LK201 cell 2 0:5-0:38 Ridge StandardScaler.fit_transform']);
  });

  it('stays quiet when the split comes first, or a Pipeline fits on train only', async () => {
    const first = [
      IMPORTS,
      LOAD,
      'Xs = X',
      SPLIT,
      'sc = StandardScaler().fit(X_train)',
      'model = LogisticRegression().fit(sc.transform(X_train), y_train)\nprint(model.score(sc.transform(X_test), y_test))',
    ];
    assert.deepEqual(await leaks(first, ['LK']), []);
    const pipeline = [
      IMPORTS,
      LOAD,
      'Xs = X',
      SPLIT,
      'pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(X_train, y_train)\nprint(pipe.score(X_test, y_test))',
    ];
    assert.deepEqual(await leaks(pipeline, ['LK']), []);
  });

  it('ignores row-wise feature engineering, windows and statistics that are only printed', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      'X["total"] = X.sum(axis=1)\nX["roll"] = X["a"].rolling(3).mean()\nX["log"] = np.log1p(X["a"])\nprint(X.mean())\nXs = X',
      SPLIT,
      TRAIN,
    ];
    // The rolling window makes the data time-ordered (LK206's business), but learns nothing from other rows.
    assert.deepEqual(await leaks(cells, ['LK201', 'LK202', 'LK205']), []);
  });

  it('names no class, in the message or the data, when no model can be resolved', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      'Xs = StandardScaler().fit_transform(X)',
      SPLIT,
      'from mystery import Thing\nm = Thing()\nm.fit(X_train, y_train)\nprint(m.score(X_test, y_test))',
    ];
    assert.deepEqual(await leaks(cells, ['LK201']), ['LK201 cell 2 0:5-0:38 - StandardScaler.fit_transform']);
    const [finding] = await analyzeNotebook(notebook(cells), { select: ['LK201'] });
    assert.deepEqual(finding?.data, { source: 'StandardScaler.fit_transform', pattern: 'scaling', confidence: 'high' });
    // The fix's title says "the model" too.
    assert.deepEqual(
      finding?.fixes?.map((f) => f.title),
      ['Move `fit` after `train_test_split`', 'Wrap `StandardScaler` and the model in a `Pipeline`'],
    );
  });
});

describe('LK201 and column slices', () => {
  // `X[:, :-1]` takes every row: features and label cut by column are no train/test split, whatever their names.
  const SCALED = 'X = StandardScaler().fit_transform(df.values)';

  it('stays quiet when the only "split" cuts the label off by column', async () => {
    const cells = [
      IMPORTS,
      'df = pd.read_csv("train.csv")',
      SCALED,
      'X_train = X[:, :-1]\ny_train = X[:, -1]\nmodel = LogisticRegression().fit(X_train, y_train)',
    ];
    assert.deepEqual(await leaks(cells, ['LK']), []);
  });

  it('still fires when rows are cut by position after the fit', async () => {
    const cells = [
      IMPORTS,
      'df = pd.read_csv("train.csv")',
      SCALED,
      'X_train, y_train = X[:800, :-1], X[:800, -1]\nX_test, y_test = X[800:, :-1], X[800:, -1]\nmodel = LogisticRegression().fit(X_train, y_train)\nprint(model.score(X_test, y_test))',
    ];
    assert.deepEqual(await leaks(cells, ['LK']), ['LK201 cell 2 0:4-0:45 LogisticRegression StandardScaler.fit_transform']);
  });
});

describe('a few rows cut by position', () => {
  const FRAME = 'df = pd.read_csv("data.csv")';
  it('are a split when bound to role names: a scaler fitted on the whole frame afterwards is LK202', async () => {
    const cells = [
      IMPORTS,
      FRAME,
      'small_train = df[["x"]][:3]\nsmall_val = df[["x"]][3:]\ny_small = df["y"][:3]\ny_val = df["y"][3:]',
      'ss = StandardScaler().fit(df[["x"]])\nm = LogisticRegression().fit(ss.transform(small_train), y_small)\nprint(m.score(ss.transform(small_val), y_val))',
    ];
    assert.deepEqual(await leaks(cells, ['LK']), ['LK202 cell 3 0:5-0:36 LogisticRegression StandardScaler.fit']);
  });

  it('stay a preview when bound to other names', async () => {
    const cells = [IMPORTS, FRAME, 'head = df[:3]\nprint(head)', 'ss = StandardScaler().fit(df[["x"]])\nprint(ss.transform(head[["x"]]))'];
    assert.deepEqual(await leaks(cells, ['LK']), []);
  });
});

describe('LK201 and cross-validation inside the fitted training part', () => {
  const PARTS = 'X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)';
  const SCALE = 'sc = StandardScaler().fit(X_train)\nA = sc.transform(X_train)\nB = sc.transform(X_test)';

  it('fires at a scaler fitted on the training part that a grid search or cross_val_score then divides into folds', async () => {
    const grid = [IMPORTS, LOAD, PARTS, SCALE, 'g = GridSearchCV(LogisticRegression(), {"C": [0.1, 1]}, cv=5).fit(A, y_train)\nprint(g.score(B, y_test))'];
    const [finding] = await analyzeNotebook(notebook(grid), { select: ['LK', 'PREVIEW'] });
    assert.equal(
      finding?.message,
      "`StandardScaler.fit` learns from the train rows before `GridSearchCV.fit` splits them in cell 5 into folds, so every fold's validation rows leak into the training of `LogisticRegression`.",
    );
    assert.deepEqual(await leaks(grid, ['LK']), ['LK201 cell 3 0:5-0:34 LogisticRegression StandardScaler.fit']);
    const cv = [
      IMPORTS,
      LOAD,
      PARTS,
      'imp = SimpleImputer().fit(X_train)\nA = imp.transform(X_train)',
      'print(cross_val_score(LogisticRegression(), A, y_train, cv=5).mean())',
    ];
    assert.deepEqual(await leaks(cv, ['LK']), ['LK201 cell 3 0:6-0:34 LogisticRegression SimpleImputer.fit']);
  });

  it('stays quiet when the search fits a pipeline on the raw training part, or validates on untouched rows', async () => {
    const pipe = [
      IMPORTS,
      LOAD,
      PARTS,
      'g = GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression()), {"logisticregression__C": [0.1, 1]}, cv=5).fit(X_train, y_train)\nprint(g.score(X_test, y_test))',
    ];
    assert.deepEqual(await leaks(pipe, ['LK']), []);
    const raw = [
      IMPORTS,
      LOAD,
      PARTS,
      SCALE,
      'print(cross_val_score(LogisticRegression(), X_train, y_train, cv=5).mean())\nm = LogisticRegression().fit(A, y_train)\nprint(m.score(B, y_test))',
    ];
    assert.deepEqual(await leaks(raw, ['LK']), []);
    // A competition's training file is a part only by its name: statistics over it are another shape (issue 18).
    const file = [
      IMPORTS,
      'train = pd.read_csv("train.csv")\ntrain = train.fillna(train.median())',
      'print(cross_val_score(LogisticRegression(), train.drop(columns=["y"]), train["y"], cv=5).mean())',
    ];
    assert.deepEqual(await leaks(file, ['LK']), []);
  });
});

describe('LK203 oversampling-before-split', () => {
  it('fires at SMOTE before the split and at duplicated rows', async () => {
    const smote = [
      IMPORTS,
      LOAD,
      'Xs, ys = SMOTE(random_state=0).fit_resample(X, y)',
      'X_train, X_test, y_train, y_test = train_test_split(Xs, ys, random_state=0)',
      TRAIN,
    ];
    assert.deepEqual(await leaks(smote, ['LK']), ['LK203 cell 2 0:9-0:49 LogisticRegression SMOTE.fit_resample']);
    const dup = [IMPORTS, LOAD, 'up = df.sample(n=5000, replace=True, random_state=0)', 'Xs = up.drop(columns=["y"])\ny = up["y"]', SPLIT, TRAIN];
    assert.deepEqual(await leaks(dup, ['LK203']), ['LK203 cell 2 0:5-0:52 LogisticRegression DataFrame.sample']);
  });

  it('stays quiet when only the training part is oversampled or undersampled', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      'Xs = X',
      SPLIT,
      'Xr, yr = SMOTE(random_state=0).fit_resample(X_train, y_train)',
      'model = LogisticRegression().fit(Xr, yr)\nprint(model.score(X_test, y_test))',
    ];
    assert.deepEqual(await leaks(cells, ['LK']), []);
    const under = [
      `${IMPORTS}\nfrom imblearn.under_sampling import RandomUnderSampler`,
      LOAD,
      'Xs = X',
      SPLIT,
      'Xr, yr = RandomUnderSampler(random_state=0).fit_resample(X_train, y_train)',
      'model = LogisticRegression().fit(Xr, yr)\nprint(model.score(X_test, y_test))',
    ];
    assert.deepEqual(await leaks(under, ['LK']), []);
  });

  it('fires at undersampling before the split, saying the resampler chose the test rows', async () => {
    // Undersampling all rows decides which rows the test part may hold and balances it artificially.
    const under = [
      `${IMPORTS}\nfrom imblearn.under_sampling import RandomUnderSampler`,
      LOAD,
      'Xs, ys = RandomUnderSampler(random_state=0).fit_resample(X, y)',
      'X_train, X_test, y_train, y_test = train_test_split(Xs, ys, random_state=0)',
      TRAIN,
    ];
    assert.deepEqual(await leaks(under, ['LK']), ['LK203 cell 2 0:9-0:62 LogisticRegression RandomUnderSampler.fit_resample']);
    const [finding] = await analyzeNotebook(notebook(under), { select: ['LK203'] });
    assert.equal(
      finding?.message,
      '`RandomUnderSampler.fit_resample` drops rows before the data is split in cell 4, so the resampler chooses the test rows that score `LogisticRegression`, and they no longer have the class balance of real data.',
    );
  });
});

describe('LK201 and stateless transformers', () => {
  it('stays quiet for transformers that learn nothing from rows, fitted before the split', async () => {
    const imports = `${IMPORTS}\nimport numpy as np\nfrom sklearn.preprocessing import FunctionTransformer, Normalizer, PolynomialFeatures`;
    for (const fit of [
      'Xs = FunctionTransformer(np.log1p).fit_transform(X)',
      'Xs = Normalizer().fit_transform(X)',
      'Xs = PolynomialFeatures(2).fit_transform(X)',
    ]) {
      assert.deepEqual(await leaks([imports, LOAD, fit, SPLIT, TRAIN], ['LK201']), [], fit);
    }
  });

  it('still fires for a learning step after a stateless one', async () => {
    const imports = `${IMPORTS}\nimport numpy as np\nfrom sklearn.preprocessing import FunctionTransformer`;
    const fit = 'Xl = FunctionTransformer(np.log1p).fit_transform(X)\nXs = StandardScaler().fit_transform(Xl)';
    assert.deepEqual(await leaks([imports, LOAD, fit, SPLIT, TRAIN], ['LK201']), ['LK201 cell 2 1:5-1:39 LogisticRegression StandardScaler.fit_transform']);
  });
});

describe('LK201 and a second split of a fitted part', () => {
  const PARTS = 'X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)';
  const SCALE = 'sc = StandardScaler().fit(X_train)\nA = sc.transform(X_train)';
  const AGAIN = 'A_tr, A_val, y_tr, y_val = train_test_split(A, y_train, random_state=0)';

  it('fires at a scaler fitted on the training part that a second split divides into training and validation rows', async () => {
    const cells = [IMPORTS, LOAD, PARTS, SCALE, AGAIN, 'm = LogisticRegression().fit(A_tr, y_tr)\nprint(m.score(A_val, y_val))'];
    const [finding] = await analyzeNotebook(notebook(cells), { select: ['LK', 'PREVIEW'] });
    assert.equal(
      finding?.message,
      '`StandardScaler.fit` learns from every train row before the rows are split in cell 5 again, so the held-out rows of that split leak into the training of `LogisticRegression`.',
    );
    assert.deepEqual(await leaks(cells, ['LK']), ['LK201 cell 3 0:5-0:34 LogisticRegression StandardScaler.fit']);
  });

  it('fires on a frame read under a training name that is vectorised and only then split', async () => {
    const cells = [
      IMPORTS,
      'from sklearn.feature_extraction.text import TfidfVectorizer\nX_train_text = pd.read_csv("reviews.csv")\ny = X_train_text["stars"]',
      'T = TfidfVectorizer().fit_transform(X_train_text["text"])',
      'X_a, X_b, y_a, y_b = train_test_split(T, y, random_state=0)\nm = LogisticRegression().fit(X_a, y_a)\nprint(m.score(X_b, y_b))',
    ];
    assert.deepEqual(await leaks(cells, ['LK']), ['LK201 cell 2 0:4-0:57 LogisticRegression TfidfVectorizer.fit_transform']);
  });

  it('stays quiet when no model trains on the second split, or the fit saw only its training rows', async () => {
    const unused = [IMPORTS, LOAD, PARTS, SCALE, AGAIN, 'print(A_tr.shape, A_val.shape)'];
    assert.deepEqual(await leaks(unused, ['LK']), []);
    const after = [
      IMPORTS,
      LOAD,
      PARTS,
      'X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, random_state=0)\nsc = StandardScaler().fit(X_tr)',
      'm = LogisticRegression().fit(sc.transform(X_tr), y_tr)\nprint(m.score(sc.transform(X_val), y_val))',
    ];
    assert.deepEqual(await leaks(after, ['LK']), []);
  });
});

describe('LK201 and statistics over a training file and its competition file', () => {
  const FILES = 'train = pd.read_csv("train.csv")\ntest = pd.read_csv("test.csv")\nfull = pd.concat([train.drop(columns=["y"]), test])';
  const BACK = 'X = full[: len(train)]\nX_comp = full[len(train) :]\ny = train["y"]';

  it("fires when the training file's rows are split for validation after a scaler learned from both files", async () => {
    const cells = [
      IMPORTS,
      FILES,
      'full = StandardScaler().fit_transform(full)',
      BACK,
      'X_tr, X_val, y_tr, y_val = train_test_split(X, y, random_state=0)\nm = LogisticRegression().fit(X_tr, y_tr)\nprint(m.score(X_val, y_val))',
    ];
    const [finding] = await analyzeNotebook(notebook(cells), { select: ['LK', 'PREVIEW'] });
    assert.match(finding?.message ?? '', /learns from the labelled rows \(and the unlabelled competition rows\) before the rows are split in cell 5/);
    assert.deepEqual(await leaks(cells, ['LK']), ['LK201 cell 2 0:7-0:43 LogisticRegression StandardScaler.fit_transform']);
  });

  it('stays quiet when nothing splits the training file, or when only categories are encoded over both files', async () => {
    const noSplit = [IMPORTS, FILES, 'full = StandardScaler().fit_transform(full)', BACK, 'm = LogisticRegression().fit(X, y)\npred = m.predict(X_comp)'];
    assert.deepEqual(await leaks(noSplit, ['LK']), []);
    const encoded = [
      IMPORTS,
      FILES,
      'full = pd.get_dummies(full)',
      BACK,
      'X_tr, X_val, y_tr, y_val = train_test_split(X, y, random_state=0)\nm = LogisticRegression().fit(X_tr, y_tr)\nprint(m.score(X_val, y_val))',
    ];
    assert.deepEqual(await leaks(encoded, ['LK']), []);
  });
});
