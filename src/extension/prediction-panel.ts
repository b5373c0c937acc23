/**
 * The "Run Test Prediction" webview: a form generated from the manifest's signature, a JSON
 * editor, "Predict on a CSV file", a backend choice (onnx / python / both, as the manifest
 * allows) and a results table, with the parity report when `both` ran. The page runs under a
 * strict CSP (default-src 'none'; one nonce'd script and the stylesheet from media/); all work
 * happens here, in the runner child or the project's Python child, never in the page.
 * Python runs the project's own code, so python and both are offered only in a trusted workspace.
 */
import { randomBytes } from 'node:crypto';
import { webviewPage } from './webview-page';
import * as vscode from 'vscode';
import type { LoadedManifest } from '../core/artifacts/manifest-file';
import type { RunnerClient } from '../core/runner/client';
import type { BackendKind, ParityReport } from '../core/runner/parity';
import type { Predictor, PredictReport } from '../core/runner/predict';
import type { PythonPredictor } from '../core/runner/python-backend';
import { pythonInterpreter } from './python-interpreter';

type FromPage =
  | { type: 'ready' }
  | { type: 'predict'; rows: unknown[]; backend?: BackendKind }
  | { type: 'pickCsv'; backend?: BackendKind }
  | { type: 'backend'; backend: BackendKind };

/** Options of one prediction (the command's third argument; `python` is also the test hook). */
export interface PredictOptions {
  backend?: BackendKind;
  /** The interpreter for python/both; default: the Python extension's selection, else python3. */
  python?: string;
}

/** A prediction report with the backend that produced it and, for `both`, the comparison. */
export type PanelReport = PredictReport & { backend: BackendKind; python?: PredictReport; parity?: ParityReport };

/** Why python/both may be unavailable, shown next to the choice. */
export const PYTHON_BACKEND_NOTE =
  "python and both run the project's own code (they unpickle the model and import its modules) with the selected Python interpreter in a child process, so they are available only in a trusted workspace.";

/** One panel per manifest. */
export class PredictionPanel {
  private static readonly open = new Map<string, PredictionPanel>();
  private predictor: Promise<Predictor> | undefined;
  private python: { interpreter: string; predictor: Promise<PythonPredictor> } | undefined;
  private manifestFile: Promise<LoadedManifest> | undefined;
  private backend: BackendKind | undefined;
  /** The interpreter the command was given (test hook); otherwise asked for at each load. */
  private explicitPython: string | undefined;

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
    const panel = vscode.window.createWebviewPanel(
      'nb2prod.prediction',
      `Test Prediction: ${vscode.workspace.asRelativePath(manifest)}`,
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        localResourceRoots: [media],
        retainContextWhenHidden: true,
      },
    );
    const instance = new PredictionPanel(panel, manifest, client, log);
    PredictionPanel.open.set(manifest.toString(), instance);
    panel.onDidDispose(() => {
      PredictionPanel.open.delete(manifest.toString());
      instance.disposePython();
    });
    panel.webview.onDidReceiveMessage((message: FromPage) => void instance.receive(message));
    panel.webview.html = html(panel.webview, media);
    return instance;
  }

  /** Validates and predicts rows with the chosen backend, shows the results in the page, and resolves to them. */
  async predict(rows: unknown[], options: PredictOptions = {}): Promise<PanelReport | undefined> {
    try {
      if (options.python) this.explicitPython = options.python;
      const { manifest } = await this.loadManifest();
      const { availableBackends, compareBackends, defaultBackend } = require('../core/runner/parity') as typeof import('../core/runner/parity');
      const { reportView } = require('../core/runner/report-view') as typeof import('../core/runner/report-view');
      const backend = options.backend ?? this.backend ?? defaultBackend(manifest);
      if (!availableBackends(manifest).includes(backend))
        throw new Error(`the ${backend} backend is not available for this manifest (it offers ${availableBackends(manifest).join(', ') || 'none'})`);
      if (backend !== 'onnx' && !vscode.workspace.isTrusted) throw new Error(`${backend} is disabled in an untrusted workspace: ${PYTHON_BACKEND_NOTE}`);
      this.backend = backend;
      const onnx = backend !== 'python' ? await (await this.load()).predict(rows) : undefined;
      const python = backend !== 'onnx' ? await (await this.loadPython()).predict(rows) : undefined;
      const parity = onnx && python ? compareBackends(manifest, onnx, python) : undefined;
      const report: PanelReport = { ...(onnx ?? python)!, backend, ...(onnx && python ? { python } : {}), ...(parity ? { parity } : {}) };
      // The page gets counts over every row and a bounded set of rows (a large CSV's report would be tens of MB).
      void this.panel.webview.postMessage({ type: 'result', report: { backend, ...(parity ? { parity } : {}), ...reportView(report.rows) } });
      this.log.info(
        `test prediction (${backend}): ${report.rows.length} rows, ${report.rows.filter((r) => r.status === 'rejected').length} rejected (run ${report.timings.runMs.toFixed(2)} ms)${parity ? `; backends ${parity.ok ? 'agree' : 'DISAGREE'}` : ''}`,
      );
      return report;
    } catch (error) {
      this.fail(error);
      return undefined;
    }
  }

  private loadManifest(): Promise<LoadedManifest> {
    if (!this.manifestFile) {
      const { loadManifest } = require('../core/artifacts/manifest-file') as typeof import('../core/artifacts/manifest-file');
      this.manifestFile = loadManifest(this.manifest.fsPath);
      this.manifestFile.catch(() => (this.manifestFile = undefined));
    }
    return this.manifestFile;
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

  /** The project's Python with the model loaded; restarted when the interpreter changed. */
  private async loadPython(): Promise<PythonPredictor> {
    const interpreter = this.explicitPython ?? (await pythonInterpreter(this.manifest, this.log));
    if (this.python && this.python.interpreter !== interpreter) this.disposePython();
    if (!this.python) {
      const { PythonPredictor } = require('../core/runner/python-backend') as typeof import('../core/runner/python-backend');
      this.log.info(`test prediction: loading the model with the project's Python (${interpreter})`);
      const predictor = PythonPredictor.open(this.manifest.fsPath, { python: interpreter });
      const slot = { interpreter, predictor };
      this.python = slot;
      predictor.catch(() => {
        if (this.python === slot) this.python = undefined;
      });
    }
    return this.python.predictor;
  }

  private disposePython(): void {
    const current = this.python;
    this.python = undefined;
    current?.predictor.then(
      (p) => p.dispose(),
      () => undefined,
    );
  }

  private async receive(message: FromPage): Promise<void> {
    if (message.type === 'ready') {
      try {
        const { manifest } = await this.loadManifest();
        const { availableBackends, defaultBackend } = require('../core/runner/parity') as typeof import('../core/runner/parity');
        const trusted = vscode.workspace.isTrusted;
        const backends = availableBackends(manifest).map((id) => ({ id, enabled: id === 'onnx' || trusted }));
        const selected = this.backend ?? defaultBackend(manifest);
        void this.panel.webview.postMessage({
          type: 'init',
          manifest: vscode.workspace.asRelativePath(this.manifest),
          inputs: manifest.signature.inputs,
          classes: manifest.model.classes,
          task: manifest.model.task,
          example: manifest.golden.rows[0]?.inputs ?? null,
          backends,
          backend: selected,
          backendNote: `${PYTHON_BACKEND_NOTE}${trusted ? '' : ' This workspace is not trusted.'}`,
        });
      } catch (error) {
        this.fail(error);
      }
    } else if (message.type === 'backend') {
      this.backend = message.backend;
    } else if (message.type === 'predict') {
      await this.predict(Array.isArray(message.rows) ? message.rows : [message.rows], message.backend ? { backend: message.backend } : {});
    } else if (message.type === 'pickCsv') {
      const [file] = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Rows: ['csv', 'json', 'jsonl'] }, openLabel: 'Predict' })) ?? [];
      if (!file) return;
      try {
        const { readRowsFile } = require('../core/runner/input-file') as typeof import('../core/runner/input-file');
        await this.predict(await readRowsFile(file.fsPath, (await this.loadManifest()).manifest), message.backend ? { backend: message.backend } : {});
      } catch (error) {
        this.fail(error);
      }
    }
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const details = (error as { details?: unknown } | undefined)?.details;
    this.log.error(`test prediction: ${message}${typeof details === 'string' && details ? `\n${details.trimEnd()}` : ''}`);
    void this.panel.webview.postMessage({ type: 'error', message, ...(typeof details === 'string' && details ? { details } : {}) });
  }
}

function html(webview: vscode.Webview, media: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'prediction-panel.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'prediction-panel.css'));
  const head = { cspSource: webview.cspSource, styleUri: style.toString(), title: 'Test Prediction', script: { uri: script.toString(), nonce } };
  return webviewPage(
    head,
    `<h2 id="title">Test Prediction</h2>
<p id="status" class="muted">Loading the model…</p>
<fieldset id="backend" class="backend" hidden>
  <legend>Backend</legend>
  <span id="backend-choices"></span>
  <p id="backend-note" class="hint"></p>
</fieldset>
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
<pre id="error-details" class="error" hidden></pre>
<section id="parity" hidden></section>
<table id="results"><thead></thead><tbody></tbody></table>`,
  );
}
