/**
 * The "Run Test Prediction" webview: a form generated from the manifest's signature, a JSON
 * editor, "Predict on a CSV file", and a results table. The page runs under a strict CSP
 * (default-src 'none'; one nonce'd script and the stylesheet from media/); all work happens
 * here, in the runner child, never in the page.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { RunnerClient } from '../core/runner/client';
import type { Predictor, PredictReport } from '../core/runner/predict';

type FromPage = { type: 'ready' } | { type: 'predict'; rows: unknown[] } | { type: 'pickCsv' };

/** One panel per manifest. */
export class PredictionPanel {
  private static readonly open = new Map<string, PredictionPanel>();
  private predictor: Promise<Predictor> | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly manifest: vscode.Uri,
    private readonly client: RunnerClient,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Opens (or reveals) the panel of a manifest. */
  static async show(extensionUri: vscode.Uri, manifest: vscode.Uri, client: RunnerClient, log: vscode.LogOutputChannel): Promise<PredictionPanel> {
    const existing = PredictionPanel.open.get(manifest.toString());
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel('nb2prod.prediction', `Test Prediction: ${vscode.workspace.asRelativePath(manifest)}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
      retainContextWhenHidden: true,
    });
    const instance = new PredictionPanel(panel, manifest, client, log);
    PredictionPanel.open.set(manifest.toString(), instance);
    panel.onDidDispose(() => PredictionPanel.open.delete(manifest.toString()));
    panel.webview.onDidReceiveMessage((message: FromPage) => void instance.receive(message));
    panel.webview.html = html(panel.webview, media);
    return instance;
  }

  /** Validates and predicts rows, shows the results in the page, and resolves to them. */
  async predict(rows: unknown[]): Promise<PredictReport | undefined> {
    try {
      const report = await (await this.load()).predict(rows);
      void this.panel.webview.postMessage({ type: 'result', report });
      this.log.info(`test prediction: ${report.rows.length} rows, ${report.rows.filter((r) => r.status === 'rejected').length} rejected (run ${report.timings.runMs.toFixed(2)} ms)`);
      return report;
    } catch (error) {
      this.fail(error);
      return undefined;
    }
  }

  private load(): Promise<Predictor> {
    if (!this.predictor) {
      // require() at first use: esbuild then evaluates the runner modules only when a panel predicts.
      const { Predictor } = require('../core/runner/predict') as typeof import('../core/runner/predict');
      this.predictor = Predictor.open(this.manifest.fsPath, { client: this.client });
      this.predictor.catch(() => (this.predictor = undefined));
    }
    return this.predictor;
  }

  private async receive(message: FromPage): Promise<void> {
    if (message.type === 'ready') {
      try {
        const { manifest } = (await this.load()).loaded;
        void this.panel.webview.postMessage({ type: 'init', manifest: vscode.workspace.asRelativePath(this.manifest), inputs: manifest.signature.inputs, classes: manifest.model.classes, task: manifest.model.task, example: manifest.golden.rows[0]?.inputs ?? null });
      } catch (error) {
        this.fail(error);
      }
    } else if (message.type === 'predict') {
      await this.predict(Array.isArray(message.rows) ? message.rows : [message.rows]);
    } else if (message.type === 'pickCsv') {
      const [file] = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Rows': ['csv', 'json', 'jsonl'] }, openLabel: 'Predict' })) ?? [];
      if (!file) return;
      try {
        const { readRowsFile } = require('../core/runner/input-file') as typeof import('../core/runner/input-file');
        await this.predict(await readRowsFile(file.fsPath, (await this.load()).loaded.manifest));
      } catch (error) {
        this.fail(error);
      }
    }
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.log.error(`test prediction: ${message}`);
    void this.panel.webview.postMessage({ type: 'error', message });
  }
}

function html(webview: vscode.Webview, media: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'prediction-panel.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'prediction-panel.css'));
  const csp = `default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}'; img-src ${webview.cspSource};`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Test Prediction</title>
</head>
<body>
<h2 id="title">Test Prediction</h2>
<p id="status" class="muted">Loading the model…</p>
<section class="columns">
  <form id="form" class="panel" autocomplete="off"></form>
  <div class="panel">
    <label for="json">Rows as JSON (one object or an array)</label>
    <textarea id="json" rows="12" spellcheck="false"></textarea>
    <div class="buttons">
      <button id="predict-form" type="button">Predict form</button>
      <button id="predict-json" type="button">Predict JSON</button>
      <button id="predict-csv" type="button" class="secondary">Predict on a CSV file…</button>
    </div>
    <p id="json-error" class="error"></p>
  </div>
</section>
<table id="results"><thead></thead><tbody></tbody></table>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
