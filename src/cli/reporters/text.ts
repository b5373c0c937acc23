/** Human-readable output: one line per finding, 1-based like an editor, and a summary. */
import type { Diagnostic } from '../../core/diagnostic';
import { cellToFile } from '../../core/notebook/positions';
import type { FileResult } from '../check';

/**
 * `path:cell 3:2:5: NB101 message` for notebooks (cell, line and column 1-based within the
 * cell, as editors show them); `path:12:5: NB101 message` for scripts, whose cells are
 * ranges of one file, so editors and terminals can jump straight to the line.
 */
export function formatText(results: readonly FileResult[]): { stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  let count = 0;
  for (const result of results) {
    if (result.error !== null) err.push(`error: ${result.error}`);
    for (const diagnostic of result.diagnostics) {
      count++;
      out.push(`${location(result, diagnostic)}: ${diagnostic.code} ${diagnostic.message}`);
    }
    const verdict = verdictLine(result);
    if (verdict) out.push(verdict);
  }
  const checked = results.filter((r) => r.error === null).length;
  const files = `${checked} ${checked === 1 ? 'file' : 'files'}`;
  // "All checks passed" only when every file could be read: a file that could not be checked passed nothing.
  if (count === 0)
    out.push(err.length === 0 ? `All checks passed (${files} checked).` : checked === 0 ? 'No file was checked.' : `No problems in the ${files} checked.`);
  else out.push(`Found ${count} ${count === 1 ? 'problem' : 'problems'} in ${files} checked.`);
  if (err.length > 0) err.push(`${err.length} ${err.length === 1 ? 'file' : 'files'} could not be checked.`);
  return { stdout: `${out.join('\n')}\n`, stderr: err.length > 0 ? `${err.join('\n')}\n` : '' };
}

function location(result: FileResult, diagnostic: Diagnostic): string {
  const { line, character } = diagnostic.range.start;
  const cell = result.notebook?.cells[diagnostic.cell];
  if (result.notebook?.format !== 'ipynb' && cell) {
    const onDisk = cellToFile(cell, diagnostic.range.start);
    if (onDisk) return `${result.path}:${onDisk.line + 1}:${onDisk.character + 1}`;
  }
  return `${result.path}:cell ${diagnostic.cell + 1}:${line + 1}:${character + 1}`;
}

/**
 * `path: reproducible: no — cell 3 ran after cell 5; ...` for notebooks that carry execution
 * counts. A notebook that never ran has no saved outputs to reproduce, so it gets no line.
 */
const VERDICT_WIDTH = 200;

function verdictLine(result: FileResult): string | undefined {
  const { verdict, notebook } = result;
  if (!verdict || !notebook?.cells.some((c) => c.executionCount !== null)) return undefined;
  // The verdict after the path stays under VERDICT_WIDTH characters: as many reasons as fit, then a count.
  const head = `reproducible: ${verdict.reproducible}`;
  const shown: string[] = [];
  for (const [i, reason] of verdict.reasons.entries()) {
    const rest = verdict.reasons.length - i - 1;
    const tail = rest > 0 ? `; and ${rest} more` : '';
    if (`${head} — ${[...shown, reason].join('; ')}${tail}`.length > VERDICT_WIDTH) break;
    shown.push(reason);
  }
  const more = verdict.reasons.length - shown.length;
  const reasons = [
    ...shown,
    ...(more > 0 ? [`${shown.length > 0 ? 'and ' : ''}${more} ${shown.length > 0 ? 'more' : more === 1 ? 'reason' : 'reasons'}`] : []),
  ].join('; ');
  return `${result.path}: ${head}${reasons ? ` — ${reasons}` : ''}`;
}
