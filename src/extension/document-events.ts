/**
 * Which editor events trigger analysis. Notebooks are re-analysed on content edits AND on
 * execution-summary changes, because execution-order rules read the stored execution counts.
 */
import * as vscode from 'vscode';
import type { NotebookDiagnostics } from './diagnostics';
import { isAnalysableNotebook, isPercentScript } from './notebook-adapter';

/** Subscribes `diagnostics` to notebook, text document and configuration events. */
export function watchDocuments(diagnostics: NotebookDiagnostics): vscode.Disposable[] {
  return [
    vscode.workspace.onDidOpenNotebookDocument((document) => {
      if (isAnalysableNotebook(document)) diagnostics.schedule({ kind: 'notebook', document }, 0);
    }),
    vscode.workspace.onDidChangeNotebookDocument((event) => {
      if (!isAnalysableNotebook(event.notebook)) return;
      // Output-only and metadata-only changes cannot change any finding; skip them so that a
      // long-running cell streaming output does not keep the analysis busy.
      const relevant =
        event.contentChanges.length > 0 || event.cellChanges.some((change) => change.document !== undefined || change.executionSummary !== undefined);
      if (relevant) diagnostics.schedule({ kind: 'notebook', document: event.notebook });
    }),
    vscode.workspace.onDidCloseNotebookDocument((document) => diagnostics.forget(document.uri)),

    vscode.workspace.onDidOpenTextDocument((document) => {
      if (isPercentScript(document)) diagnostics.schedule({ kind: 'script', document }, 0);
    }),
    vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
      if (contentChanges.length === 0) return;
      // A script that loses its last `# %%` marker is no longer a notebook: drop its results.
      if (isPercentScript(document)) diagnostics.schedule({ kind: 'script', document });
      else if (document.uri.scheme === 'file' || document.uri.scheme === 'untitled') diagnostics.forget(document.uri);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.uri.scheme === 'file' || document.uri.scheme === 'untitled') diagnostics.forget(document.uri);
    }),

    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('nb2prod')) diagnostics.analyzeAllOpen();
    }),
  ];
}
