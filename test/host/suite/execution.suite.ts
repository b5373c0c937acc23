/**
 * Executions re-trigger analysis: execution-order rules read the cells' execution summaries, so
 * a run that changes them must update diagnostics even though no text changed. A stand-in
 * kernel (a notebook controller that only records execution order) runs the cells.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { cellCodes, closeAllEditors, eventually, EXTENSION_ID, openNotebook } from './helpers';

describe('execution', () => {
  let controller: vscode.NotebookController | undefined;

  afterEach(async () => {
    controller?.dispose();
    await closeAllEditors();
  });

  it('re-analyses when a cell runs: the cell above it becomes NB105 unexecuted-cell', async () => {
    let order = 0;
    controller = vscode.notebooks.createNotebookController('nb2prod-test-kernel', 'jupyter-notebook', 'nb2prod test kernel');
    controller.supportedLanguages = ['python'];
    controller.executeHandler = (cells) => {
      for (const cell of cells) {
        const execution = controller!.createNotebookCellExecution(cell);
        execution.executionOrder = ++order;
        execution.start(Date.now());
        execution.end(true, Date.now());
      }
    };
    const notebook = await openNotebook('clean.ipynb');
    await cellCodes(notebook, 1, []);
    controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
    // The controller reaches the workbench asynchronously, so selecting it and running the last
    // cell are retried until the run happens. Only the last cell runs: the code cell above it
    // never ran although a later one did.
    await eventually(async () => {
      await vscode.commands.executeCommand('_notebook.selectKernel', { id: `${EXTENSION_ID}/${controller!.id}`, extension: EXTENSION_ID });
      await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 2, end: 3 }], document: notebook.uri });
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(notebook.cellAt(2).executionSummary?.executionOrder, 'the last cell ran');
    }, 15_000);
    await cellCodes(notebook, 1, ['NB105']);
  });
});
