/**
 * Executions re-trigger analysis: execution-order rules read the cells' execution summaries, so
 * a run that changes them must update diagnostics even though no text changed. A stand-in
 * kernel (a notebook controller that only records execution order) runs the cells.
 */
import * as assert from 'node:assert/strict';
import { cellCodes, closeAllEditors, createStandInKernel, openNotebook, runCells, selectStandInKernel } from './helpers';

describe('execution', () => {
  let controller: ReturnType<typeof createStandInKernel> | undefined;

  afterEach(async () => {
    controller?.dispose();
    controller = undefined;
    await closeAllEditors();
  });

  it('re-analyses when a cell runs: the cell above it becomes NB105 unexecuted-cell', async () => {
    controller = createStandInKernel('nb2prod-test-kernel');
    const notebook = await openNotebook('clean.ipynb');
    await cellCodes(notebook, 1, []);
    await selectStandInKernel(controller, notebook);
    // Only the last cell runs: the code cell above it never ran although a later one did.
    await runCells(notebook, controller, 2, 3, () =>
      assert.ok(notebook.cellAt(2).executionSummary?.executionOrder, `the last cell ran (the kernel was asked to run ${controller!.calls} cells)`),
    );
    await cellCodes(notebook, 1, ['NB105']);
  });
});
