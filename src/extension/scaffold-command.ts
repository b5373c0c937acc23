/**
 * "nb2prod: Scaffold Production Project": plans the project for a notebook, shows the plan (one
 * QuickPick item per new or changed file; picking one opens a diff of the planned content), and
 * writes only after the user accepts, asking again before replacing existing files. Refuses in
 * an untrusted workspace. The scaffold module loads at the first run, not at activation.
 */
import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import type * as Scaffold from '../core/scaffold';
import type { Notebook } from '../core/notebook/model';
import { isAnalysableNotebook, toCoreNotebook } from './notebook-adapter';

/** The command id, as package.json declares it. */
export const SCAFFOLD_COMMAND = 'nb2prod.scaffoldProject';
const SCHEME = 'nb2prod-scaffold';

/** Planned and current file contents, served as read-only documents for `vscode.diff`. */
class PlannedContent implements vscode.TextDocumentContentProvider {
  private files = new Map<string, string>();

  set(changes: readonly Scaffold.FileChange[]): void {
    this.files = new Map();
    for (const change of changes) {
      this.files.set(`/planned/${change.path}`, change.content);
      this.files.set(`/current/${change.path}`, change.previous ?? '');
    }
  }

  uri(side: 'planned' | 'current', path: string): vscode.Uri {
    return vscode.Uri.from({ scheme: SCHEME, path: `/${side}/${path}` });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.files.get(uri.path) ?? '';
  }
}

/** Registers the command and the virtual documents its diffs show. */
export function registerScaffoldCommand(log: vscode.LogOutputChannel): vscode.Disposable[] {
  const content = new PlannedContent();
  return [
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, content),
    vscode.commands.registerCommand(SCAFFOLD_COMMAND, (target?: unknown) => scaffoldProject(target, content, log)),
  ];
}

async function scaffoldProject(argument: unknown, content: PlannedContent, log: vscode.LogOutputChannel): Promise<string[] | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('nb2prod: scaffolding writes files and the project runs Python; trust this workspace first.');
    return undefined;
  }
  const source = await notebookFor(argument);
  if (source === undefined) {
    void vscode.window.showInformationMessage('nb2prod: open a Jupyter notebook, or run this command on a .ipynb file in the Explorer.');
    return undefined;
  }
  const [folder] =
    (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Scaffold Here', title: 'Folder for the production project', defaultUri: vscode.Uri.file(dirname(source.uri.fsPath)) })) ?? [];
  if (folder === undefined) return undefined;

  // require() at first use so that activation never loads the planner and its templates.
  const scaffold = require('../core/scaffold') as typeof Scaffold;
  const result = await scaffold.planNotebook(source.notebook, { notebookName: basename(source.uri.fsPath) }, (paths) => scaffold.readExisting(folder.fsPath, paths));
  if (!result.ok) {
    log.warn(`Scaffold: cannot scaffold ${source.uri.fsPath}:\n${result.report.problems.join('\n')}`);
    void vscode.window.showErrorMessage(`nb2prod: cannot scaffold this notebook. ${result.report.problems[0] ?? ''}`, { modal: true, detail: result.report.problems.slice(1).join('\n') });
    return undefined;
  }
  content.set(result.changes);
  for (const line of [...result.report.fixed.map((f) => `fixed: ${f}`), ...result.report.review.map((r) => `review: ${r}`)]) log.info(`Scaffold: ${line}`);
  const accepted = await previewPlan(result.changes, folder, content);
  if (!accepted) return undefined;

  const overwrites = scaffold.conflicts(result.changes).map((c) => c.path);
  if (overwrites.length > 0) {
    const answer = await vscode.window.showWarningMessage(`Replace ${overwrites.length} existing file${overwrites.length === 1 ? '' : 's'} that differ?`, { modal: true, detail: overwrites.join('\n') }, 'Replace');
    if (answer !== 'Replace') return undefined;
  }
  const written = scaffold.writePlan(folder.fsPath, result.changes, { force: overwrites.length > 0 });
  log.info(`Scaffold: wrote ${written.length} files to ${folder.fsPath}`);
  const readme = vscode.Uri.joinPath(folder, 'README.md');
  void vscode.window.showInformationMessage(`nb2prod: wrote ${written.length} files. ${result.report.review.length} item(s) to review in README.md.`, 'Open README').then((choice) => {
    if (choice) void vscode.commands.executeCommand('markdown.showPreview', readme);
  });
  return written;
}

interface PlanItem extends vscode.QuickPickItem {
  action: 'write' | 'diff';
  change?: Scaffold.FileChange;
}

/** Shows the plan; resolves true when the user accepts it. Picking a file opens its diff. */
function previewPlan(changes: readonly Scaffold.FileChange[], folder: vscode.Uri, content: PlannedContent): Promise<boolean> {
  const shown = changes.filter((c) => c.kind !== 'unchanged');
  const icon = { create: '$(new-file)', overwrite: '$(diff)', unchanged: '$(check)' } as const;
  const items: PlanItem[] = [
    { label: `$(check) Write ${shown.length} file${shown.length === 1 ? '' : 's'}`, description: folder.fsPath, action: 'write' },
    { label: 'Files', kind: vscode.QuickPickItemKind.Separator, action: 'diff' },
    ...shown.map((change): PlanItem => ({ label: `${icon[change.kind]} ${change.path}`, description: change.kind === 'create' ? 'new' : 'changed', action: 'diff', change })),
  ];
  const pick = vscode.window.createQuickPick<PlanItem>();
  pick.title = `nb2prod: production project (${changes.length - shown.length} unchanged)`;
  pick.placeholder = 'Pick a file to see its diff; pick "Write" to create the project';
  pick.items = items;
  pick.ignoreFocusOut = true;
  return new Promise<boolean>((resolve) => {
    let done = false;
    pick.onDidAccept(() => {
      const [item] = pick.selectedItems;
      if (item?.action === 'write') {
        done = true;
        resolve(true);
        pick.hide();
      } else if (item?.change) {
        const { path, kind } = item.change;
        void vscode.commands.executeCommand('vscode.diff', content.uri('current', path), content.uri('planned', path), `${path} (${kind === 'create' ? 'new' : 'planned'})`, { preview: true, preserveFocus: true });
      }
    });
    pick.onDidHide(() => {
      pick.dispose();
      if (!done) resolve(false);
    });
    pick.show();
  });
}

/** The notebook the command runs on: an Explorer .ipynb, the toolbar's notebook, or the active one. */
async function notebookFor(argument: unknown): Promise<{ uri: vscode.Uri; notebook: Notebook } | undefined> {
  const uri = argument instanceof vscode.Uri ? argument : (argument as { notebookEditor?: { notebookUri?: vscode.Uri } } | undefined)?.notebookEditor?.notebookUri;
  // An open notebook is planned from its live content (unsaved edits included).
  const open = vscode.workspace.notebookDocuments.find((d) => uri !== undefined && d.uri.toString() === uri.toString()) ?? (uri === undefined ? vscode.window.activeNotebookEditor?.notebook : undefined);
  if (open !== undefined && isAnalysableNotebook(open)) return { uri: open.uri, notebook: toCoreNotebook(open) };
  if (uri === undefined || uri.scheme !== 'file') return undefined;
  const { loadNotebookFile } = require('../core/notebook') as typeof import('../core/notebook');
  return { uri, notebook: await loadNotebookFile(uri.fsPath) };
}
