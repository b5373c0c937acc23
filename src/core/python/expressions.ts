/**
 * Questions about the flow view's expressions that several analyses ask: the children of an
 * expression, whether any sub-expression matches, the dotted name an expression spells, and
 * which value each module-level assignment binds to which name. Plain functions over plain
 * data: the flow view is built once per cell with its facts.
 */
import type { FlowExpr, FlowStatement } from './flow';

/** The direct sub-expressions of `expr`, in source order. */
export function subExpressions(expr: FlowExpr): FlowExpr[] {
  switch (expr.kind) {
    case 'attribute':
      return [expr.object];
    case 'subscript':
      return [expr.object, ...expr.index];
    case 'slice':
      return [expr.lower, expr.upper, expr.step].filter((e): e is FlowExpr => e !== undefined);
    case 'call':
      return [expr.callee, ...expr.args.map((a) => a.value)];
    case 'tuple':
    case 'list':
    case 'set':
    case 'dict':
      return expr.items;
    case 'starred':
      return [expr.value];
    case 'operator':
      return expr.operands;
    case 'lambda':
      return expr.body === undefined ? [] : [expr.body];
    case 'other':
      return expr.parts;
    default:
      return [];
  }
}

/** Whether `expr` or any expression inside it satisfies `test` (depth first, stops at the first). */
export function someExpr(expr: FlowExpr, test: (e: FlowExpr) => boolean): boolean {
  if (test(expr)) return true;
  for (const child of subExpressions(expr)) if (someExpr(child, test)) return true;
  return false;
}

/** The parts of a dotted name (`pd.read_csv` gives `['pd', 'read_csv']`), or undefined for other expressions. */
export function dottedParts(expr: FlowExpr): string[] | undefined {
  if (expr.kind === 'name') return [expr.name];
  if (expr.kind !== 'attribute') return undefined;
  const head = dottedParts(expr.object);
  return head === undefined ? undefined : [...head, expr.attribute];
}

/** What an assignment binds to one name. */
export interface AssignedExpression {
  /** The whole right-hand side. */
  value: FlowExpr;
  /**
   * True when the name is one element of an unpacking target (`a, b = f()`, `[a, *rest] = xs`),
   * so that it gets one part of `value` only; false for `x = value`, `x: T = value`, `a = b = value`.
   */
  unpacked: boolean;
}

const assignmentCache = new WeakMap<readonly FlowStatement[], ReadonlyMap<number, AssignedExpression>>();

/**
 * The plain assignments (`=`, not `+=`) that run at module level, keyed by the offset of each
 * name they bind: statements inside `if`, `for`, `while`, `try` and `with` blocks count, function
 * and class bodies do not. Built once per flow view.
 */
export function moduleAssignments(flow: readonly FlowStatement[]): ReadonlyMap<number, AssignedExpression> {
  let found = assignmentCache.get(flow);
  if (found === undefined) {
    const byName = new Map<number, AssignedExpression>();
    collectAssignments(flow, byName);
    found = byName;
    assignmentCache.set(flow, found);
  }
  return found;
}

function collectAssignments(statements: readonly FlowStatement[], out: Map<number, AssignedExpression>): void {
  for (const statement of statements) {
    if (statement.kind === 'assign') {
      if (statement.operator !== undefined) continue;
      for (const target of statement.targets) {
        if (target.kind === 'name') out.set(target.start, { value: statement.value, unpacked: false });
        // Only `a, (b, *c) = ...` of plain names, alone: with a subscript among them or more targets, which part goes where is unclear.
        else if (statement.targets.length === 1 && plainUnpacking(target))
          forEachUnpackedName(target, (name) => out.set(name.start, { value: statement.value, unpacked: true }));
      }
    } else if (statement.kind === 'for' || statement.kind === 'block') {
      collectAssignments(statement.body, out);
    }
  }
}

function forEachUnpackedName(target: FlowExpr, visit: (name: FlowExpr) => void): void {
  if (target.kind === 'name') visit(target);
  else if (target.kind === 'starred') forEachUnpackedName(target.value, visit);
  else if (target.kind === 'tuple' || target.kind === 'list') for (const item of target.items) forEachUnpackedName(item, visit);
}

function plainUnpacking(target: FlowExpr): boolean {
  if (target.kind === 'name') return true;
  if (target.kind === 'starred') return plainUnpacking(target.value);
  return (target.kind === 'tuple' || target.kind === 'list') && target.items.every(plainUnpacking);
}

/**
 * The expressions that start where `expr` starts, from `expr` down to the one its first token
 * belongs to: for `df.a.fillna(0) * 2` the product, the call, `df.a.fillna`, `df.a` and `df`.
 */
export function leftmostPath(expr: FlowExpr): FlowExpr[] {
  const path = [expr];
  for (let current = expr; ; ) {
    const first = subExpressions(current)[0];
    if (first === undefined || first.start !== current.start) return path;
    path.push(first);
    current = first;
  }
}

/** An assignment statement of the flow view (`=` or augmented). */
export type FlowAssignment = Extract<FlowStatement, { kind: 'assign' }>;

const statementCache = new WeakMap<readonly FlowStatement[], ReadonlyMap<number, FlowAssignment>>();

/** Every assignment statement of a cell, at any depth (function and class bodies too), keyed by its start offset. */
export function assignmentsByStart(flow: readonly FlowStatement[]): ReadonlyMap<number, FlowAssignment> {
  let found = statementCache.get(flow);
  if (found === undefined) {
    const byStart = new Map<number, FlowAssignment>();
    const collect = (statements: readonly FlowStatement[]): void => {
      for (const statement of statements) {
        if (statement.kind === 'assign') byStart.set(statement.start, statement);
        else if (statement.kind === 'for' || statement.kind === 'block' || statement.kind === 'def' || statement.kind === 'class') collect(statement.body);
      }
    };
    collect(flow);
    found = byStart;
    statementCache.set(flow, found);
  }
  return found;
}

const spanCache = new WeakMap<readonly FlowStatement[], ReadonlyMap<string, FlowExpr>>();

/**
 * The expression of a cell that spans exactly `start`..`end` (the outermost one when several
 * do), or undefined when no statement of the flow view holds one there. Indexed once per cell.
 */
export function expressionAt(flow: readonly FlowStatement[], start: number, end: number): FlowExpr | undefined {
  let bySpan = spanCache.get(flow);
  if (bySpan === undefined) {
    const index = new Map<string, FlowExpr>();
    const add = (expr: FlowExpr): void => {
      const key = `${expr.start}:${expr.end}`;
      if (!index.has(key)) index.set(key, expr);
      for (const child of subExpressions(expr)) add(child);
    };
    const walk = (statements: readonly FlowStatement[]): void => {
      for (const statement of statements) {
        switch (statement.kind) {
          case 'assign':
            statement.targets.forEach(add);
            add(statement.value);
            break;
          case 'expression':
            add(statement.value);
            break;
          case 'return':
            if (statement.value !== undefined) add(statement.value);
            break;
          case 'for':
            add(statement.target);
            add(statement.iterable);
            walk(statement.body);
            break;
          case 'block':
            statement.tests.forEach(add);
            walk(statement.body);
            break;
          case 'class':
            statement.bases.forEach(add);
            walk(statement.body);
            break;
          case 'def':
            walk(statement.body);
            break;
        }
      }
    };
    walk(flow);
    bySpan = index;
    spanCache.set(flow, bySpan);
  }
  return bySpan.get(`${start}:${end}`);
}
