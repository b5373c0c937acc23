/** Settings: severity overrides, ignore lists and the enable switch re-analyse open notebooks. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { cellCodes, closeAllEditors, eventually, fixtureUri, nb2prodDiagnostics, openNotebook, setSetting } from './helpers';

describe('settings', () => {
  let notebook: vscode.NotebookDocument;

  beforeEach(async () => {
    notebook = await openNotebook('hidden-state.ipynb');
    await cellCodes(notebook, 1, ['NB101']);
    await cellCodes(notebook, 2, ['NB102']);
  });

  afterEach(async () => {
    for (const key of ['severity', 'ignore', 'select', 'enable']) await setSetting(key, undefined);
    await closeAllEditors();
  });

  it('nb2prod.severity changes a rule severity and turns a rule off', async () => {
    await setSetting('severity', { NB101: 'warning' });
    await eventually(() => {
      const [nb101] = nb2prodDiagnostics(notebook.cellAt(1).document.uri);
      assert.equal(nb101?.severity, vscode.DiagnosticSeverity.Warning);
    });
    await setSetting('severity', { NB102: 'off' });
    await cellCodes(notebook, 2, []);
    const [nb101] = await cellCodes(notebook, 1, ['NB101']);
    assert.equal(nb101?.severity, vscode.DiagnosticSeverity.Error, 'back to its default once the override is gone');
  });

  it('nb2prod.ignore drops the ignored codes only', async () => {
    await setSetting('ignore', ['NB101']);
    await cellCodes(notebook, 1, []);
    await cellCodes(notebook, 2, ['NB102']);
  });

  it('nb2prod.select keeps the selected prefix only', async () => {
    await setSetting('select', ['NB102']);
    await cellCodes(notebook, 1, []);
    await cellCodes(notebook, 2, ['NB102']);
  });

  it('nb2prod.enable=false clears everything, and true brings it back', async () => {
    await setSetting('enable', false);
    await cellCodes(notebook, 1, []);
    await cellCodes(notebook, 2, []);
    await setSetting('enable', true);
    await cellCodes(notebook, 1, ['NB101']);
  });

  it('nb2prod.toml in the workspace applies, a change to it re-analyses, and nb2prod.select wins over it', async () => {
    const config = fixtureUri('nb2prod.toml');
    const write = (text: string) => vscode.workspace.fs.writeFile(config, new TextEncoder().encode(text));
    // The watcher on the configuration files re-analyses the open notebook, no edit needed.
    const codesAfterAnalysis = (index: number, codes: string[]) => cellCodes(notebook, index, codes, 15_000);
    try {
      await write('ignore = ["NB101"]\nseverity = { NB102 = "hint" }\n');
      await codesAfterAnalysis(1, []);
      const [nb102] = await cellCodes(notebook, 2, ['NB102']);
      assert.equal(nb102?.severity, vscode.DiagnosticSeverity.Hint);
      // The harness's own nb2prod.select is PREVIEW, which joins the file's selection; a select
      // that names rules replaces the file's select and ignore.
      await setSetting('select', ['NB101']);
      await cellCodes(notebook, 1, ['NB101']);
      await cellCodes(notebook, 2, []);
      await setSetting('select', undefined);
      await write('ignore = ["NB102"]\n');
      await codesAfterAnalysis(2, []);
      await cellCodes(notebook, 1, ['NB101']);
    } finally {
      await vscode.workspace.fs.delete(config);
    }
    await codesAfterAnalysis(2, ['NB102']);
  });
});
