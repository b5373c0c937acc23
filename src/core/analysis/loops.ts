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

/** A block header that encloses a position: its 0-based line and its text without indentation. */
interface BlockHeader {
  line: number;
  text: string;
}

/** The headers of the blocks (`for`, `if`, `else`, `with`, ...) that enclose `offset`, innermost first. */
function enclosingBlocks(source: string, offset: number): BlockHeader[] {
  const lines = source.split('\n');
  let line = source.slice(0, offset).split('\n').length - 1;
  let indent = indentOf(lines[line] ?? '');
  const blocks: BlockHeader[] = [];
  while (indent > 0 && --line >= 0) {
    const text = lines[line] ?? '';
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const own = indentOf(text);
    if (own >= indent) continue;
    indent = own;
    blocks.push({ line, text: trimmed });
  }
  return blocks;
}

/** The 0-based lines of the `for`/`while` headers that enclose `offset`, innermost first. */
export function enclosingLoops(source: string, offset: number): number[] {
  return enclosingBlocks(source, offset)
    .filter((b) => LOOP_HEADER.test(b.text))
    .map((b) => b.line);
}

/**
 * Blocks whose body runs whenever the block is reached: a `for` over a non-empty sequence (the
 * common case), `with`, and a `try` body. An `if`, `elif`, `else`, `except`, `while` or `match`
 * body may be skipped, and a `def` or `class` body runs at another time.
 */
const UNCONDITIONAL_HEADER = /^(?:(?:async\s+)?(?:for|with)\b|try\s*:)/;

/** Keywords that make part of a line conditional or repeated: `x if c else y`, `a and b`, comprehensions, lambdas. */
const CONDITIONAL_IN_LINE = /\b(?:if|else|and|or|for|while|lambda)\b/;

/**
 * Whether a read at `offset` runs on the first iteration of the innermost loop that encloses
 * both it and `definitionOffset`, before anything can have bound the name: no condition stands
 * between the read and that loop, in a block header or in the read's own line. Then a loop that
 * binds the name only further down (`for f in files:\n    total += n\n    n = len(f)`) raises
 * `NameError` on its first iteration, whereas an `if i > 0: pred = pred + y` / `else: pred = y`
 * read is guarded and runs only after the `else` branch bound the name.
 */
export function readOnFirstIteration(source: string, offset: number, definitionOffset: number): boolean {
  const shared = new Set(enclosingLoops(source, definitionOffset));
  const lines = source.split('\n');
  const readLine = source.slice(0, offset).split('\n').length - 1;
  if (CONDITIONAL_IN_LINE.test(lines[readLine] ?? '')) return false;
  for (const block of enclosingBlocks(source, offset)) {
    if (shared.has(block.line)) return true;
    if (!UNCONDITIONAL_HEADER.test(block.text)) return false;
  }
  return false;
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
