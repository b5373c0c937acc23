// LK201 quick fixes, source in / fixed text out: "Move `fit` after `train_test_split`" and
// "Wrap ... in a `Pipeline`", exactly when the leak has the one mechanical shape, with
// `data.fixBlockedBy` otherwise; after a fix no LK finding is left.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import type { Diagnostic } from '../../../src/core/diagnostic';
import { applyFixToSources } from '../../../src/core/fixes/apply';
import { parseNotebookText } from '../../../src/core/notebook';
import { preprocessingBeforeSplit } from '../../../src/core/rules/preprocessing-before-split';
import { notebook } from '../../helpers/notebooks';

const IMPORTS = [
  'import pandas as pd',
  'from sklearn.model_selection import train_test_split',
  'from sklearn.preprocessing import StandardScaler',
  'from sklearn.linear_model import LogisticRegression',
].join('\n');
const LOAD = 'df = pd.read_csv("data.csv")\nX = df.drop(columns=["y"])\ny = df["y"]';

async function lk201(cells: string[]): Promise<Diagnostic> {
  const found = (await analyzeNotebook(notebook(cells), { select: ['LK201'] })).filter((d) => d.code === 'LK201');
  assert.equal(found.length, 1, 'one LK201 finding');
  return found[0] as Diagnostic;
}

/** The cells after applying the fix with the given title prefix. */
async function fixed(cells: string[], title: string): Promise<string[]> {
  const d = await lk201(cells);
  const fix = d.fixes?.find((f) => f.title.startsWith(title));
  assert.ok(fix, `no fix "${title}"; blocked by: ${String(d.data['fixBlockedBy'])}`);
  assert.equal(fix.safety, 'unsafe');
  return applyFixToSources(cells, fix).sources;
}

async function leaksAfter(cells: string[]): Promise<string[]> {
  return (await analyzeNotebook(notebook(cells), { select: ['LK', 'PR'] })).map((d) => `${d.code} cell ${d.cell}`);
}

async function blockedBy(cells: string[]): Promise<unknown> {
  const d = await lk201(cells);
  assert.equal(d.fixes, undefined);
  return d.data['fixBlockedBy'];
}

const SPLIT = 'X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, test_size=0.2, random_state=0)';
const TRAIN = 'model = LogisticRegression().fit(X_train, y_train)\nprint(model.score(X_test, y_test))';
const MOVE = 'Move `fit` after `train_test_split`';
const WRAP = 'Wrap `StandardScaler` and `LogisticRegression` in a `Pipeline`';

describe('LK201 fix: move `fit` after `train_test_split`', () => {
  it('splits the raw rows, fits a named scaler on the training part and transforms both', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      'scaler = StandardScaler()\nX_scaled = scaler.fit_transform(X)',
      'X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, test_size=0.2, random_state=0)  # hold out 20%\nprint(X_train.shape)',
      TRAIN,
    ];
    const after = await fixed(cells, MOVE);
    assert.deepEqual(after, [
      IMPORTS,
      LOAD,
      'scaler = StandardScaler()',
      [
        'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)  # hold out 20%',
        'X_train = scaler.fit_transform(X_train)',
        'X_test = scaler.transform(X_test)',
        'print(X_train.shape)',
      ].join('\n'),
      TRAIN,
    ]);
    assert.deepEqual(await leaksAfter(after), []);
  });

  it('names a scaler built inline after its role and keeps building it where it was', async () => {
    const cells = [IMPORTS, LOAD, 'X_scaled = StandardScaler().fit_transform(X)', SPLIT, TRAIN];
    const d = await lk201(cells);
    assert.deepEqual(
      d.fixes?.map((f) => f.title),
      [MOVE, WRAP],
    );
    const after = await fixed(cells, MOVE);
    assert.deepEqual(after, [
      IMPORTS,
      LOAD,
      'scaler = StandardScaler()',
      'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)\nX_train = scaler.fit_transform(X_train)\nX_test = scaler.transform(X_test)',
      TRAIN,
    ]);
    assert.deepEqual(await leaksAfter(after), []);
  });

  it('moves `fit` then `transform` as they were written, removing both lines', async () => {
    const cells = [IMPORTS, `${LOAD}\nscaler = StandardScaler()\nscaler.fit(X)\nX_scaled = scaler.transform(X)\n${SPLIT}`, TRAIN];
    const after = await fixed(cells, MOVE);
    assert.deepEqual(after, [
      IMPORTS,
      [
        LOAD,
        'scaler = StandardScaler()',
        'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)',
        'scaler.fit(X_train)',
        'X_train = scaler.transform(X_train)',
        'X_test = scaler.transform(X_test)',
      ].join('\n'),
      TRAIN,
    ]);
    assert.deepEqual(await leaksAfter(after), []);
  });

  it('keeps `scaler = StandardScaler()` of `scaler = StandardScaler().fit(X)`', async () => {
    const cells = [IMPORTS, LOAD, 'scaler = StandardScaler().fit(X)\nX_scaled = scaler.transform(X)', SPLIT, TRAIN];
    const after = await fixed(cells, MOVE);
    assert.equal(after[2], 'scaler = StandardScaler()');
    assert.equal(after[3], `${SPLIT.replace('(X_scaled', '(X')}\nscaler.fit(X_train)\nX_train = scaler.transform(X_train)\nX_test = scaler.transform(X_test)`);
    assert.deepEqual(await leaksAfter(after), []);
  });

  it('leaves the split alone when the fit overwrites its input (`X = scaler.fit_transform(X)`)', async () => {
    const cells = [IMPORTS, LOAD, 'scaler = StandardScaler()\nX = scaler.fit_transform(X)', SPLIT.replace('(X_scaled', '(X'), TRAIN];
    const after = await fixed(cells, MOVE);
    assert.deepEqual(after.slice(2, 4), [
      'scaler = StandardScaler()',
      'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)\nX_train = scaler.fit_transform(X_train)\nX_test = scaler.transform(X_test)',
    ]);
    assert.deepEqual(await leaksAfter(after), []);
  });

  it('passes the training target to a selector that learns from it', async () => {
    const imports = `${IMPORTS}\nfrom sklearn.feature_selection import SelectKBest`;
    const cells = [imports, LOAD, 'X_best = SelectKBest(k=3).fit_transform(X, y)', SPLIT.replace('(X_scaled', '(X_best'), TRAIN];
    const after = await fixed(cells, MOVE);
    assert.deepEqual(after.slice(2, 4), [
      'select_k_best = SelectKBest(k=3)',
      'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)\nX_train = select_k_best.fit_transform(X_train, y_train)\nX_test = select_k_best.transform(X_test)',
    ]);
    assert.deepEqual(await leaksAfter(after), []);
  });

  it('splits a selection of the frame when that is what the vectorizer learned from', async () => {
    const imports = `${IMPORTS}\nfrom sklearn.feature_extraction.text import TfidfVectorizer`;
    const cells = [
      imports,
      'reviews = pd.read_csv("reviews.csv")\ny = reviews["label"]',
      'X_text = TfidfVectorizer(min_df=2).fit_transform(reviews["text"])',
      SPLIT.replace('(X_scaled', '(X_text'),
      TRAIN,
    ];
    const after = await fixed(cells, MOVE);
    assert.deepEqual(after.slice(2, 4), [
      'vectorizer = TfidfVectorizer(min_df=2)',
      'X_train, X_test, y_train, y_test = train_test_split(reviews["text"], y, test_size=0.2, random_state=0)\nX_train = vectorizer.fit_transform(X_train)\nX_test = vectorizer.transform(X_test)',
    ]);
    assert.deepEqual(await leaksAfter(after), []);
    const wrapped = await fixed(cells, 'Wrap `TfidfVectorizer` and `LogisticRegression` in a `Pipeline`');
    assert.equal(
      wrapped[4],
      'model = make_pipeline(TfidfVectorizer(min_df=2), LogisticRegression()).fit(X_train, y_train)\nprint(model.score(X_test, y_test))',
    );
    assert.deepEqual(await leaksAfter(wrapped), []);
    const changed = [...cells.slice(0, 3), `reviews = reviews.dropna()\n${cells[3]}`, TRAIN];
    assert.equal(await blockedBy(changed), '`reviews` changes in cell 4, between the fit and the split');
  });

  it('works within one cell, removing a last line with the break before it', async () => {
    const cells = [IMPORTS, `${LOAD}\nscaler = StandardScaler()\nX_scaled = scaler.fit_transform(X)\n${SPLIT}\n${TRAIN}`];
    const after = await fixed(cells, MOVE);
    assert.equal(
      after[1],
      [
        LOAD,
        'scaler = StandardScaler()',
        SPLIT.replace('(X_scaled', '(X'),
        'X_train = scaler.fit_transform(X_train)',
        'X_test = scaler.transform(X_test)',
        TRAIN,
      ].join('\n'),
    );
    const lastLine = [IMPORTS, LOAD, 'scaler = StandardScaler()\nX_scaled = scaler.fit_transform(X)', SPLIT, TRAIN];
    assert.equal((await fixed(lastLine, MOVE))[2], 'scaler = StandardScaler()');
  });
});

describe('LK201 fix: wrap the transformer and the model in a `Pipeline`', () => {
  it("moves an inline scaler into `make_pipeline` and imports it after the first cell's imports", async () => {
    const cells = [IMPORTS, LOAD, 'X_scaled = StandardScaler().fit_transform(X)', SPLIT, TRAIN];
    const after = await fixed(cells, WRAP);
    assert.deepEqual(after, [
      `${IMPORTS}\nfrom sklearn.pipeline import make_pipeline`,
      LOAD,
      '',
      SPLIT.replace('(X_scaled', '(X'),
      'model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X_train, y_train)\nprint(model.score(X_test, y_test))',
    ]);
    assert.deepEqual(await leaksAfter(after), []);
  });

  it('puts a named scaler into the pipeline by name, model built and fitted apart, import already there', async () => {
    const cells = [
      `${IMPORTS}\nfrom sklearn.pipeline import make_pipeline`,
      LOAD,
      'scaler = StandardScaler()\nX_scaled = scaler.fit_transform(X)',
      `${SPLIT}\nprint(X_train.shape, len(X_test))`,
      'model = LogisticRegression(max_iter=1000)\nmodel.fit(X_train, y_train)',
      'pred = model.predict(X_test)\nprint((pred == y_test).mean())',
    ];
    const after = await fixed(cells, WRAP);
    assert.deepEqual(after, [
      cells[0],
      LOAD,
      'scaler = StandardScaler()',
      `${SPLIT.replace('(X_scaled', '(X')}\nprint(X_train.shape, len(X_test))`,
      'model = make_pipeline(scaler, LogisticRegression(max_iter=1000))\nmodel.fit(X_train, y_train)',
      cells[5],
    ]);
    assert.deepEqual(await leaksAfter(after), []);
  });

  it('is not offered when the split parts are also read by something other than the model', async () => {
    const cells = [IMPORTS, LOAD, 'X_scaled = StandardScaler().fit_transform(X)', SPLIT, `${TRAIN}\nprint(X_test[:3])`];
    const d = await lk201(cells);
    assert.deepEqual(
      d.fixes?.map((f) => f.title),
      [MOVE],
    );
  });

  it('is not offered when the model is trained with keyword arguments a pipeline would not route', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      'X_scaled = StandardScaler().fit_transform(X)',
      SPLIT,
      'model = LogisticRegression().fit(X_train, y_train, sample_weight=None)',
    ];
    const d = await lk201(cells);
    assert.deepEqual(
      d.fixes?.map((f) => f.title),
      [MOVE],
    );
  });
});

describe("LK201 fixes on the rule's documented example", () => {
  it('offers both, and after either the notebook has no LK or PR finding', async () => {
    const example = parseNotebookText('example.py', preprocessingBeforeSplit.docs.example);
    const sources = example.cells.map((c) => c.source);
    const [d] = await analyzeNotebook(example, { select: ['LK201'] });
    assert.deepEqual(
      d?.fixes?.map((f) => f.title),
      [MOVE, WRAP],
    );
    for (const fix of d?.fixes ?? []) {
      const after = applyFixToSources(sources, fix).sources;
      assert.deepEqual(await leaksAfter(after), [], fix.title);
    }
    const wrapped = applyFixToSources(sources, d?.fixes?.[1] ?? { title: '', safety: 'unsafe', edits: [] }).sources;
    assert.match(wrapped.join('\n'), /model = make_pipeline\(StandardScaler\(\), LogisticRegression\(\)\)\.fit\(X_train, y_train\)/);
  });
});

describe('LK201 fix: not mechanical, so none, and `data.fixBlockedBy` says why', () => {
  it('the transformed rows are read elsewhere', async () => {
    assert.equal(
      await blockedBy([IMPORTS, LOAD, 'X_scaled = StandardScaler().fit_transform(X)\nprint(X_scaled[:3])', SPLIT, TRAIN]),
      '`X_scaled` is also read in cell 3',
    );
  });

  it('the scaler is used between the fit and the split', async () => {
    assert.equal(
      await blockedBy([IMPORTS, LOAD, 'scaler = StandardScaler()\nX_scaled = scaler.fit_transform(X)\nprint(scaler.mean_)', SPLIT, TRAIN]),
      '`scaler` is used in cell 3 before the split',
    );
  });

  it('a notebook function uses the scaler and may run before the split', async () => {
    const cells = [
      IMPORTS,
      LOAD,
      'scaler = StandardScaler()\nX_scaled = scaler.fit_transform(X)',
      'def prepare(rows):\n    return scaler.transform(rows)',
      SPLIT,
      TRAIN,
    ];
    assert.equal(await blockedBy(cells), 'a function in cell 4 uses `scaler` and may run before the split');
  });

  it('the untransformed rows change between the fit and the split', async () => {
    assert.equal(
      await blockedBy([IMPORTS, LOAD, 'X_scaled = StandardScaler().fit_transform(X)\nX = X.head(10)', SPLIT, TRAIN]),
      '`X` changes in cell 3, between the fit and the split',
    );
  });

  it('the transformed rows are wrapped before they are split', async () => {
    assert.equal(
      await blockedBy([IMPORTS, LOAD, 'X_scaled = pd.DataFrame(StandardScaler().fit_transform(X))', SPLIT, TRAIN]),
      'the fit is part of a larger statement',
    );
  });

  it('two preprocessing steps learn from all rows', async () => {
    const imports = `${IMPORTS}\nfrom sklearn.impute import SimpleImputer`;
    const cells = [imports, LOAD, 'X_filled = SimpleImputer().fit_transform(X)\nX_scaled = StandardScaler().fit_transform(X_filled)', SPLIT, TRAIN];
    const found = (await analyzeNotebook(notebook(cells), { select: ['LK201'] })).filter((d) => d.code === 'LK201');
    assert.equal(found.length, 2);
    for (const d of found) {
      assert.equal(d.fixes, undefined);
      assert.equal(d.data['fixBlockedBy'], 'several preprocessing steps learn from all rows before this split; put them in one `Pipeline` by hand');
    }
  });

  it('the rows are cross-validated, not split', async () => {
    const imports = `${IMPORTS}\nfrom sklearn.model_selection import cross_val_score`;
    const cells = [imports, LOAD, 'X_scaled = StandardScaler().fit_transform(X)', 'print(cross_val_score(LogisticRegression(), X_scaled, y))'];
    assert.match(String(await blockedBy(cells)), /^the rows are split by `.*cross_val_score`, not by `train_test_split`; use a `Pipeline`$/);
  });

  it('the fit happens inside a notebook function', async () => {
    const cells = [IMPORTS, LOAD, 'def scale(frame):\n    return StandardScaler().fit_transform(frame)', 'X_scaled = scale(X)', SPLIT, TRAIN];
    assert.equal(await blockedBy(cells), 'the fit happens inside a notebook function');
  });
});
