/**
 * NB101's fix: move the cell that defines a name above the first cell that reads it before it
 * is defined. The move is offered only when it changes nothing else the notebook computes;
 * otherwise the reason is returned, for the diagnostic's `data.fixBlockedBy`.
 */
import type { Fix } from '../diagnostic';
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import type { UnresolvedRead } from '../analysis/unresolved';

/** The move fix, or why there is none. */
export type MoveOutcome = { fix: Fix } | { blockedBy: string };

/**
 * Moving cell D (the defining cell) to stand right before cell T (the first reader it helps)
 * keeps every other def-use edge when:
 * - D reads nothing whose definition it sees comes from a cell in T..D-1 (it would no longer see it);
 * - no cell in T..D-1 reads or changes in place a name D defines while seeing an older definition
 *   from above T (it would see D's value instead), and D changes in place nothing they read;
 * - no cell in T..D-1 defines a name D defines (cells below D would see that one instead of D's).
 */
export function moveDefiningCell(analysed: AnalysedNotebook, read: UnresolvedRead, all: readonly UnresolvedRead[]): MoveOutcome {
  const definition = read.laterDefinition;
  if (definition === undefined) return { blockedBy: 'the name is defined in no cell' };
  const moved = definition.cell;
  if (moved === read.use.cell) return { blockedBy: `\`${read.use.name}\` is defined further down in the same cell; reorder its statements instead` };
  // Every early reader of one cell gets the same answer: compute it once per notebook analysis.
  let perCell = cache.get(all);
  if (perCell === undefined) cache.set(all, (perCell = new Map()));
  const cached = perCell.get(moved);
  if (cached !== undefined) return cached;
  const outcome = moveCell(analysed, moved, all);
  perCell.set(moved, outcome);
  return outcome;
}

const cache = new WeakMap<readonly UnresolvedRead[], Map<number, MoveOutcome>>();

function moveCell(analysed: AnalysedNotebook, moved: number, all: readonly UnresolvedRead[]): MoveOutcome {
  const target = Math.min(...all.filter((r) => r.laterDefinition?.cell === moved && r.use.cell < moved).map((r) => r.use.cell));
  const between = (cell: number): boolean => cell >= target && cell < moved;
  const n = (cell: number): number => cell + 1;
  const { graph } = analysed;

  for (const edge of graph.documentEdges) {
    if (edge.use.cell === moved && between(edge.definition.cell)) {
      return { blockedBy: `cell ${n(moved)} reads \`${edge.use.name}\`, defined in cell ${n(edge.definition.cell)}` };
    }
  }
  const movedFacts = analysed.cells[moved]?.facts;
  const redefined = new Set((movedFacts?.defs ?? []).filter((d) => !d.deferred).map((d) => d.name));
  for (const mutation of movedFacts?.mutations ?? []) if (!mutation.deferred) redefined.add(mutation.name);
  for (const edge of graph.documentEdges) {
    if (between(edge.use.cell) && redefined.has(edge.use.name) && edge.definition.cell < target) {
      return {
        blockedBy: `cell ${n(edge.use.cell)} reads \`${edge.use.name}\` from cell ${n(edge.definition.cell)}, which cell ${n(moved)} would change first`,
      };
    }
  }
  for (const [name, definitions] of graph.definitions) {
    if (!redefined.has(name)) continue;
    const other = definitions.find((d) => between(d.cell) && !d.deferred);
    if (other !== undefined) return { blockedBy: `cell ${n(other.cell)} also defines \`${name}\`, and would then override cell ${n(moved)}'s value` };
  }
  return {
    fix: { title: `Move cell ${n(moved)} above cell ${n(target)}`, safety: 'safe', edits: [], moves: [{ cell: moved, before: target }] },
  };
}
