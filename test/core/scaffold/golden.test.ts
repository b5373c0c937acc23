// Golden trees of the scaffold: the exact file set, no placeholder left, contents equal to the
// committed snapshots (regenerate with update-snapshots.ts), generated Python that compiles and
// passes pyflakes, and the generated artefacts (template bundle, JSON Schema) without drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { manifestJsonSchemaText } from '../../../src/core/artifacts/manifest';
import { LEFTOVER_PLACEHOLDER } from '../../../src/core/scaffold';
import { bundleTemplates, readTemplates } from '../../../src/core/templates/bundle';
import { repoRoot } from '../../helpers/paths';
import { GOLDEN, planGolden, readSnapshot } from './snapshots';

const UPDATE = 'node .build/sc/out/test/core/scaffold/update-snapshots.js';

/** The file set, exactly. */
const EXPECTED_FILES = [
  '.github/workflows/monitor.yml',
  '.github/workflows/retrain.yml',
  '.gitignore',
  'README.md',
  'artifacts/.gitkeep',
  'deploy/sagemaker-training-job.json',
  'pyproject.toml',
  'src/__init__.py',
  'src/data/__init__.py',
  'src/data/ingestion.py',
  'src/data/preprocessing.py',
  'src/model/__init__.py',
  'src/model/evaluate.py',
  'src/model/predict.py',
  'src/model/retrain.py',
  'src/model/train.py',
  'src/utils/__init__.py',
  'src/utils/artifacts.py',
  'src/utils/config.py',
  'src/utils/logging.py',
  'src/utils/nb2prod_runner.py',
  'tests/test_predict.py',
];

const python = process.env['NB2PROD_PYTHON'] ?? '/usr/bin/python3';
const hasPython = spawnSync(python, ['--version']).status === 0;
const hasPyflakes = hasPython && spawnSync(python, ['-m', 'pyflakes', '--version']).status === 0;
const pythonSkip = hasPython || process.env['CI'] ? false : `skipped: ${python} is not available`;

/** py_compile and (when installed) pyflakes over files; returns their complaints. */
function lintPython(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nb2prod-lint-'));
  try {
    const paths = Object.keys(files).filter((p) => p.endsWith('.py'));
    for (const path of paths) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), files[path]!);
    }
    const compile = spawnSync(python, ['-m', 'py_compile', ...paths], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPYCACHEPREFIX: join(dir, '.pycache') },
    });
    let complaints = compile.status === 0 ? '' : compile.stderr;
    if (hasPyflakes) {
      const flakes = spawnSync(python, ['-m', 'pyflakes', ...paths], { cwd: dir, encoding: 'utf8' });
      if (flakes.status !== 0) complaints += flakes.stdout + flakes.stderr;
    }
    return complaints;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const name of Object.keys(GOLDEN)) {
  test(`golden tree: ${name}`, async () => {
    const result = await planGolden(name);
    assert.ok(result.ok, result.report.problems.join('\n'));
    assert.deepEqual(
      result.changes.map((c) => c.path),
      EXPECTED_FILES,
    );
    assert.ok(result.changes.every((c) => c.kind === 'create'));
    for (const change of result.changes) {
      assert.doesNotMatch(change.content, LEFTOVER_PLACEHOLDER, `${change.path} keeps a template placeholder`);
      assert.equal(change.content, readSnapshot(name, change.path), `${name}/${change.path} differs from its snapshot (run ${UPDATE})`);
    }
  });

  test(`golden tree: ${name}: generated Python compiles${hasPyflakes ? ' and passes pyflakes' : ' (pyflakes not installed)'}`, {
    skip: pythonSkip,
  }, async () => {
    const result = await planGolden(name);
    assert.equal(lintPython(Object.fromEntries(result.changes.map((c) => [c.path, c.content]))), '');
  });
}

test('templates are real Python: they compile and pass pyflakes unrendered', { skip: pythonSkip }, () => {
  assert.equal(lintPython(readTemplates(repoRoot)), '');
});

test('the embedded template bundle equals templates/project', () => {
  const committed = readFileSync(join(repoRoot, 'src', 'core', 'templates', 'generated.ts'), 'utf8');
  assert.equal(committed, bundleTemplates(readTemplates(repoRoot)), `src/core/templates/generated.ts is stale (run ${UPDATE})`);
});

test('media/manifest.schema.json equals the JSON Schema generated from the zod schema', () => {
  const committed = readFileSync(join(repoRoot, 'media', 'manifest.schema.json'), 'utf8');
  assert.equal(committed, manifestJsonSchemaText(), `media/manifest.schema.json is stale (run ${UPDATE})`);
});
