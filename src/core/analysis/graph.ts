/**
 * The notebook graph: where each global name is defined, and which definition each read
 * sees, both in document order (what Restart & Run All would do) and in the order implied by
 * the stored execution counts (what actually happened before the notebook was saved).
 */
import type { Range } from '../diagnostic';
import type { Use } from '../python/facts';
import { offsetAt } from '../notebook/positions';
import type { AnalysedCell } from './analysed-notebook';
import { dynamicBindings } from './dynamic-bindings';
import { perCell } from './memo';

/** A binding of a global name somewhere in the notebook. */
export interface GlobalDefinition {
  name: string;
  cell: number;
  range: Range;
  /** Offset in the cell's source from which the name is bound (end of an assignment, etc.). */
  bindOffset: number;
  /** Bound only when a function runs (`global x` inside a def). */
  deferred: boolean;
  /** How it was bound: a Python binding kind, `magic`, or `dynamic` (`globals()[k] = v`, `exec`; name `*`). */
  kind: string;
}

/** A read of a global name, with the cell it is in. */
export interface GlobalUse extends Use {
  cell: number;
  /** Offset of the name in the cell's source. */
  offset: number;
}

/** A def-use edge: `use` (in cell `use.cell`) sees the value bound by `definition`. */
export interface DefUseEdge {
  definition: GlobalDefinition;
  use: GlobalUse;
}

export interface NotebookGraph {
  /** Every definition of each name, in document order. */
  definitions: Map<string, GlobalDefinition[]>;
  /** Every read, in document order. */
  uses: GlobalUse[];
  /** Cells that bind names nobody can list (`from m import *`, `%run`, `%store -r`, `globals()[k] = v`, `exec`), in order. */
  wildcardCells: number[];
  /** For each eager read, the definition it sees when the notebook runs top to bottom. */
  documentEdges: DefUseEdge[];
  /** The same by position: the definition `uses[i]` sees top to bottom, undefined when none (or deferred). */
  documentDefinitions: (GlobalDefinition | undefined)[];
  /** Indexes of cells with an execution count, sorted by that count (the stored history). */
  executionOrder: number[];
  /** For each eager read in an executed cell, the definition it saw in the stored history. */
  executionEdges: DefUseEdge[];
  /** The same by position: the definition `uses[i]` saw in the stored history, undefined when none. */
  executionDefinitions: (GlobalDefinition | undefined)[];
}

/** What one cell binds (in bind order) and reads. */
interface CellBindings {
  definitions: GlobalDefinition[];
  uses: GlobalUse[];
}

/** The definitions and reads of one code cell (after a one-cell edit, only that cell's are made again). */
const cellBindings = perCell(({ cell, python, facts, magicDefinitions }): CellBindings => {
  const definitions: GlobalDefinition[] = [];
  for (const def of facts.defs) {
    definitions.push({
      name: def.name,
      cell: cell.index,
      range: def.range,
      bindOffset: def.bindOffset ?? offsetAt(python, def.range.end),
      deferred: def.deferred,
      kind: def.kind,
    });
  }
  for (const magic of magicDefinitions) {
    definitions.push({
      name: magic.name,
      cell: cell.index,
      range: magic.range,
      bindOffset: offsetAt(python, magic.range.end),
      deferred: false,
      kind: 'magic',
    });
  }
  for (const dynamic of dynamicBindings(facts, python)) {
    definitions.push({
      name: '*',
      cell: cell.index,
      range: dynamic.call.range,
      bindOffset: dynamic.bindOffset,
      deferred: dynamic.call.deferred,
      kind: 'dynamic',
    });
  }
  definitions.sort((a, b) => a.bindOffset - b.bindOffset);
  // Written out, not spread: objects made by spreading get a hidden class each in V8, which makes
  // every later read of their fields slow (over a thousand classes for a 200-cell notebook).
  const uses = facts.uses.map(
    (use): GlobalUse => ({
      name: use.name,
      range: use.range,
      deferred: use.deferred,
      offset: use.offset ?? offsetAt(python, use.range.start),
      statementStart: use.statementStart,
      statementEnd: use.statementEnd,
      cell: cell.index,
    }),
  );
  return { definitions, uses };
});

export function buildGraph(cells: readonly AnalysedCell[]): NotebookGraph {
  const definitions = new Map<string, GlobalDefinition[]>();
  const uses: GlobalUse[] = [];
  const wildcardCells: number[] = [];
  const addDefinition = (definition: GlobalDefinition): void => {
    if (definition.name === '*') {
      if (wildcardCells.at(-1) !== definition.cell) wildcardCells.push(definition.cell);
      return;
    }
    const list = definitions.get(definition.name);
    if (list) list.push(definition);
    else definitions.set(definition.name, [definition]);
  };

  for (const analysed of cells) {
    const local = cellBindings(analysed, '');
    if (local === undefined) continue;
    local.definitions.forEach(addDefinition);
    for (const use of local.uses) uses.push(use);
  }

  const documentEdges: DefUseEdge[] = [];
  const documentDefinitions = new Array<GlobalDefinition | undefined>(uses.length).fill(undefined);
  for (let i = 0; i < uses.length; i++) {
    const use = uses[i]!;
    if (use.deferred) continue;
    const definition = reachingDefinition(definitions.get(use.name), use);
    if (definition === undefined) continue;
    documentEdges.push({ definition, use });
    documentDefinitions[i] = definition;
  }

  const executionOrder = cells
    .filter((c) => c.facts !== null && c.cell.executionCount !== null)
    .map((c) => c.cell)
    .sort((a, b) => (a.executionCount ?? 0) - (b.executionCount ?? 0) || a.index - b.index)
    .map((c) => c.index);
  // Rank of each cell in the stored history; -1 for cells that never ran.
  const rank = new Int32Array(cells.length).fill(-1);
  executionOrder.forEach((cell, position) => (rank[cell] = position));
  const inDocumentOrder = executionOrder.every((cell, i) => i === 0 || executionOrder[i - 1]! < cell);
  // Per name read, the definitions of executed cells in execution order (a stable sort keeps
  // document order within one cell; cells mostly ran in document order, which needs no sort), so
  // each read finds what it saw by binary search, not a scan.
  const ranked = new Map<string, GlobalDefinition[]>();
  const rankedFor = (name: string): GlobalDefinition[] => {
    let list = ranked.get(name);
    if (list === undefined) {
      list = (definitions.get(name) ?? []).filter((d) => rank[d.cell]! >= 0 && !d.deferred);
      if (!inDocumentOrder) list.sort((a, b) => rank[a.cell]! - rank[b.cell]!);
      ranked.set(name, list);
    }
    return list;
  };
  const executionEdges: DefUseEdge[] = [];
  const executionDefinitions = new Array<GlobalDefinition | undefined>(uses.length).fill(undefined);
  for (let i = 0; i < uses.length; i++) {
    const use = uses[i]!;
    const useRank = rank[use.cell]!;
    if (use.deferred || useRank < 0) continue;
    const entries = rankedFor(use.name);
    // The last entry ranked at or before the reader's cell; within the reader's own cell, only
    // bindings that happen before the read count.
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rank[entries[mid]!.cell]! <= useRank) lo = mid + 1;
      else hi = mid;
    }
    let index = lo - 1;
    while (index >= 0 && rank[entries[index]!.cell] === useRank && !bindsBefore(entries[index]!, use)) index--;
    const seen = entries[index];
    if (seen === undefined) continue;
    executionEdges.push({ definition: seen, use });
    executionDefinitions[i] = seen;
  }

  return { definitions, uses, wildcardCells, documentEdges, documentDefinitions, executionOrder, executionEdges, executionDefinitions };
}

/**
 * Whether a definition in the same cell as a read is bound before the read happens. Bind
 * offsets are where a binding takes effect (the end of an assignment, the start of a loop
 * body), so `x = x + 1` reads `x` before binding it and `for x in xs: f(x)` binds it first.
 */
export function bindsBefore(definition: GlobalDefinition, use: GlobalUse): boolean {
  return definition.bindOffset <= use.offset;
}

/** The last definition of a name that is bound before `use` when cells run top to bottom. */
export function reachingDefinition(definitions: readonly GlobalDefinition[] | undefined, use: GlobalUse): GlobalDefinition | undefined {
  // Definitions are in document order (cell, then bind offset), so "bound before the read" holds
  // for a prefix of them.
  const list = definitions ?? [];
  const before = (d: GlobalDefinition): boolean => d.cell < use.cell || (d.cell === use.cell && bindsBefore(d, use));
  // Most names have a few definitions: a scan from the end beats the search's closure calls.
  if (list.length <= 8) {
    for (let i = list.length - 1; i >= 0; i--) if (before(list[i]!)) return list[i];
    return undefined;
  }
  return list[lastIndex(list, before)];
}

/** The index of the last element of a prefix where `inPrefix` holds (-1 when none), by binary search. */
function lastIndex<T>(items: readonly T[], inPrefix: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (inPrefix(items[mid] as T)) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
