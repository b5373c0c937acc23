// End to end for the Python backend with Debian's python3-sklearn: scaffold examples/churn.ipynb,
// train, predict held-out rows through `PythonPredictor` and compare them with what the
// notebook's own code predicts for the same rows; rows missing a feature or holding an unseen
// category are rejected by name; a tampered joblib is refused before Python ever loads it.
// The setup mirrors test/e2e/scaffold-e2e.test.ts (its CASES are not exported: importing that
// file would register its tests here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { PythonPredictor } from '../../src/core/runner/python-backend';
import { fixtureManifest, rehash } from '../core/artifacts/fixtures';
import { repoRoot } from '../helpers/paths';

const python = process.env['NB2PROD_PYTHON'] ?? '/usr/bin/python3';
const probe = spawnSync(python, ['-c', 'import sklearn, pandas, numpy, joblib'], { encoding: 'utf8' });
const missing = probe.status === 0 ? undefined : `${python} lacks numpy, pandas, scikit-learn or joblib`;
// In CI a missing stack is a failure, never a silent skip.
const skip = missing !== undefined && !process.env['CI'] ? `skipped: ${missing}` : false;

/** Held-out rows of the notebook's frame and the notebook's own (cloned, refit after the split) predictions. */
const REFERENCE = `
import json, sys
import numpy as np
from sklearn.base import clone
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
sys.path.insert(0, ${JSON.stringify(join(repoRoot, 'test', 'fixtures', 'scaffold'))})
from notebook_reference import run_notebook
spec = json.load(open(sys.argv[1]))
ns = run_notebook(spec)
frame = ns["data"]; X = frame[ns["features"]]; y = frame["churned"]
train_index, test_index = train_test_split(np.arange(len(X)), test_size=0.2, random_state=42)
pipe = Pipeline([("step0", clone(ns["scaler"])), ("model", clone(ns["model"]))]).fit(X.iloc[train_index], y.iloc[train_index])
rows = X.iloc[test_index]
records = [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()} for r in rows.to_dict(orient="records")]
print(json.dumps({"rows": records, "labels": pipe.predict(rows).tolist(), "probabilities": pipe.predict_proba(rows).tolist()}))
`;

function evilJoblib(path: string, marker: string): void {
  const made = spawnSync(
    python,
    [
      '-c',
      `import os, pickle, sys\nclass Evil:\n    def __reduce__(self):\n        return (os.system, ("touch " + sys.argv[2],))\nopen(sys.argv[1], "wb").write(pickle.dumps(Evil(), protocol=2))`,
      path,
      marker,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(made.status, 0, made.stderr);
}

test('python backend e2e: churn scaffold predicts exactly what the notebook code predicts', { skip, timeout: 300_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'nb2prod-py-e2e-'));
  try {
    const project = join(root, 'project');
    const scaffolded = await main(['scaffold', join(repoRoot, 'examples', 'churn.ipynb'), '--out', project]);
    assert.equal(scaffolded.exitCode, 0, scaffolded.stderr);
    assert.ok(existsSync(join(project, 'src', 'utils', 'nb2prod_runner.py')), 'the runner script ships with the project');
    cpSync(join(repoRoot, 'examples', 'data'), join(project, 'data'), { recursive: true });
    const configPath = join(project, 'src', 'utils', 'config.py');
    writeFileSync(configPath, `${readFileSync(configPath, 'utf8')}CONTRACT_MAP = {"month-to-month": 0, "one-year": 1, "two-year": 2}\n`);
    const train = spawnSync(python, ['-m', 'src.model.train'], { cwd: project, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    assert.equal(train.status, 0, train.stderr);

    const workdir = join(root, 'notebook');
    cpSync(join(repoRoot, 'examples', 'data'), join(workdir, 'data'), { recursive: true });
    const spec = join(root, 'spec.json');
    writeFileSync(
      spec,
      JSON.stringify({
        notebook: join(repoRoot, 'examples', 'churn.ipynb'),
        workdir,
        order: 'execution',
        inject: { contract_map: { 'month-to-month': 0, 'one-year': 1, 'two-year': 2 } },
      }),
    );
    const ref = spawnSync(python, ['-c', REFERENCE, spec], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(ref.status, 0, ref.stderr);
    const reference = JSON.parse(ref.stdout.trim().split('\n').pop()!) as { rows: Record<string, unknown>[]; labels: number[]; probabilities: number[][] };

    const manifest = join(project, 'artifacts', 'manifest.json');
    const predictor = await PythonPredictor.open(manifest, { python });
    try {
      const report = await predictor.predict(reference.rows);
      const predicted = report.rows.filter((r) => r.prediction);
      assert.ok(predicted.length >= 50, `only ${predicted.length} rows predicted`);
      let maxDiff = 0;
      for (const r of predicted) {
        assert.equal(r.prediction!.label, reference.labels[r.row], `row ${r.row} label`);
        const probabilities = r.prediction!.outputs['probabilities'] as number[];
        probabilities.forEach((p, j) => (maxDiff = Math.max(maxDiff, Math.abs(p - reference.probabilities[r.row]![j]!))));
      }
      assert.equal(maxDiff, 0, `max |python backend - notebook| ${maxDiff}`);

      const [first] = reference.rows;
      const { support_calls: _dropped, ...withoutFeature } = first!;
      const bad = await predictor.predict([withoutFeature, { ...first, contract_code: 'two-year' }, first]);
      assert.deepEqual(
        bad.rows.map((r) => r.status === 'rejected'),
        [true, true, false],
      );
      assert.match(bad.rows[0]!.issues[0]!.message, /missing feature `support_calls`/);
      assert.equal(bad.rows[1]!.issues[0]!.feature, 'contract_code');
      console.log(`  churn: ${predicted.length} held-out rows through the Python backend equal the notebook code's predictions (max |diff| ${maxDiff})`);
    } finally {
      predictor.dispose();
    }

    // A tampered joblib is refused on its hash; one whose manifest entry was rewritten too, on its scan.
    const joblibPath = join(project, 'artifacts', 'model.joblib');
    const marker = join(root, 'PWNED');
    evilJoblib(joblibPath, marker);
    const tampered = await main(['predict', '--manifest', manifest, '--input', spec, '--backend', 'python', '--python', python]);
    assert.equal(tampered.exitCode, 2);
    assert.match(tampered.stderr, /refusing to load artifacts\/model\.joblib in Python: artifacts\/model\.joblib is not the file training wrote/);
    rehash(manifest, project, 'artifacts/model.joblib');
    await assert.rejects(PythonPredictor.open(manifest, { python }), /PR305 .*(os|posix)\.system/);
    assert.ok(!existsSync(marker), 'Python never unpickled the tampered file');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('python backend e2e: an unseen category is rejected by name (categorical fixture)', { skip, timeout: 60_000 }, async () => {
  const predictor = await PythonPredictor.open(fixtureManifest('python-parity/agree'), { python });
  try {
    const report = await predictor.predict([
      { age: 40, income: 50000, city: 'tokyo' },
      { age: 40, income: 50000, city: 'rome' },
    ]);
    assert.equal(report.rows[0]!.status, 'rejected');
    assert.equal(report.rows[0]!.issues[0]!.feature, 'city');
    assert.match(report.rows[0]!.issues[0]!.message, /"tokyo" is a category training never saw/);
    assert.ok(report.rows[1]!.prediction?.label);
  } finally {
    predictor.dispose();
  }
});
