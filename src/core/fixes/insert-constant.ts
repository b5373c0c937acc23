/**
 * Where fixes put a new module-level constant (`SEED = 42`, `DATA_DIR = Path(...)`): in the
 * notebook's first code cell, right after the imports it starts with. That cell runs before
 * every other, so the constant is defined wherever a fix reads it, and it sits where readers
 * look for configuration.
 */
import type { CellTextEdit } from '../diagnostic';
import { positionAt } from '../notebook/positions';
import type { AnalysedNotebook } from '../analysis/analysed-notebook';

/** A place to insert new statements. */
export interface InsertionPoint {
  /** The first code cell. */
  cell: number;
  /** Offset in its source. */
  offset: number;
  /** True when the statements go after an import line; false when they open the cell. */
  afterImport: boolean;
}

const IMPORT_KINDS: ReadonlySet<string> = new Set(['import', 'star-import']);

/**
 * The end of the last line of imports that the first code cell starts with, or the cell's start
 * when it does not start with imports. Undefined when the notebook has no Python code cell.
 */
export function insertionPoint(analysed: AnalysedNotebook): InsertionPoint | undefined {
  const first = analysed.cells.find((c) => c.python !== null && c.facts !== null);
  if (first?.python == null || first.facts === null) return undefined;
  const { python, facts } = first;
  const starts = [...facts.defs.filter((d) => !IMPORT_KINDS.has(d.kind)).map((d) => d.statementStart ?? 0), ...facts.uses.map((u) => u.statementStart ?? 0)];
  const firstOther = Math.min(Number.POSITIVE_INFINITY, ...starts);
  const importEnds = facts.defs.filter((d) => IMPORT_KINDS.has(d.kind) && (d.statementStart ?? 0) < firstOther).map((d) => d.bindOffset ?? 0);
  if (importEnds.length === 0) return { cell: first.cell.index, offset: 0, afterImport: false };
  // The end of the line, so that a trailing comment stays with its import.
  const end = Math.max(...importEnds);
  const lineBreak = python.slice(end).search(/\r?\n|\r/);
  return { cell: first.cell.index, offset: lineBreak < 0 ? python.length : end + lineBreak, afterImport: true };
}

/**
 * An edit that inserts `imports` (import lines) and `statements` at the insertion point, set
 * off by blank lines the way a person would write them.
 */
export function insertionEdit(analysed: AnalysedNotebook, at: InsertionPoint, imports: readonly string[], statements: readonly string[]): CellTextEdit {
  const source = analysed.cells[at.cell]?.python ?? '';
  const position = positionAt(source, at.offset);
  const block = statements.join('\n');
  if (at.afterImport) {
    const importLines = imports.map((line) => `\n${line}`).join('');
    return { cell: at.cell, range: { start: position, end: position }, newText: `${importLines}\n\n${block}` };
  }
  const head = imports.length > 0 ? `${imports.join('\n')}\n\n${block}` : block;
  const restIsEmpty = source.slice(at.offset).trim() === '';
  return { cell: at.cell, range: { start: position, end: position }, newText: restIsEmpty ? head : `${head}\n\n` };
}
