/**
 * A notebook with everything the rules need computed once: each code cell's magic-masked
 * Python and its facts, and the notebook graph over them.
 */
import type { Cell, Notebook } from '../notebook/model';
import type { CellFacts } from '../python/facts';
import { maskMagics, type MagicDefinition, type MaskedCell } from '../notebook/magics';
import { LruCache } from '../python/cache';
import { loadPythonParser } from '../python/parser';
import { buildGraph, type NotebookGraph } from './graph';

/** One cell with its analysis. */
export interface AnalysedCell {
  cell: Cell;
  /** The cell's Python with magics masked (same offsets), or null for markdown, raw and non-Python cells. */
  python: string | null;
  /** Facts of `python`; null when `python` is null. */
  facts: CellFacts | null;
  /** Names that magics define (`%store -r x`, `x = !ls`, `%run` as `*`). */
  magicDefinitions: MagicDefinition[];
}

/** A notebook ready for the rules. */
export interface AnalysedNotebook {
  notebook: Notebook;
  /** One entry per cell, same indexes as `notebook.cells`. */
  cells: AnalysedCell[];
  graph: NotebookGraph;
}

// Masking is per source text, like parsing: after a one-cell edit only that cell is redone.
const maskedCache = new LruCache<string, MaskedCell>(5000);

function masked(source: string): MaskedCell {
  let result = maskedCache.get(source);
  if (result === undefined) {
    result = maskMagics(source);
    maskedCache.set(source, result);
  }
  return result;
}

/** Parses every code cell (cached per source text) and builds the graph. */
export async function analyse(notebook: Notebook): Promise<AnalysedNotebook> {
  const parser = await loadPythonParser();
  const isPython = notebook.language.toLowerCase() === 'python';
  const cells = notebook.cells.map((cell): AnalysedCell => {
    if (cell.kind !== 'code' || !isPython) return { cell, python: null, facts: null, magicDefinitions: [] };
    const { python, magicDefinitions } = masked(cell.source);
    return { cell, python, facts: python === null ? null : parser.facts(python), magicDefinitions };
  });
  return { notebook, cells, graph: buildGraph(cells) };
}
