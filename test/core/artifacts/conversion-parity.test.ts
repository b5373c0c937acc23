// `verify` on a manifest with an ONNX and a joblib artifact whose golden outputs are the Python
// pipeline's (`golden.backend: "python"`, as the scaffolded training writes): the golden replay is
// reported as the ONNX-vs-Python conversion parity check, and fails by that name when they differ.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyManifest } from '../../../src/core/verify/verify';
import { validateManifest } from '../../../src/core/artifacts/manifest';
import { RunnerClient } from '../../../src/core/runner/client';
import { PythonPredictor } from '../../../src/core/runner/python-backend';
import { editManifest, MODELS } from './fixtures';

/** A scratch copy of a python-parity fixture (agree: model.onnx converted from model.joblib; disagree: another category order). */
function pair(name: 'agree' | 'disagree' = 'agree'): { manifest: string } {
  const root = mkdtempSync(join(tmpdir(), `nb2prod-conversion-parity-${name}-`));
  cpSync(join(MODELS, 'python-parity', name), root, { recursive: true });
  return { manifest: join(root, 'artifacts', 'manifest.json') };
}
const agreeingPair = (): { manifest: string } => pair('agree');

const python = process.env['NB2PROD_PYTHON'] ?? '/usr/bin/python3';
const probe = spawnSync(python, ['-c', 'import sklearn, pandas, joblib'], { stdio: 'ignore' });
const skip = probe.status !== 0 && !process.env['CI'] ? `skipped: ${python} lacks sklearn, pandas or joblib` : false;

/** Does what the scaffolded training does: stores the Python pipeline's own outputs on the golden rows, labelled `python`. */
async function recordPythonGolden(manifest: string): Promise<void> {
  const golden = (JSON.parse(readFileSync(manifest, 'utf8')) as { golden: { rows: { inputs: unknown }[] } }).golden.rows;
  const predictor = await PythonPredictor.open(manifest, { python });
  try {
    const report = await predictor.predict(golden.map((r) => r.inputs));
    editManifest(manifest, (m) => {
      m['golden'].backend = 'python';
      m['golden'].rows.forEach((row: { outputs: unknown }, i: number) => (row.outputs = report.rows[i]!.prediction!.outputs));
    });
  } finally {
    predictor.dispose();
  }
}

test('golden outputs recorded by the Python pipeline: the ONNX export it was converted from passes conversion-parity', { skip, timeout: 60_000 }, async () => {
  const { manifest } = pair('agree');
  await recordPythonGolden(manifest);
  const report = await verifyManifest(manifest, { client });
  assert.ok(
    report.ok,
    JSON.stringify(
      report.checks.filter((c) => c.status !== 'pass'),
      null,
      1,
    ),
  );
  assert.ok(report.checks.some((c) => c.check === 'conversion-parity' && c.status === 'pass'));
});

test('golden outputs recorded by the Python pipeline: an ONNX graph with another category order fails conversion-parity', {
  skip,
  timeout: 60_000,
}, async () => {
  const { manifest } = pair('disagree');
  await recordPythonGolden(manifest);
  const report = await verifyManifest(manifest, { client });
  assert.equal(report.ok, false);
  const [parity] = report.checks.filter((c) => c.check === 'conversion-parity' && c.status === 'fail');
  assert.ok(parity, JSON.stringify(report.checks, null, 1));
  assert.match(parity.message, /ONNX differs from the Python pipeline/);
  assert.match(parity.found ?? '', /row \d+ (label|probabilities)/);
  assert.equal(
    report.checks.some((c) => c.check === 'golden'),
    false,
    'reported by its name, not as a plain golden replay',
  );
});

const client = new RunnerClient();
after(() => client.dispose());

test('golden.backend python: verify reports conversion-parity (pass) instead of golden', async () => {
  const { manifest } = agreeingPair();
  editManifest(manifest, (m) => {
    m['golden'].backend = 'python';
  });
  const report = await verifyManifest(manifest, { client });
  assert.ok(
    report.ok,
    JSON.stringify(
      report.checks.filter((c) => c.status !== 'pass'),
      null,
      1,
    ),
  );
  const parity = report.checks.filter((c) => c.check === 'conversion-parity');
  assert.equal(parity.length, 1);
  assert.equal(parity[0]!.status, 'pass');
  assert.match(parity[0]!.message, /ONNX matches the Python pipeline on 8 golden rows/);
  assert.equal(
    report.checks.some((c) => c.check === 'golden'),
    false,
  );
});

test('golden.backend python with outputs the ONNX graph does not reproduce: conversion-parity fails naming rows', async () => {
  const { manifest } = agreeingPair();
  editManifest(manifest, (m) => {
    m['golden'].backend = 'python';
    const row = m['golden'].rows[1];
    row.outputs.probabilities = [0.5, 0.25, 0.25];
    row.outputs.label = 'bronze';
  });
  const report = await verifyManifest(manifest, { client });
  assert.equal(report.ok, false);
  const [parity] = report.checks.filter((c) => c.check === 'conversion-parity' && c.status === 'fail');
  assert.ok(parity, JSON.stringify(report.checks));
  assert.match(parity.message, /ONNX differs from the Python pipeline on 2 golden outputs/);
  assert.match(parity.found ?? '', /row 1 (label|probabilities)/);
});

test('golden.backend is optional and limited to onnx | python', () => {
  const base = { ...JSON.parse(readFileSync(agreeingPair().manifest, 'utf8')) };
  assert.ok(validateManifest(base).ok);
  assert.ok(validateManifest({ ...base, golden: { ...base.golden, backend: 'python' } }).ok);
  assert.equal(validateManifest({ ...base, golden: { ...base.golden, backend: 'torch' } }).ok, false);
});
