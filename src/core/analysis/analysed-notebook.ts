/**
 * A notebook with everything the rules need computed once: each code cell's magic-masked
 * Python and its facts, and the notebook graph over them.
 */
import type { Range } from '../diagnostic';
import type { Cell, Notebook } from '../notebook/model';
import { offsetAt } from '../notebook/positions';
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

// Per facts object, so that a cell's facts keep their identity (the per-cell caches key on it).
const localised = new WeakMap<CellFacts, { key: string; facts: CellFacts }>();

/**
 * The facts of a cell with `%timeit`/`%%timeit` code, without what that code binds: IPython runs it
 * inside a function of its own, so its assignments never reach the notebook's globals. Its reads
 * of names it bound before (the `%%timeit` setup, then the body) are local reads, dropped too;
 * its other reads are reads of globals.
 */
function withoutOwnNamespace(facts: CellFacts, python: string, ranges: readonly Range[]): CellFacts {
  const key = JSON.stringify(ranges);
  const cached = localised.get(facts);
  if (cached?.key === key) return cached.facts;
  const spans = ranges.map((r) => ({ start: offsetAt(python, r.start), end: offsetAt(python, r.end) }));
  const spanOf = (offset: number) => spans.findIndex((s) => s.start <= offset && offset <= s.end);
  const local = facts.defs
    .map((def) => ({ def, span: spanOf(def.offset ?? offsetAt(python, def.range.start)) }))
    .filter(({ def, span }) => span >= 0 && !def.deferred);
  const localDefs = new Set(local.map(({ def }) => def));
  const boundBefore = (name: string, offset: number) => {
    const span = spanOf(offset);
    return span >= 0 && local.some(({ def, span: s }) => s === span && def.name === name && (def.bindOffset ?? 0) <= offset);
  };
  const result: CellFacts = {
    ...facts,
    defs: facts.defs.filter((def) => !localDefs.has(def)),
    uses: facts.uses.filter((use) => use.deferred || !boundBefore(use.name, use.offset ?? offsetAt(python, use.range.start))),
    mutations: facts.mutations.filter((m) => m.deferred || !boundBefore(m.name, offsetAt(python, m.range.start))),
  };
  localised.set(facts, { key, facts: result });
  return result;
}

/** Parses every code cell (cached per source text) and builds the graph. */
export async function analyse(notebook: Notebook): Promise<AnalysedNotebook> {
  const parser = await loadPythonParser();
  // A notebook whose metadata names another language is not Python and is left alone, silently.
  const isPython = (declaredLanguage(notebook) ?? 'python') === 'python';
  const cells = notebook.cells.map((cell): AnalysedCell => {
    if (cell.kind !== 'code' || !isPython) return { cell, python: null, facts: null, magicDefinitions: [], magics: [] };
    const { python, magicDefinitions, magics, ownNamespace } = masked(cell.source);
    if (python === null) return { cell, python, facts: null, magicDefinitions, magics };
    const facts = parser.facts(python);
    return { cell, python, facts: ownNamespace.length === 0 ? facts : withoutOwnNamespace(facts, python, ownNamespace), magicDefinitions, magics };
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
