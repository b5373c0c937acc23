/**
 * "nb2prod: Generate TypeScript Inference Module": asks for a manifest and for the output file,
 * then runs `nb2prod codegen` in a child process: dist/codegen.js, next to this extension's
 * bundle, which bundles ts-morph and the generator (the VSIX ships no node_modules with ts-morph),
 * and type-checks against the declaration files in dist/types. ts-morph carries the whole
 * TypeScript compiler: loading it in the extension host would cost seconds and tens of megabytes
 * for the rest of the session, and bundling it into dist/extension.js would slow activation. A
 * child process pays that once per generation and then exits.
 *
 * Tests (and other extensions) may pass both Uris, `(manifest, out)`: no picker, no save dialog,
 * and the notification is not awaited; the command resolves to the written file's path.
 *
 * Allowed in untrusted workspaces: it only reads the manifest and hashes and parses the ONNX
 * file (nothing from the workspace is executed or unpickled), and writes the one file the user
 * picked in a save dialog.
 */
import * as vscode from 'vscode';
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pickManifest } from './manifests';

/** The command id, as package.json declares it. */
export const CODEGEN_COMMAND = 'nb2prod.generateInferenceModule';

/** What the CLI child printed and its exit code. */
interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Registers the command. */
export function registerCodegenCommand(log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(CODEGEN_COMMAND, (target?: unknown, output?: unknown) =>
      generate(target, output instanceof vscode.Uri ? output : undefined, log),
    ),
  ];
}

function runCli(cli: string, args: string[], token: vscode.CancellationToken): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(cli, args, { silent: true });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const cancel = token.onCancellationRequested(() => child.kill());
    child.on('error', (error) => {
      cancel.dispose();
      reject(error);
    });
    child.on('exit', (code) => {
      cancel.dispose();
      resolve({ code, stdout, stderr });
    });
  });
}

async function generate(target: unknown, output: vscode.Uri | undefined, log: vscode.LogOutputChannel): Promise<string | undefined> {
  const cli = join(__dirname, 'codegen.js');
  if (!existsSync(cli)) {
    void vscode.window.showErrorMessage(
      'nb2prod: this installation has no code generator bundle (dist/codegen.js); run `npx nb2prod codegen --manifest FILE --out FILE.ts` from the npm package instead.',
    );
    return undefined;
  }
  const manifest =
    target instanceof vscode.Uri && target.fsPath.endsWith('.json') ? target : await pickManifest('manifest of the model to generate a Node.js module for');
  if (!manifest) return undefined;
  // The module goes next to the service's sources: <workspace>/src/model.ts by default.
  const folder = vscode.workspace.getWorkspaceFolder(manifest)?.uri ?? vscode.Uri.file(dirname(manifest.fsPath));
  const out =
    output ??
    (await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, 'src', 'model.ts'),
      filters: { TypeScript: ['ts'] },
      title: 'Where to write the inference module',
      saveLabel: 'Generate',
    }));
  if (!out) return undefined;

  const args = ['--manifest', manifest.fsPath, '--out', out.fsPath];
  log.info(`Codegen: nb2prod codegen ${args.join(' ')}`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'nb2prod: generating and type-checking the inference module', cancellable: true },
    (_progress, token) => runCli(cli, args, token),
  );
  for (const line of `${result.stdout}${result.stderr}`.split('\n').filter((l) => l.trim())) log.info(`Codegen: ${line}`);
  if (result.code === 0) {
    const opened = vscode.window
      .showInformationMessage(`nb2prod: wrote ${relative(folder.fsPath, out.fsPath) || out.fsPath}. It needs zod and onnxruntime-node in your project.`, 'Open')
      .then(async (open) => {
        if (open === 'Open') await vscode.window.showTextDocument(out);
      });
    // The notification stays until dismissed: a caller that chose the output does not wait for it.
    if (!output) await opened;
    return out.fsPath;
  }
  // Exit 1: the module did not type-check and was not written; 2: an unusable manifest (one line).
  const reason = result.stderr.split('\n')[0]?.replace(/^nb2prod: /, '') || `the generator exited with ${result.code ?? 'a signal'}`;
  const shown = vscode.window.showErrorMessage(`nb2prod: ${reason}`, 'Show Output').then((show) => {
    if (show === 'Show Output') log.show(true);
  });
  if (!output) await shown;
  return undefined;
}
