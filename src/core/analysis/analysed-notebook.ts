/**
 * A notebook with everything the rules need computed once: each code cell's magic-masked
 * Python and its facts, and the notebook graph over them.
 */
import type { Cell, Notebook } from '../notebook/model';
import type { CellFacts } from '../python/facts';
import { maskMagics, type Magic, type MagicDefinition, type MaskedCell } from '../notebook/magics';
import { LruCache } from '../python/cache';
import { loadPythonParser } from '../python/parser';
import { buildGraph, type NotebookGraph } from './graph';
import { declaredLanguage, otherLanguageEvidence, type OtherLanguageEvidence } from './notebook-language';
import { python2Evidence } from './python2';

/** One cell with its analysis. */
export interface AnalysedCell {
  cell: Cell;
  /** The cell's Python with magics masked (same offsets), or null for markdown, raw and non-Python cells. */
  python: string | null;
  /** Facts of `python`; null when `python` is null. */
  facts: CellFacts | null;
  /** Names that magics define (`%store -r x`, `x = !ls`, `%run` as `*`). */
  magicDefinitions: MagicDefinition[];
  /** Every IPython construct masked out of the cell (`%pylab inline`, `!ls`, ...). */
  magics: Magic[];
}

/** A notebook ready for the rules. */
export interface AnalysedNotebook {
  notebook: Notebook;
  /** One entry per cell, same indexes as `notebook.cells`. */
  cells: AnalysedCell[];
  graph: NotebookGraph;
  /**
   * Set when the notebook is Python 2 code, or code in another language with no metadata to say
   * so: then no cell is analysed (every `python` and `facts` is null) and NB000 reports this once
   * instead.
   */
  otherLanguage?: OtherLanguageEvidence;
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
  // A notebook whose metadata names another language is not Python and is left alone, silently.
  const isPython = (declaredLanguage(notebook) ?? 'python') === 'python';
  const cells = notebook.cells.map((cell): AnalysedCell => {
    if (cell.kind !== 'code' || !isPython) return { cell, python: null, facts: null, magicDefinitions: [], magics: [] };
    const { python, magicDefinitions, magics } = masked(cell.source);
    return { cell, python, facts: python === null ? null : parser.facts(python), magicDefinitions, magics };
  });
  const defined = new Set(cells.flatMap((c) => [...(c.facts?.defs ?? []), ...c.magicDefinitions].map((d) => d.name)));
  const evidenceCells = cells.map((c) => ({ index: c.cell.index, python: c.python, facts: c.facts }));
  const undefinedName = (name: string): boolean => !defined.has(name) && !defined.has('*');
  const python2 = python2Evidence(notebook, evidenceCells, undefinedName);
  const otherLanguage =
    otherLanguageEvidence(notebook, evidenceCells, undefinedName) ?? (python2 === undefined ? undefined : { language: 'Python 2', ...python2 });
  if (otherLanguage !== undefined) {
    const unanalysed = cells.map((c): AnalysedCell => ({ cell: c.cell, python: null, facts: null, magicDefinitions: [], magics: [] }));
    return { notebook, cells: unanalysed, graph: buildGraph(unanalysed), otherLanguage };
  }
  return { notebook, cells, graph: buildGraph(cells) };
}
