/**
 * "nb2prod: Verify Artifacts" and "nb2prod: Run Test Prediction", with the status bar item.
 * Both run inference only in the runner child process and only in a trusted workspace: a
 * manifest and its model come from the repository, and loading a model is running its code.
 * The commands resolve to their results so tests (and other extensions) can use them.
 */
import * as vscode from 'vscode';
import type { VerifyReport } from '../core/verify/verify';
import { RunnerClient } from '../core/runner/client';
import { ArtifactStatus } from './artifact-status';
import { findManifests, pickManifest } from './manifests';
import { PredictionPanel, type PanelReport, type PredictOptions } from './prediction-panel';

/** Command ids, as package.json declares them. */
export const RUNNER_COMMANDS = { verify: 'nb2prod.verifyArtifacts', predict: 'nb2prod.runTestPrediction' } as const;

const UNTRUSTED =
  "nb2prod runs models only in trusted workspaces: loading a model and its artifacts executes what the repository ships. Test predictions through the project's Python backend (python, both) run the project's own code too. Trust this workspace (Manage Workspace Trust) to verify artifacts and run test predictions.";

/** Registers the runner commands, the status bar item and the Problems collection. */
export function registerRunner(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable[] {
  // One child process for the whole session, started at the first verify or prediction, never at activation.
  const client = new RunnerClient();
  const problems = vscode.languages.createDiagnosticCollection('nb2prod-artifacts');
  const status = new ArtifactStatus(log, (uri) => verifyOne(uri, client, problems, log));
  const verify = async (target?: vscode.Uri): Promise<VerifyReport[] | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(UNTRUSTED);
      return undefined;
    }
    const manifests = target ? [target] : await findManifests();
    if (manifests.length === 0) {
      void vscode.window.showInformationMessage('nb2prod: no artifacts/manifest.json in this workspace (training writes it).');
      return [];
    }
    const reports: VerifyReport[] = [];
    for (const uri of manifests) {
      const report = await verifyOne(uri, client, problems, log);
      if (report) reports.push(report);
    }
    status.show(reports);
    const failed = reports.filter((r) => !r.ok);
    if (failed.length > 0) {
      void vscode.window
        .showErrorMessage(`nb2prod: artifact verification failed for ${failed.map((r) => vscode.workspace.asRelativePath(r.manifest)).join(', ')}`, 'Show Log')
        .then((choice) => choice && log.show(true));
    } else {
      vscode.window.setStatusBarMessage(`nb2prod: artifacts verified (${reports.length} manifest${reports.length === 1 ? '' : 's'})`, 5000);
    }
    return reports;
  };
  // Arguments (for tests and other extensions): the manifest, rows to predict, and
  // { backend: 'onnx' | 'python' | 'both', python: '/path/to/python' } (python: the test hook).
  const predict = async (target?: vscode.Uri, rows?: unknown[], options?: PredictOptions): Promise<PanelReport | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(UNTRUSTED);
      return undefined;
    }
    const uri = target ?? (await pickManifest('manifest of the model to predict with'));
    if (!uri) return undefined;
    const panel = await PredictionPanel.show(context.extensionUri, uri, client, log);
    return rows ? panel.predict(rows, options ?? {}) : undefined;
  };
  const disposables = [
    problems,
    status,
    vscode.commands.registerCommand(RUNNER_COMMANDS.verify, verify),
    vscode.commands.registerCommand(RUNNER_COMMANDS.predict, predict),
    vscode.workspace.onDidGrantWorkspaceTrust(() => status.refresh()),
    { dispose: () => client.dispose() },
  ];
  status.refresh();
  return disposables;
}

/** Verifies one manifest: logs every check, publishes failures on the manifest in Problems. */
async function verifyOne(
  uri: vscode.Uri,
  client: RunnerClient,
  problems: vscode.DiagnosticCollection,
  log: vscode.LogOutputChannel,
): Promise<VerifyReport | undefined> {
  const { verifyManifest } = require('../core/verify/verify') as typeof import('../core/verify/verify');
  const name = vscode.workspace.asRelativePath(uri);
  try {
    const report = await verifyManifest(uri.fsPath, { client });
    for (const c of report.checks) {
      const line = `verify ${name}: ${c.status} ${c.code ?? ''}${c.check} ${c.artifact ?? ''}: ${c.message}${c.expected ? ` | expected ${c.expected}` : ''}${c.found ? ` | found ${c.found}` : ''}${c.action && c.status !== 'pass' ? ` | to do: ${c.action}` : ''}`;
      if (c.status === 'fail') log.error(line);
      else if (c.status === 'warn') log.warn(line);
      else log.info(line);
    }
    problems.set(
      uri,
      report.checks
        .filter((c) => c.status !== 'pass')
        .map((c) => {
          const d = new vscode.Diagnostic(
            new vscode.Range(0, 0, 0, 1),
            `${c.artifact ?? 'manifest'}: ${c.message}${c.found ? ` (found ${c.found})` : ''}${c.action ? `. ${c.action}` : ''}`,
            c.status === 'fail' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
          );
          d.source = 'nb2prod';
          if (c.code) d.code = c.code;
          return d;
        }),
    );
    return report;
  } catch (error) {
    log.error(`verify ${name}: ${(error as Error).message}`);
    problems.set(uri, [
      Object.assign(new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), (error as Error).message, vscode.DiagnosticSeverity.Error), { source: 'nb2prod' }),
    ]);
    return undefined;
  }
}
