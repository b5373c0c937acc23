/**
 * "nb2prod: Check Drift": picks a manifest (the workspace's artifacts/manifest.json files, or
 * the one given) and a batch file, streams the batch through the drift engine with a progress
 * notification, and shows the report in a webview without scripts. The monitor module loads at
 * the first run, not at activation. Resolves to the report (for tests and other extensions).
 */
import * as vscode from 'vscode';
import type { DriftReport } from '../core/monitor/drift';
import { driftReportHtml } from './drift-report-html';
import { pickManifest } from './manifests';

/** The command id, as package.json declares it. */
export const CHECK_DRIFT_COMMAND = 'nb2prod.checkDrift';

/** Registers the command. */
export function registerDriftReport(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(CHECK_DRIFT_COMMAND, (manifest?: unknown, data?: unknown, options?: { test?: boolean }) =>
      checkDrift(extensionUri, log, asUri(manifest), asUri(data), options?.test === true),
    ),
  ];
}

function asUri(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  if (typeof value === 'string') return vscode.Uri.file(value);
  return undefined;
}

/** What the command resolves to when called with `{ test: true }` as third argument (host tests). */
export interface DriftReportShown {
  report: DriftReport;
  viewType: string;
  title: string;
  html: string;
}

async function checkDrift(
  extensionUri: vscode.Uri,
  log: vscode.LogOutputChannel,
  manifestArg?: vscode.Uri,
  dataArg?: vscode.Uri,
  test = false,
): Promise<DriftReport | DriftReportShown | undefined> {
  const manifestUri = manifestArg ?? (await pickManifest('manifest with the reference statistics'));
  if (manifestUri === undefined) return undefined;
  const dataUri =
    dataArg ??
    (
      await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: 'Check Drift',
        title: 'Batch of new data (.csv or .jsonl)',
        filters: { 'Data batches': ['csv', 'jsonl', 'ndjson'] },
      })
    )?.[0];
  if (dataUri === undefined) return undefined;
  const { readManifestFile } = require('../core/artifacts/manifest-file') as typeof import('../core/artifacts/manifest-file');
  const { driftOfFile, DriftInputError } = require('../core/monitor/drift') as typeof import('../core/monitor/drift');
  const read = readManifestFile(manifestUri.fsPath);
  if (!read.ok) {
    void vscode.window.showErrorMessage(`nb2prod: ${read.error}`);
    return undefined;
  }
  let report: DriftReport;
  try {
    report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'nb2prod: checking drift', cancellable: false },
      (progress) => driftOfFile(read.manifest, dataUri.fsPath, { onProgress: (rows) => progress.report({ message: `${rows.toLocaleString()} rows` }) }),
    );
  } catch (error) {
    if (error instanceof DriftInputError) {
      void vscode.window.showErrorMessage(`nb2prod: ${error.message}`);
      return undefined;
    }
    throw error;
  }
  log.info(`Check Drift: ${report.verdict.status} for ${dataUri.fsPath} (${report.data.rows} rows): ${report.verdict.reasons.join('; ')}`);
  const media = vscode.Uri.joinPath(extensionUri, 'media');
  const panel = vscode.window.createWebviewPanel('nb2prod.driftReport', `Drift: ${vscode.workspace.asRelativePath(dataUri)}`, vscode.ViewColumn.Active, {
    enableScripts: false,
    localResourceRoots: [media],
  });
  panel.webview.html = driftReportHtml(report, {
    cspSource: panel.webview.cspSource,
    styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'drift-report.css')).toString(),
    manifestPath: vscode.workspace.asRelativePath(manifestUri),
  });
  return test ? { report, viewType: panel.viewType, title: panel.title, html: panel.webview.html } : report;
}
