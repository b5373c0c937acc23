/**
 * Applying a fix to plain data: to a list of cell sources (what the editor and tests reason
 * about) and to an `.ipynb` file's text (notebook in, notebook out, with everything the fix
 * does not touch kept as it was: outputs, metadata, ids).
 */
import type { CellTextEdit, Fix } from '../diagnostic';
import { offsetAt } from '../notebook/positions';

/** The sources after the fix, with the permutation applied: result[i] came from cell order[i]. */
export interface FixedSources {
  sources: string[];
  order: number[];
}

/** Applies a fix's text edits, then its moves, to cell sources indexed like the notebook's cells. */
export function applyFixToSources(sources: readonly string[], fix: Fix): FixedSources {
  const edited = sources.map((source, cell) =>
    applyEdits(
      source,
      fix.edits.filter((e) => e.cell === cell),
    ),
  );
  let order = sources.map((_, i) => i);
  for (const move of fix.moves ?? []) {
    const without = order.filter((i) => i !== move.cell);
    const at = move.before >= sources.length ? without.length : without.indexOf(move.before);
    if (at < 0) throw new Error(`fix moves cell ${move.cell} before unknown cell ${move.before}`);
    order = [...without.slice(0, at), move.cell, ...without.slice(at)];
  }
  return { sources: order.map((i) => edited[i] ?? ''), order };
}

/** Applies edits to one source, last first so earlier offsets stay valid. Overlapping edits are a bug. */
export function applyEdits(source: string, edits: readonly CellTextEdit[]): string {
  const spans = edits
    .map((e) => ({ start: offsetAt(source, e.range.start), end: offsetAt(source, e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let result = source;
  let limit = Number.POSITIVE_INFINITY;
  for (const span of spans) {
    if (span.end > limit) throw new Error('fix has overlapping edits');
    result = result.slice(0, span.start) + span.text + result.slice(span.end);
    limit = span.start;
  }
  return result;
}

interface RawCell {
  source: string | string[];
  [key: string]: unknown;
}

/**
 * Applies a fix to an `.ipynb` file's text and returns the new text, written as Jupyter
 * writes it (indent 1, sources as line arrays, trailing newline). Cells whose source did not
 * change keep their outputs; an edited cell's outputs are kept too (the user re-runs it).
 */
export function applyFixToIpynb(text: string, fix: Fix): string {
  const nb = JSON.parse(text) as { cells: RawCell[] };
  const sources = nb.cells.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
  const { sources: fixed, order } = applyFixToSources(sources, fix);
  nb.cells = order.map((from, i) => {
    const cell = nb.cells[from] as RawCell;
    const source = fixed[i] ?? '';
    return source === sources[from] ? cell : { ...cell, source: splitLines(source) };
  });
  return `${JSON.stringify(nb, null, 1)}\n`;
}

/** nbformat's line-array form: every line keeps its newline, the last has none. */
export function splitLines(source: string): string[] {
  return source === '' ? [] : source.split(/(?<=\n)/);
}
