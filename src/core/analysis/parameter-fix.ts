/**
 * The NB106 quick fix as plain edits: add a parameter to a notebook function and pass the global
 * of the same name as a keyword argument at every direct call in the notebook, plus the reasons
 * why doing so might change behaviour (the function escapes, or a call site sees another value).
 */
import type { CellTextEdit, Fix, Range } from '../diagnostic';
import { offsetAt, positionAt } from '../notebook/positions';
import type { FunctionFacts } from '../python/facts';
import type { AnalysedNotebook } from './analysed-notebook';
import type { GlobalUse } from './graph';
import { identity, perAnalysis } from './memo';

/** A function together with the cell it is defined in. */
export interface LocatedFunction {
  cell: number;
  fn: FunctionFacts;
}

/**
 * The fix that makes `located.fn` take `name` as a parameter, or undefined when no fix can be
 * written: lambdas, methods and nested defs (their call sites cannot be found from notebook
 * globals), functions bound more than once, functions that declare `name` global, and calls
 * whose argument list cannot be extended by text alone (a bare generator argument).
 */
export function addParameterFix(analysed: AnalysedNotebook, located: LocatedFunction, name: string, uses = usesByName(analysed)): Fix | undefined {
  const { cell, fn } = located;
  // What the fix reads: the function's cell (its facts object holds `fn`), how often the notebook
  // binds the function, and the cells of its callers (each read object stays while its cell does).
  const callers = uses.get(fn.name) ?? [];
  const key = `${cell}|${name}|${(analysed.graph.definitions.get(fn.name) ?? []).length}|${callers.map(identity).join(',')}`;
  let fixes = fixCache.get(fn);
  if (fixes === undefined) fixCache.set(fn, (fixes = new Map()));
  if (fixes.has(key)) return fixes.get(key);
  const fix = computeFix(analysed, located, name, callers);
  fixes.set(key, fix);
  return fix;
}

/** Fixes kept per function across analyses (shared: frozen). */
const fixCache = new WeakMap<FunctionFacts, Map<string, Fix | undefined>>();

function computeFix(analysed: AnalysedNotebook, { cell, fn }: LocatedFunction, name: string, callers: readonly GlobalUse[]): Fix | undefined {
  const python = analysed.cells[cell]?.python;
  if (python === null || python === undefined || fn.kind !== 'def') return undefined;
  if ((analysed.graph.definitions.get(fn.name) ?? []).length !== 1) return undefined;
  const declaresGlobal = analysed.cells[cell]?.facts?.defs.some((d) => d.name === name && d.kind === 'global' && inside(d.range, fn.range));
  if (declaresGlobal === true) return undefined;
  const signature = parameterEdit(python, fn, name);
  if (signature === undefined) return undefined;
  const edits: CellTextEdit[] = [{ cell, ...signature }];
  const risks: string[] = [];
  if (python.startsWith('@', offsetAt(python, fn.range.start))) risks.push('decorated');
  for (const use of callers) {
    const facts = analysed.cells[use.cell]?.facts;
    const source = analysed.cells[use.cell]?.python;
    const call = facts?.calls.find((c) => c.callee === fn.name && sameRange(c.calleeRange, use.range));
    if (call === undefined || facts === null || facts === undefined || source === null || source === undefined) {
      risks.push('escapes');
      continue;
    }
    const argument = callArgumentEdit(source, call.range, call.calleeRange, call.args, name);
    if (argument === undefined) return undefined;
    edits.push({ cell: use.cell, ...argument });
    // Inside another function `name` may be a local or parameter there, not the global.
    const enclosing = innermost(facts.functions, call.range);
    const isSelf = use.cell === cell && enclosing !== undefined && sameRange(enclosing.range, fn.range);
    if (enclosing !== undefined && !isSelf && !enclosing.globalReads.some((r) => r.name === name)) risks.push('other-scope');
  }
  const calls = edits.length - 1;
  return Object.freeze({
    title: `Add parameter \`${name}\` to \`${fn.name}\`${calls > 0 ? ` and pass it at ${calls} call site${calls === 1 ? '' : 's'}` : ''}`,
    safety: risks.length === 0 ? 'safe' : 'unsafe',
    edits: Object.freeze(edits) as CellTextEdit[],
  });
}

/** Every global read, grouped by name (once per analysis). */
export const usesByName = perAnalysis((analysed): ReadonlyMap<string, readonly GlobalUse[]> => {
  const byName = new Map<string, GlobalUse[]>();
  for (const use of analysed.graph.uses) {
    const list = byName.get(use.name);
    if (list) list.push(use);
    else byName.set(use.name, [use]);
  }
  return byName;
});

/**
 * Where and how to add `name` to the def's parameter list so that every existing call stays
 * valid once it passes `name=name`: as the last positional-or-keyword parameter when that is
 * legal, as keyword-only after `*`/`*args`, or after a new `*` when earlier parameters have
 * defaults (a parameter without a default cannot follow one with a default). Always before `**kwargs`.
 */
function parameterEdit(python: string, fn: FunctionFacts, name: string): { range: Range; newText: string } | undefined {
  const list = fn.parameterList;
  if (list === undefined) return undefined;
  const items = list.items;
  const starAt = items.findIndex((p) => p.kind === '*' || p.kind === '*args');
  const kwargsAt = items.findIndex((p) => p.kind === '**kwargs');
  const positional = items.slice(0, starAt < 0 ? (kwargsAt < 0 ? items.length : kwargsAt) : starAt);
  const hasDefault = positional.some((p) => p.kind === 'default');
  const keywordOnly = starAt >= 0;
  const prefix = !keywordOnly && hasDefault ? '*, ' : '';
  const at = (offset: number): Range => {
    const position = positionAt(python, offset);
    return { start: position, end: position };
  };
  const kwargs = kwargsAt >= 0 ? items[kwargsAt] : undefined;
  if (kwargs !== undefined) return { range: at(kwargs.start), newText: `${prefix}${name}, ` };
  const last = items.at(-1);
  if (last === undefined) return { range: at(list.start + 1), newText: name };
  return { range: at(last.end), newText: `, ${prefix}${name}` };
}

/** The edit that appends `name=name` to a call's arguments. */
function callArgumentEdit(
  python: string,
  call: Range,
  callee: Range,
  args: readonly { range: Range }[],
  name: string,
): { range: Range; newText: string } | undefined {
  const last = args.at(-1);
  const callEnd = offsetAt(python, call.end);
  if (last === undefined) {
    const paren = python.indexOf('(', offsetAt(python, callee.end));
    if (paren < 0 || paren >= callEnd) return undefined;
    const position = positionAt(python, paren + 1);
    return { range: { start: position, end: position }, newText: `${name}=${name}` };
  }
  // A lone generator argument owns the call's parentheses: `f(x for x in y)`.
  if (offsetAt(python, last.range.end) === callEnd) return undefined;
  return { range: { start: last.range.end, end: last.range.end }, newText: `, ${name}=${name}` };
}

/** The innermost function whose definition contains `range`. */
function innermost(functions: readonly FunctionFacts[], range: Range): FunctionFacts | undefined {
  let found: FunctionFacts | undefined;
  for (const fn of functions) if (inside(range, fn.range) && (found === undefined || inside(fn.range, found.range))) found = fn;
  return found;
}

/** Whether `inner` lies within `outer`. */
export function inside(inner: Range, outer: Range): boolean {
  return compare(outer.start, inner.start) <= 0 && compare(inner.end, outer.end) <= 0;
}

function sameRange(a: Range, b: Range): boolean {
  return compare(a.start, b.start) === 0 && compare(a.end, b.end) === 0;
}

function compare(a: Range['start'], b: Range['start']): number {
  return a.line - b.line || a.character - b.character;
}
