// `nb2prod check` with a project configuration: the file is read, the flags win over it, and a
// bad file is one error line and exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { MODELS } from '../core/artifacts/fixtures';

/** A project: the same script, with a star import (NB109) and an absolute path (NB110), in three folders. */
function project(config: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'nb2prod-cli-config-'));
  const script = '# %%\nfrom os import *\n\n# %%\ndata = open("/home/me/data.csv")\n';
  mkdirSync(join(root, 'legacy'));
  mkdirSync(join(root, 'eda'));
  writeFileSync(join(root, 'train.py'), script);
  writeFileSync(join(root, 'legacy', 'old.py'), script);
  writeFileSync(join(root, 'eda', 'look.py'), script);
  for (const [path, text] of Object.entries(config)) writeFileSync(join(root, path), text);
  return root;
}

/** `file code` per finding of `nb2prod check --format json`. */
async function found(root: string, ...flags: string[]): Promise<string[]> {
  const result = await main(['check', root, '--format', 'json', ...flags]);
  const { files } = JSON.parse(result.stdout) as { files: { path: string; diagnostics: { code: string; severity: string }[] }[] };
  return files.flatMap((f) => f.diagnostics.map((d) => `${f.path.slice(root.length + 1)} ${d.code} ${d.severity}`)).sort();
}

const PYPROJECT = [
  '[project]',
  'name = "demo"',
  '',
  '[tool.nb2prod]',
  'ignore = ["NB110"]',
  'extend-exclude = ["legacy"]',
  'per-file-ignores = { "eda/*" = ["NB109"] }',
  'severity = { NB109 = "error" }',
].join('\n');

test('without a configuration every file is checked with the defaults', async () => {
  const root = project({});
  assert.deepEqual(await found(root), [
    'eda/look.py NB109 warning',
    'eda/look.py NB110 warning',
    'legacy/old.py NB109 warning',
    'legacy/old.py NB110 warning',
    'train.py NB109 warning',
    'train.py NB110 warning',
  ]);
});

test('[tool.nb2prod] in pyproject.toml: ignore, extend-exclude, per-file-ignores and severity apply', async () => {
  assert.deepEqual(await found(project({ 'pyproject.toml': PYPROJECT })), ['train.py NB109 error']);
});

test('nb2prod.toml beside pyproject.toml wins', async () => {
  assert.deepEqual(await found(project({ 'pyproject.toml': PYPROJECT, 'nb2prod.toml': 'ignore = ["NB109"]\n' })), [
    'eda/look.py NB110 warning',
    'legacy/old.py NB110 warning',
    'train.py NB110 warning',
  ]);
});

test('the flags win: --select replaces the file selection, --ignore adds to it; per-file-ignores still hold', async () => {
  const root = project({ 'pyproject.toml': PYPROJECT });
  assert.deepEqual(await found(root, '--select', 'NB110'), ['eda/look.py NB110 warning', 'train.py NB110 warning']);
  assert.deepEqual(await found(root, '--ignore', 'NB109'), []);
  // per-file-ignores hold under any selection: eda/ stays without NB109.
  assert.deepEqual(await found(root, '--select', 'NB109'), ['train.py NB109 error']);
});

test('a bad configuration is one error line naming the file and key, and exit 2', async () => {
  const root = project({ 'nb2prod.toml': 'ignore = ["NB110"]\nseverity = { NB109 = "loud" }\n' });
  const result = await main(['check', root]);
  assert.equal(result.exitCode, 2);
  assert.equal(
    result.stderr.replace(root, 'ROOT'),
    'error: ROOT/nb2prod.toml: key `severity.NB109`: Invalid option: expected one of "error"|"warning"|"info"|"hint"|"off"\n1 file could not be checked.\n',
  );
});

test('folder-level findings (PR305 on a pickle) follow per-file-ignores and exclude of the file they land on', async () => {
  const root = project({});
  mkdirSync(join(root, 'artifacts'));
  mkdirSync(join(root, 'old'));
  copyFileSync(join(MODELS, 'pickles', 'protocol2_evil.pkl'), join(root, 'artifacts', 'evil.pkl'));
  copyFileSync(join(MODELS, 'pickles', 'protocol2_evil.pkl'), join(root, 'old', 'evil.pkl'));
  assert.deepEqual(await found(root, '--select', 'PR305'), ['artifacts/evil.pkl PR305 error', 'old/evil.pkl PR305 error']);
  writeFileSync(join(root, 'nb2prod.toml'), 'extend-exclude = ["old"]\n[per-file-ignores]\n"artifacts/*.pkl" = ["PR305"]\n');
  assert.deepEqual(await found(root, '--select', 'PR305'), []);
});
