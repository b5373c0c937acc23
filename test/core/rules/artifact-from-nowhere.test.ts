// NB108 artifact-from-nowhere: loads of model/pickle files that no cell writes, paths resolved statically.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import { findings, notebook } from '../../helpers/notebooks';

const nb108 = (cells: string[]): Promise<string[]> => findings(cells, { select: ['NB108'] });
const data = async (cells: string[]): Promise<unknown[]> => (await analyzeNotebook(notebook(cells), { select: ['NB108'] })).map((d) => d.data);

test('joblib, pickle, pandas, torch and keras loaders of unwritten paths fire on the load call', async () => {
  assert.deepEqual(await nb108(['import joblib', 'model = joblib.load("models/m.joblib")']), ['NB108 cell 1 0:8-0:38']);
  assert.deepEqual(await nb108(['import pickle', 'with open("m.pkl", "rb") as f:\n    model = pickle.load(f)']), ['NB108 cell 1 1:12-1:26']);
  assert.deepEqual(await nb108(['import pickle', 'model = pickle.load(open("m.pkl", "rb"))']), ['NB108 cell 1 0:8-0:40']);
  assert.deepEqual(
    await data([
      'import pandas as pd\nimport torch\nimport tensorflow as tf\nfrom keras.models import load_model\nfrom joblib import load as jload',
      'a = pd.read_pickle("a.pkl")\nb = torch.load("b.pt")\nc = tf.keras.models.load_model("c.keras")\nd = load_model("d.h5")\ne = jload("e.sav")',
    ]),
    [
      { path: 'a.pkl', loader: 'pandas.read_pickle' },
      { path: 'b.pt', loader: 'torch.load' },
      { path: 'c.keras', loader: 'tensorflow.keras.models.load_model' },
      { path: 'd.h5', loader: 'keras.models.load_model' },
      { path: 'e.sav', loader: 'joblib.load' },
    ],
  );
});

test('message', async () => {
  const [d] = await analyzeNotebook(notebook(['import joblib', 'model = joblib.load("./models//m.joblib")']), { select: ['NB108'] });
  assert.equal(
    d?.message,
    '`joblib.load` loads `models/m.joblib`, which no cell of this notebook writes, so the notebook depends on a file made by code that is not here.',
  );
  assert.equal(d?.severity, 'warning');
});

test('paths from globals, f-strings, os.path.join and Path / are resolved', async () => {
  const cells = [
    'import os\nimport joblib\nfrom pathlib import Path\nMODEL_DIR = "models"\nname = "m"\nBASE = Path(MODEL_DIR)',
    'a = joblib.load(os.path.join(MODEL_DIR, "a.joblib"))\nb = joblib.load(f"{MODEL_DIR}/{name}.joblib")\nc = joblib.load(BASE / "c.joblib")\nd = joblib.load(str(BASE / "sub" / "d.joblib"))',
  ];
  assert.deepEqual(await data(cells), [
    { path: 'models/a.joblib', loader: 'joblib.load' },
    { path: 'models/m.joblib', loader: 'joblib.load' },
    { path: 'models/c.joblib', loader: 'joblib.load' },
    { path: 'models/sub/d.joblib', loader: 'joblib.load' },
  ]);
});

test('a path written anywhere in the notebook is not from nowhere', async () => {
  const writes = [
    'joblib.dump(model, "models/m.joblib")',
    'joblib.dump(model, filename=os.path.join("models", "m.joblib"))',
    'with open("models/m.joblib", "wb") as f:\n    pickle.dump(model, f)',
    'pickle.dump(model, open("./models/m.joblib", "wb"))',
    'model.save("models/m.joblib")',
    'pd.DataFrame().to_pickle("models/m.joblib")',
    'torch.save(model, "models/m.joblib")',
    '!wget -q -O models/m.joblib https://example.com/m.joblib',
  ];
  for (const write of writes) {
    const cells = ['import os\nimport pickle\nimport joblib\nimport torch\nimport pandas as pd\nmodel = {}', write, 'loaded = joblib.load("models/m.joblib")'];
    assert.deepEqual(await nb108(cells), [], write);
  }
});

test('a Keras ModelCheckpoint writes its file: loading it is not from nowhere, loading another file is', async () => {
  const fitting = (path: string) => [
    'import tensorflow as tf\nfrom tensorflow import keras\nfrom keras.callbacks import ModelCheckpoint',
    `best = keras.callbacks.ModelCheckpoint("best.h5", save_best_only=True)\nlast = ModelCheckpoint(filepath="last.h5")\nmodel.fit(X, y, callbacks=[best, last])`,
    `model = keras.models.load_model("${path}")`,
  ];
  assert.deepEqual(await nb108(fitting('best.h5')), []);
  assert.deepEqual(await nb108(fitting('last.h5')), []);
  assert.deepEqual(await nb108(fitting('other.h5')), ['NB108 cell 2 0:8-0:43']);
  const tfCheckpoint = [
    'import tensorflow as tf',
    'cb = tf.keras.callbacks.ModelCheckpoint("w.h5")\nmodel.save_weights("v.h5")',
    'a = tf.keras.models.load_model("w.h5")\nb = tf.keras.models.load_model("v.h5")',
  ];
  assert.deepEqual(await nb108(tfCheckpoint), []);
});

test('unresolvable paths lower confidence: no finding', async () => {
  assert.deepEqual(await nb108(['import joblib\nimport sys', 'model = joblib.load(sys.argv[1])']), []);
  assert.deepEqual(await nb108(['import joblib', 'def load(path):\n    return joblib.load(path)']), []);
  assert.deepEqual(await nb108(['import joblib\nout = input()', 'joblib.dump({}, out)', 'model = joblib.load("m.pkl")']), []);
  assert.deepEqual(await nb108(['import joblib\np = "a.pkl"', 'p = "b.pkl"', 'model = joblib.load(p)']), []);
});

test('np.load only counts for artifact extensions; non-artifact loaders are not flagged', async () => {
  assert.deepEqual(await nb108(['import numpy as np', 'x = np.load("x.npy")\nm = np.load("m.pkl", allow_pickle=True)']), ['NB108 cell 1 1:4-1:39']);
  assert.deepEqual(await nb108(['import pandas as pd\nimport json', 'df = pd.read_csv("data.csv")\ncfg = json.load(open("c.json"))']), []);
});

test('a load inside a function body of a literal path fires too', async () => {
  assert.deepEqual(await nb108(['import joblib', 'def predict(X):\n    return joblib.load("m.joblib").predict(X)']), ['NB108 cell 1 1:11-1:34']);
});
