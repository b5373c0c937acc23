/** Activation: lazy, cheap, and never on `*`. Runs first (files run in name order). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { measurements } from './index';
import { cellCodes, closeAllEditors, EXTENSION_ID, openNotebook } from './helpers';

describe('activation', () => {
  it('activates on notebooks, Python and artifact manifests only, and limits untrusted workspaces to static analysis', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded`);
    const manifest = extension.packageJSON as { activationEvents: string[]; capabilities: { untrustedWorkspaces: { supported: unknown } } };
    // A manifest in the workspace activates the artifact status item; never `*`.
    assert.deepEqual(manifest.activationEvents, ['onNotebook:jupyter-notebook', 'onLanguage:python', 'workspaceContains:**/artifacts/manifest.json']);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('activates from cold in well under 200 ms', async () => {
    const extension = vscode.extensions.getExtension<{ activationMs: number }>(EXTENSION_ID);
    assert.ok(extension);
    // Nothing is open yet, so nothing has activated the extension: this measures a cold start
    // (loading the bundle plus activate()).
    const wasActive = extension.isActive;
    const started = performance.now();
    const api = await extension.activate();
    measurements['activationTotalMs'] = performance.now() - started;
    measurements['activateFunctionMs'] = api.activationMs;
    assert.equal(wasActive, false, 'no fixture was open, so the extension was not active before');
    assert.ok(api.activationMs < 200, `activate() took ${api.activationMs} ms`);
  });

  it('analyses the first notebook, loading the engine and tree-sitter, within seconds', async () => {
    const started = performance.now();
    const notebook = await openNotebook('hidden-state.ipynb');
    await cellCodes(notebook, 1, ['NB101'], 10_000);
    measurements['firstAnalysisMs'] = performance.now() - started;
    await closeAllEditors();
  });
});
