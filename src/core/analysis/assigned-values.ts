/**
 * What a global assignment binds: the source text of the value on the right of `name = ...`.
 * The cell facts record where a name is bound but not the value, and a few rules need it (is
 * `df` bound to a literal, a call, a lambda? which path does `MODEL_PATH` hold?).
 */
import { offsetAt } from '../notebook/positions';
import type { AnalysedNotebook } from './analysed-notebook';
import type { GlobalDefinition } from './graph';
import { tokenize, type Token } from './python-tokens';

/** The value of one assignment, as text and tokens. */
export interface AssignedValue {
  /** The value's source text. */
  text: string;
  /** UTF-16 offset of the value in the cell's source. */
  start: number;
  /** The value's tokens, with offsets relative to `start` and depth relative to the value. */
  tokens: Token[];
}

/**
 * The value that a plain assignment (`x = value`, `x: T = value`, `a = b = value`) binds to the
 * defined name. Undefined for other binding kinds and for names unpacked from a tuple or list
 * target (`a, b = f()`), whose value is only one element of the right-hand side.
 */
export function assignedValue(analysed: AnalysedNotebook, definition: GlobalDefinition): AssignedValue | undefined {
  if (definition.kind !== 'assign' || definition.deferred) return undefined;
  const python = analysed.cells[definition.cell]?.python;
  if (python === null || python === undefined) return undefined;
  const nameStart = offsetAt(python, definition.range.start);
  if (isUnpackTarget(python, nameStart)) return undefined;
  const statement = python.slice(nameStart, definition.bindOffset);
  const tokens = tokenize(statement);
  let equals = tokens.findIndex((t) => t.depth === 0 && t.kind === 'op' && t.text === '=');
  if (equals < 0) return undefined;
  if (tokens.slice(1, equals).some((t) => t.depth === 0 && t.text === ',')) return undefined;
  // `a = b = value`: skip further plain targets, but not the `=` of a lambda's default.
  for (;;) {
    const next = tokens.findIndex((t, i) => i > equals && t.depth === 0 && t.kind === 'op' && t.text === '=');
    if (next < 0 || tokens.slice(equals + 1, next).some((t) => t.kind === 'name' && t.text === 'lambda')) break;
    equals = next;
  }
  const first = tokens[equals + 1];
  if (first === undefined) return undefined;
  const last = tokens[tokens.length - 1] as Token;
  const text = statement.slice(first.start, last.end);
  return {
    text,
    start: nameStart + first.start,
    tokens: tokens.slice(equals + 1).map((t) => ({ ...t, start: t.start - first.start, end: t.end - first.start })),
  };
}

/** Whether the name at `offset` is one element of an unpacking target (`a, b = ...`, `[a, *b] = ...`). */
function isUnpackTarget(python: string, offset: number): boolean {
  let i = offset - 1;
  while (i >= 0 && (python[i] === ' ' || python[i] === '\t')) i--;
  return i >= 0 && /[,([*]/.test(python[i] as string);
}
