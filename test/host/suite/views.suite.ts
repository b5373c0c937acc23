/**
 * The views drawn from each analysis: the reproducibility verdict in the status bar (following
 * live runs of cells), the dependency CodeLens on each cell, and the dependency graph webview.
 * Live runs use a stand-in kernel (a notebook controller that only records execution order),
 * as execution.suite.ts does.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { measurements } from './index';
import { cellCodes, closeAllEditors, createStandInKernel, eventually, onCellModel, openNotebook, rangeOf, runCells, selectStandInKernel } from './helpers';

/** What `nb2prod.showReproducibilityVerdict` resolves to (see src/extension/verdict-status.ts). */
interface VerdictStatus {
  reproducible: 'yes' | 'no' | 'unknown';
  reasons: string[];
  text: string;
  tooltip: string;
}

/** What `nb2prod.showDependencyGraph` resolves to (see src/extension/dependency-graph.ts). */
interface GraphShown {
  viewType: string;
  title: string;
  uri: string;
  nodes: number;
  edges: number;
  html: string;
}

/** The status bar's verdict for the active notebook, once it reads `text`. */
function verdictReads(text: string): Promise<VerdictStatus> {
  return eventually(async () => {
    const status = await vscode.commands.executeCommand<VerdictStatus | undefined>('nb2prod.showReproducibilityVerdict', { quiet: true });
    assert.equal(status?.text, text);
    return status!;
  }, 10_000);
}

function lensesOf(cell: vscode.NotebookCell): Promise<vscode.CodeLens[]> {
  return onCellModel(cell, () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', cell.document.uri));
}

describe('views', () => {
  let controller: ReturnType<typeof createStandInKernel> | undefined;

  afterEach(async () => {
    controller?.dispose();
    controller = undefined;
    await closeAllEditors();
  });

  it('live runs: re-running a defining cell marks its readers NB104 at once and the verdict turns', async () => {
    controller = createStandInKernel('nb2prod-views-kernel');
    const notebook = await openNotebook('history.ipynb');
    await verdictReads('$(question) Reproducibility unknown');
    await selectStandInKernel(controller, notebook);
    const order = (index: number): number => notebook.cellAt(index).executionSummary?.executionOrder ?? 0;
    // Run every code cell top to bottom.
    await runCells(notebook, controller, 1, 4, () => assert.ok(order(3) > 0, `the last cell ran (the kernel was asked to run ${controller!.calls} cells)`));
    await verdictReads('$(check) Reproducible');
    for (const index of [1, 2, 3]) await cellCodes(notebook, index, []);

    // Re-run only the cell defining `x`: the cell reading it (and the one reading that) are stale.
    const rerunAt = performance.now();
    await runCells(notebook, controller, 1, 2, () => assert.ok(order(1) > order(3), 'the defining cell ran again'));
    const [stale] = await cellCodes(notebook, 2, ['NB104']);
    measurements['staleAfterRerunMs'] = performance.now() - rerunAt;
    assert.match(stale!.message, /`x` comes from cell 2, which ran after this cell/);
    await cellCodes(notebook, 3, ['NB104']);
    await cellCodes(notebook, 1, ['NB103']);
    const verdict = await verdictReads('$(warning) Not reproducible');
    assert.ok(verdict.reasons.includes('cell 3 read `x` before cell 2 last ran'), JSON.stringify(verdict.reasons));
  });

  it('the verdict of a saved notebook lists its reasons in the tooltip', async () => {
    await openNotebook('history-stale.ipynb');
    const verdict = await verdictReads('$(warning) Not reproducible');
    assert.equal(verdict.reproducible, 'no');
    assert.deepEqual(verdict.reasons, [
      'cell 2 ran after cell 3',
      'cell 3 read `x` before cell 2 last ran',
      'cell 4 depends on stale outputs',
      'cell 5 depends on stale outputs',
    ]);
    assert.match(verdict.tooltip, /Would Restart & Run All reproduce/);
    assert.match(verdict.tooltip, /- cell 3 read `x` before cell 2 last ran/);
  });

  it('CodeLens: "depends on … · used by …" on each linked code cell, and it reveals the cell', async () => {
    const notebook = await openNotebook('history-stale.ipynb');
    await cellCodes(notebook, 2, ['NB104'], 10_000);
    const titles = async (index: number): Promise<string[]> => (await lensesOf(notebook.cellAt(index))).map((l) => l.command?.title ?? '');
    await eventually(async () => assert.deepEqual(await titles(2), ['depends on cell 2 · used by cells 4, 5']), 10_000);
    assert.deepEqual(await titles(1), ['used by cell 3']);
    assert.deepEqual(await titles(3), ['depends on cell 3']);

    const [lens] = await lensesOf(notebook.cellAt(3));
    assert.equal(lens?.command?.command, 'nb2prod.revealCell');
    assert.deepEqual(rangeOf(lens!.range), [0, 0, 0, 0]);
    const revealed = await vscode.commands.executeCommand<number | undefined>(lens!.command!.command, ...(lens!.command!.arguments ?? []));
    assert.equal(revealed, 2);
    await eventually(() => assert.equal(vscode.window.activeNotebookEditor?.selection.start, 2));
  });

  it('CodeLens in a percent-format script: one per linked cell, on its first line of code', async () => {
    const script = ['# %%', 'x = 1', '', '# %% [markdown]', '# Notes', '', '# %%', 'y = x + 1', '', '# %%', 'print(y)', ''].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: script });
    await vscode.window.showTextDocument(document);
    const lenses = await eventually(async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
      assert.equal(found.length, 3);
      return found;
    }, 10_000);
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title]),
      [
        [1, 'used by cell 3'],
        [7, 'depends on cell 1 · used by cell 4'],
        [10, 'depends on cell 3'],
      ],
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('the dependency graph opens a webview with a strict CSP, and copies as Mermaid', async () => {
    const notebook = await openNotebook('history-stale.ipynb');
    await cellCodes(notebook, 2, ['NB104'], 10_000);
    const shown = await vscode.commands.executeCommand<GraphShown | undefined>('nb2prod.showDependencyGraph');
    assert.ok(shown, 'the command describes the panel it shows');
    assert.equal(shown.viewType, 'nb2prod.dependencyGraph');
    assert.equal(shown.title, 'Cell Dependencies: history-stale.ipynb');
    assert.equal(shown.uri, notebook.uri.toString());
    assert.deepEqual([shown.nodes, shown.edges], [4, 3]);
    // The shared webview policy (src/extension/webview-page.ts): no scripts for this page.
    assert.match(shown.html, /<meta http-equiv="Content-Security-Policy" content="default-src (?:'|&#39;)none(?:'|&#39;); style-src [^;"]+; img-src [^;"]+;">/);
    assert.doesNotMatch(shown.html, /<script/i);
    assert.match(shown.html, /class="node out-of-order"/);
    assert.equal((shown.html.match(/class="node stale"/g) ?? []).length, 3);
    // The workbench really shows it: a webview tab of our view type.
    await eventually(() => {
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
      assert.ok(
        tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('nb2prod.dependencyGraph')),
        `tabs: ${JSON.stringify(tabs.map((t) => t.label))}`,
      );
    });

    const mermaid = await vscode.commands.executeCommand<string | undefined>('nb2prod.copyDependencyMermaid', notebook.uri.toString());
    assert.equal(
      mermaid,
      [
        'flowchart TD',
        '  c1["2: x = 1"]',
        '  c2["3: y = x + 1"]',
        '  c3["4: print(y)"]',
        '  c4["5: total = y * 2"]',
        '  c1 -->|"x"| c2',
        '  c2 -->|"y"| c3',
        '  c2 -->|"y"| c4',
        '',
      ].join('\n'),
    );
  });
});
