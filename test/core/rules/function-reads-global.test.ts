// NB106 function-reads-global: which globals count as data, where the finding points, what it says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import { compact, findings, notebook } from '../../helpers/notebooks';

/** With the exact code selected, preview patterns included. */
const nb106 = (cells: string[]): Promise<string[]> => findings(cells, { select: ['NB106'] });
/** What a default run reports. */
/** NB106's default patterns: the rule is in the preview tier, so it is selected, and its preview patterns are left out. */
const defaultTier = async (cells: string[]): Promise<string[]> =>
  (await analyzeNotebook(notebook(cells), { select: ['NB106'] })).filter((d) => !d.preview).map(compact);

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
  assert.deepEqual(d.data, { function: 'add_features', globals: ['df'], kind: 'data' });
});

test('modules, functions, classes, ALL_CAPS constants, builtins and parameters do not fire', async () => {
  const cells = [
    'import numpy as np\nfrom sklearn.preprocessing import StandardScaler\nimport os.path',
    'SEED = 42\nFEATURES = ["a", "b"]\nclass Box:\n    pass\ndef helper(v):\n    return v\nsquare = lambda v: v * v\nsqrt = np.sqrt',
    'def f(frame, scale=1):\n    rng = np.random.default_rng(SEED)\n    b = Box()\n    s = StandardScaler()\n    return helper(frame[FEATURES]) * scale + len(frame) + square(2) + sqrt(4), os.path.sep, rng, b, s',
  ];
  assert.deepEqual(await nb106(cells), []);
});

test('ALL_CAPS rebound or mutated is not a constant: a literal rebound is configuration, a list appended to is data', async () => {
  assert.deepEqual(await nb106(['LIMIT = 1', 'LIMIT = 2', 'def g():\n    return LIMIT']), ['NB106 cell 2 1:11-1:16']);
  assert.deepEqual(await defaultTier(['LIMIT = 1', 'LIMIT = 2', 'def g():\n    return LIMIT']), []);
  assert.deepEqual(await defaultTier(['SEEN = []\nSEEN.append(1)', 'def g():\n    return SEEN']), ['NB106 cell 1 1:11-1:15']);
});

test('configuration globals are a preview pattern: literals, literal containers, enums, paths and sizes', async () => {
  const cells = [
    'import os\nimport numpy as np\nX = np.zeros((3, 2))\nvocab = {"a": 0}',
    'N = 10\nlr = 0.01\nname = "x"\ncols = ["a", "b"]\nparams = {"a": 1, "b": (1, -2.5)}\nred, green = range(2)\nrows, width = 28, 28\n' +
      'path = os.path.join("data", "x.csv")\nn = X.shape[0]\nvocab_size = len(vocab) + 1\nsplit = int(n * 0.8)\ndevice = "cuda" if n > 2 else "cpu"\nSIZE = 150\nsize = SIZE',
    'def f():\n    return N, lr, name, cols, params, red, green, rows, width, path, n, vocab_size, split, device, size',
  ];
  assert.deepEqual(await defaultTier(cells), []);
  const [d, ...rest] = await analyzeNotebook(notebook(cells), { select: ['NB106'] });
  assert.deepEqual(rest, []);
  assert.equal(
    d?.message.split(' instead')[0],
    '`f` reads the globals `N`, `lr`, `name`, `cols`, `params`, `red`, `green`, `rows`, `width`, `path`, `n`, `vocab_size`, `split`, `device`, `size`',
  );
  assert.deepEqual([d?.range.start, d?.data['kind']], [{ line: 1, character: 11 }, 'config']);
});

test('a global built from data is still data: the true twins of the configuration patterns', async () => {
  const cells = [
    'import numpy as np\nimport pandas as pd\ndf = pd.DataFrame({"a": [1]})',
    'cols = list(df["a"])\nsizes = [len(df), df]\nfirst = df.shape[0] + df["a"].sum()\nwords = "a b".split()\nsquares = [i * i for i in range(3)]',
    'def f():\n    return cols, sizes, first, words, squares',
  ];
  const [d, ...rest] = await analyzeNotebook(notebook(cells), { select: ['NB106'] });
  assert.deepEqual(rest, []);
  assert.equal(
    d?.message,
    '`f` reads the globals `cols`, `sizes`, `first`, `words`, `squares` instead of taking them as parameters, so its result depends on whatever they hold when it is called.',
  );
  assert.deepEqual([compact(d!), d?.data['kind']], ['NB106 cell 2 1:11-1:15', 'data']);
  assert.deepEqual(await defaultTier(cells), ['NB106 cell 2 1:11-1:15']);
});

test('configured objects that keep no rows never fire: loggers, regexes, devices, optimizers, losses, stemmers', async () => {
  const cells = [
    'import logging\nimport re\nimport torch\nfrom torch import nn\nfrom tensorflow import keras\nfrom nltk.stem import SnowballStemmer\nfrom src.utils.logging import get_logger',
    'logger = logging.getLogger(__name__)\nlog = get_logger(__name__)\npattern = re.compile(r"\\d+")\ndevice = torch.device("cpu")\nloss_fn = nn.CrossEntropyLoss()\n' +
      'opt = keras.optimizers.Adam(learning_rate=0.01)\nstemmer = SnowballStemmer("english")\nstop = keras.callbacks.EarlyStopping(patience=2)',
    'def f(text):\n    logger.info(text)\n    log.info(text)\n    return pattern.sub("", stemmer.stem(text)), device, loss_fn, opt, stop',
  ];
  assert.deepEqual(await nb106(cells), []);
  // The twin: a model the notebook builds and trains holds what it learned.
  const model = ['from tensorflow import keras', 'model = keras.Sequential([])\nmodel.fit([[1]], [1])', 'def f(x):\n    return model.predict(x)'];
  assert.deepEqual(await defaultTier(model), ['NB106 cell 2 1:11-1:16']);
});

test('instances of classes, loop variables and call results are data', async () => {
  const cells = [
    'from sklearn.linear_model import LogisticRegression\nmodel = LogisticRegression()\nfor fold in range(3):\n    pass',
    'def score(X):\n    return model.predict(X), fold',
  ];
  const found = await analyzeNotebook(notebook(cells), { select: ['NB106'] });
  assert.deepEqual(
    found.map((d) => [compact(d), d.data['globals']]),
    [['NB106 cell 1 1:11-1:16', ['model', 'fold']]],
  );
});

test('methods, nested defs and lambdas fire; a lambda inside a def counts for the def', async () => {
  const data = 'import pandas as pd\nrows = pd.Series([1, 2])';
  assert.deepEqual(await nb106([data, 'class Model:\n    def fit(self):\n        return len(rows)']), ['NB106 cell 1 2:19-2:23']);
  const nested = await analyzeNotebook(notebook([data, 'def outer():\n    def inner():\n        return rows\n    return inner()']), { select: ['NB106'] });
  assert.deepEqual(
    nested.map((d) => d.data),
    [{ function: 'inner', globals: ['rows'], kind: 'data' }],
  );
  const lambdas = await analyzeNotebook(notebook([data, 'pick = lambda i: rows[i]', 'def total(xs):\n    return sum(map(lambda x: x + rows[0], xs))']), {
    select: ['NB106'],
  });
  assert.deepEqual(
    lambdas.map((d) => [d.data, d.message.split(' reads')[0], d.fixes === undefined]),
    [
      [{ function: '<lambda>', globals: ['rows'], kind: 'data' }, 'This lambda', true],
      [{ function: 'total', globals: ['rows'], kind: 'data' }, '`total`', false],
    ],
  );
});

test('one finding per function lists its data globals, at the first read, with a fix and a related location for each', async () => {
  const cells = ['a = [1]\na.append(2)\nb = [2]\nb.append(3)', 'def f():\n    return a + b + a + b'];
  const found = await analyzeNotebook(notebook(cells), { select: ['NB106'] });
  assert.deepEqual(found.map(compact), ['NB106 cell 1 1:11-1:12']);
  assert.deepEqual(found[0]?.data['globals'], ['a', 'b']);
  assert.deepEqual(
    found[0]?.related.map((r) => r.message),
    ['`a` is defined here', '`b` is defined here'],
  );
  assert.deepEqual(
    found[0]?.fixes?.map((f) => f.title),
    ['Add parameter `a` to `f`', 'Add parameter `b` to `f`'],
  );
});

test('a global the function declares `global` is its own state, like a lazy cache; a read of another global still fires', async () => {
  const cache =
    'import pandas as pd\n_default = None\ndef predictor():\n    global _default\n    if _default is None:\n        _default = pd.read_csv("a.csv")\n    return _default';
  assert.deepEqual(await nb106([cache]), []);
  assert.deepEqual(await nb106([cache, 'def first():\n    return _default.iloc[0]']), ['NB106 cell 1 1:11-1:19']);
});

test('names defined nowhere are left to NB102, and a broken cell is not judged', async () => {
  assert.deepEqual(await nb106(['def f():\n    return missing']), []);
  assert.deepEqual(await nb106(['df = [1]', 'def f(:\n    return df']), []);
});
