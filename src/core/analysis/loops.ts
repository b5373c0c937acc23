/**
 * Loop-carried values. In `for i in range(n):\n    if i == 0: pred = y\n    else: pred = pred + y`
 * the read of `pred` stands before (or beside) the line that binds it, yet from the second
 * iteration on it reads the value the loop itself bound, and a re-run of the cell binds it
 * afresh. Python lays blocks out by indentation, so the loops enclosing a position are the
 * `for`/`while` headers found walking up to ever smaller indentation.
 */
import { assignedValueInCell } from './assigned-values';
import { readsName, rebuildsFromItself } from './self-updates';
import type { CellFacts, Definition } from '../python/facts';
import { offsetAt } from '../notebook/positions';

const LOOP_HEADER = /^(?:async\s+)?(?:for|while)\b/;

/** The 0-based lines of the `for`/`while` headers that enclose `offset`, innermost first. */
export function enclosingLoops(source: string, offset: number): number[] {
  const lines = source.split('\n');
  let line = source.slice(0, offset).split('\n').length - 1;
  let indent = indentOf(lines[line] ?? '');
  const loops: number[] = [];
  while (indent > 0 && --line >= 0) {
    const text = lines[line] ?? '';
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const own = indentOf(text);
    if (own >= indent) continue;
    indent = own;
    if (LOOP_HEADER.test(trimmed)) loops.push(line);
  }
  return loops;
}

/** Whether one loop encloses both offsets of a cell's source. */
export function inSameLoop(source: string, a: number, b: number): boolean {
  const outer = enclosingLoops(source, a);
  return outer.length > 0 && enclosingLoops(source, b).some((line) => outer.includes(line));
}

/**
 * Whether `name`, read at `offset`, is a loop-carried value: a loop around the read also binds
 * the name from something else than itself (`pred = y`, not `pred = pred + y`), so every
 * iteration but the first reads the loop's own value and a re-run starts it over.
 */
export function loopCarried(python: string, facts: CellFacts, name: string, offset: number): boolean {
  return facts.defs.some((d: Definition) => {
    if (d.name !== name || d.deferred || d.kind === 'augassign') return false;
    if (!inSameLoop(python, offset, d.offset ?? offsetAt(python, d.range.start))) return false;
    const value = assignedValueInCell(python, facts, d);
    return value === undefined ? d.kind !== 'assign' : !readsName(value.expr, name) && !rebuildsFromItself(value.expr, name);
  });
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}
