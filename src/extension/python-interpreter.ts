/**
 * The interpreter the Python prediction backend runs: the one the VS Code Python extension has
 * selected for the resource (through its published API, `exports.environments`), looked up
 * lazily at each use so a newly selected interpreter applies; `python3` on PATH otherwise.
 * Never activates anything at nb2prod's activation.
 */
import * as vscode from 'vscode';

/** The part of ms-python.python's published API used here. */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string } | undefined;
    resolveEnvironment(environment: { id: string; path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

/** The fallback when the Python extension is absent or has no interpreter selected. */
export const DEFAULT_PYTHON = 'python3';

/** The selected interpreter's executable for `resource`, else `python3`; never throws. */
export async function pythonInterpreter(resource?: vscode.Uri, log?: vscode.LogOutputChannel): Promise<string> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!extension) return DEFAULT_PYTHON;
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    const environments = api?.environments;
    const active = environments?.getActiveEnvironmentPath(resource);
    if (!environments || !active) return DEFAULT_PYTHON;
    const resolved = await environments.resolveEnvironment(active);
    const executable = resolved?.executable?.uri?.fsPath;
    return executable || DEFAULT_PYTHON;
  } catch (error) {
    log?.warn(`the Python extension did not give an interpreter (${(error as Error).message}); using ${DEFAULT_PYTHON}`);
    return DEFAULT_PYTHON;
  }
}
