/**
 * The Python prediction backend in the real extension host: Run Test Prediction with backend
 * `python` (the project's pipeline in a child Python) and `both` (ONNX and Python compared), on
 * the agreeing fixture pair. The interpreter is passed explicitly (the command's test hook), so
 * the suite does not depend on the Python extension.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PanelReport } from '../../../src/extension/prediction-panel';
import { findRepoRoot } from '../../../scripts/repo-root';
import { closeAllEditors, EXTENSION_ID } from './helpers';

const PYTHON = '/usr/bin/python3';
const manifest = vscode.Uri.file(join(findRepoRoot(__dirname), 'test', 'fixtures', 'models', 'python-parity', 'agree', 'artifacts', 'manifest.json'));

type Golden = { inputs: Record<string, unknown>; outputs: { label: string; probabilities: number[] } };

describe('python backend', function () {
  this.timeout(120_000);
  let golden: Golden[] = [];

  before(async function () {
    if (!existsSync(PYTHON)) this.skip();
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    golden = (JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(manifest)).toString('utf8')) as { golden: { rows: Golden[] } }).golden.rows;
  });
  after(closeAllEditors);

  it("predicts through the project's Python: the golden labels and probabilities, rejected rows named", async () => {
    const rows = [...golden.map((r) => r.inputs), { age: 40, city: 'rome' }, { age: 40, income: 50000, city: 'tokyo' }];
    const report = await vscode.commands.executeCommand<PanelReport | undefined>('nb2prod.runTestPrediction', manifest, rows, {
      backend: 'python',
      python: PYTHON,
    });
    assert.ok(report, 'the command resolves to the report (see the nb2prod log for the Python error)');
    assert.equal(report.backend, 'python');
    assert.equal(report.parity, undefined);
    assert.deepEqual(
      report.rows.slice(0, golden.length).map((r) => r.prediction?.label),
      golden.map((r) => r.outputs.label),
    );
    golden.forEach((g, i) => {
      const probabilities = Object.values(report.rows[i]!.prediction!.probabilities!);
      g.outputs.probabilities.forEach((p, k) => assert.ok(Math.abs(probabilities[k]! - p) < 1e-4, `row ${i} class ${k}: ${probabilities[k]} vs ${p}`));
    });
    const missing = report.rows[golden.length]!;
    assert.equal(missing.status, 'rejected');
    assert.equal(missing.prediction, undefined, 'a rejected row never reaches Python');
    assert.ok(
      missing.issues.some((i) => i.feature === 'income' && i.kind === 'missing'),
      JSON.stringify(missing.issues),
    );
    const unseen = report.rows[golden.length + 1]!;
    assert.equal(unseen.status, 'rejected', "the manifest's input_policy rejects unseen categories");
    assert.ok(
      unseen.issues.some((i) => i.feature === 'city' && i.kind === 'unseen-category'),
      JSON.stringify(unseen.issues),
    );
  });

  it('runs both backends and reports that they agree, per output', async () => {
    const report = await vscode.commands.executeCommand<PanelReport | undefined>(
      'nb2prod.runTestPrediction',
      manifest,
      golden.map((r) => r.inputs),
      { backend: 'both', python: PYTHON },
    );
    assert.ok(report?.parity, 'both resolves to the report with its parity comparison');
    assert.equal(report.backend, 'both');
    const { parity } = report;
    assert.ok(parity.ok, JSON.stringify(parity));
    assert.equal(parity.rowsCompared, golden.length);
    assert.deepEqual(
      parity.outputs.map((o) => o.output),
      ['label', 'probabilities'],
    );
    const label = parity.outputs.find((o) => o.output === 'label')!;
    assert.equal(label.labelAgreement, 1);
    const probabilities = parity.outputs.find((o) => o.output === 'probabilities')!;
    assert.equal(probabilities.kind, 'numeric');
    assert.equal(probabilities.rowsOverTolerance, 0);
    assert.ok(probabilities.maxAbsDiff < 1e-4, String(probabilities.maxAbsDiff));
    assert.deepEqual(parity.worst, []);
    assert.deepEqual(
      report.python?.rows.map((r) => r.prediction?.label),
      golden.map((r) => r.outputs.label),
    );
  });
});
