/**
 * What a global assignment binds: the source text of the value on the right of `name = ...`.
 * The cell facts record where a name is bound but not the value, and a few rules need it (is
 * `df` bound to a literal, a call, a lambda? which path does `MODEL_PATH` hold?).
 */
import { offsetAt } from '../notebook/positions';
import type { AnalysedNotebook } from './analysed-notebook';
import type { GlobalDefinition } from './graph';
import type { CellFacts } from '../python/facts';
import { tokenize, type Token } from './python-tokens';

/** The value of one assignment, as text and tokens. */
export interface AssignedValue {
  /** The value's source text. */
  text: string;
  /** UTF-16 offset of the value in the cell's source. */
  start: number;
  /** The value's tokens, with offsets relative to `start` and depth relative to the value. */
  tokens: readonly Token[];
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
export function assignedValueInCell(python: string, facts: CellFacts, definition: Pick<GlobalDefinition, 'kind' | 'deferred' | 'range' | 'bindOffset'>): AssignedValue | undefined {
  if (definition.kind !== 'assign' || definition.deferred) return undefined;
  const nameStart = offsetAt(python, definition.range.start);
  // The value depends on the cell's text alone: kept per facts (same source, same object).
  let values = valueCache.get(facts);
  if (values === undefined) valueCache.set(facts, (values = new Map()));
  const key = nameStart * 0x100000 + definition.bindOffset;
  if (values.has(key)) return values.get(key);
  const value = readValue(python, nameStart, definition.bindOffset);
  values.set(key, value);
  return value;
}

const valueCache = new WeakMap<CellFacts, Map<number, AssignedValue | undefined>>();

function readValue(python: string, nameStart: number, bindOffset: number): AssignedValue | undefined {
  if (isUnpackTarget(python, nameStart)) return undefined;
  const statement = python.slice(nameStart, bindOffset);
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
  return Object.freeze({
    text,
    start: nameStart + first.start,
    // Shared by every caller (cached): frozen.
    tokens: Object.freeze(tokens.slice(equals + 1).map((t) => ({ ...t, start: t.start - first.start, end: t.end - first.start }))),
  });
}

/** Whether the name at `offset` is one element of an unpacking target (`a, b = ...`, `[a, *b] = ...`). */
function isUnpackTarget(python: string, offset: number): boolean {
  let i = offset - 1;
  while (i >= 0 && (python[i] === ' ' || python[i] === '\t')) i--;
  return i >= 0 && /[,([*]/.test(python[i] as string);
}

/**
 * The whole right-hand side of an unpacking assignment that binds `definition`'s name
 * (`a, b = range(2)`, `rows, cols = 28, 28`), when the target sits on one line. Undefined for
 * other bindings; a plain assignment's value is `assignedValue`.
 */
export function unpackedValue(analysed: AnalysedNotebook, definition: GlobalDefinition): AssignedValue | undefined {
  const cell = analysed.cells[definition.cell];
  if (definition.kind !== 'assign' || definition.deferred || !cell?.python) return undefined;
  const python = cell.python;
  const nameStart = offsetAt(python, definition.range.start);
  const lineStart = python.lastIndexOf('\n', nameStart - 1) + 1;
  const statement = python.slice(lineStart, definition.bindOffset);
  const tokens = tokenize(statement);
  const equals = tokens.findIndex((t) => t.depth === 0 && t.kind === 'op' && t.text === '=');
  if (equals < 0 || !tokens.slice(0, equals).some((t) => t.text === ',')) return undefined;
  if (tokens.slice(0, equals).some((t) => t.kind !== 'name' && t.kind !== 'open' && t.kind !== 'close' && t.text !== ',' && t.text !== '*')) return undefined;
  if (tokens.slice(equals + 1).some((t) => t.depth === 0 && t.kind === 'op' && t.text === '=')) return undefined;
  const first = tokens[equals + 1];
  const last = tokens.at(-1);
  if (first === undefined || last === undefined) return undefined;
  return {
    text: statement.slice(first.start, last.end),
    start: lineStart + first.start,
    tokens: tokens.slice(equals + 1).map((t) => ({ ...t, start: t.start - first.start, end: t.end - first.start })),
  };
}
