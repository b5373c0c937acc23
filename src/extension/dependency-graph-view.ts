/**
 * The dependency graph page: the cells of one notebook as an inline SVG laid out here, code cells
 * as boxes from top to bottom in document order and each def-use link between two cells as an
 * arc on the right labelled with the names that flow along it. Cells whose saved state cannot
 * be trusted (stale, run out of order, never run) are highlighted.
 *
 * The page has no script at all: links are `command:` URIs the webview host runs (the panel
 * allows exactly the commands used here), and every style comes from media/dependency-graph.css,
 * so the content security policy can be `default-src 'none'` plus that stylesheet. This module
 * has no `vscode` import and is loaded only when the graph is first shown.
 */
import { cellLabel, cellNumber } from '../core/notebook/model';
import type { AnalysedNotebook } from '../core/analysis/analysed-notebook';
import type { CellDependencies } from '../core/analysis/dependencies';
import { cellHeadRange, executionHistory } from '../core/analysis/history';
import type { VerdictInput } from '../core/analysis/verdict';
import { escapeHtml, webviewPage } from './webview-page';

/** Why a cell's saved state is suspect; a cell may have several. */
export type NodeState = 'stale' | 'out-of-order' | 'unexecuted';

/** One code cell in the graph. */
export interface GraphNode {
  /** 0-based index among all cells. */
  cell: number;
  /** The cell's first line of code. */
  head: string;
  executionCount: number | null;
  states: NodeState[];
}

/** Names flowing from a defining cell (above) to a reading cell (below). */
export interface GraphEdge {
  from: number;
  to: number;
  names: string[];
}

/** Everything the page draws. */
export interface GraphModel {
  /** The notebook's name, for the heading. */
  name: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** How the page links back into the extension and loads its stylesheet. */
export interface PageContext {
  /** `webview.cspSource`. */
  cspSource: string;
  /** The stylesheet, as a webview URI string. */
  styleUri: string;
  /** A `command:` link revealing a cell. */
  revealLink(cell: number): string;
  /** A `command:` link copying the graph as Mermaid. */
  copyMermaidLink: string;
}

const STATE_LABEL: Record<NodeState, string> = { stale: 'stale', 'out-of-order': 'out of order', unexecuted: 'never ran' };

/** The graph of an analysed notebook, with the dependencies already computed for the lens. */
export function graphModel(
  name: string,
  analysed: AnalysedNotebook,
  hiddenState: readonly VerdictInput[],
  dependencies: Iterable<CellDependencies>,
): GraphModel {
  const history = executionHistory(analysed);
  const states = new Map<number, Set<NodeState>>();
  const mark = (cell: number, state: NodeState): void => {
    states.set(cell, (states.get(cell) ?? new Set<NodeState>()).add(state));
  };
  // The engine's hidden-state findings, whatever the user's rule selection: the drawing shows the notebook's state.
  for (const finding of hiddenState) if (finding.code === 'NB104') mark(finding.cell, 'stale');
  for (const entry of history.outOfOrder) mark(entry.cell, 'out-of-order');
  for (const cell of history.unexecuted) mark(cell, 'unexecuted');
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (const { cell, usedBy } of dependencies) {
    const source = analysed.notebook.cells[cell];
    if (!source) continue;
    const head = cellHeadRange(source.source);
    const line = source.source.split(/\r\n|\r|\n/)[head.start.line] ?? '';
    nodes.push({
      cell,
      head: line.slice(head.start.character, head.end.character),
      executionCount: source.executionCount,
      states: [...(states.get(cell) ?? [])],
    });
    for (const link of usedBy) edges.push({ from: cell, to: link.cell, names: link.names });
  }
  return { name, nodes, edges };
}

// Layout, in SVG user units (CSS pixels). Text is 12px monospace: about 7.2 units a character.
const LEFT = 12;
const TOP = 8;
const NODE_WIDTH = 440;
const NODE_HEIGHT = 30;
const GAP = 14;
const CHAR = 7.2;
const LABEL_CHARS = 32;

/** The whole page. */
export function renderPage(model: GraphModel, context: PageContext): string {
  const counts = (state: NodeState): number => model.nodes.filter((n) => n.states.includes(state)).length;
  const legend = (['stale', 'out-of-order', 'unexecuted'] as const)
    .map((state) => `<li class="${state}"><span class="swatch"></span>${STATE_LABEL[state]} (${counts(state)})</li>`)
    .join('');
  const body =
    model.nodes.length === 0
      ? '<p class="empty">This notebook has no code cells.</p>'
      : `${renderSvg(model, context)}${model.edges.length === 0 ? '<p class="empty">No cell reads a name another cell defines.</p>' : ''}`;
  return webviewPage(
    { cspSource: context.cspSource, styleUri: context.styleUri, title: 'Cell dependencies' },
    `<header>
<h1>Cell dependencies <span class="name">${escapeHtml(model.name)}</span></h1>
<a class="button" href="${escapeHtml(context.copyMermaidLink)}" title="Copy the graph as a Mermaid flowchart">Copy as Mermaid</a>
</header>
<p class="summary">${model.nodes.length} code cell${model.nodes.length === 1 ? '' : 's'}, ${model.edges.length} link${model.edges.length === 1 ? '' : 's'}. Arrows go from the cell that defines a name to the cells that read it, as Restart &amp; Run All would run them. Click a cell to show it.</p>
<ul class="legend">${legend}</ul>
${body}`,
  );
}

function renderSvg(model: GraphModel, context: PageContext): string {
  const row = new Map(model.nodes.map((n, k) => [n.cell, k]));
  const y = (cell: number): number => TOP + (row.get(cell) ?? 0) * (NODE_HEIGHT + GAP);
  const right = LEFT + NODE_WIDTH;
  const bulgeOf = (edge: GraphEdge): number => 26 + 24 * Math.max(0, (row.get(edge.to) ?? 0) - (row.get(edge.from) ?? 0) - 1);
  const widest = Math.max(0, ...model.edges.map((e) => bulgeOf(e) * 0.75 + 8 + Math.min(LABEL_CHARS, e.names.join(', ').length) * CHAR));
  const width = Math.ceil(right + widest + 16);
  const height = TOP + model.nodes.length * (NODE_HEIGHT + GAP);
  const stateOf = new Map(model.nodes.map((n) => [n.cell, n.states]));

  const edges = model.edges.map((edge) => {
    // Leave from just above a box's middle and arrive just below it, so that an arc arriving
    // and an arc leaving the same cell do not share an end point.
    const sy = y(edge.from) + NODE_HEIGHT / 2 - 5;
    const ey = y(edge.to) + NODE_HEIGHT / 2 + 5;
    const bulge = bulgeOf(edge);
    const label = shorten(edge.names.join(', '), LABEL_CHARS);
    const suspect = (stateOf.get(edge.to) ?? []).includes('stale') ? ' stale' : '';
    return (
      `<g class="edge${suspect}"><title>${escapeHtml(`${cellLabel(edge.from)} → ${cellLabel(edge.to)}: ${edge.names.join(', ')}`)}</title>` +
      `<path d="M ${right} ${sy} C ${right + bulge} ${sy}, ${right + bulge} ${ey}, ${right + 3} ${ey}" marker-end="url(#arrow)"/>` +
      `<text x="${right + bulge * 0.75 + 6}" y="${(sy + ey) / 2 + 4}">${escapeHtml(label)}</text></g>`
    );
  });

  const nodes = model.nodes.map((node) => {
    const top = y(node.cell);
    const states = node.states.map((s) => STATE_LABEL[s]).join(', ');
    const room = Math.floor((NODE_WIDTH - 92 - (states ? states.length * CHAR + 12 : 0)) / CHAR);
    const count = node.executionCount === null ? '[ ]' : `[${node.executionCount}]`;
    const tooltip = `Cell ${cellNumber(node.cell)}, execution count ${node.executionCount ?? 'none'}${states ? ` (${states})` : ''}: ${node.head}`;
    return (
      `<a class="node ${node.states.join(' ')}" href="${escapeHtml(context.revealLink(node.cell))}">` +
      `<title>${escapeHtml(tooltip)}</title>` +
      `<rect x="${LEFT}" y="${top}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="4"/>` +
      `<text class="number" x="${LEFT + 10}" y="${top + 19}">${node.cell + 1}</text>` +
      `<text class="count" x="${LEFT + 40}" y="${top + 19}">${count}</text>` +
      `<text class="source" x="${LEFT + 84}" y="${top + 19}">${escapeHtml(shorten(node.head || '(empty)', room))}</text>` +
      (states ? `<text class="state" x="${right - 10}" y="${top + 19}" text-anchor="end">${escapeHtml(states)}</text>` : '') +
      `</a>`
    );
  });

  return (
    `<svg class="graph" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Cell dependency graph">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
    `<path class="arrowhead" d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>` +
    `${edges.join('')}${nodes.join('')}</svg>`
  );
}

function shorten(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, Math.max(1, limit - 1))}…`;
}
