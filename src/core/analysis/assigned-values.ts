/**
 * What a global assignment binds: the expression on the right of `name = ...`, from the cell's
 * flow view. The cell facts record where a name is bound but not the value, and a few rules need
 * it (is `df` bound to a literal, a call, a lambda? which path does `MODEL_PATH` hold?).
 */
import { offsetAt } from '../notebook/positions';
import type { AnalysedNotebook } from './analysed-notebook';
import type { GlobalDefinition } from './graph';
import type { CellFacts } from '../python/facts';
import type { FlowExpr } from '../python/flow';
import { moduleAssignments } from '../python/expressions';

/** The value of one assignment, as text and expression. */
export interface AssignedValue {
  /** The value's source text. */
  text: string;
  /** UTF-16 offset of the value in the cell's source. */
  start: number;
  /** The value's expression (offsets into the cell's source). */
  expr: FlowExpr;
}

/**
 * The value that a plain assignment (`x = value`, `x: T = value`, `a = b = value`) binds to the
 * defined name. Undefined for other binding kinds and for names unpacked from a tuple or list
 * target (`a, b = f()`), whose value is only one element of the right-hand side.
 */
export function assignedValue(analysed: AnalysedNotebook, definition: GlobalDefinition): AssignedValue | undefined {
  const cell = analysed.cells[definition.cell];
  if (!cell?.python || !cell.facts) return undefined;
  return assignedValueInCell(cell.python, cell.facts, definition);
}

/** assignedValue for a definition of the cell whose masked source is `python` and facts `facts`. */
export function assignedValueInCell(
  python: string,
  facts: CellFacts,
  definition: Pick<GlobalDefinition, 'kind' | 'deferred' | 'range'>,
): AssignedValue | undefined {
  return assignedValueIn(python, facts, definition, false);
}

/**
 * The whole right-hand side of an unpacking assignment that binds `definition`'s name
 * (`a, b = range(2)`, `rows, cols = 28, 28`). Undefined for other bindings; a plain
 * assignment's value is `assignedValue`.
 */
export function unpackedValue(analysed: AnalysedNotebook, definition: GlobalDefinition): AssignedValue | undefined {
  const cell = analysed.cells[definition.cell];
  if (!cell?.python || !cell.facts) return undefined;
  return assignedValueIn(cell.python, cell.facts, definition, true);
}

function assignedValueIn(
  python: string,
  facts: CellFacts,
  definition: Pick<GlobalDefinition, 'kind' | 'deferred' | 'range'>,
  unpacked: boolean,
): AssignedValue | undefined {
  if (definition.kind !== 'assign' || definition.deferred || facts.flow === undefined) return undefined;
  const assigned = moduleAssignments(facts.flow).get(offsetAt(python, definition.range.start));
  if (assigned === undefined || assigned.unpacked !== unpacked) return undefined;
  // The value depends on the cell's text alone: kept per value expression (same source, same object).
  let value = valueCache.get(assigned.value);
  if (value === undefined) {
    const { start, end } = assigned.value;
    const text = python.slice(start, end);
    // Shared by every caller (cached): frozen.
    value = Object.freeze({ text, start, expr: assigned.value });
    valueCache.set(assigned.value, value);
  }
  return value;
}

const valueCache = new WeakMap<FlowExpr, AssignedValue>();
