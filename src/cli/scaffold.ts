/**
 * `nb2prod scaffold NOTEBOOK --out DIR [--dry-run] [--force]`: plans the production project,
 * prints one line per file (create / overwrite / unchanged) and what went where, and writes it
 * atomically unless `--dry-run`. Exit 0 when planned (and written); 2 for bad input, a notebook
 * that cannot become a working project, or existing files that differ without `--force`.
 */
import { parseArgs } from 'node:util';
import { basename, resolve } from 'node:path';
import { loadNotebookFile, NotebookError } from '../core/notebook';
import { cellNumber } from '../core/notebook/model';
import { usageError, type CliResult } from './result';

/** Runs the command on its arguments (everything after `scaffold`). */
export async function scaffold(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, 'dry-run': { type: 'boolean' }, force: { type: 'boolean' } },
  });
  if (positionals.length !== 1) return usageError('scaffold needs exactly one NOTEBOOK');
  if (values.out === undefined) return usageError('scaffold needs --out DIR');
  const path = positionals[0]!;
  const target = resolve(values.out);

  let notebook: Awaited<ReturnType<typeof loadNotebookFile>>;
  try {
    notebook = await loadNotebookFile(path);
  } catch (error) {
    if (error instanceof NotebookError) return { stdout: '', stderr: `error: ${error.message}\n`, exitCode: 2 };
    throw error;
  }
  // The scaffold module (and its embedded templates) loads only when this command runs.
  // require() at first use, as the extension loads its engine: esbuild then defers the module's
  // initialisation (and its embedded templates) to this command.
  const { planNotebook, readExisting, writePlan } = require('../core/scaffold') as typeof import('../core/scaffold');
  const result = await planNotebook(notebook, { notebookName: basename(path) }, (paths) => readExisting(target, paths));
  if (!result.ok) {
    const lines = [`nb2prod: cannot scaffold ${path}:`, ...result.report.problems.map((p) => `  ${p}`)];
    return { stdout: '', stderr: `${lines.join('\n')}\n`, exitCode: 2 };
  }

  const out: string[] = [];
  for (const change of result.changes) out.push(`${change.kind.padEnd(9)} ${change.path}`);
  const { report } = result;
  out.push('');
  for (const cell of report.cells) {
    const placed = cell.placedIn.join(', ') || (cell.role === 'setup' ? '(imports, where read)' : '(left out)');
    out.push(
      `cell ${String(cellNumber(cell.cell)).padStart(3)}: ${cell.role.padEnd(13)} ${placed}${cell.leftOut.length > 0 ? `; left out: ${cell.leftOut.join(', ')}` : ''}`,
    );
  }
  for (const [title, items] of [
    ['Fixed by the generated training', report.fixed],
    ['Review (listed in README.md)', report.review],
    ['Left out', report.leftOut],
  ] as const) {
    if (items.length === 0) continue;
    out.push('', `${title}:`, ...items.map((i) => `  - ${i}`));
  }
  const overwrites = result.changes.filter((c) => c.kind === 'overwrite').map((c) => c.path);
  if (values['dry-run']) return { stdout: `${out.join('\n')}\n\n(dry run: nothing written)\n`, stderr: '', exitCode: 0 };
  if (overwrites.length > 0 && !values.force) {
    return { stdout: '', stderr: `nb2prod: refusing to overwrite files that differ in ${values.out} (use --force): ${overwrites.join(', ')}\n`, exitCode: 2 };
  }
  const written = writePlan(target, result.changes, { force: values.force ?? false });
  out.push('', `wrote ${written.length} file${written.length === 1 ? '' : 's'} to ${values.out}`);
  return { stdout: `${out.join('\n')}\n`, stderr: '', exitCode: 0 };
}
