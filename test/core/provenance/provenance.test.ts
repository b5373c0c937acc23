import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyse } from '../../../src/core/analysis/analysed-notebook';
import { provenanceOf, rowsName, modelClass, type Provenance } from '../../../src/core/analysis/provenance';
import { loadPythonParser, type PythonParser } from '../../../src/core/python';
import type { FlowExpr, FlowStatement } from '../../../src/core/python/flow';
import { notebook } from '../../helpers/notebooks';
import { IMPORTS } from './leak-helpers';

async function provenance(cells: string[]): Promise<Provenance> {
  return provenanceOf(await analyse(notebook([IMPORTS, ...cells])));
}

/** `api rows` of every non-speculative fit. */
const fits = (p: Provenance): string[] => p.fits.filter((f) => !f.speculative).map((f) => `${f.api} ${rowsName(f.rows)}`);

describe('provenance: rows roles', () => {
  it('assigns train and held-out parts by output position, names refining validation and test', async () => {
    const p = await provenance([
      'df = pd.read_csv("d.csv")\nX = df.drop(columns=["y"])\ny = df["y"]',
      'X_tmp, X_test, y_tmp, y_test = train_test_split(X, y)\nX_tr, X_val, y_tr, y_val = train_test_split(X_tmp, y_tmp)',
      'a = Ridge().fit(X_tr, y_tr)\nb = Ridge().fit(X_val, y_val)\nc = Ridge().fit(X_test, y_test)\nd = Ridge().fit(X, y)',
    ]);
    assert.deepEqual(fits(p), ['Ridge.fit train', 'Ridge.fit validation', 'Ridge.fit test', 'Ridge.fit all']);
  });

  it('gives fold indexes, slices, sampled parts and name-only parts their roles', async () => {
    const p = await provenance([
      'df = pd.read_csv("d.csv")\nn = int(len(df) * 0.8)',
      'for tr, te in KFold(5).split(df):\n    Ridge().fit(df.iloc[tr], df.iloc[tr]["y"])\n    Ridge().fit(df.iloc[te], df.iloc[te]["y"])',
      'head = df[:n]\ntail = df[n:]\nRidge().fit(head, head["y"])\nRidge().fit(tail, tail["y"])',
      'tr = df.sample(frac=0.7)\nrest = df.drop(tr.index)\nRidge().fit(rest, rest["y"])',
      'test_df = pd.read_csv("test.csv")\nRidge().fit(test_df, test_df["y"])',
    ]);
    assert.deepEqual(fits(p), ['Ridge.fit train', 'Ridge.fit validation', 'Ridge.fit train', 'Ridge.fit test', 'Ridge.fit test', 'Ridge.fit test']);
  });

  it('keeps the role through copies, aliases, .values, concat of train parts and column selections', async () => {
    const p = await provenance([
      'df = pd.read_csv("d.csv")\ntrain, test = train_test_split(df)',
      'a = train.copy()\nb = a\nc = b[["x"]].values\nRidge().fit(c, b["y"])\nRidge().fit(pd.concat([train, test]), df["y"])',
    ]);
    assert.deepEqual(fits(p), ['Ridge.fit train', 'Ridge.fit train+test']);
  });
});

describe('provenance: functions, objects and confidence', () => {
  it('binds arguments to parameters and returns to targets, recording fits at the call site', async () => {
    const p = await provenance([
      'df = pd.read_csv("d.csv")',
      'def prep(frame, k=2):\n    out = PCA(k).fit_transform(frame)\n    return out, frame',
      'Z, same = prep(df)\nRidge().fit(Z, same["y"])',
    ]);
    assert.deepEqual(fits(p), ['PCA.fit_transform all', 'Ridge.fit all']);
    const pca = p.fits[0];
    assert.equal(pca?.inFunction, 'prep');
    assert.equal(pca?.callSite?.cell, 3);
    assert.deepEqual(
      p.fits[1]?.learnedIn.map((f) => f.api),
      ['PCA.fit_transform'],
    );
  });

  it('resolves pipelines and searches to their final estimator, and unresolvable classes to undefined', async () => {
    const p = await provenance([
      'df = pd.read_csv("d.csv")',
      'pipe = Pipeline([("s", StandardScaler()), ("m", RandomForestClassifier())])\ng = GridSearchCV(pipe, {"m__max_depth": [2, 3]})\ng.fit(df, df["y"])',
      'thing = getattr(__import__("x"), "Model")()\nthing.fit(df, df["y"])',
    ]);
    assert.deepEqual(
      p.fits.map((f) => (f.object === undefined ? '-' : (modelClass(f.object) ?? 'Unknown'))),
      ['RandomForestClassifier', 'Unknown'],
    );
    assert.equal(p.dynamic, true);
  });

  it('analyses functions nothing calls speculatively, with parameters of unknown rows', async () => {
    const p = await provenance(['def predict(batch):\n    return StandardScaler().fit_transform(batch)']);
    assert.deepEqual(
      p.fits.map((f) => `${f.api} ${rowsName(f.rows)} ${f.speculative}`),
      ['StandardScaler.fit_transform unknown true'],
    );
  });
});

describe('provenance: blocks side by side', () => {
  /** For each estimator fit: its data's column blocks, each as the apis of its transformer chain. */
  const blocks = (p: Provenance): string[][][] =>
    p.fits.filter((f) => f.kind === 'estimator').map((f) => (f.data.columnBlocks ?? []).map((b) => b.chain.map((c) => c.api)));

  it('keeps each block of np.hstack, np.c_ and pd.concat(axis=1) with its own transformer chain', async () => {
    const p = await provenance([
      'df = pd.read_csv("d.csv")\nX_train, X_test, y_train, y_test = train_test_split(df[["a", "b", "c"]], df["y"])',
      'num = StandardScaler().fit_transform(SimpleImputer().fit_transform(X_train[["a", "b"]]))\ncat = OneHotEncoder().fit_transform(X_train[["c"]])',
      'Ridge().fit(np.hstack([num, cat]), y_train)\nRidge().fit(np.c_[num, X_train[["c"]]], y_train)\nRidge().fit(pd.concat([pd.DataFrame(cat), pd.DataFrame(num)], axis=1), y_train)',
    ]);
    assert.deepEqual(blocks(p), [
      [['SimpleImputer.fit_transform', 'StandardScaler.fit_transform'], ['OneHotEncoder.fit_transform']],
      [['SimpleImputer.fit_transform', 'StandardScaler.fit_transform'], []],
      [['OneHotEncoder.fit_transform'], ['SimpleImputer.fit_transform', 'StandardScaler.fit_transform']],
    ]);
    // The combined data's chain is its first block's (what LK205 compares).
    assert.deepEqual(
      p.fits.filter((f) => f.kind === 'estimator').map((f) => f.chainIn.length),
      [2, 2, 1],
    );
  });

  it('rows stacked one under the other (np.vstack, pd.concat, np.r_) are not blocks', async () => {
    const p = await provenance([
      'df = pd.read_csv("d.csv")\na = StandardScaler().fit_transform(df[["a"]])\nb = StandardScaler().fit_transform(df[["b"]])',
      'Ridge().fit(np.vstack([a, b]), df["y"])\nRidge().fit(pd.concat([df, df]), df["y"])\nRidge().fit(np.r_[a, b], df["y"])\nRidge().fit(np.concatenate([a, b]), df["y"])',
    ]);
    assert.deepEqual(blocks(p), [[], [], [], []]);
  });
});

describe('flow facts', () => {
  let parser: PythonParser;
  before(async () => {
    parser = await loadPythonParser();
  });
  const flow = (source: string): FlowStatement[] => parser.facts(source).flow ?? [];

  it('keeps slice bounds apart although the tree drops the colons', () => {
    const bounds = (source: string): string => {
      const [s] = flow(source);
      const value = s?.kind === 'assign' ? s.value : undefined;
      const slice: FlowExpr | undefined = value?.kind === 'subscript' ? value.index[0] : undefined;
      return slice?.kind === 'slice' ? `${slice.lower ? 'L' : '-'}${slice.upper ? 'U' : '-'}${slice.step ? 'S' : '-'}` : 'none';
    };
    assert.deepEqual(['a = x[:n]', 'a = x[n:]', 'a = x[1:n]', 'a = x[::2]', 'a = x[ : n : 2]'].map(bounds), ['-U-', 'L--', 'LU-', '--S', '-US']);
  });

  it('records tuple targets, for loops over calls, defs with returns, and with-as bindings', () => {
    const [assign, loop, def, block] = flow(
      'a, (b, *c) = f()\nfor tr, te in kf.split(X):\n    pass\ndef g(p, *q, k=1, **r):\n    return p\nwith open(p) as fh:\n    y = fh',
    );
    assert.equal(assign?.kind === 'assign' && assign.targets[0]?.kind, 'tuple');
    assert.equal(loop?.kind === 'for' && loop.iterable.kind, 'call');
    assert.deepEqual(def?.kind === 'def' ? [def.params, def.body.map((s) => s.kind)] : [], [['p', '*q', 'k', '**r'], ['return']]);
    assert.deepEqual(block?.kind === 'block' ? block.body.map((s) => s.kind) : [], ['assign', 'assign']);
  });
});
