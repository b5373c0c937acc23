// PR303 and PR304 on a hand-written project, PR302 on its predict.py, PR305 on a folder's pickles,
// and the scaffold's own templates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readProject as readFolder, checkProjectFolders } from '../../../src/core/project';
import { artifactPathMismatch } from '../../../src/core/rules/artifact-path-mismatch';
import { predictImportsTrain } from '../../../src/core/rules/predict-imports-train';
import { checkPaths } from '../../../src/cli/check';
import { main } from '../../../src/cli/main';
import { repoRoot } from '../../helpers/paths';
import { MODELS } from './fixtures';

const project = join(MODELS, 'project');
const readProject = async (folder: string) => (await readFolder(folder)).files;

test('files get train / predict roles', async () => {
  const files = await readProject(project);
  assert.deepEqual(
    files.map((f) => [f.path, f.role]),
    [
      ['src/model/predict.py', 'predict'],
      ['src/model/train.py', 'train'],
    ],
  );
});

test('PR303: predict loads model.joblib, training writes model_v2.joblib', async () => {
  const findings = artifactPathMismatch.check(await readProject(project));
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.line, 7);
  assert.match(
    findings[0]!.message,
    /`artifacts\/model\.joblib` is loaded here, but the training code \(src\/model\/train\.py\) never writes `model\.joblib` \(it writes `scaler\.joblib`, `model_v2\.joblib`\)/,
  );
});

test('PR304: predict imports the training module', async () => {
  const findings = predictImportsTrain.check(await readProject(project));
  assert.equal(findings.length, 1);
  assert.match(findings[0]!.message, /`from src\.model\.train import main as retrain` makes inference depend on the training module `src\/model\/train\.py`/);
});

test('nb2prod check on the folder: PR302 on predict.py, PR303 and PR304 from the project rules', async () => {
  const results = await checkPaths([project], { select: ['PR302'] });
  const predict = results.find((r) => r.path.endsWith('predict.py'));
  assert.deepEqual(
    predict?.diagnostics.map((d) => d.code),
    ['PR302'],
  );
  const projectFindings = (await checkProjectFolders([project])).diagnostics;
  assert.deepEqual(projectFindings.flatMap((p) => p.diagnostics.map((d) => d.code)).sort(), ['PR303', 'PR304']);
});

test('the scaffold templates are clean under PR303/PR304 (train imports predict, not the reverse)', async () => {
  const findings = (await checkProjectFolders([join(repoRoot, 'templates', 'project')])).diagnostics;
  assert.deepEqual(
    findings.flatMap((f) => f.diagnostics.map((d) => `${f.path}: ${d.code} ${d.message}`)),
    [],
  );
});

test('project findings follow --select, --ignore and severity overrides like notebook findings', async () => {
  const codes = async (options: Parameters<typeof checkProjectFolders>[1]) =>
    (await checkProjectFolders([project], options)).diagnostics.flatMap((p) => p.diagnostics.map((d) => `${d.code} ${d.severity}`)).sort();
  assert.deepEqual(await codes({ select: ['PR303'] }), ['PR303 error']);
  assert.deepEqual(await codes({ ignore: ['PR3'] }), []);
  assert.deepEqual(await codes({ severity: { PR303: 'info', PR304: 'off' } }), ['PR303 info']);
});

test('PR305 on a folder: each pickle outside the allowlist, and each file the scan cannot finish, is a finding', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'nb2prod-pickles-'));
  try {
    mkdirSync(join(folder, 'artifacts'));
    for (const name of ['protocol2_evil.pkl', 'truncated.joblib', 'benign_pipeline.joblib'])
      copyFileSync(join(MODELS, 'pickles', name), join(folder, 'artifacts', name));
    const results = await checkPaths([folder], { select: ['PR305'] });
    assert.deepEqual(
      results.map((r) => [r.path.slice(folder.length + 1), r.diagnostics.map((d) => `${d.code} ${d.message.split(' (')[0]}`)]),
      [
        [
          'artifacts/protocol2_evil.pkl',
          ['PR305 Loading this file imports and can call `posix.system`, which is outside the allowlist of sklearn, numpy and joblib globals.'],
        ],
        ['artifacts/truncated.joblib', ['PR305 The static scan could not read the whole file']],
      ],
    );
    assert.deepEqual(await checkPaths([folder], { ignore: ['PR305'] }), []);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('SARIF for a project folder lists every rule it reports, with its index', async () => {
  const result = await main(['check', project, '--format', 'sarif']);
  const run = JSON.parse(result.stdout).runs[0];
  const ids: string[] = run.tool.driver.rules.map((r: { id: string }) => r.id);
  for (const code of ['PR303', 'PR304', 'PR305']) assert.ok(ids.includes(code), code);
  const reported = run.results.map((r: { ruleId: string; ruleIndex: number }) => [r.ruleId, ids[r.ruleIndex]]);
  assert.ok(reported.some(([id]: string[]) => id === 'PR303'));
  for (const [id, indexed] of reported) assert.equal(indexed, id);
});

test('--select takes every code that does something and rejects what matches no rule', async () => {
  for (const code of ['PR303', 'PR304', 'PR305', 'PR3', 'PREVIEW']) assert.notEqual((await main(['check', project, '--select', code])).exitCode, 2, code);
  const unknown = await main(['check', project, '--select', 'PR306']);
  assert.equal(unknown.exitCode, 2);
  assert.match(unknown.stderr, /unknown rule code or prefix: PR306/);
});
