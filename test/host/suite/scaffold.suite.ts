/**
 * "nb2prod: Scaffold Production Project" end to end in the real extension host, through the
 * command's test hook (`{ notebook, target, accept, acceptOverwrites? }` in place of the folder
 * dialog, the plan QuickPick and the overwrite prompt; see src/extension/scaffold-command.ts).
 * The notebook is the golden house-price fixture; its expected tree is the core golden snapshot.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import * as vscode from 'vscode';
import type { ScaffoldHookArguments, ScaffoldSummary } from '../../../src/extension/scaffold-command';
import { closeAllEditors, EXTENSION_ID } from './helpers';

const COMMAND = 'nb2prod.scaffoldProject';

/** The repository root (this file runs from out/ or .build/NAME/out/). */
function repoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'nb2prod') return dir;
  }
  throw new Error(`no nb2prod package.json above ${from}`);
}

const ROOT = repoRoot(__dirname);
const NOTEBOOK = vscode.Uri.file(join(ROOT, 'test', 'fixtures', 'scaffold', 'house_prices.ipynb'));
const EXPECTED = join(ROOT, 'test', 'fixtures', 'scaffold', 'expected', 'house_prices');

/** Every file under `dir`, relative with `/`, sorted (snapshots keep `.gitignore` as `_gitignore`). */
function filesUnder(dir: string, snapshot = false): string[] {
  const found: string[] = [];
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const full = join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else found.push(relative(dir, full).split('\\').join('/'));
    }
  };
  walk(dir);
  return found.map((f) => (snapshot ? f.replace(/(^|\/)_gitignore$/, '$1.gitignore') : f)).sort();
}

function snapshot(path: string): string {
  return readFileSync(join(EXPECTED, path.replace(/(^|\/)\.gitignore$/, '$1_gitignore')), 'utf8');
}

async function scaffold(args: ScaffoldHookArguments): Promise<ScaffoldSummary> {
  const summary = await vscode.commands.executeCommand<ScaffoldSummary | undefined>(COMMAND, args);
  assert.ok(summary, 'the command returned no summary (untrusted workspace, or the hook was not recognised)');
  return summary;
}

describe('scaffold command', function () {
  // Planning analyses the notebook with tree-sitter; the first run also loads the planner.
  this.timeout(90_000);
  const temps: string[] = [];
  const temp = (): string => {
    // The parent holds only this target, so a leftover staging folder would show up in it.
    const parent = mkdtempSync(join(tmpdir(), 'nb2prod-scaffold-'));
    temps.push(parent);
    return join(parent, 'project');
  };
  after(async () => {
    await closeAllEditors();
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  it('is contributed and registered', async () => {
    // Run alone (NB2PROD_TEST_GREP), nothing else has activated the extension yet.
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const contributed = (extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands;
    assert.ok(
      contributed.some((c) => c.command === COMMAND),
      'package.json contributes the command',
    );
    await extension.activate();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes(COMMAND), 'the activated extension registers the command');
  });

  it('writes exactly the golden file set of house_prices.ipynb into an empty folder', async () => {
    const target = temp();
    const summary = await scaffold({ notebook: NOTEBOOK, target: vscode.Uri.file(target), accept: true });
    const expected = filesUnder(EXPECTED, true);
    assert.equal(summary.outcome, 'written', summary.problems.join('\n'));
    assert.deepEqual(summary.overwrites, []);
    assert.deepEqual([...summary.written].sort(), expected, 'paths the command reports as written');
    assert.deepEqual(filesUnder(target), expected, 'files on disk');
    assert.deepEqual(readdirSync(dirname(target)), ['project'], 'no staging folder left next to the target');
    // The preview listed every file as new, and what was written is the golden content.
    assert.deepEqual(
      summary.preview.map((p) => [p.path, p.kind]),
      summary.planned.map((p) => [p.path, 'create']),
    );
    for (const path of expected) assert.equal(readFileSync(join(target, path), 'utf8'), snapshot(path), `content of ${path}`);
    assert.ok(summary.review.length + summary.fixed.length > 0, 'the leak and the global-reading function are reported');
  });

  it('does not overwrite an existing differing file without consent', async () => {
    const target = temp();
    const mine = '# my own configuration\nSEED = 7\n';
    mkdirSync(join(target, 'src', 'utils'), { recursive: true });
    writeFileSync(join(target, 'src', 'utils', 'config.py'), mine);

    const summary = await scaffold({ notebook: NOTEBOOK, target: vscode.Uri.file(target), accept: true });
    assert.equal(summary.outcome, 'overwritesDeclined');
    assert.deepEqual(summary.overwrites, ['src/utils/config.py']);
    assert.deepEqual(summary.written, []);
    assert.equal(summary.preview.find((p) => p.path === 'src/utils/config.py')?.kind, 'overwrite');
    assert.deepEqual(filesUnder(target), ['src/utils/config.py'], 'nothing else was written');
    assert.equal(readFileSync(join(target, 'src', 'utils', 'config.py'), 'utf8'), mine, 'the file is unchanged');
    assert.deepEqual(readdirSync(dirname(target)), ['project'], 'no staging folder left next to the target');

    // The diff's left side serves what is on disk now.
    const current = await vscode.workspace.openTextDocument(vscode.Uri.parse(summary.preview.find((p) => p.path === 'src/utils/config.py')!.currentUri));
    assert.equal(current.getText(), mine);

    // With explicit consent the same call replaces it and writes the rest.
    const consented = await scaffold({ notebook: NOTEBOOK, target: vscode.Uri.file(target), accept: true, acceptOverwrites: true });
    assert.equal(consented.outcome, 'written');
    assert.equal(readFileSync(join(target, 'src', 'utils', 'config.py'), 'utf8'), snapshot('src/utils/config.py'));
    assert.deepEqual(filesUnder(target), filesUnder(EXPECTED, true));
  });

  it('writes nothing when the plan is not accepted, and serves the planned content for the diff', async () => {
    const target = temp();
    const summary = await scaffold({ notebook: NOTEBOOK, target: vscode.Uri.file(target), accept: false });
    assert.equal(summary.outcome, 'declined');
    assert.deepEqual(summary.written, []);
    assert.ok(!existsSync(target), 'the target folder was not created');
    assert.deepEqual(readdirSync(dirname(target)), []);

    const item = summary.preview.find((p) => p.path === 'src/model/predict.py');
    assert.ok(item, 'the preview lists src/model/predict.py');
    assert.equal(item.kind, 'create');
    const planned = vscode.Uri.parse(item.plannedUri);
    assert.equal(planned.scheme, 'nb2prod-scaffold');
    const document = await vscode.workspace.openTextDocument(planned);
    assert.equal(document.getText(), snapshot('src/model/predict.py'));
    // A new file's left side is empty.
    const current = await vscode.workspace.openTextDocument(vscode.Uri.parse(item.currentUri));
    assert.equal(current.getText(), '');
    // The diff the QuickPick item opens shows these two documents.
    await vscode.commands.executeCommand('vscode.diff', vscode.Uri.parse(item.currentUri), planned, 'src/model/predict.py (new)');
  });
});
