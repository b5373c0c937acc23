/**
 * "nb2prod: Show Cell Dependency Graph" opens (or reuses) one webview beside the notebook that
 * draws its cell graph, redrawn after each analysis of that notebook; "nb2prod: Copy Cell
 * Dependency Graph as Mermaid" puts the same graph on the clipboard. The page itself is built by
 * dependency-graph-view.ts, loaded at the first use.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { AnalysisResult, NotebookDiagnostics } from './diagnostics';
import { dependenciesOf, REVEAL_CELL_COMMAND } from './dependency-lens';
import { isAnalysableNotebook, isPercentScript } from './notebook-adapter';

/** Command ids, as package.json declares them. */
export const GRAPH_COMMANDS = {
  show: 'nb2prod.showDependencyGraph',
  copyMermaid: 'nb2prod.copyDependencyMermaid',
} as const;

/** The webview panel's type. */
export const GRAPH_VIEW_TYPE = 'nb2prod.dependencyGraph';

/** What the show command resolves to: a description of the panel it shows (a test hook). */
export interface GraphShown {
  viewType: string;
  title: string;
  /** The notebook drawn. */
  uri: string;
  nodes: number;
  edges: number;
  /** The page, as set on the webview. */
  html: string;
}

type View = typeof import('./dependency-graph-view');

/** Registers both commands; the panel is created on first use. */
export function registerDependencyGraph(diagnostics: NotebookDiagnostics, extensionUri: vscode.Uri): vscode.Disposable[] {
  const graph = new DependencyGraphPanel(diagnostics, extensionUri);
  return [
    vscode.commands.registerCommand(GRAPH_COMMANDS.show, (argument?: unknown) => graph.show(argument)),
    vscode.commands.registerCommand(GRAPH_COMMANDS.copyMermaid, (uri?: unknown) => graph.copyMermaid(uri)),
    diagnostics.onDidAnalyze((result) => graph.redraw(result)),
    graph,
  ];
}

class DependencyGraphPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private uri: vscode.Uri | undefined;

  constructor(
    private readonly diagnostics: NotebookDiagnostics,
    private readonly extensionUri: vscode.Uri,
  ) {}

  /** Shows the graph of the notebook the command was run on (toolbar) or of the active one. */
  async show(argument: unknown): Promise<GraphShown | undefined> {
    // With the graph itself focused there is no active notebook: redraw the one it shows.
    const uri = targetUri(argument) ?? this.uri;
    if (!uri) {
      void vscode.window.showInformationMessage('nb2prod: open a Jupyter notebook or a `# %%` Python script to see its cell dependencies.');
      return undefined;
    }
    // The first command may come before the first analysis finished: run it now.
    const result = this.diagnostics.latest(uri) ?? (await this.analyzeNow(uri));
    if (!result) {
      void vscode.window.showWarningMessage('nb2prod: this notebook has not been analysed (is `nb2prod.enable` off?).');
      return undefined;
    }
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        GRAPH_VIEW_TYPE,
        'Cell Dependencies',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        // No scripts: the page's links run exactly these two commands, and only media/ loads.
        { enableScripts: false, enableCommandUris: [REVEAL_CELL_COMMAND, GRAPH_COMMANDS.copyMermaid], localResourceRoots: [media] },
      );
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.uri = undefined;
      });
    } else {
      this.panel.reveal(undefined, true);
    }
    this.uri = uri;
    return this.render(this.panel, result);
  }

  /** Redraws the open panel after its notebook was analysed again. */
  redraw(result: AnalysisResult): void {
    if (this.panel && this.uri?.toString() === result.target.document.uri.toString()) this.render(this.panel, result);
  }

  /**
   * Copies the graph of a notebook as Mermaid: the one given (the page's button passes its URI),
   * else the active one, else the one the panel shows. Resolves to the text copied.
   */
  async copyMermaid(argument: unknown): Promise<string | undefined> {
    const uri = (typeof argument === 'string' ? vscode.Uri.parse(argument) : targetUri(argument)) ?? this.uri;
    const result = uri && this.diagnostics.latest(uri);
    if (!result) {
      void vscode.window.showInformationMessage('nb2prod: open an analysed Jupyter notebook to copy its dependency graph.');
      return undefined;
    }
    const { dependencyMermaid } = require('../core/analysis/dependencies') as typeof import('../core/analysis/dependencies');
    const text = dependencyMermaid(result.analysed);
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage('nb2prod: dependency graph copied as Mermaid', 4000);
    return text;
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private async analyzeNow(uri: vscode.Uri): Promise<AnalysisResult | undefined> {
    const notebook = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === uri.toString());
    const script = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (notebook) await this.diagnostics.analyze({ kind: 'notebook', document: notebook });
    else if (script) await this.diagnostics.analyze({ kind: 'script', document: script });
    return this.diagnostics.latest(uri);
  }

  private render(panel: vscode.WebviewPanel, result: AnalysisResult): GraphShown {
    const view = require('./dependency-graph-view') as View;
    const uri = result.target.document.uri;
    const name = basename(uri.path);
    const model = view.graphModel(name, result.analysed, result.hiddenState, dependenciesOf(result).values());
    const link = (command: string, args: unknown[]): string => `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
    const style = panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'dependency-graph.css'));
    const html = view.renderPage(model, {
      cspSource: panel.webview.cspSource,
      styleUri: style.toString(),
      revealLink: (cell) => link(REVEAL_CELL_COMMAND, [uri.toString(), [{ cell, names: [] }]]),
      copyMermaidLink: link(GRAPH_COMMANDS.copyMermaid, [uri.toString()]),
    });
    panel.title = `Cell Dependencies: ${name}`;
    panel.webview.html = html;
    return { viewType: panel.viewType, title: panel.title, uri: uri.toString(), nodes: model.nodes.length, edges: model.edges.length, html };
  }
}

/** The notebook a command is about: a URI, the notebook toolbar's context, or the active editor. */
function targetUri(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  const fromToolbar = (argument as { notebookEditor?: { notebookUri?: unknown } } | undefined)?.notebookEditor?.notebookUri;
  if (fromToolbar instanceof vscode.Uri) return fromToolbar;
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  if (notebook && isAnalysableNotebook(notebook)) return notebook.uri;
  const text = vscode.window.activeTextEditor?.document;
  return text && isPercentScript(text) ? text.uri : undefined;
}
