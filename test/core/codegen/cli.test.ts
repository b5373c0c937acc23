// `nb2prod codegen` through the bundled CLI (ts-morph is external to the bundle and must resolve
// from node_modules): writes the module, exit 0; an unusable manifest is exit 2 with one line
// and writes nothing.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { cliPath, repoRoot } from '../../helpers/paths';
import { cleanup, tempDir } from './compile';

const dir = tempDir('codegen-cli');
after(() => cleanup(dir));
const manifest = join(repoRoot, 'test', 'fixtures', 'models', 'tree-regressor', 'artifacts', 'manifest.json');

test('the bundled CLI writes a type-checked module, and says so on one line', () => {
  const out = join(dir, 'model.ts');
  const result = spawnSync(process.execPath, [cliPath, 'codegen', '--manifest', manifest, '--out', out], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /model\.ts written: \d+ lines for run fixture-tree-regressor, type-checked \(\d+ ms\)\n$/);
  assert.match(readFileSync(out, 'utf8'), /export async function loadModel\(artifactsDir: string\): Promise<InferenceModel>/);
});

test('an unusable manifest: exit 2, one line, nothing written', async () => {
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ manifest_version: 1, run: {} }));
  const out = join(dir, 'never.ts');
  const result = await main(['codegen', '--manifest', bad, '--out', out]);
  assert.equal(result.exitCode, 2);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  assert.match(result.stderr, /^nb2prod: .*bad\.json is not a valid nb2prod manifest: .+ \(and \d+ more\)\n$/);
  assert.equal(existsSync(out), false);
  const missing = await main(['codegen', '--manifest', join(dir, 'nope.json'), '--out', out]);
  assert.equal(missing.exitCode, 2);
  assert.match(missing.stderr, /^nb2prod: cannot read the manifest .*nope\.json/);
});

test('usage errors: exit 2', async () => {
  assert.equal((await main(['codegen', '--manifest', manifest])).exitCode, 2);
  const wrongExtension = await main(['codegen', '--manifest', manifest, '--out', join(dir, 'model.js')]);
  assert.equal(wrongExtension.exitCode, 2);
  assert.match(wrongExtension.stderr, /--out must name a TypeScript file/);
});
