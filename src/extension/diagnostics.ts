/**
 * Runs the core engine on open notebooks and percent-format scripts and publishes the results
 * in one DiagnosticCollection. Runs are debounced per document, and a run whose document
 * changed or closed while it was analysing never publishes over what came after it.
 */
import * as vscode from 'vscode';
import type { Verdict, VerdictInput } from '../core/analysis/verdict';
import type { AnalysedNotebook } from '../core/analysis/analysed-notebook';
import type { Diagnostic as CoreDiagnostic } from '../core/diagnostic';
import type { Notebook } from '../core/notebook/model';
import {
  isAnalysableNotebook,
  isPercentScript,
  notebookDiagnostics,
  scriptDiagnostics,
  toCoreNotebook,
  toCoreScript,
  type Publication,
} from './notebook-adapter';
import { ProjectConfigs } from './project-config';
import { readSettings } from './settings';

/** Something nb2prod analyses: a live Jupyter notebook, or a `.py` file with `# %%` cells. */
export type Target = { kind: 'notebook'; document: vscode.NotebookDocument } | { kind: 'script'; document: vscode.TextDocument };

/**
 * One published analysis, kept for the views drawn from it (quick fixes, the verdict, the
 * dependency lens and graph) so that none of them analyses the notebook a second time.
 */
export interface AnalysisResult {
  target: Target;
  /** `target.document.version` when the analysis ran; positions hold only for that version. */
  version: number;
  /** The core notebook that was analysed (for scripts it carries each cell's file origin). */
  notebook: Notebook;
  /** Every finding, before conversion to VS Code objects, fixes included. */
  diagnostics: CoreDiagnostic[];
  analysed: AnalysedNotebook;
  /** The reproducibility verdict the engine computed with the findings. */
  verdict: Verdict;
  /** The hidden-state findings behind it, whatever the rule selection (the graph's stale cells). */
  hiddenState: VerdictInput[];
}

/** The engine, loaded on first analysis so that activation never pays for tree-sitter. */
type Engine = typeof import('../core/engine');

let enginePromise: Promise<Engine> | undefined;

function loadEngine(): Promise<Engine> {
  // require() at first use, not import at the top: esbuild then wraps the engine so that it is
  // evaluated only here, and activation never pays for it.
  enginePromise ??= new Promise<Engine>((resolve) => resolve(require('../core/engine') as Engine));
  // A failed load (a broken install) is retried on the next analysis instead of cached forever.
  enginePromise.catch(() => (enginePromise = undefined));
  return enginePromise;
}

/** Publishes nb2prod's diagnostics for every analysed document. */
export class NotebookDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('nb2prod');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Bumped by every run and every close; a run publishes only if it is still the latest. */
  private readonly generations = new Map<string, number>();
  /** The URIs each target published to, so that deleted cells lose their diagnostics. */
  private readonly published = new Map<string, vscode.Uri[]>();
  private readonly results = new Map<string, AnalysisResult>();
  private readonly analyzed = new vscode.EventEmitter<AnalysisResult>();
  private readonly forgotten = new vscode.EventEmitter<vscode.Uri>();
  /** The project configuration files, under the user's settings; a change to one re-analyses. */
  private readonly configs: ProjectConfigs;
  /** Fires after each analysis is published. */
  readonly onDidAnalyze = this.analyzed.event;
  /** Fires when a document's results are withdrawn (closed, disabled, no longer analysable). */
  readonly onDidForget = this.forgotten.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.configs = new ProjectConfigs(log);
    this.configs.onDidChange(() => this.analyzeAllOpen());
  }

  /** Analyses `target` after `nb2prod.analyzeDelay` ms, restarting the wait on every call. */
  schedule(target: Target, delay = readSettings().analyzeDelay): void {
    const key = target.document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.analyze(target);
      }, delay),
    );
  }

  /**
   * Analyses `target` now and publishes the result. Resolves to the number of diagnostics
   * published, or undefined when nothing was published (disabled, superseded or failed).
   * Never rejects: errors are logged, because they must not surface inside the host.
   */
  async analyze(target: Target): Promise<number | undefined> {
    const key = target.document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    const settings = readSettings();
    if (!settings.enable) {
      this.unpublish(key);
      return undefined;
    }
    const version = target.document.version;
    const started = performance.now();
    try {
      const { notebook, convert } = this.snapshot(target);
      const engine = await loadEngine();
      const project = this.configs.optionsFor(target.document.uri, settings.options);
      if (project.excluded) {
        this.unpublish(key);
        return 0;
      }
      const { diagnostics, analysed, verdict, hiddenState } = await engine.analyzeNotebookFull(notebook, project.options);
      if (this.generations.get(key) !== generation) return undefined;
      if (target.document.version !== version) {
        // Edited while analysing: these positions may be off, and a newer run is due anyway.
        this.schedule(target);
        return undefined;
      }
      const count = this.publish(key, convert(diagnostics));
      const result: AnalysisResult = { target, version, notebook, diagnostics, analysed, verdict, hiddenState };
      this.results.set(key, result);
      this.analyzed.fire(result);
      this.log.debug(`${describe(target)}: ${count} diagnostics in ${Math.round(performance.now() - started)} ms`);
      return count;
    } catch (error) {
      this.log.error(`analysis of ${describe(target)} failed:`, error instanceof Error ? (error.stack ?? error.message) : String(error));
      return undefined;
    }
  }

  /** Stops pending work for a closed (or no longer analysable) document and clears its diagnostics. */
  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.unpublish(key);
  }

  /** The latest published analysis of a notebook or script, if any. */
  latest(uri: vscode.Uri): AnalysisResult | undefined {
    return this.results.get(uri.toString());
  }

  /** Re-analyses every open notebook and percent script, e.g. after a settings change. */
  analyzeAllOpen(): void {
    for (const target of openTargets()) this.schedule(target, 0);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.collection.dispose();
    this.configs.dispose();
    this.analyzed.dispose();
    this.forgotten.dispose();
  }

  /** Converts the document now, before any await, so that the result matches one version of it. */
  private snapshot(target: Target): { notebook: Notebook; convert: (d: CoreDiagnostic[]) => Publication[] } {
    if (target.kind === 'notebook') {
      const notebook = toCoreNotebook(target.document);
      return { notebook, convert: (d) => notebookDiagnostics(target.document, d, this.extensionUri) };
    }
    const notebook = toCoreScript(target.document);
    return { notebook, convert: (d) => scriptDiagnostics(target.document, notebook, d, this.extensionUri) };
  }

  private publish(key: string, publications: Publication[]): number {
    const previous = this.published.get(key) ?? [];
    const next = new Set(publications.map((p) => p.uri.toString()));
    for (const uri of previous) if (!next.has(uri.toString())) this.collection.delete(uri);
    for (const { uri, diagnostics } of publications) this.collection.set(uri, diagnostics);
    this.published.set(
      key,
      publications.map((p) => p.uri),
    );
    return publications.reduce((sum, p) => sum + p.diagnostics.length, 0);
  }

  private unpublish(key: string): void {
    for (const uri of this.published.get(key) ?? []) this.collection.delete(uri);
    this.published.delete(key);
    const result = this.results.get(key);
    if (result) {
      this.results.delete(key);
      this.forgotten.fire(result.target.document.uri);
    }
  }
}

/** Every open document nb2prod analyses. */
export function openTargets(): Target[] {
  return [
    ...vscode.workspace.notebookDocuments.filter(isAnalysableNotebook).map((document) => ({ kind: 'notebook', document }) as const),
    ...vscode.workspace.textDocuments.filter(isPercentScript).map((document) => ({ kind: 'script', document }) as const),
  ];
}

function describe(target: Target): string {
  return vscode.workspace.asRelativePath(target.document.uri);
}
