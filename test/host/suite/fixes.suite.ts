/**
 * Quick fixes as code actions on notebook cells: listed at the diagnostic with the core fix's
 * title, preferred only when safe, and really applied. The NB101 move is applied the way the
 * editor applies a quick fix (the cursor on the finding, then the Quick Fix command), because
 * `vscode.executeCodeActionProvider` hands edits back without their notebook (cell) part.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { cellCodes, closeAllEditors, codeOf, eventually, nb2prodDiagnostics, onCellModel, openNotebook, rangeOf } from './helpers';

/** The code actions offered at a diagnostic, as the editor would list them. */
async function actionsAt(cell: vscode.NotebookCell, diagnostic: vscode.Diagnostic, kind?: vscode.CodeActionKind): Promise<vscode.CodeAction[]> {
  const actions = await onCellModel(cell, () =>
    vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
      'vscode.executeCodeActionProvider',
      cell.document.uri,
      diagnostic.range,
      kind?.value,
    ),
  );
  return actions.filter((a): a is vscode.CodeAction => !('command' in a && typeof a.command === 'string'));
}

function sources(notebook: vscode.NotebookDocument): string[] {
  return notebook.getCells().map((c) => c.document.getText());
}

describe('quick fixes', () => {
  afterEach(closeAllEditors);

  it('NB101: offers moving the defining cell as a preferred quick fix, and applying it reorders the cells', async () => {
    const notebook = await openNotebook('fixes-move.ipynb');
    const [nb101] = await cellCodes(notebook, 1, ['NB101'], 10_000);
    assert.ok(nb101);
    const reader = notebook.cellAt(1);
    const actions = await actionsAt(reader, nb101);
    const move = actions.find((a) => a.title === 'Move cell 3 above cell 2');
    assert.ok(move, `the move is offered; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(move.isPreferred, true, 'a safe fix is preferred');
    assert.equal(move.kind?.value, vscode.CodeActionKind.QuickFix.value);

    // Apply it as a user does: cursor on the finding, then the preferred quick fix.
    const before = sources(notebook);
    await eventually(async () => {
      if (sources(notebook)[1] === before[1]) {
        await vscode.window.showTextDocument(reader.document, { selection: new vscode.Selection(nb101.range.start, nb101.range.start) });
        await vscode.commands.executeCommand('editor.action.codeAction', { kind: vscode.CodeActionKind.QuickFix.value, apply: 'first', preferred: true });
      }
      assert.deepEqual(sources(notebook), [before[0], before[2], before[1], before[3]]);
    }, 15_000);
    // The moved cells are the same cells: kind, language and metadata kept.
    assert.equal(notebook.cellAt(1).kind, vscode.NotebookCellKind.Code);
    assert.equal(notebook.cellAt(1).document.languageId, 'python');
    assert.equal((notebook.cellAt(2).metadata as { id?: string }).id, 'cell-1', 'the reader kept its cell id');
    // And the notebook is clean now.
    await cellCodes(notebook, 1, []);
    await cellCodes(notebook, 2, []);
  });

  it('NB106: the add-parameter fix edits the function and its call site', async () => {
    const notebook = await openNotebook('fixes-parameter.ipynb');
    const [nb106] = await cellCodes(notebook, 1, ['NB106'], 10_000);
    assert.ok(nb106);
    const actions = await actionsAt(notebook.cellAt(1), nb106);
    const title = 'Add parameter `factor` to `scale` and pass it at 1 call site';
    const fix = actions.find((a) => a.title === title);
    assert.ok(fix?.edit, `"${title}" is offered with an edit; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(notebook.cellAt(1).document.getText(), 'def scale(value, factor):\n    return value * factor');
    assert.equal(notebook.cellAt(2).document.getText(), 'print(scale(2.0, factor=factor))');
    await cellCodes(notebook, 1, []);
  });

  it('Suppress NB102 on this line: offered on the finding, never preferred, and the finding goes away', async () => {
    const notebook = await openNotebook('suppress.ipynb');
    const [radius, diameter] = await cellCodes(notebook, 0, ['NB102', 'NB102'], 10_000);
    assert.ok(radius && diameter);
    const actions = await actionsAt(notebook.cellAt(0), radius);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Suppress NB102 in this cell'), `the cell action is offered; got ${JSON.stringify(titles)}`);
    const suppress = actions.find((a) => a.title === 'Suppress NB102 on this line');
    assert.ok(suppress?.edit, `the line action is offered with an edit; got ${JSON.stringify(titles)}`);
    assert.equal(suppress.isPreferred, false, 'silencing a finding is never the preferred fix');
    assert.ok(await vscode.workspace.applyEdit(suppress.edit));
    assert.equal(notebook.cellAt(0).document.getText(), 'import math\nprint(math.pi, radius)  # nb2prod: ignore[NB102]\nprint(diameter)');
    // Only the finding on the other line is left.
    const [left] = await cellCodes(notebook, 0, ['NB102']);
    assert.equal(left?.range.start.line, 2);
  });

  it('percent-format scripts: the NB101 move carries the whole `# %%` block, marker included', async () => {
    const script = ['# %%', 'import math', 'area = math.pi * radius ** 2', '', '# %% radius', 'radius = 2.0', '', '# %%', 'print(area)', ''].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: script });
    await vscode.window.showTextDocument(document);
    const nb101 = await eventually(() => {
      const found = nb2prodDiagnostics(document.uri);
      assert.deepEqual(found.map(codeOf), ['NB101']);
      return found[0]!;
    }, 10_000);
    assert.deepEqual(rangeOf(nb101.range), [2, 17, 2, 23]);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, nb101.range);
    const move = actions.find((a) => a.title === 'Move cell 2 above cell 1');
    assert.ok(move?.edit, `the move is offered; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.ok(await vscode.workspace.applyEdit(move.edit));
    assert.equal(
      document.getText(),
      ['# %% radius', 'radius = 2.0', '', '# %%', 'import math', 'area = math.pi * radius ** 2', '', '# %%', 'print(area)', ''].join('\n'),
    );
    await eventually(() => assert.deepEqual(nb2prodDiagnostics(document.uri).map(codeOf), []));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('an unsafe fix says so in its title and is never preferred, and no fix-all is offered', async () => {
    const notebook = await openNotebook('fixes-unsafe.ipynb');
    const [nb106] = await cellCodes(notebook, 1, ['NB106'], 10_000);
    assert.ok(nb106);
    const cell = notebook.cellAt(1);
    const actions = await actionsAt(cell, nb106);
    const fix = actions.find((a) => a.title.startsWith('Add parameter `offset` to `shift`'));
    assert.ok(fix, `the fix is offered; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(fix.title, 'Add parameter `offset` to `shift` (unsafe: changes results)');
    assert.notEqual(fix.isPreferred, true);
    const fixAll = await actionsAt(cell, nb106, vscode.CodeActionKind.SourceFixAll);
    assert.deepEqual(
      fixAll.map((a) => a.title).filter((t) => t.includes('offset')),
      [],
      'nothing of ours is offered as fix-all',
    );
  });
});
