/** Shared steps of the integration suites: opening fixtures, polling for diagnostics, settings. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** The extension's id, `publisher.name` from package.json. */
export const EXTENSION_ID = 'nb2prod.nb2prod';

/** A fixture file in the workspace folder (a scratch copy of test/fixtures/host). */
export function fixtureUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite must run with the host fixtures as its workspace folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

/**
 * Opens a fixture notebook in an editor and returns it once that editor is the active one.
 * Under code-server, `showNotebookDocument` sometimes resolves only after its output webview's
 * service worker gives up (~20-30 s) although the editor is active at once, so the editor
 * becoming active is what is waited for.
 */
export async function openNotebook(name: string): Promise<vscode.NotebookDocument> {
  const document = await vscode.workspace.openNotebookDocument(fixtureUri(name));
  const shown = vscode.window.showNotebookDocument(document).then(() => undefined);
  await Promise.race([shown, eventually(() => assert.equal(vscode.window.activeNotebookEditor?.notebook, document), 10_000)]);
  return document;
}

/**
 * Opens a fixture notebook the way the user does (through the workbench, not the extension
 * API). Notebooks opened through `openNotebookDocument` stay open for minutes after their
 * editor closes, because the API keeps a reference to them; these close with their editor.
 */
export async function openNotebookInEditor(name: string): Promise<vscode.NotebookDocument> {
  const uri = fixtureUri(name);
  void vscode.commands.executeCommand('vscode.openWith', uri, 'jupyter-notebook');
  return eventually(() => {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    assert.equal(notebook?.uri.toString(), uri.toString());
    return notebook!;
  }, 10_000);
}

/** nb2prod's diagnostics on one document (other extensions may publish too). */
export function nb2prodDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'nb2prod');
}

/** The rule code of a diagnostic published with a `{value, target}` code. */
export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** `[line, character, line, character]`, for assertions that print readably. */
export function rangeOf(range: vscode.Range): [number, number, number, number] {
  return [range.start.line, range.start.character, range.end.line, range.end.character];
}

/**
 * Polls `probe` until it returns without throwing, and returns its value; after `timeoutMs`
 * rethrows the last assertion error, so a failure says what was last seen.
 */
export async function eventually<T>(probe: () => T | Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the cell at `index` carries exactly `codes` (in order) from nb2prod. */
export function cellCodes(notebook: vscode.NotebookDocument, index: number, codes: string[], timeoutMs?: number): Promise<vscode.Diagnostic[]> {
  return eventually(() => {
    const found = nb2prodDiagnostics(notebook.cellAt(index).document.uri);
    assert.deepEqual(found.map(codeOf), codes, `codes on cell ${index}`);
    return found;
  }, timeoutMs);
}

/** Sets an `nb2prod.*` setting for the workspace; `undefined` removes it. */
export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('nb2prod').update(key, value, vscode.ConfigurationTarget.Workspace);
}

/**
 * Closes every editor. Dirty notebooks are saved first so that no save prompt can block the
 * run: the workspace is a scratch copy of the fixtures, and reverting would need each notebook
 * shown again, which is slow under code-server (see `openNotebook`).
 */
export async function closeAllEditors(): Promise<void> {
  for (const notebook of vscode.workspace.notebookDocuments) if (notebook.isDirty) await notebook.save();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Runs `probe` (an API command on a cell, such as `vscode.executeCodeActionProvider`) once the
 * workbench holds the cell's text model. The workbench creates it when the cell is rendered,
 * which can lag behind the extension host's view of the notebook (seconds on a loaded machine);
 * until then such commands fail with "Illegal argument". Showing the cell's editor creates it.
 * That request is not awaited: under code-server it can resolve long after the model exists
 * (see `openNotebook`), and the probe is what tells when the model is there.
 */
export async function onCellModel<T>(cell: vscode.NotebookCell, probe: () => Thenable<T>, timeoutMs = 20_000): Promise<T> {
  // The cell's text model may be released again before the probe runs (the notebook scrolls, an
  // editor closes): ask for it again, at most once a second, for as long as the probe fails.
  let shownAt = 0;
  return eventually(async () => {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() - shownAt >= 1_000) {
        shownAt = Date.now();
        vscode.window.showTextDocument(cell.document, { preserveFocus: true }).then(undefined, () => undefined);
      }
      throw error;
    }
  }, timeoutMs);
}

/**
 * A stand-in kernel: a notebook controller for Jupyter notebooks that runs nothing and only
 * records execution order, like a kernel whose cells all succeed. `calls` counts the cells it
 * was asked to run (for failure messages).
 */
export function createStandInKernel(id: string): vscode.NotebookController & { calls: number } {
  let order = 0;
  const controller = Object.assign(vscode.notebooks.createNotebookController(id, 'jupyter-notebook', `nb2prod stand-in kernel ${id}`), { calls: 0 });
  controller.supportedLanguages = ['python'];
  controller.executeHandler = (cells) => {
    for (const cell of cells) {
      controller.calls++;
      const execution = controller.createNotebookCellExecution(cell);
      execution.executionOrder = ++order;
      execution.start(Date.now());
      execution.end(true, Date.now());
    }
  };
  return controller;
}

/**
 * Makes `controller` the selected kernel of `notebook` (shown in the active editor) and resolves
 * once the workbench reports the selection back (`onDidChangeSelectedNotebooks`). The controller
 * reaches the workbench asynchronously, so the selection is retried until it takes; running
 * cells before that would either do nothing or open the kernel picker.
 */
export async function selectStandInKernel(controller: vscode.NotebookController, notebook: vscode.NotebookDocument, timeoutMs = 20_000): Promise<void> {
  let selected = false;
  const listener = controller.onDidChangeSelectedNotebooks((event) => {
    if (event.notebook.uri.toString() === notebook.uri.toString()) selected = event.selected;
  });
  try {
    controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
    await eventually(async () => {
      if (!selected) {
        // The workbench names a controller `<extension>/<id>`; one created by test code belongs to
        // no extension ("nullExtensionDescription" in VS Code 1.100), so both owners are tried.
        for (const extension of ['nullExtensionDescription', EXTENSION_ID]) {
          if (!selected) await vscode.commands.executeCommand('_notebook.selectKernel', { id: controller.id, extension });
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.ok(selected, `the workbench selected the kernel ${controller.id} for ${notebook.uri.path}`);
    }, timeoutMs);
  } finally {
    listener.dispose();
  }
}

/**
 * Runs the cells `[start, end)` with the stand-in kernel and waits until `ran` holds.
 *
 * The run is requested the way the user does (`notebook.cell.execute`, through the workbench).
 * On a loaded machine the workbench sometimes drops that request without calling the kernel
 * (seen: the kernel selected and reported so, and its handler never called within 20 s), which
 * is VS Code's business, not nb2prod's. What the suites assert is how nb2prod follows runs, so
 * if the request has not reached the kernel after a few seconds, the kernel runs the cells
 * itself, as a kernel does for runs started on its side: the executions still go through the
 * workbench and reach nb2prod as execution-summary changes, exactly as before.
 */
export async function runCells(
  notebook: vscode.NotebookDocument,
  controller: vscode.NotebookController & { calls: number },
  start: number,
  end: number,
  ran: () => void,
  timeoutMs = 20_000,
): Promise<void> {
  const callsBefore = controller.calls;
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start, end }], document: notebook.uri });
  try {
    await eventually(ran, 4_000);
    return;
  } catch {
    // fall through: the kernel runs the cells itself if the request never reached it
  }
  await eventually(async () => {
    if (controller.calls === callsBefore) {
      const cells = notebook.getCells(new vscode.NotebookRange(start, end)).filter((c) => c.kind === vscode.NotebookCellKind.Code);
      await controller.executeHandler(cells, notebook, controller);
    }
    await eventually(ran, 3_000);
  }, timeoutMs);
}
