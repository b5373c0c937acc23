// `nb2prod drift`: exit codes (0 no drift, 1 drift, 2 unusable input), JSON and text output,
// prediction-log (JSONL) batches, and one run of the bundled CLI in a real process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import type { DriftReport } from '../../src/core/monitor/drift';
import { cliPath } from '../helpers/paths';
import { driftFixtures, fixtureManifest } from '../core/monitor/fixtures';

const manifestPath = join(driftFixtures, 'manifest.json');
const batch = join(driftFixtures, 'batch.csv');
const same = join(driftFixtures, 'same.csv');

function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nb2prod-drift-cli-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('drift: a batch from the training distribution exits 0; JSON lists every feature', async () => {
  const result = await main(['drift', '--manifest', manifestPath, '--data', same, '--format', 'json']);
  assert.equal(result.exitCode, 0, result.stderr);
  const report = JSON.parse(result.stdout) as DriftReport;
  assert.equal(report.verdict.status, 'ok');
  assert.equal(report.features.length, 7);
  assert.equal(report.prediction?.status, 'ok');
});

test('drift: 3 of 7 features alert: warn (exit 0) under a 50% dataset share, drift (exit 1) under 40%', async () => {
  const text = await main(['drift', '--manifest', manifestPath, '--data', batch]);
  assert.equal(text.exitCode, 0, text.stderr);
  assert.match(text.stdout, /^verdict: WARN: 3\/7 features drifted/m);
  assert.match(text.stdout, /^alert\s+tenure\s+psi/m);
  await withTemp(async (dir) => {
    const strict = fixtureManifest();
    strict.drift_policy.dataset_share = 0.4;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(strict));
    const result = await main(['drift', '--manifest', join(dir, 'manifest.json'), '--data', batch]);
    assert.equal(result.exitCode, 1);
    assert.match(result.stdout, /^verdict: DRIFT/m);
  });
});

test('drift: a prediction log (JSONL with inputs and outputs) is a batch, predictions included', async () => {
  await withTemp(async (dir) => {
    const [header, ...rows] = readFileSync(same, 'utf8').trim().split('\n');
    const names = header!.split(',');
    const lines = rows.slice(0, 1000).map((line, i) => {
      const cells = line.split(',');
      const inputs: Record<string, unknown> = {};
      names.slice(0, 7).forEach((n, j) => (inputs[n] = cells[j] === '' ? null : n === 'plan' ? cells[j] : Number(cells[j])));
      const p = Number(cells[7]);
      return JSON.stringify({
        prediction_id: `p${i}`,
        timestamp: '2026-01-01T00:00:00Z',
        model: { run_id: 'drift-fixture' },
        inputs,
        outputs: { label: p >= 0.5 ? 1 : 0, probabilities: [1 - p, p] },
      });
    });
    writeFileSync(join(dir, 'log.jsonl'), `${lines.join('\n')}\nnot json\n`);
    const result = await main(['drift', '--manifest', manifestPath, '--data', join(dir, 'log.jsonl'), '--format', 'json']);
    assert.equal(result.exitCode, 0, result.stderr);
    const report = JSON.parse(result.stdout) as DriftReport;
    assert.equal(report.prediction_source, 'batch');
    assert.equal(report.data.rows, 1000);
    assert.equal(report.data.bad_lines, 1);
  });
});

test('drift: unusable input exits 2 with a one-line reason', async () => {
  await withTemp(async (dir) => {
    writeFileSync(join(dir, 'other.csv'), 'a,b\n1,2\n');
    writeFileSync(join(dir, 'few.csv'), 'income,stable\n1,50\n');
    writeFileSync(join(dir, 'bad.json'), '{"manifest_version": 1}');
    const line = {
      prediction_id: 'p1',
      timestamp: '2026-01-01T00:00:00.000Z',
      model: { name: 'm', version: '1', run_id: 'r' },
      inputs_sha256: '0'.repeat(64),
      outputs: { label: 'a' },
    };
    writeFileSync(join(dir, 'no-inputs.jsonl'), `${JSON.stringify(line)}\n`.repeat(120));
    const cases: Array<[string[], RegExp]> = [
      [['drift', '--manifest', manifestPath, '--data', join(dir, 'missing.csv')], /no such file/],
      [
        ['drift', '--manifest', manifestPath, '--data', join(dir, 'other.csv')],
        /none of the model's 7 features is a column of the batch \(expected e\.g\. [^)]*\)\n$/,
      ],
      [
        ['drift', '--manifest', manifestPath, '--data', join(dir, 'no-inputs.jsonl')],
        /none of the model's 7 features .*; this prediction log has no `inputs` \(with PREDICTION_LOG_INPUTS = False in the project's config\.py, it holds only their sha256\), so drift has nothing to compare\n$/,
      ],
      [['drift', '--manifest', manifestPath, '--data', join(dir, 'few.csv')], /fewer than drift_policy.min_rows = 100/],
      [['drift', '--manifest', join(dir, 'bad.json'), '--data', same], /bad\.json is not a valid nb2prod manifest: run: .* \(and \d+ more\)$/m],
      [['drift', '--manifest', manifestPath, '--data', join(dir, 'data.parquet')], /expected a .csv or .jsonl/],
      [['drift', '--manifest', manifestPath], /needs --manifest FILE and --data FILE/],
      [['drift', '--manifest', manifestPath, '--data', same, '--format', 'xml'], /unknown format/],
    ];
    for (const [args, message] of cases) {
      const result = await main(args);
      assert.equal(result.exitCode, 2, args.join(' '));
      assert.match(result.stderr, message);
    }
  });
});

test('drift: an unknown method in the frozen policy is unusable input', async () => {
  await withTemp(async (dir) => {
    const broken = fixtureManifest();
    broken.drift_policy.method = 'chi2';
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(broken));
    const result = await main(['drift', '--manifest', join(dir, 'manifest.json'), '--data', same]);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /unknown drift method `chi2`/);
  });
});

test('drift: per-feature overrides of the policy are applied and reported', async () => {
  await withTemp(async (dir) => {
    const custom = fixtureManifest();
    custom.drift_policy.features = { income: { method: 'ks', warn: 0.05, alert: 0.1 } };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(custom));
    const result = await main(['drift', '--manifest', join(dir, 'manifest.json'), '--data', batch, '--format', 'json']);
    const income = (JSON.parse(result.stdout) as DriftReport).features.find((f) => f.name === 'income')!;
    assert.deepEqual([income.rule.method, income.rule.source, income.status], ['ks', 'feature', 'alert']);
  });
});

test('drift: the bundled CLI exits 1 on drift in a real process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nb2prod-drift-bin-'));
  try {
    const strict = fixtureManifest();
    strict.drift_policy.dataset_share = 0.4;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(strict));
    const run = spawnSync(process.execPath, [cliPath, 'drift', '--manifest', join(dir, 'manifest.json'), '--data', batch], { encoding: 'utf8' });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /verdict: DRIFT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
