/**
 * Statements that bind global names nobody can list without running them: `globals()[k] = v`,
 * `globals().update(d)`, `locals()[k] = v` and `vars()[k] = v` at module level (where locals
 * are the globals), and `exec(code)` at module level or with `globals()` as its namespace.
 * After one, the analysis cannot tell which names exist, so they count as a wildcard, like a
 * star import.
 */
import { offsetAt } from '../notebook/positions';
import type { Call, CellFacts } from '../python/facts';

/** Where one dynamic binding is, and from which offset its names exist. */
export interface DynamicBinding {
  call: Call;
  /** Offset in the cell source after which the names may exist (the end of the call). */
  bindOffset: number;
}

/** The dict-writing methods that can add a key (a name). */
const WRITES = /^\s*\.\s*(?:update|setdefault|__setitem__)\s*\(/;

/** The dynamic bindings of one cell, in source order. */
export function dynamicBindings(facts: CellFacts, python: string): DynamicBinding[] {
  const found: DynamicBinding[] = [];
  for (const call of facts.calls) {
    const end = offsetAt(python, call.range.end);
    if (isNamespaceWrite(call, python, end) || isExec(call)) found.push({ call, bindOffset: end });
  }
  return found;
}

/** `globals()[k] = v` anywhere; `locals()[k] = v`, `vars()[k] = v` at module level only. */
function isNamespaceWrite(call: Call, python: string, end: number): boolean {
  if (call.args.length > 0) return false;
  if (call.callee !== 'globals' && !((call.callee === 'locals' || call.callee === 'vars') && !call.deferred)) return false;
  const after = python.slice(end, end + 200);
  return WRITES.test(after) || subscriptAssigned(after);
}

/** `[...] = ` (not `==`) right after the call. */
function subscriptAssigned(after: string): boolean {
  const open = /^\s*\[/.exec(after);
  if (!open) return false;
  let depth = 0;
  for (let i = open[0].length - 1; i < after.length; i++) {
    const ch = after[i];
    if (ch === '[' || ch === '(' || ch === '{') depth++;
    else if (ch === ']' || ch === ')' || ch === '}') depth--;
    if (depth === 0) return /^\s*=(?!=)/.test(after.slice(i + 1));
  }
  return false;
}

/** `exec(code)` binds in the globals at module level, or anywhere when given `globals()`. */
function isExec(call: Call): boolean {
  if (call.callee !== 'exec' && call.callee !== 'execfile') return false;
  return !call.deferred || call.args.some((a) => a.text.replace(/\s+/g, '') === 'globals()');
}
