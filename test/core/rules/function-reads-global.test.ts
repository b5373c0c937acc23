// NB106 function-reads-global: which globals count as data, where the finding points, what it says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import { findings, notebook } from '../../helpers/notebooks';

const nb106 = (cells: string[]): Promise<string[]> => findings(cells, { select: ['NB106'] });

test('a def reading a DataFrame global fires at the first read in its body', async () => {
  const cells = ['import pandas as pd', 'df = pd.DataFrame({"a": [1]})', 'def add_features(x):\n    y = x.join(df)\n    return y, df'];
  assert.deepEqual(await nb106(cells), ['NB106 cell 2 1:15-1:17']);
});

test('message, related definition and data', async () => {
  const cells = ['import pandas as pd', 'df = pd.read_csv("a.csv")', 'def add_features(x):\n    return x.join(df)'];
  const [d] = await analyzeNotebook(notebook(cells), { select: ['NB106'] });
  assert.ok(d);
  assert.equal(d.name, 'function-reads-global');
  assert.equal(d.severity, 'warning');
  assert.equal(
    d.message,
    '`add_features` reads the global `df` (defined in cell 2) instead of taking it as a parameter, so its result depends on whatever `df` holds when it is called.',
  );
  assert.deepEqual(d.related, [{ cell: 1, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } }, message: '`df` is defined here' }]);
  assert.deepEqual(d.data, { function: 'add_features', global: 'df' });
});

test('modules, functions, classes, ALL_CAPS constants, builtins and parameters do not fire', async () => {
  const cells = [
    'import numpy as np\nfrom sklearn.preprocessing import StandardScaler\nimport os.path',
    'SEED = 42\nFEATURES = ["a", "b"]\nclass Box:\n    pass\ndef helper(v):\n    return v\nsquare = lambda v: v * v\nsqrt = np.sqrt',
    'def f(frame, scale=1):\n    rng = np.random.default_rng(SEED)\n    b = Box()\n    s = StandardScaler()\n    return helper(frame[FEATURES]) * scale + len(frame) + square(2) + sqrt(4), os.path.sep, rng, b, s',
  ];
  assert.deepEqual(await nb106(cells), []);
});

test('config values bound to literals are data; ALL_CAPS rebound or mutated is data too', async () => {
  assert.deepEqual(await nb106(['threshold = 0.5', 'def flag(p):\n    return p > threshold']), ['NB106 cell 1 1:15-1:24']);
  assert.deepEqual(await nb106(['LIMIT = 1', 'LIMIT = 2', 'def g():\n    return LIMIT']), ['NB106 cell 2 1:11-1:16']);
  assert.deepEqual(await nb106(['SEEN = []\nSEEN.append(1)', 'def g():\n    return SEEN']), ['NB106 cell 1 1:11-1:15']);
});

test('instances of classes, loop variables and call results are data', async () => {
  const cells = ['from sklearn.linear_model import LogisticRegression\nmodel = LogisticRegression()\nfor fold in range(3):\n    pass', 'def score(X):\n    return model.predict(X), fold'];
  assert.deepEqual(await nb106(cells), ['NB106 cell 1 1:11-1:16', 'NB106 cell 1 1:29-1:33']);
});

test('methods, nested defs and lambdas fire; a lambda inside a def counts for the def', async () => {
  const data = 'rows = [1, 2]';
  assert.deepEqual(await nb106([data, 'class Model:\n    def fit(self):\n        return len(rows)']), ['NB106 cell 1 2:19-2:23']);
  const nested = await analyzeNotebook(notebook([data, 'def outer():\n    def inner():\n        return rows\n    return inner()']), { select: ['NB106'] });
  assert.deepEqual(nested.map((d) => d.data), [{ function: 'inner', global: 'rows' }]);
  const lambdas = await analyzeNotebook(notebook([data, 'pick = lambda i: rows[i]', 'def total(xs):\n    return sum(map(lambda x: x + rows[0], xs))']), { select: ['NB106'] });
  assert.deepEqual(lambdas.map((d) => [d.data, d.message.split(' reads')[0], d.fixes === undefined]), [
    [{ function: '<lambda>', global: 'rows' }, 'This lambda', true],
    [{ function: 'total', global: 'rows' }, '`total`', false],
  ]);
});

test('one finding per function and global, several globals each get one', async () => {
  const cells = ['a = [1]\nb = [2]', 'def f():\n    return a + b + a + b'];
  assert.deepEqual(await nb106(cells), ['NB106 cell 1 1:11-1:12', 'NB106 cell 1 1:15-1:16']);
});

test('names defined nowhere are left to NB102, and a broken cell is not judged', async () => {
  assert.deepEqual(await nb106(['def f():\n    return missing']), []);
  assert.deepEqual(await nb106(['df = [1]', 'def f(:\n    return df']), []);
});
