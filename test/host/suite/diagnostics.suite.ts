/**
 * Diagnostics on live notebooks: codes, exact ranges and related locations, updates after
 * edits, clearing on close, and percent-format scripts mapped back to file positions.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { cellCodes, closeAllEditors, codeOf, eventually, fixtureUri, nb2prodDiagnostics, openNotebook, openNotebookInEditor, rangeOf } from './helpers';

describe('notebook diagnostics', () => {
  afterEach(closeAllEditors);

  it('reports NB101 and NB102 on the right cells, ranges and related cell', async () => {
    const notebook = await openNotebook('hidden-state.ipynb');
    const [nb101] = await cellCodes(notebook, 1, ['NB101']);
    const [nb102] = await cellCodes(notebook, 2, ['NB102']);
    assert.ok(nb101 && nb102);
    assert.deepEqual(nb2prodDiagnostics(notebook.cellAt(0).document.uri), [], 'the markdown cell has none');

    // Cell 1 line 1 is `area = math.pi * radius ** 2`; `radius` is defined only in cell 2.
    assert.deepEqual(rangeOf(nb101.range), [1, 17, 1, 23]);
    assert.equal(nb101.severity, vscode.DiagnosticSeverity.Error);
    assert.match(nb101.message, /`radius`/);
    const related = nb101.relatedInformation ?? [];
    assert.equal(related.length, 1);
    assert.equal(related[0]?.location.uri.toString(), notebook.cellAt(2).document.uri.toString(), 'points at the defining cell');
    assert.deepEqual(rangeOf(related[0]!.location.range), [0, 0, 0, 6]);

    // Cell 2 line 1 is `print(area, total)`; `total` is defined nowhere.
    assert.deepEqual(rangeOf(nb102.range), [1, 12, 1, 17]);
    assert.match(nb102.message, /`total`/);

    // Each code links to the rule page shipped inside the extension.
    const code = nb101.code as { value: string; target: vscode.Uri };
    assert.equal(code.value, 'NB101');
    assert.match(code.target.path, /\/docs\/rules\/NB101\.md$/);
    assert.equal(nb101.source, 'nb2prod');
  });

  it('reports nothing on a clean notebook', async () => {
    const notebook = await openNotebook('clean.ipynb');
    const count = await vscode.commands.executeCommand<number | undefined>('nb2prod.analyzeNotebook');
    assert.equal(count, 0);
    for (const cell of notebook.getCells()) assert.deepEqual(nb2prodDiagnostics(cell.document.uri), []);
  });

  it('updates after inserting a cell and after editing a cell', async () => {
    const notebook = await openNotebook('editable.ipynb');
    const [undefinedOffset] = await cellCodes(notebook, 0, ['NB102']);
    assert.deepEqual(rangeOf(undefinedOffset!.range), [0, 8, 0, 14]);
    const firstCellUri = notebook.cellAt(0).document.uri;

    // Insert a defining cell on top: the reader moves to index 1 and is clean.
    const insert = new vscode.WorkspaceEdit();
    insert.set(notebook.uri, [vscode.NotebookEdit.insertCells(0, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'offset = 41', 'python')])]);
    assert.ok(await vscode.workspace.applyEdit(insert));
    await cellCodes(notebook, 1, []);
    await eventually(() => assert.deepEqual(nb2prodDiagnostics(firstCellUri), []));
    assert.deepEqual(nb2prodDiagnostics(notebook.cellAt(0).document.uri), []);

    // Misspell the read in what is now cell 1: NB102 on the new name, at the new range.
    const reader = notebook.cellAt(1).document;
    const rename = new vscode.WorkspaceEdit();
    rename.replace(reader.uri, new vscode.Range(0, 8, 0, 14), 'offsett');
    assert.ok(await vscode.workspace.applyEdit(rename));
    const [typo] = await cellCodes(notebook, 1, ['NB102']);
    assert.deepEqual(rangeOf(typo!.range), [0, 8, 0, 15]);
    assert.match(typo!.message, /`offsett`/);

    // Delete the inserted cell: its diagnostics (none) and the reader's shift back to index 0.
    const remove = new vscode.WorkspaceEdit();
    remove.set(notebook.uri, [vscode.NotebookEdit.deleteCells(new vscode.NotebookRange(0, 1))]);
    assert.ok(await vscode.workspace.applyEdit(remove));
    await cellCodes(notebook, 0, ['NB102']);
  });

  it('clears diagnostics when the notebook closes', async () => {
    const notebook = await openNotebookInEditor('closable.ipynb');
    const cellUri = notebook.cellAt(0).document.uri;
    await cellCodes(notebook, 0, ['NB102']);
    const closed = new Promise<void>((resolve) => vscode.workspace.onDidCloseNotebookDocument((closing) => closing === notebook && resolve()));
    await closeAllEditors();
    await closed;
    await eventually(() => assert.deepEqual(nb2prodDiagnostics(cellUri).map(codeOf), []));
  });

  it('maps findings in a percent-format script back to file positions', async () => {
    const document = await vscode.workspace.openTextDocument(fixtureUri('percent_script.py'));
    await vscode.window.showTextDocument(document);
    const found = await eventually(() => {
      const diagnostics = nb2prodDiagnostics(document.uri);
      assert.deepEqual(diagnostics.map(codeOf), ['NB101', 'NB102']);
      return diagnostics;
    }, 10_000);
    // Line 4 is `area = math.pi * radius ** 2`, line 7 `radius = 2.0`, line 8 `print(area, total)`.
    assert.deepEqual(rangeOf(found[0]!.range), [4, 17, 4, 23]);
    assert.deepEqual(rangeOf(found[0]!.relatedInformation![0]!.location.range), [7, 0, 7, 6]);
    assert.equal(found[0]!.relatedInformation![0]!.location.uri.toString(), document.uri.toString());
    assert.deepEqual(rangeOf(found[1]!.range), [8, 12, 8, 17]);
  });
});
