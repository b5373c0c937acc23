// The generated project as a Python engineer expects it: a pyproject.toml that Python's own TOML
// parser reads, with a build system and ruff settings; library code that logs instead of
// printing; and our own `nb2prod check` quiet on a fresh project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../../src/cli/main';
import { GOLDEN, planGolden } from './snapshots';

const python = process.env['NB2PROD_PYTHON'] ?? '/usr/bin/python3';
const hasTomllib = spawnSync(python, ['-c', 'import tomllib']).status === 0;

test('pyproject.toml is valid TOML with a build system, setuptools package discovery and ruff settings', {
  skip: hasTomllib ? false : `skipped: ${python} has no tomllib`,
}, async () => {
  const result = await planGolden('churn');
  const toml = result.changes.find((c) => c.path === 'pyproject.toml')!.content;
  const script = 'import json, sys, tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))';
  const parsed = spawnSync(python, ['-c', script], { input: toml, encoding: 'utf8' });
  assert.equal(parsed.status, 0, parsed.stderr);
  const data = JSON.parse(parsed.stdout) as Record<string, Record<string, unknown>>;
  assert.deepEqual(data['build-system'], { requires: ['setuptools>=61'], 'build-backend': 'setuptools.build_meta' });
  assert.deepEqual((data['tool']!['setuptools'] as Record<string, unknown>)['packages'], { find: { where: ['.'], include: ['src', 'src.*'] } });
  assert.deepEqual(data['tool']!['ruff'], { 'line-length': 160, 'target-version': 'py39', lint: { select: ['E', 'F', 'W', 'I'] } });
  assert.equal((data['project'] as Record<string, unknown>)['name'], 'churn');
});

test('generated library code logs through one logger and prints nothing (only the predict command line writes its answers)', async () => {
  for (const name of Object.keys(GOLDEN)) {
    const result = await planGolden(name);
    for (const change of result.changes) {
      if (!change.path.startsWith('src/') || !change.path.endsWith('.py') || change.path === 'src/utils/nb2prod_runner.py') continue;
      const prints = change.content.split('\n').filter((line) => /(^|[^\w.])print\(/.test(line));
      if (change.path === 'src/model/predict.py')
        assert.ok(
          prints.every((line) => /^ {4,}print\(/.test(line)),
          prints.join('\n'),
        );
      else assert.deepEqual(prints, [], `${name}/${change.path}`);
      if (change.path !== 'src/utils/logging.py') assert.doesNotMatch(change.content, /logging\.getLogger\(/, `${name}/${change.path} makes its own logger`);
    }
  }
});

test('nb2prod check on a fresh generated project reports nothing, in any tier', async () => {
  const root = mkdtempSync(join(tmpdir(), 'nb2prod-fresh-'));
  try {
    for (const name of Object.keys(GOLDEN)) {
      const result = await planGolden(name);
      const project = join(root, name);
      const pyFiles: string[] = [];
      for (const change of result.changes) {
        const file = join(project, change.path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, change.content);
        if (change.path.endsWith('.py')) pyFiles.push(file);
      }
      const check = await main(['check', '--format', 'json', '--select', 'PREVIEW', ...pyFiles]);
      const report = JSON.parse(check.stdout) as { files: Array<{ path: string; diagnostics: Array<{ code: string; message: string }> }> };
      const unexpected = report.files.flatMap((f) => f.diagnostics.map((d) => `${f.path.slice(project.length + 1)}: ${d.code} ${d.message}`));
      assert.deepEqual(unexpected, [], name);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
