// The zod manifest schema accepts what DESIGN.md describes and names what is wrong otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateManifest } from '../../../src/core/artifacts/manifest';

const sha = 'a'.repeat(64);
const stats = { kind: 'numeric', bin_edges: [0, 1], frequencies: [1], quantiles: { '0.5': 0.5 }, mean: 0.5, std: 0.1, missing_rate: 0 };
const manifest = {
  manifest_version: 1,
  run: { run_id: 'r1', created_utc: '2026-01-01T00:00:00Z', git: { commit: null, dirty: null }, config_sha256: sha, random_seed: 42 },
  environment: { python: '3.11.2', packages: { numpy: '1.24.2', skl2onnx: null } },
  data: { path: 'data/x.csv', sha256: sha, rows: 10 },
  model: { name: 'x', version: 'r1', task: 'classification', classes: [0, 1] },
  artifacts: [{ role: 'model', path: 'artifacts/model.joblib', format: 'joblib', sha256: sha, bytes: 10, globals: ['sklearn.pipeline.Pipeline'] }],
  preprocessing: { fingerprint: sha },
  signature: {
    inputs: [{ name: 'a', dtype: 'float64', tensor_type: 'float32', required: true, nullable: false, min: 0, max: 1, categories: null }],
    outputs: [{ name: 'label', dtype: 'int64' }],
  },
  golden: { rows: [{ inputs: { a: 0.5 }, outputs: { label: 1 } }], tolerance: { absolute: 1e-9, relative: 1e-9 } },
  reference_stats: { rows: 10, features: { a: stats }, prediction: stats },
  drift_policy: { method: 'psi', warn: 0.1, alert: 0.25 },
  metrics: { accuracy: 0.9 },
  promotion: { gate: { metric: 'accuracy', min_improvement: 0 }, baseline: null, decision: 'promote', reason: 'first model' },
};

test('a complete manifest validates, and extra fields are allowed', () => {
  assert.ok(validateManifest({ ...manifest, split: { train_rows: 8 } }).ok);
});

test('missing or malformed fields are named by path', () => {
  const { signature: _signature, ...withoutSignature } = manifest;
  const result = validateManifest({ ...withoutSignature, artifacts: [{ ...manifest.artifacts[0], sha256: 'nope', format: 'pickle' }] });
  assert.equal(result.ok, false);
  const issues = result.ok ? [] : result.issues;
  assert.ok(
    issues.some((i) => i.startsWith('signature:')),
    issues.join('\n'),
  );
  assert.ok(issues.some((i) => i.startsWith('artifacts.0.sha256:')));
  assert.ok(issues.some((i) => i.startsWith('artifacts.0.format:')));
});
