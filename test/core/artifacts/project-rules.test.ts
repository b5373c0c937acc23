// PR303 and PR304 on a hand-written project, PR302 on its predict.py, and the scaffold's own templates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readProject } from '../../../src/core/artifacts/project-files';
import { artifactPathMismatch } from '../../../src/core/rules/artifact-path-mismatch';
import { predictImportsTrain } from '../../../src/core/rules/predict-imports-train';
import { unsafePickle } from '../../../src/core/rules/unsafe-pickle';
import { checkPaths } from '../../../src/cli/check';
import { checkProjectFolders } from '../../../src/core/artifacts/project-check';
import { repoRoot } from '../../helpers/paths';
import { MODELS } from './fixtures';

const project = join(MODELS, 'project');

test('files get train / predict roles', async () => {
  const files = await readProject(project);
  assert.deepEqual(files.map((f) => [f.path, f.role]), [['src/model/predict.py', 'predict'], ['src/model/train.py', 'train']]);
});

test('PR303: predict loads model.joblib, training writes model_v2.joblib', async () => {
  const findings = artifactPathMismatch.check(await readProject(project));
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.line, 7);
  assert.match(findings[0]!.message, /`artifacts\/model\.joblib` is loaded here, but the training code \(src\/model\/train\.py\) never writes `model\.joblib` \(it writes `scaler\.joblib`, `model_v2\.joblib`\)/);
});

test('PR304: predict imports the training module', async () => {
  const findings = predictImportsTrain.check(await readProject(project));
  assert.equal(findings.length, 1);
  assert.match(findings[0]!.message, /`from src\.model\.train import main as retrain` makes inference depend on the training module `src\/model\/train\.py`/);
});

test('nb2prod check on the folder: PR302 on predict.py, PR303 and PR304 from the project rules', async () => {
  const results = await checkPaths([project], { select: ['PR302'] });
  const predict = results.find((r) => r.path.endsWith('predict.py'));
  assert.deepEqual(predict?.diagnostics.map((d) => d.code), ['PR302']);
  const projectFindings = await checkProjectFolders([project]);
  assert.deepEqual(projectFindings.flatMap((p) => p.diagnostics.map((d) => d.code)).sort(), ['PR303', 'PR304']);
});

test('the scaffold templates are clean under PR303/PR304 (train imports predict, not the reverse)', async () => {
  const findings = await checkProjectFolders([join(repoRoot, 'templates', 'project')]);
  assert.deepEqual(findings.flatMap((f) => f.diagnostics.map((d) => `${f.path}: ${d.code} ${d.message}`)), []);
});

test('PR305 metadata is documented', () => {
  assert.equal(unsafePickle.code, 'PR305');
  assert.ok(unsafePickle.docs.why.length > 50);
});
