/**
 * "nb2prod: Scaffold Production Project": plans the project for a notebook, shows the plan (one
 * QuickPick item per new or changed file; picking one opens a diff of the planned content), and
 * writes only after the user accepts, asking again before replacing existing files. Refuses in
 * an untrusted workspace. The scaffold module loads at the first run, not at activation.
 *
 * Test hook: called with `ScaffoldHookArguments` (`{ notebook, target, accept, acceptOverwrites? }`)
 * instead of a notebook, the command asks nothing: `target` stands in for the folder dialog,
 * `accept` for picking "Write" in the plan preview, `acceptOverwrites` for "Replace" in the
 * overwrite prompt (default false: existing files that differ are kept). Everything else is the
 * interactive path: the same plan, the same preview items and diff documents, the same write.
 * Either way the command resolves to a `ScaffoldSummary`.
 */
import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import type * as Scaffold from '../core/scaffold';
import type { Notebook } from '../core/notebook/model';
import { isAnalysableNotebook, toCoreNotebook } from './notebook-adapter';

/** The command id, as package.json declares it. */
export const SCAFFOLD_COMMAND = 'nb2prod.scaffoldProject';
const SCHEME = 'nb2prod-scaffold';

/** Arguments that stand in for the dialogs (tests and automation; see the file comment). */
export interface ScaffoldHookArguments {
  /** The notebook to scaffold (a file, or an open notebook's URI). */
  notebook: vscode.Uri;
  /** The folder to write into, instead of the folder dialog. */
  target: vscode.Uri;
  /** Whether the plan preview is accepted (as picking "Write"). */
  accept: boolean;
  /** Whether existing files that differ may be replaced (as "Replace"); default false. */
  acceptOverwrites?: boolean;
}

/** One file as the plan preview shows it, with the URIs its diff opens (as strings). */
export interface ScaffoldPreviewItem {
  path: string;
  kind: Scaffold.FileChangeKind;
  label: string;
  /** The left side of the diff: what is on disk now (empty for a new file). */
  currentUri: string;
  /** The right side of the diff: the planned content. */
  plannedUri: string;
}

/** What a run of the command did. */
export interface ScaffoldSummary {
  /** written; declined (the plan was not accepted); overwritesDeclined (nothing written because replacing was refused); failed (no plan). */
  outcome: 'written' | 'declined' | 'overwritesDeclined' | 'failed';
  notebook: string;
  target: string;
  /** Every planned file and what applying it does. */
  planned: { path: string; kind: Scaffold.FileChangeKind }[];
  /** The new or changed files the preview listed. */
  preview: ScaffoldPreviewItem[];
  /** Existing files that differ from the plan. */
  overwrites: string[];
  /** Paths written (relative to `target`). */
  written: string[];
  fixed: string[];
  review: string[];
  /** Why no plan could be made (outcome `failed`). */
  problems: string[];
}

/** True for the hook's argument object (as opposed to an Explorer URI or a toolbar context). */
function isHookArguments(argument: unknown): argument is ScaffoldHookArguments {
  const a = argument as Partial<ScaffoldHookArguments> | undefined;
  return typeof a === 'object' && a !== null && a.notebook instanceof vscode.Uri && a.target instanceof vscode.Uri && typeof a.accept === 'boolean';
}

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

async function scaffoldProject(argument: unknown, content: PlannedContent, log: vscode.LogOutputChannel): Promise<ScaffoldSummary | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('nb2prod: scaffolding writes files and the project runs Python; trust this workspace first.');
    return undefined;
  }
  const hook = isHookArguments(argument) ? argument : undefined;
  const source = await notebookFor(hook ? hook.notebook : argument);
  if (source === undefined) {
    void vscode.window.showInformationMessage('nb2prod: open a Jupyter notebook, or run this command on a .ipynb file in the Explorer.');
    return undefined;
  }
  const [folder] = hook
    ? [hook.target]
    : ((await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        openLabel: 'Scaffold Here',
        title: 'Folder for the production project',
        defaultUri: vscode.Uri.file(dirname(source.uri.fsPath)),
      })) ?? []);
  if (folder === undefined) return undefined;

  // require() at first use so that activation never loads the planner and its templates.
  const scaffold = require('../core/scaffold') as typeof Scaffold;
  const result = await scaffold.planNotebook(source.notebook, { notebookName: basename(source.uri.fsPath) }, (paths) =>
    scaffold.readExisting(folder.fsPath, paths),
  );
  const summary: ScaffoldSummary = {
    outcome: 'failed',
    notebook: source.uri.toString(),
    target: folder.toString(),
    planned: result.changes.map(({ path, kind }) => ({ path, kind })),
    preview: [],
    overwrites: scaffold.conflicts(result.changes).map((c) => c.path),
    written: [],
    fixed: result.report.fixed,
    review: result.report.review,
    problems: result.report.problems,
  };
  if (!result.ok) {
    log.warn(`Scaffold: cannot scaffold ${source.uri.fsPath}:\n${result.report.problems.join('\n')}`);
    if (!hook)
      void vscode.window.showErrorMessage(`nb2prod: cannot scaffold this notebook. ${result.report.problems[0] ?? ''}`, {
        modal: true,
        detail: result.report.problems.slice(1).join('\n'),
      });
    return summary;
  }
  content.set(result.changes);
  for (const line of [...result.report.fixed.map((f) => `fixed: ${f}`), ...result.report.review.map((r) => `review: ${r}`)]) log.info(`Scaffold: ${line}`);
  const items = planItems(result.changes, folder, content);
  summary.preview = items.flatMap((item) => (item.preview ? [item.preview] : []));
  const accepted = hook ? hook.accept : await previewPlan(items, result.changes.length);
  if (!accepted) return { ...summary, outcome: 'declined' };

  const overwrites = summary.overwrites;
  if (overwrites.length > 0) {
    const replace = hook
      ? hook.acceptOverwrites === true
      : (await vscode.window.showWarningMessage(
          `Replace ${overwrites.length} existing file${overwrites.length === 1 ? '' : 's'} that differ?`,
          { modal: true, detail: overwrites.join('\n') },
          'Replace',
        )) === 'Replace';
    if (!replace) {
      log.info(`Scaffold: kept ${overwrites.length} existing file(s) in ${folder.fsPath}; nothing written`);
      return { ...summary, outcome: 'overwritesDeclined' };
    }
  }
  const written = scaffold.writePlan(folder.fsPath, result.changes, { force: overwrites.length > 0 });
  log.info(`Scaffold: wrote ${written.length} files to ${folder.fsPath}`);
  if (!hook) {
    const readme = vscode.Uri.joinPath(folder, 'README.md');
    void vscode.window
      .showInformationMessage(`nb2prod: wrote ${written.length} files. ${result.report.review.length} item(s) to review in README.md.`, 'Open README')
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('markdown.showPreview', readme);
      });
  }
  return { ...summary, outcome: 'written', written };
}

interface PlanItem extends vscode.QuickPickItem {
  action: 'write' | 'diff';
  change?: Scaffold.FileChange;
  /** For file items: what the hook's summary reports about them. */
  preview?: ScaffoldPreviewItem;
  /** For file items: opens the diff of current and planned content. */
  openDiff?: () => Thenable<unknown>;
}

/** The preview's items: "Write N files", then one item per new or changed file with its diff. */
function planItems(changes: readonly Scaffold.FileChange[], folder: vscode.Uri, content: PlannedContent): PlanItem[] {
  const shown = changes.filter((c) => c.kind !== 'unchanged');
  const icon = { create: '$(new-file)', overwrite: '$(diff)', unchanged: '$(check)' } as const;
  return [
    { label: `$(check) Write ${shown.length} file${shown.length === 1 ? '' : 's'}`, description: folder.fsPath, action: 'write' },
    { label: 'Files', kind: vscode.QuickPickItemKind.Separator, action: 'diff' },
    ...shown.map((change): PlanItem => {
      const { path, kind } = change;
      const current = content.uri('current', path);
      const planned = content.uri('planned', path);
      const label = `${icon[kind]} ${path}`;
      return {
        label,
        description: kind === 'create' ? 'new' : 'changed',
        action: 'diff',
        change,
        preview: { path, kind, label, currentUri: current.toString(), plannedUri: planned.toString() },
        openDiff: () =>
          vscode.commands.executeCommand('vscode.diff', current, planned, `${path} (${kind === 'create' ? 'new' : 'planned'})`, {
            preview: true,
            preserveFocus: true,
          }),
      };
    }),
  ];
}

/** Shows the plan; resolves true when the user accepts it. Picking a file opens its diff. */
function previewPlan(items: PlanItem[], total: number): Promise<boolean> {
  const shown = items.filter((i) => i.change !== undefined).length;
  const pick = vscode.window.createQuickPick<PlanItem>();
  pick.title = `nb2prod: production project (${total - shown} unchanged)`;
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
      } else if (item?.openDiff) {
        void item.openDiff();
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
  const uri =
    argument instanceof vscode.Uri ? argument : (argument as { notebookEditor?: { notebookUri?: vscode.Uri } } | undefined)?.notebookEditor?.notebookUri;
  // An open notebook is planned from its live content (unsaved edits included).
  const open =
    vscode.workspace.notebookDocuments.find((d) => uri !== undefined && d.uri.toString() === uri.toString()) ??
    (uri === undefined ? vscode.window.activeNotebookEditor?.notebook : undefined);
  if (open !== undefined && isAnalysableNotebook(open)) return { uri: open.uri, notebook: toCoreNotebook(open) };
  if (uri === undefined || uri.scheme !== 'file') return undefined;
  const { loadNotebookFile } = require('../core/notebook') as typeof import('../core/notebook');
  return { uri, notebook: await loadNotebookFile(uri.fsPath) };
}
