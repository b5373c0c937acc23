// PR301 quick fix, source in / fixed text out: "Save the fitted `scaler` next to the model" adds
// a dump of the transformer right after the model's, with the same call and folder; after it
// PR301 no longer fires. When it cannot be written, `data.fixBlockedBy` says why.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import type { Diagnostic } from '../../../src/core/diagnostic';
import { applyFixToSources } from '../../../src/core/fixes/apply';
import { parseNotebookText } from '../../../src/core/notebook';
import { preprocessorNotSaved } from '../../../src/core/rules/preprocessor-not-saved';
import { notebook } from '../../helpers/notebooks';

const IMPORTS = [
  'import pickle',
  'from pathlib import Path',
  'import joblib',
  'import pandas as pd',
  'from sklearn.preprocessing import StandardScaler',
  'from sklearn.linear_model import LogisticRegression',
].join('\n');
const TRAIN =
  'train = pd.read_csv("train.csv")\nscaler = StandardScaler()\nX = scaler.fit_transform(train[["a", "b"]])\nmodel = LogisticRegression().fit(X, train["y"])';

async function pr301(cells: string[]): Promise<Diagnostic> {
  const found = await analyzeNotebook(notebook(cells), { select: ['PR301'] });
  assert.equal(found.length, 1, 'one PR301 finding');
  return found[0] as Diagnostic;
}

/** The save cell after the fix. */
async function savedCell(save: string): Promise<string> {
  const cells = [IMPORTS, TRAIN, save];
  const d = await pr301(cells);
  const fix = d.fixes?.[0];
  assert.ok(fix, `no fix; blocked by: ${String(d.data['fixBlockedBy'])}`);
  assert.equal(fix.title, 'Save the fitted `scaler` next to the model');
  assert.equal(fix.safety, 'unsafe');
  const after = applyFixToSources(cells, fix).sources;
  assert.deepEqual(
    (await analyzeNotebook(notebook(after), { select: ['LK', 'PR'] })).map((x) => x.code),
    [],
  );
  return after[2] ?? '';
}

async function blockedBy(save: string, train = TRAIN): Promise<unknown> {
  const d = await pr301([IMPORTS, train, save]);
  assert.equal(d.fixes, undefined);
  return d.data['fixBlockedBy'];
}

describe('PR301 fix: save the fitted transformer next to the model', () => {
  it("dumps it with joblib into the model's folder, named after its variable", async () => {
    assert.equal(
      await savedCell('joblib.dump(model, "models/churn.joblib")  # the model\nprint("saved")'),
      'joblib.dump(model, "models/churn.joblib")  # the model\njoblib.dump(scaler, "models/scaler.joblib")\nprint("saved")',
    );
  });

  it('keeps the extension, quotes and dump function the notebook uses', async () => {
    assert.equal(await savedCell("joblib.dump(model, 'model.pkl')"), "joblib.dump(model, 'model.pkl')\njoblib.dump(scaler, 'scaler.pkl')");
    assert.equal(
      await savedCell('joblib.dump(model, filename="out/model")'),
      'joblib.dump(model, filename="out/model")\njoblib.dump(scaler, filename="out/scaler.joblib")',
    );
  });

  it('copies a pickle dump inside `with open(...)`', async () => {
    assert.equal(
      await savedCell('with open("artifacts/model.pkl", "wb") as f:\n    pickle.dump(model, f)'),
      'with open("artifacts/model.pkl", "wb") as f:\n    pickle.dump(model, f)\nwith open("artifacts/scaler.pkl", "wb") as f:\n    pickle.dump(scaler, f)',
    );
  });

  it('follows `Path / "name"` and `os.path.join(..., "name")` paths', async () => {
    assert.equal(
      await savedCell('out = Path("models")\njoblib.dump(model, out / "model.joblib")'),
      'out = Path("models")\njoblib.dump(model, out / "model.joblib")\njoblib.dump(scaler, out / "scaler.joblib")',
    );
    assert.equal(
      await savedCell('import os\njoblib.dump(model, os.path.join("models", "v1", "model.joblib"))'),
      'import os\njoblib.dump(model, os.path.join("models", "v1", "model.joblib"))\njoblib.dump(scaler, os.path.join("models", "v1", "scaler.joblib"))',
    );
  });

  it("is the rule's documented example, and the fixed example no longer fires", async () => {
    const example = parseNotebookText('example.py', preprocessorNotSaved.docs.example);
    const [d] = await analyzeNotebook(example, { select: ['PR301'] });
    const fix = d?.fixes?.[0];
    assert.ok(fix);
    const after = applyFixToSources(
      example.cells.map((c) => c.source),
      fix,
    ).sources;
    assert.equal(after.at(-1)?.split('\n').at(-1), 'joblib.dump(scaler, "scaler.joblib")');
    assert.deepEqual(await analyzeNotebook(notebook(after), { select: ['LK', 'PR'] }), []);
  });
});

describe('PR301 fix: none, and `data.fixBlockedBy` says why', () => {
  it('the transformer has no name of its own', async () => {
    const train = 'train = pd.read_csv("train.csv")\nX = StandardScaler().fit_transform(train[["a", "b"]])\nmodel = LogisticRegression().fit(X, train["y"])';
    assert.equal(await blockedBy('joblib.dump(model, "model.joblib")', train), 'the fitted `StandardScaler` is not held by a name of its own');
  });

  it('the model path is not a string in the save', async () => {
    assert.equal(await blockedBy('MODEL_PATH = "model.joblib"\njoblib.dump(model, MODEL_PATH)'), 'the model path is not written as a string in the save');
    assert.equal(await blockedBy('name = "m"\njoblib.dump(model, f"{name}.joblib")'), 'the model path is not a plain string literal');
  });

  it('the save is inside a function or a larger `with` block', async () => {
    assert.equal(
      await blockedBy('def save():\n    joblib.dump(model, "model.joblib")\n\n\nsave()'),
      'the model is not saved by a plain `dump(model, path)` statement',
    );
    assert.equal(
      await blockedBy('with open("model.pkl", "wb") as f:\n    pickle.dump(model, f)\n    print("saved")'),
      'the `with` block around the save does more than open the file and dump the model',
    );
  });

  it('the transformer name is bound more than once', async () => {
    const train = `${TRAIN}\nscaler = None`;
    assert.equal(await blockedBy('joblib.dump(model, "model.joblib")', train), '`scaler` is bound more than once');
  });
});
