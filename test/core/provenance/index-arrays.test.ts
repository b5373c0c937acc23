// Rows selected through index arrays (`np.split`, `next(cv.split(X))`, permutations), positional
// parts of shuffled rows, and rows duplicated through repeated indexes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyse } from '../../../src/core/analysis/analysed-notebook';
import { provenanceOf, rowsName } from '../../../src/core/analysis/provenance';
import { notebook } from '../../helpers/notebooks';
import { IMPORTS, leaks } from './leak-helpers';

const ALL = ['LK', 'PR301', 'PR302'];
const MORE_IMPORTS = 'from sklearn.model_selection import ShuffleSplit\nfrom sklearn.metrics import mean_absolute_error';

/** `api rows` of every non-speculative fit. */
async function fits(cells: string[]): Promise<string[]> {
  const p = provenanceOf(await analyse(notebook([IMPORTS, MORE_IMPORTS, ...cells])));
  return p.fits.filter((f) => !f.speculative).map((f) => `${f.api} ${rowsName(f.rows)}`);
}

const run = (cells: string[]): Promise<string[]> => leaks([IMPORTS, MORE_IMPORTS, ...cells], ALL);

const FRAME = 'df = pd.read_csv("d.csv")\nX = df.drop(columns=["y"])\ny = df["y"]\nn = len(df)';

describe('provenance: index arrays', () => {
  it('gives np.split parts of row positions train, validation and test roles', async () => {
    assert.deepEqual(
      await fits([
        FRAME,
        'tr, va, te = np.split(np.arange(n), [int(0.7 * n), int(0.85 * n)])\n' +
          'Ridge().fit(X.iloc[tr], y.iloc[tr])\nRidge().fit(X.iloc[va], y.iloc[va])\nRidge().fit(df.iloc[te], y.iloc[te])',
      ]),
      ['Ridge.fit train', 'Ridge.fit validation', 'Ridge.fit test'],
    );
  });

  it('stays quiet on a chronological np.split evaluated on its test part', async () => {
    assert.deepEqual(
      await run([
        FRAME,
        'tr, te = np.array_split(np.arange(n), 2)\nm = Ridge().fit(X.iloc[tr], y.iloc[tr])\nprint(mean_absolute_error(y.iloc[te], m.predict(X.iloc[te])))',
      ]),
      [],
    );
  });

  it('follows next(ShuffleSplit(...).split(X)) into X[tr] and X.iloc[te]', async () => {
    assert.deepEqual(
      await run([
        FRAME,
        'Z = StandardScaler().fit_transform(X)\ntr, te = next(ShuffleSplit(n_splits=1).split(Z))\n' +
          'm = Ridge().fit(Z[tr], y.iloc[tr])\nprint(mean_absolute_error(y.iloc[te], m.predict(Z[te])))',
      ]),
      ['LK201 cell 3 0:4-0:37 Ridge StandardScaler.fit_transform'],
    );
  });

  it('gives X[perm[:k]] and X[perm[k:]] train and test roles, and LK207 only when scored on the training part', async () => {
    const cells = (scored: string): string[] => [
      FRAME,
      `perm = np.random.default_rng(0).permutation(n)\nk = int(0.8 * n)\nm = Ridge().fit(X.iloc[perm[:k]], y.iloc[perm[:k]])\nprint(mean_absolute_error(y.iloc[perm[${scored}]], m.predict(X.iloc[perm[${scored}]])))`,
    ];
    assert.deepEqual(await run(cells('k:')), []);
    assert.deepEqual(await run(cells(':k')), ['LK207 cell 3 3:6-3:72 Ridge sklearn.metrics.mean_absolute_error']);
  });
});

describe('provenance: shuffles and duplicated indexes', () => {
  const TIMED = 'df = pd.read_csv("d.csv").sort_values("date")\nn = len(df)';

  it('reports LK206 at df.sample(frac=1) when positional slices of time-ordered rows follow', async () => {
    assert.deepEqual(
      await run([
        TIMED,
        'shuffled = df.sample(frac=1.0, random_state=0)\ntrn, tst = shuffled.iloc[: int(0.8 * n)], shuffled.iloc[int(0.8 * n):]\n' +
          'm = Ridge().fit(trn[["x"]], trn["y"])\nprint(m.score(tst[["x"]], tst["y"]))',
      ]),
      ['LK206 cell 3 0:11-0:46 Ridge DataFrame.sample'],
    );
  });

  it('stays quiet on positional slices of time-ordered rows that were not shuffled', async () => {
    assert.deepEqual(
      await run([
        TIMED,
        'trn, tst = df.iloc[: int(0.8 * n)], df.iloc[int(0.8 * n):]\nm = Ridge().fit(trn[["x"]], trn["y"])\nprint(m.score(tst[["x"]], tst["y"]))',
      ]),
      [],
    );
  });

  it('reports LK203 at np.repeat when repeated row indexes duplicate rows before cross-validation', async () => {
    const cells = (index: string): string[] => [
      FRAME,
      `minority = np.flatnonzero(y == 1)\nidx = ${index}\nprint(cross_val_score(RandomForestClassifier(), X.iloc[idx], y.iloc[idx], cv=5))`,
    ];
    assert.deepEqual(await run(cells('np.concatenate([np.arange(n), np.repeat(minority, 4)])')), ['LK203 cell 3 1:36-1:58 RandomForestClassifier np.repeat']);
    assert.deepEqual(await run(cells('np.concatenate([np.arange(n), minority])')), []);
  });
});
