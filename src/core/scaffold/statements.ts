/**
 * The notebook as one list of top-level statements in document order, each with what it binds,
 * reads, changes and calls. Module extraction slices and moves statements, not cells: one cell
 * often mixes configuration, preprocessing, the split and a print.
 */
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import { offsetAt } from '../notebook/positions';
import type { Call, FunctionFacts, ImportFact } from '../python/facts';
import type { FlowExpr, FlowStatement } from '../python/flow';

/** One top-level statement of a code cell. */
export interface Statement {
  /** 0-based index among all cells. */
  cell: number;
  /** Position in document order over the whole notebook. */
  order: number;
  /** UTF-16 offsets of the statement itself in the cell's (magic-masked) source. */
  start: number;
  end: number;
  /** The cell's masked source, for slicing expression text at flow offsets. */
  python: string;
  /** The flow view of the statement; undefined for imports and statements flow ignores. */
  flow?: FlowStatement;
  /** Global names bound (eagerly) by the statement. */
  defs: string[];
  /** Each eager binding with the offset from which it takes effect (a loop body sees its target, `x = x + 1` does not). */
  bindings: Array<{ name: string; offset: number }>;
  /** Global names read while the statement runs, with their offsets. */
  uses: Array<{ name: string; offset: number }>;
  /** Global names read later, by functions or lambdas the statement defines. */
  deferredUses: Array<{ name: string; offset: number }>;
  /** Root names of objects the statement changes in place. */
  mutated: string[];
  /** Calls made while the statement runs (function bodies excluded). */
  calls: Call[];
  /** Import facts, for import statements. */
  imports: ImportFact[];
  /** Functions the statement defines (a `def` at top level and what it contains). */
  functions: FunctionFacts[];
}

/** Every top-level statement of every parsed code cell, in document order. */
export function notebookStatements(analysed: AnalysedNotebook): Statement[] {
  const statements: Statement[] = [];
  for (const { cell, python, facts } of analysed.cells) {
    if (python === null || facts === null) continue;
    const spans = new Map<number, { end: number; flow?: FlowStatement }>();
    for (const flow of facts.flow ?? []) spans.set(flow.start, { end: flow.end, flow });
    for (const def of facts.defs) {
      if (def.statementStart !== undefined && !spans.has(def.statementStart)) {
        spans.set(def.statementStart, { end: Math.max(def.bindOffset ?? def.statementStart, def.statementStart) });
      }
    }
    const sorted = [...spans.entries()].sort((a, b) => a[0] - b[0]);
    for (const [start, { end, flow }] of sorted) {
      // The placeholder masking a cell magic's line (`%%time`) is not the notebook's code.
      if (cell.source.startsWith('%%', start)) continue;
      const within = (offset: number): boolean => offset >= start && offset < Math.max(end, start + 1);
      const statement: Statement = {
        cell: cell.index,
        order: statements.length,
        start,
        end,
        python,
        ...(flow ? { flow } : {}),
        defs: unique(facts.defs.filter((d) => !d.deferred && d.statementStart === start && d.name !== '*').map((d) => d.name)),
        bindings: facts.defs
          .filter((d) => !d.deferred && d.statementStart === start && d.name !== '*')
          .map((d) => ({ name: d.name, offset: d.bindOffset ?? d.offset ?? offsetAt(python, d.range.start) })),
        uses: facts.uses
          .filter((u) => !u.deferred && u.statementStart === start)
          .map((u) => ({ name: u.name, offset: u.offset ?? offsetAt(python, u.range.start) })),
        deferredUses: facts.uses
          .filter((u) => u.deferred && u.statementStart === start)
          .map((u) => ({ name: u.name, offset: u.offset ?? offsetAt(python, u.range.start) })),
        mutated: unique(facts.mutations.filter((m) => !m.deferred && within(offsetAt(python, m.range.start))).map((m) => m.name)),
        calls: facts.calls.filter((c) => !c.deferred && within(offsetAt(python, c.range.start))),
        imports: facts.imports.filter((i) => within(offsetAt(python, i.range.start))),
        functions: facts.functions.filter((f) => within(offsetAt(python, f.range.start))),
      };
      statements.push(statement);
    }
  }
  return statements;
}

/** The statement's source text, with comment lines right above it and a comment ending its last line. */
export function statementText(statement: Statement): { text: string; offset: number } {
  const { python } = statement;
  let begin = python.lastIndexOf('\n', statement.start - 1) + 1;
  // Comment lines directly above belong to the statement (they usually explain it).
  for (;;) {
    const previousEnd = begin - 1;
    if (previousEnd <= 0) break;
    const previousStart = python.lastIndexOf('\n', previousEnd - 1) + 1;
    if (!python.slice(previousStart, previousEnd).trimStart().startsWith('#')) break;
    begin = previousStart;
  }
  let finish = python.indexOf('\n', statement.end);
  if (finish < 0) finish = python.length;
  const tail = python.slice(statement.end, finish);
  const end = /^\s*#/.test(tail) ? finish : statement.end;
  return { text: python.slice(begin, end), offset: begin };
}

/**
 * The names a group of statements reads (or changes in place) before one of its own statements
 * binds them, in order of first read: the parameters of the function the group becomes. A name
 * the group binds first and reads after is a local.
 */
export function readBeforeBound(group: readonly Statement[]): string[] {
  const bound = new Set<string>();
  const params = new Set<string>();
  for (const s of group) {
    // A loop binds its variable before its body reads it.
    if (s.flow?.kind === 'for') for (const name of boundNames(s.flow.target)) bound.add(name);
    // A read after the statement's own binding of the name took effect is local: a name assigned
    // earlier in the same loop body (`for c in cols: t = f(c); g(t)`).
    const local = (name: string, offset: number): boolean => s.bindings.some((b) => b.name === name && b.offset <= offset);
    for (const use of s.uses) if (!bound.has(use.name) && !local(use.name, use.offset)) params.add(use.name);
    for (const name of s.mutated) if (!bound.has(name)) params.add(name);
    for (const name of s.defs) bound.add(name);
  }
  return [...params];
}

function boundNames(target: FlowExpr): string[] {
  if (target.kind === 'name') return [target.name];
  if (target.kind === 'tuple' || target.kind === 'list') return target.items.flatMap(boundNames);
  return [];
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
