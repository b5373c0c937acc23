/**
 * nb2prod's VS Code entry point: thin glue around the core engine. Everything heavy (the core,
 * tree-sitter) loads at the first analysis, so activation only creates listeners.
 */
import * as vscode from 'vscode';
import { registerCodeActions } from './code-actions';
import { registerCommands } from './commands';
import { registerDependencyGraph } from './dependency-graph';
import { registerDependencyLens } from './dependency-lens';
import { NotebookDiagnostics } from './diagnostics';
import { watchDocuments } from './document-events';
import { registerScaffoldCommand } from './scaffold-command';
import { registerCodegenCommand } from './codegen-command';
import { registerRunner } from './runner-commands';
import { registerVerdictStatus } from './verdict-status';
import { registerDriftReport } from './drift-report';
import { registerRegistryView } from './registry-view';

/** What `activate` returns; tests read it through `vscode.extensions.getExtension(...).exports`. */
export interface Nb2prodApi {
  /** How long `activate` itself took, in milliseconds (module loading excluded). */
  activationMs: number;
}

/** Creates the output channel, the diagnostics publisher, the event listeners and the commands. */
export function activate(context: vscode.ExtensionContext): Nb2prodApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('nb2prod', { log: true });
  const diagnostics = new NotebookDiagnostics(context.extensionUri, log);
  context.subscriptions.push(
    log,
    diagnostics,
    ...watchDocuments(diagnostics),
    ...registerCommands(diagnostics, log),
    ...registerScaffoldCommand(log),
    ...registerCodegenCommand(log),
  );
  // Views drawn from each published analysis: quick fixes, the verdict, the dependency lens and graph.
  context.subscriptions.push(
    ...registerCodeActions(diagnostics, context.extensionUri, log),
    ...registerVerdictStatus(diagnostics, log),
    ...registerDependencyLens(diagnostics),
    ...registerDependencyGraph(diagnostics, context.extensionUri),
  );
  // Artifact verification, test predictions and their status item (inference runs in a child process, started on first use).
  context.subscriptions.push(...registerRunner(context, log));
  // Monitoring: the drift report webview and the model registry view (the monitor core loads on first use).
  context.subscriptions.push(...registerDriftReport(context.extensionUri, log), ...registerRegistryView());
  // Documents already open when the extension activates (the one that activated it included).
  diagnostics.analyzeAllOpen();
  const activationMs = performance.now() - started;
  log.info(`nb2prod ${String(context.extension.packageJSON.version)} activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs };
}

/** Nothing to do: everything created in `activate` is disposed through `context.subscriptions`. */
export function deactivate(): void {}
