/**
 * The commands nb2prod contributes. Their ids and titles are declared in package.json under
 * `contributes.commands`; keep the two in step.
 */
import * as vscode from 'vscode';
import type { NotebookDiagnostics, Target } from './diagnostics';
import { isAnalysableNotebook, isPercentScript } from './notebook-adapter';

/** Command ids, as package.json declares them. */
export const COMMANDS = {
  analyzeNotebook: 'nb2prod.analyzeNotebook',
  showOutput: 'nb2prod.showOutput',
} as const;

/** Registers every command. */
export function registerCommands(diagnostics: NotebookDiagnostics, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.analyzeNotebook, () => analyzeActive(diagnostics, log)),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => log.show(true)),
  ];
}

/**
 * "nb2prod: Analyze Notebook": analyses the active notebook (or percent script) at once,
 * reports the count, and reveals the Problems panel. Resolves to the count, so that tests and
 * other extensions can use the command's result.
 */
async function analyzeActive(diagnostics: NotebookDiagnostics, log: vscode.LogOutputChannel): Promise<number | undefined> {
  const target = activeTarget();
  if (!target) {
    void vscode.window.showInformationMessage('nb2prod: open a Jupyter notebook or a `# %%` Python script to analyse it.');
    return undefined;
  }
  const name = vscode.workspace.asRelativePath(target.document.uri);
  const count = await diagnostics.analyze(target);
  if (count === undefined) {
    log.warn(`Analyze Notebook: ${name} was not analysed (nb2prod.enable is false, it changed during the analysis, or the analysis failed: see above).`);
    return undefined;
  }
  log.info(`Analyze Notebook: ${count} problem${count === 1 ? '' : 's'} in ${name}`);
  vscode.window.setStatusBarMessage(`nb2prod: ${count} problem${count === 1 ? '' : 's'}`, 5000);
  await vscode.commands.executeCommand('workbench.panel.markers.view.focus');
  return count;
}

function activeTarget(): Target | undefined {
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  if (notebook && isAnalysableNotebook(notebook)) return { kind: 'notebook', document: notebook };
  const text = vscode.window.activeTextEditor?.document;
  if (text && isPercentScript(text)) return { kind: 'script', document: text };
  return undefined;
}
