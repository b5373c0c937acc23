/** Small builders for tests: notebooks from cell sources, and findings as compact strings. */
import type { Diagnostic } from '../../src/core/diagnostic';
import { analyzeNotebook, type AnalyzeOptions } from '../../src/core/engine';
import type { Cell, Notebook } from '../../src/core/notebook/model';

/** A cell source, or `{md: text}` for markdown, or `[source, executionCount]`, or `[source, executionCount, outputCount]`. */
export type CellSpec = string | { md: string } | [string, number | null] | [string, number | null, number];

export function notebook(cells: readonly CellSpec[]): Notebook {
  return {
    path: 'test.ipynb',
    format: 'ipynb',
    language: 'python',
    cells: cells.map((spec, index): Cell => {
      if (typeof spec === 'string') return { index, kind: 'code', source: spec, executionCount: null, outputCount: 0 };
      if (Array.isArray(spec)) return { index, kind: 'code', source: spec[0], executionCount: spec[1], outputCount: spec[2] ?? 0 };
      return { index, kind: 'markdown', source: (spec as { md: string }).md, executionCount: null, outputCount: 0 };
    }),
  };
}

/** `NB101 cell 2 0:4-0:9` (0-based, as in the JSON output). */
export function compact(d: Diagnostic): string {
  const { start, end } = d.range;
  return `${d.code} cell ${d.cell} ${start.line}:${start.character}-${end.line}:${end.character}`;
}

export async function findings(cells: readonly CellSpec[], options: AnalyzeOptions = {}): Promise<string[]> {
  return (await analyzeNotebook(notebook(cells), options)).map(compact);
}
