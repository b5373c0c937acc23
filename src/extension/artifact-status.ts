/**
 * The status bar item saying whether the workspace's artifacts verify. It verifies in the
 * background a few seconds after activation (trusted workspaces only) and again when a manifest
 * changes; in an untrusted workspace it says why nothing runs.
 */
import * as vscode from 'vscode';
import type { VerifyReport } from '../core/verify/verify';
import { findManifests } from './manifests';

/** The status bar item and its background verification. */
export class ArtifactStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('nb2prod.artifacts', vscode.StatusBarAlignment.Left, 50);
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/artifacts/manifest.json');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly verify: (uri: vscode.Uri) => Promise<VerifyReport | undefined>,
  ) {
    this.item.name = 'nb2prod artifacts';
    this.item.command = 'nb2prod.verifyArtifacts';
    const later = (): void => this.schedule(500);
    this.watcher.onDidChange(later);
    this.watcher.onDidCreate(later);
    this.watcher.onDidDelete(later);
  }

  /** Shows the state for the untrusted case now, and verifies a little later otherwise. */
  refresh(): void {
    if (!vscode.workspace.isTrusted) {
      this.item.text = '$(shield) nb2prod: restricted';
      this.item.tooltip = "Artifact verification and test predictions are off in untrusted workspaces (they load the repository's models).";
      this.item.show();
      return;
    }
    // Not during activation: verification starts a child process.
    this.schedule(3000);
  }

  /** Shows the outcome of a verification. */
  show(reports: readonly VerifyReport[]): void {
    if (reports.length === 0) {
      this.item.hide();
      return;
    }
    const failed = reports.filter((r) => !r.ok);
    this.item.text = failed.length === 0 ? '$(pass) artifacts verified' : `$(error) artifacts: ${failed.length} failing`;
    this.item.tooltip = reports
      .map(
        (r) => `${vscode.workspace.asRelativePath(r.manifest)}: ${r.ok ? 'verified' : `${r.checks.filter((c) => c.status === 'fail').length} checks failed`}`,
      )
      .join('\n');
    this.item.backgroundColor = failed.length === 0 ? undefined : new vscode.ThemeColor('statusBarItem.errorBackground');
    this.item.show();
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delayMs);
  }

  private async run(): Promise<void> {
    if (!vscode.workspace.isTrusted) return;
    const manifests = await findManifests();
    const reports: VerifyReport[] = [];
    for (const uri of manifests) {
      const report = await this.verify(uri);
      if (report) reports.push(report);
    }
    if (manifests.length > 0) this.log.info(`artifact status: ${reports.filter((r) => r.ok).length} of ${manifests.length} manifests verify`);
    this.show(reports);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.item.dispose();
    this.watcher.dispose();
  }
}
