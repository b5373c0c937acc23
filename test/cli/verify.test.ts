// `nb2prod verify` through the bundled CLI: output and exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cliPath } from '../helpers/paths';
import { fixtureManifest, MODELS } from '../core/artifacts/fixtures';

const run = (...args: string[]) => spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8' });
const pickle = (name: string): string => join(MODELS, 'pickles', name);

test('verify --manifest: exit 0 and every check listed', () => {
  const result = run('verify', '--manifest', fixtureManifest('linear-classifier'));
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /PASS golden artifacts\/model\.onnx: 8 golden rows replay/);
  assert.match(result.stdout, /verified: 6 checks passed/);
});

test('verify --manifest --format json', () => {
  const result = run('verify', '--manifest', fixtureManifest('tree-regressor'), '--format', 'json');
  const report = JSON.parse(result.stdout) as { version: number; ok: boolean; checks: unknown[] };
  assert.equal(report.version, 1);
  assert.equal(report.ok, true);
});

test('verify --scan: exit 1 for an unsafe global, with PR305 and the global named', () => {
  const result = run('verify', '--scan', pickle('benign_pipeline.joblib'), pickle('global_after_array.joblib'));
  assert.equal(result.status, 1);
  assert.match(result.stdout, /UNSAFE {2}posix\.system/);
  assert.match(result.stdout, /FAIL PR305 pickle .*global_after_array\.joblib: unpickling imports and can call `posix\.system`/);
});

test('verify --scan: clean files exit 0; lzma exits 1 (fail closed); missing file exits 2', () => {
  assert.equal(run('verify', '--scan', pickle('benign_compressed.joblib')).status, 0);
  const lzma = run('verify', '--scan', pickle('benign_lzma.joblib'));
  assert.equal(lzma.status, 1);
  assert.match(lzma.stdout, /lzma\/xz-compressed/);
  const missing = run('verify', '--scan', pickle('nope.joblib'));
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read the file/);
});

test('usage errors and an invalid manifest exit 2', () => {
  assert.equal(run('verify').status, 2);
  assert.equal(run('verify', '--manifest', fixtureManifest('linear-classifier'), '--format', 'xml').status, 2);
  const bad = run('verify', '--manifest', join(MODELS, 'pickles', 'protocol0.pkl'));
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /cannot read the manifest/);
});
