/**
 * Which cells each code cell depends on and which depend on it, read from the document-order
 * def-use edges (what Restart & Run All would do), and the whole graph as Mermaid text for the
 * extension's dependency view. Only reads made while a cell runs count: a function body reads
 * its globals when it is called, which may be from any cell.
 */
import type { AnalysedNotebook } from './analysed-notebook';
import { cellHeadRange } from './history';

/** A link to another cell and the names that flow along it. */
export interface CellLink {
  /** 0-based index among all cells. */
  cell: number;
  /** The global names read across the link, sorted. */
  names: string[];
}

/** One code cell's place in the dependency graph. */
export interface CellDependencies {
  /** 0-based index among all cells. */
  cell: number;
  /** Cells whose definitions this cell reads, in document order. */
  dependsOn: CellLink[];
  /** Cells that read this cell's definitions, in document order. */
  usedBy: CellLink[];
}

/** The dependencies of every code cell, in document order (cells without links included). */
export function cellDependencies(analysed: AnalysedNotebook): CellDependencies[] {
  const links = edgesByCellPair(analysed);
  const byCell = new Map<number, CellDependencies>();
  for (const { cell } of analysed.cells) {
    if (cell.kind === 'code') byCell.set(cell.index, { cell: cell.index, dependsOn: [], usedBy: [] });
  }
  for (const { from, to, names } of links) {
    byCell.get(to)?.dependsOn.push({ cell: from, names });
    byCell.get(from)?.usedBy.push({ cell: to, names });
  }
  for (const entry of byCell.values()) {
    entry.dependsOn.sort((a, b) => a.cell - b.cell);
    entry.usedBy.sort((a, b) => a.cell - b.cell);
  }
  return [...byCell.values()];
}

/**
 * The cell graph as a Mermaid `flowchart TD`: one node per code cell labelled with its
 * 1-based number and first line of code, and one edge per pair of cells labelled with the
 * names that flow from the defining cell to the reading one.
 */
export function dependencyMermaid(analysed: AnalysedNotebook): string {
  const lines = ['flowchart TD'];
  for (const { cell } of analysed.cells) {
    if (cell.kind !== 'code') continue;
    const head = cellHeadRange(cell.source);
    const text = cell.source.split(/\r\n|\r|\n/)[head.start.line]?.slice(head.start.character, head.end.character) ?? '';
    lines.push(`  c${cell.index}["${escapeLabel(`${cell.index + 1}: ${shorten(text) || '(empty)'}`)}"]`);
  }
  for (const { from, to, names } of edgesByCellPair(analysed)) {
    lines.push(`  c${from} -->|"${escapeLabel(names.join(', '))}"| c${to}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Document edges between different cells, grouped by (defining cell, reading cell). */
function edgesByCellPair(analysed: AnalysedNotebook): Array<{ from: number; to: number; names: string[] }> {
  const pairs = new Map<string, { from: number; to: number; names: Set<string> }>();
  for (const { definition, use } of analysed.graph.documentEdges) {
    if (definition.cell === use.cell) continue;
    const key = `${definition.cell}:${use.cell}`;
    const pair = pairs.get(key) ?? { from: definition.cell, to: use.cell, names: new Set<string>() };
    pair.names.add(use.name);
    pairs.set(key, pair);
  }
  return [...pairs.values()].sort((a, b) => a.from - b.from || a.to - b.to).map(({ from, to, names }) => ({ from, to, names: [...names].sort() }));
}

function shorten(text: string, limit = 40): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/**
 * Mermaid labels are quoted strings in which quotes and angle brackets need entity codes; `#`
 * goes first, since it starts an entity code itself.
 */
function escapeLabel(text: string): string {
  return text.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
