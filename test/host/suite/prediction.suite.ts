/** The runner in the real extension host: verify and the prediction panel through onnxruntime-node in the child process. */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { VerifyReport } from '../../../src/core/verify/verify';
import type { PredictReport } from '../../../src/core/runner/predict';
import { findRepoRoot } from '../../../scripts/repo-root';
import { closeAllEditors, eventually, EXTENSION_ID } from './helpers';

// The model fixtures live in the repository (this file runs from its out/ build inside it).
const manifest = vscode.Uri.file(join(findRepoRoot(__dirname), 'test', 'fixtures', 'models', 'linear-classifier', 'artifacts', 'manifest.json'));

describe('prediction runner', () => {
  before(async () => {
    // Run alone (NB2PROD_TEST_GREP), nothing else has activated the extension yet.
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  });
  after(closeAllEditors);

  it('registers Verify Artifacts and Run Test Prediction', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('nb2prod.verifyArtifacts'));
    assert.ok(commands.includes('nb2prod.runTestPrediction'));
  });

  it('verifies the fixture manifest: hashes, signature, fingerprint, golden rows', async () => {
    const reports = await vscode.commands.executeCommand<VerifyReport[] | undefined>('nb2prod.verifyArtifacts', manifest);
    assert.ok(reports && reports.length === 1, 'the command resolves to its reports (the workspace is trusted)');
    const report = reports[0]!;
    assert.ok(report.ok, JSON.stringify(report.checks.filter((c) => c.status !== 'pass')));
    assert.deepEqual([...new Set(report.checks.map((c) => c.check))].sort(), ['fingerprint', 'golden', 'hash', 'pickle', 'signature']);
  });

  it('opens the panel and predicts through onnxruntime-node in the runner child', async () => {
    const rows = [
      { age: 40, income: 50000, city: 'rome' },
      { age: 40, city: 'rome' },
      { age: 35, income: null, city: 'tokyo' },
    ];
    const report = await vscode.commands.executeCommand<PredictReport | undefined>('nb2prod.runTestPrediction', manifest, rows);
    assert.ok(report, 'the command resolves to the prediction report');
    assert.deepEqual(
      report.rows.map((r) => r.status),
      ['ok', 'rejected', 'warning'],
    );
    const first = report.rows[0]!.prediction!;
    assert.ok(['bronze', 'gold', 'silver'].includes(String(first.label)));
    assert.deepEqual(Object.keys(first.probabilities!), ['bronze', 'gold', 'silver']);
    assert.ok(Math.abs(Object.values(first.probabilities!).reduce((a, b) => a + b, 0) - 1) < 1e-5);
    assert.equal(report.rows[1]!.issues[0]!.kind, 'missing');
    // The workbench reports its tabs to the extension host asynchronously (late on a loaded machine).
    await eventually(() => {
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
      assert.ok(
        tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('nb2prod.prediction')),
        `the prediction panel is open (tabs: ${JSON.stringify(tabs.map((t) => t.label))})`,
      );
    }, 10_000);
  });

  it('replays the golden rows through the panel with the stored outputs', async () => {
    const golden = (
      JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(manifest)).toString('utf8')) as {
        golden: { rows: { inputs: unknown; outputs: { label: string } }[] };
      }
    ).golden.rows;
    const report = await vscode.commands.executeCommand<PredictReport | undefined>(
      'nb2prod.runTestPrediction',
      manifest,
      golden.map((r) => r.inputs),
    );
    assert.deepEqual(
      report?.rows.map((r) => r.prediction?.label),
      golden.map((r) => r.outputs.label),
    );
  });
});
