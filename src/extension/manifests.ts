/** Finding the workspace's manifests, and asking which one a command should work on. */
import * as vscode from 'vscode';

/** Every `artifacts/manifest.json` in the workspace. */
export async function findManifests(): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles('**/artifacts/manifest.json', '**/{node_modules,.git,.venv}/**', 20);
  return found.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/**
 * The manifest a command works on: the workspace's only `artifacts/manifest.json`, the one picked
 * among several, or a file chosen in a dialog (when there is none, or on "Choose a manifest file…").
 * Undefined when the user cancels. `purpose` titles the pick and the dialog.
 */
export async function pickManifest(purpose: string): Promise<vscode.Uri | undefined> {
  const found = await findManifests();
  if (found.length === 1) return found[0];
  const choose = { label: '$(folder-opened) Choose a manifest file…', uri: undefined as vscode.Uri | undefined };
  const items = [...found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), choose];
  const picked =
    found.length === 0
      ? choose
      : await vscode.window.showQuickPick(items, { title: `nb2prod: ${purpose}`, placeHolder: 'artifacts/manifest.json written by training' });
  if (picked === undefined) return undefined;
  if (picked.uri !== undefined) return picked.uri;
  const [chosen] =
    (await vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectMany: false,
      filters: { 'nb2prod manifest': ['json'] },
      title: `nb2prod: ${purpose}`,
    })) ?? [];
  return chosen;
}
