/** The contributed commands, run the way the command palette runs them. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { cellCodes, closeAllEditors, openNotebook } from './helpers';

describe('commands', () => {
  afterEach(closeAllEditors);

  it('registers both commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('nb2prod.analyzeNotebook'));
    assert.ok(commands.includes('nb2prod.showOutput'));
  });

  it('nb2prod.analyzeNotebook analyses the active notebook at once and returns the count', async () => {
    const notebook = await openNotebook('hidden-state.ipynb');
    const count = await vscode.commands.executeCommand<number | undefined>('nb2prod.analyzeNotebook');
    assert.equal(count, 2);
    // The command publishes before it resolves: no polling needed.
    await cellCodes(notebook, 1, ['NB101'], 0);
    await cellCodes(notebook, 2, ['NB102'], 0);
  });

  it('nb2prod.analyzeNotebook without a notebook reports nothing and does not throw', async () => {
    await closeAllEditors();
    const count = await vscode.commands.executeCommand<number | undefined>('nb2prod.analyzeNotebook');
    assert.equal(count, undefined);
  });

  it('nb2prod.showOutput shows the log', async () => {
    await vscode.commands.executeCommand('nb2prod.showOutput');
  });
});
