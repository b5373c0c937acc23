// NB111 unseeded-randomness: source in, codes, positions and fixed sources out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNotebook } from '../../../src/core/engine';
import { applyFixToSources } from '../../../src/core/fixes/apply';
import { loadNotebookFile } from '../../../src/core/notebook';
import { compact, findings, notebook } from '../../helpers/notebooks';
import { repoRoot } from '../../helpers/paths';

const NB111 = { select: ['NB111'] };
const SK = 'from sklearn.model_selection import train_test_split, KFold\nfrom sklearn.ensemble import RandomForestClassifier';

test('NB111 fires on splits and estimators without random_state, at the callee', async () => {
  assert.deepEqual(
    await findings([SK, 'a, b = train_test_split(X, test_size=0.2)\nm = RandomForestClassifier(n_estimators=10)\nk = KFold(5, shuffle=True)'], NB111),
    ['NB111 cell 1 0:7-0:23', 'NB111 cell 1 1:4-1:26', 'NB111 cell 1 2:4-2:9'],
  );
});

test('NB111 resolves aliases and module paths', async () => {
  const cells = [
    'from sklearn.model_selection import train_test_split as tts\nimport sklearn.cluster\nfrom sklearn import ensemble as ens',
    'tts(X)\nsklearn.cluster.KMeans(3)\nens.ExtraTreesRegressor()',
  ];
  assert.deepEqual(await findings(cells, NB111), ['NB111 cell 1 0:0-0:3', 'NB111 cell 1 1:0-1:22', 'NB111 cell 1 2:0-2:23']);
});

test('NB111 does not fire when seeded, when nothing is random, or when it cannot know', async () => {
  const cells = [
    `${SK}\nfrom sklearn.linear_model import LogisticRegression\nfrom sklearn.decomposition import PCA`,
    'train_test_split(X, random_state=0)\ntrain_test_split(X, shuffle=False)\nKFold(5)\nKFold(5, shuffle=False)\nRandomForestClassifier(random_state=seed)',
    'LogisticRegression()\nPCA(2)\nRandomForestClassifier(**params)\ndf.sample(5, random_state=1)\nRandomForestClassifier = dict',
  ];
  assert.deepEqual(await findings(cells, NB111), []);
});

test('np.random, random and torch draws need a seeding call earlier in document order', async () => {
  assert.deepEqual(
    await findings(['import numpy as np', 'a = np.random.rand(3)\nb = np.random.randn(3)', 'np.random.seed(0)', 'c = np.random.rand(3)'], NB111),
    ['NB111 cell 1 0:4-0:18'],
  );
  assert.deepEqual(await findings(['import random\nimport torch', 'random.shuffle(xs)\nt = torch.rand(2)'], NB111), [
    'NB111 cell 1 0:0-0:14',
    'NB111 cell 1 1:4-1:14',
  ]);
  assert.deepEqual(await findings(['import random\nimport torch\nrandom.seed(1)\ntorch.manual_seed(1)', 'random.shuffle(xs)\nt = torch.rand(2)'], NB111), []);
  assert.deepEqual(await findings(['from numpy.random import rand, seed', 'seed(1)\nx = rand(2)'], NB111), []);
  assert.deepEqual(await findings(['import numpy as np\nrng = np.random.default_rng(7)', 'x = rng.normal(size=3)'], NB111), []);
});

/** What a default run reports (preview patterns need the exact code). */
/** NB111's default patterns: the rule is in the preview tier, so it is selected, and its preview patterns are left out. */
const defaultTier = async (cells: string[]): Promise<string[]> =>
  (await analyzeNotebook(notebook(cells), { select: ['NB111'] })).filter((d) => !d.preview).map(compact);
const PLOTS = 'import numpy as np\nimport matplotlib.pyplot as plt\nimport seaborn as sns\nfrom sklearn.linear_model import LinearRegression';

test('one finding per generator for the whole notebook, the other unseeded draws related', async () => {
  const cells = ['import numpy as np', 'a = np.random.rand(3)\nb = np.random.randn(3)', 'c = np.random.choice(a)', 'LinearRegression().fit(a + b + c, a)'];
  const found = await analyzeNotebook(notebook(cells), NB111);
  assert.deepEqual(found.map(compact), ['NB111 cell 1 0:4-0:18']);
  assert.equal(
    found[0]?.message,
    "`np.random.rand` draws from NumPy's global random generator (and 2 more unseeded draws), which nothing seeds before this call, so each run gives different results that cannot be reproduced.",
  );
  assert.deepEqual(
    found[0]?.related.map((r) => `${r.cell} ${r.range.start.line}:${r.range.start.character} ${r.message}`),
    ['1 1:4 `np.random.randn` draws unseeded too', '2 0:4 `np.random.choice` draws unseeded too'],
  );
});

test('draws that only feed plots and displays are preview; the same draws reaching a fit are reported', async () => {
  const display = [
    PLOTS,
    'plt.scatter(np.random.rand(50), np.random.rand(50))\nnoise = np.random.randn(50)\ny = 2 * noise + 1\nplt.plot(y)\nsns.histplot(x=noise)',
    'df.sample(5)',
    'LinearRegression().fit(X, y_true)',
  ];
  assert.deepEqual(await defaultTier(display), []);
  assert.deepEqual(await findings(display, NB111), ['NB111 cell 1 0:12-0:26', 'NB111 cell 2 0:0-0:9']);
  const twin = [PLOTS, 'noise = np.random.randn(50)\ny = 2 * noise + 1\nplt.plot(y)', 'shown = df.sample(5)', 'LinearRegression().fit(shown, y)'];
  assert.deepEqual(await defaultTier(twin), ['NB111 cell 1 0:8-0:23', 'NB111 cell 2 0:8-0:17']);
});

test('a draw nested in a call that is not a display follows that call (it used to crash the whole notebook)', async () => {
  const cells = [PLOTS, 'noise = np.abs(np.random.randn(50))\nplt.plot(noise)', 'X = np.abs(np.random.randn(50, 2))', 'LinearRegression().fit(X, X[:, 0])'];
  assert.deepEqual(await defaultTier(cells), ['NB111 cell 2 0:11-0:26']);
  assert.deepEqual(await findings(cells, NB111), ['NB111 cell 1 0:15-0:30', 'NB111 cell 2 0:11-0:26']);
});

test('draws in a notebook that trains nothing are preview; in-place shuffles are never display-only', async () => {
  const demo = ['import numpy as np', 'x = np.random.rand(50)\ny = x.mean()'];
  assert.deepEqual(await defaultTier(demo), []);
  assert.deepEqual(await findings(demo, NB111), ['NB111 cell 1 0:4-0:18']);
  const trains = ['import numpy as np\nfrom sklearn.linear_model import LinearRegression', 'np.random.shuffle(rows)', 'LinearRegression().fit(rows, y)'];
  assert.deepEqual(await defaultTier(trains), ['NB111 cell 1 0:0-0:17']);
});

test('a draw inside chained calls in a loop header is judged without crashing, and reaches the loop', async () => {
  const cells = [PLOTS, 'for (_, row), im in zip(df.sample(n).iterrows(), ims):\n    plt.imshow(im)', 'LinearRegression().fit(X, y)'];
  assert.deepEqual(await defaultTier(cells), ['NB111 cell 1 0:24-0:33']);
});

test('a decision tree or gradient boosting whose seed only breaks ties is preview; with splitter, max_features or subsample it is reported', async () => {
  const cells = [
    'from sklearn.tree import DecisionTreeClassifier\nfrom sklearn.ensemble import GradientBoostingRegressor',
    'a = DecisionTreeClassifier(max_depth=3)\nb = GradientBoostingRegressor(n_estimators=10)',
    'c = DecisionTreeClassifier(max_features="sqrt")\nd = GradientBoostingRegressor(subsample=0.8)',
  ];
  assert.deepEqual(await defaultTier(cells), ['NB111 cell 2 0:4-0:26', 'NB111 cell 2 1:4-1:29']);
  assert.deepEqual(await findings(cells, NB111), ['NB111 cell 1 0:4-0:26', 'NB111 cell 1 1:4-1:29', 'NB111 cell 2 0:4-0:26', 'NB111 cell 2 1:4-1:29']);
});

test('default_rng(), RandomState() and df.sample() without a seed', async () => {
  assert.deepEqual(await findings(['import numpy as np', 'rng = np.random.default_rng()\nrs = np.random.RandomState(None)\ns = df.sample(frac=1)'], NB111), [
    'NB111 cell 1 0:6-0:27',
    'NB111 cell 1 1:5-1:26',
    'NB111 cell 1 2:4-2:13',
  ]);
});

test('message and data', async () => {
  const [d] = await analyzeNotebook(notebook([SK, 'm = RandomForestClassifier()']), NB111);
  assert.equal(d?.severity, 'warning');
  assert.equal(
    d?.message,
    '`RandomForestClassifier` is called without a seed (`random_state`), so each run gives different results that cannot be reproduced.',
  );
  assert.deepEqual(d?.data, { api: 'sklearn.ensemble.RandomForestClassifier', argument: 'random_state' });
  const [g] = await analyzeNotebook(notebook(['import numpy as np', 'x = np.random.rand(2)']), NB111);
  assert.equal(
    g?.message,
    "`np.random.rand` draws from NumPy's global random generator, which nothing seeds before this call, so each run gives different results that cannot be reproduced.",
  );
});

test('fix: random_state=SEED with SEED = 42 inserted after the imports; unsafe', async () => {
  const cells = [SK, 'a, b = train_test_split(\n    X, y,\n    test_size=0.2,\n)\nm = RandomForestClassifier()'];
  const found = await analyzeNotebook(notebook(cells), NB111);
  const [split, forest] = found.map((d) => d.fixes?.[0]);
  assert.equal(split?.title, 'Add `random_state=SEED`');
  assert.equal(split?.safety, 'unsafe');
  assert.deepEqual(applyFixToSources(cells, split!).sources, [
    `${SK}\n\nSEED = 42`,
    'a, b = train_test_split(\n    X, y,\n    test_size=0.2, random_state=SEED,\n)\nm = RandomForestClassifier()',
  ]);
  assert.equal(
    applyFixToSources(cells, forest!).sources[1],
    'a, b = train_test_split(\n    X, y,\n    test_size=0.2,\n)\nm = RandomForestClassifier(random_state=SEED)',
  );
});

test('fix reuses an ALL_CAPS seed constant defined before the call, and replaces `None`', async () => {
  const cells = [`${SK}\nRANDOM_STATE = 7`, 'm = RandomForestClassifier(random_state=None)'];
  const [fix] = (await analyzeNotebook(notebook(cells), NB111))[0]?.fixes ?? [];
  assert.equal(fix?.title, 'Set `random_state=RANDOM_STATE`');
  assert.deepEqual(applyFixToSources(cells, fix!).sources, [cells[0], 'm = RandomForestClassifier(random_state=RANDOM_STATE)']);
});

test('fix for global draws seeds the generator right before the first drawing statement', async () => {
  const cells = ['import numpy as np', 'x = 1\nfor i in range(3):\n    print(np.random.rand())'];
  const [fix] = (await analyzeNotebook(notebook(cells), NB111))[0]?.fixes ?? [];
  assert.equal(fix?.title, 'Seed with `np.random.seed(SEED)` before this statement');
  assert.deepEqual(applyFixToSources(cells, fix!).sources, [
    'import numpy as np\n\nSEED = 42',
    'x = 1\nnp.random.seed(SEED)\nfor i in range(3):\n    print(np.random.rand())',
  ]);
  const [none] = await analyzeNotebook(notebook(['from numpy.random import rand', 'x = rand(2)']), NB111);
  assert.equal(none?.fixes, undefined);
  assert.match(String(none?.data['fixBlockedBy']), /not imported as a module/);
});

test('default_rng() gets the seed as its first argument', async () => {
  const cells = ['import numpy as np\nSEED = 3', 'rng = np.random.default_rng()'];
  const [fix] = (await analyzeNotebook(notebook(cells), NB111))[0]?.fixes ?? [];
  assert.equal(fix?.title, 'Seed it with `SEED`');
  assert.deepEqual(applyFixToSources(cells, fix!).sources[1], 'rng = np.random.default_rng(SEED)');
});

// Real notebooks executed by nbclient (scripts/fixtures/make_imports.py): exact codes and ranges.
const fixtures = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/imports/expected.json'), 'utf8')) as {
  findings: Record<string, Array<{ code: string; cell: number; range: unknown }>>;
};
const ownFixtures = Object.entries(fixtures.findings);

test('NB111: at least three executed fixtures fire and three others do not', () => {
  const firing = ownFixtures.filter(([, expected]) => expected.some((e) => e.code === 'NB111'));
  assert.ok(firing.length >= 3);
  assert.ok(ownFixtures.length - firing.length >= 3);
});

for (const [file, expected] of ownFixtures) {
  test(`${file}: NB111 exactly as expected`, async () => {
    const found = await analyzeNotebook(await loadNotebookFile(join(repoRoot, file)), { select: ['NB111'] });
    assert.deepEqual(
      found.map((d) => ({ code: d.code, cell: d.cell, range: d.range })),
      expected.filter((e) => e.code === 'NB111'),
    );
  });
}
