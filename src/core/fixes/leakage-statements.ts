/**
 * What the leakage fixes need to rewrite module-level statements as text: finding the statement
 * a provenance event happened in, reading its parts, and edits that remove, replace or add whole
 * statements. Everything works on the cells' flow view (src/core/python/flow.ts) and the
 * notebook graph, so a fix only touches statements it fully understands.
 */
import type { CellTextEdit } from '../diagnostic';
import { offsetAt, positionAt } from '../notebook/positions';
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import type { Location } from '../analysis/provenance';
import type { GlobalUse } from '../analysis/graph';
import type { FlowExpr, FlowStatement } from '../python/flow';

/** A place in the notebook in document order: a cell and an offset in its source. */
export interface Spot {
  cell: number;
  offset: number;
}

/** A module-level statement of one cell, with the cell's Python. */
export interface TopStatement {
  cell: number;
  python: string;
  statement: FlowStatement;
}

/** A call expression of the flow view. */
export type CallExpr = Extract<FlowExpr, { kind: 'call' }>;

/** The module-level statement that contains a provenance event's call, with the call's offsets. */
export function statementAt(analysed: AnalysedNotebook, location: Location): { top: TopStatement; start: number; end: number } | undefined {
  const cell = analysed.cells[location.cell];
  const python = cell?.python;
  if (python == null || cell?.facts == null) return undefined;
  const start = offsetAt(python, location.range.start);
  const end = offsetAt(python, location.range.end);
  const statement = cell.facts.flow?.find((s) => s.start <= start && end <= s.end);
  return statement === undefined ? undefined : { top: { cell: location.cell, python, statement }, start, end };
}

/** The statement of a cell that starts first after `offset`, or the first of the next code cells. */
export function nextStatement(analysed: AnalysedNotebook, after: Spot): TopStatement | undefined {
  for (let cell = after.cell; cell < analysed.cells.length; cell++) {
    const analysedCell = analysed.cells[cell];
    const python = analysedCell?.python;
    if (python == null) continue;
    const statement = analysedCell?.facts?.flow?.find((s) => cell > after.cell || s.start >= after.offset);
    if (statement !== undefined) return { cell, python, statement };
  }
  return undefined;
}

/** The source text of an expression. */
export function textOf(python: string, expr: { start: number; end: number }): string {
  return python.slice(expr.start, expr.end);
}

/** The name an expression is, if it is a plain name. */
export function nameOf(expr: FlowExpr | undefined): string | undefined {
  return expr?.kind === 'name' ? expr.name : undefined;
}

/** The call an expression is, if it is one. */
export function callOf(expr: FlowExpr | undefined): CallExpr | undefined {
  return expr?.kind === 'call' ? expr : undefined;
}

/** `obj.method(...)`: the object and method of a call, when its callee is an attribute. */
export function methodCall(call: CallExpr): { object: FlowExpr; method: string } | undefined {
  return call.callee.kind === 'attribute' ? { object: call.callee.object, method: call.callee.attribute } : undefined;
}

/** The positional arguments of a call when it has no keyword or unpacked ones; undefined otherwise. */
export function onlyPositional(call: CallExpr): FlowExpr[] | undefined {
  if (call.args.some((a) => a.keyword !== undefined || a.unpack !== undefined)) return undefined;
  return call.args.map((a) => a.value);
}

/** `name = value` with one plain-name target: the name; undefined for any other statement. */
export function assignedName(statement: FlowStatement): string | undefined {
  if (statement.kind !== 'assign' || statement.operator !== undefined || statement.targets.length !== 1) return undefined;
  return nameOf(statement.targets[0]);
}

/** Whether `a` comes before `b` when the notebook runs top to bottom. */
export function before(a: Spot, b: Spot): boolean {
  return a.cell < b.cell || (a.cell === b.cell && a.offset < b.offset);
}

/** The start and end of a statement as spots. */
export function spanOf(top: TopStatement): { start: Spot; end: Spot } {
  return { start: { cell: top.cell, offset: top.statement.start }, end: { cell: top.cell, offset: top.statement.end } };
}

/** Eager reads of `name` at or after `from` and before `to`, plus every deferred read (a function may run anywhere). */
export function readsBetween(analysed: AnalysedNotebook, name: string, from: Spot, to: Spot): GlobalUse[] {
  return analysed.graph.uses.filter(
    (u) => u.name === name && (u.deferred || (!before({ cell: u.cell, offset: u.offset }, from) && before({ cell: u.cell, offset: u.offset }, to))),
  );
}

/** Whether `name` is bound or changed in place strictly after `from` and before `to`. */
export function changedBetween(analysed: AnalysedNotebook, name: string, from: Spot, to: Spot): number | undefined {
  for (const definition of analysed.graph.definitions.get(name) ?? []) {
    const at = { cell: definition.cell, offset: definition.bindOffset };
    if (definition.deferred || (before(from, at) && before(at, to))) return definition.cell;
  }
  for (const [cell, analysedCell] of analysed.cells.entries()) {
    const python = analysedCell.python;
    if (python === null) continue;
    for (const mutation of analysedCell.facts?.mutations ?? []) {
      if (mutation.name !== name) continue;
      const at = { cell, offset: offsetAt(python, mutation.range.start) };
      if (mutation.deferred || (before(from, at) && before(at, to))) return cell;
    }
  }
  return undefined;
}

/** Whether a name is bound or read anywhere in the notebook. */
export function nameTaken(analysed: AnalysedNotebook, name: string): boolean {
  return analysed.graph.definitions.has(name) || analysed.graph.uses.some((u) => u.name === name) || analysed.graph.wildcardCells.length > 0;
}

/**
 * Whether a statement has its lines to itself: nothing but indentation before it and nothing
 * but a comment after it, so whole lines can be removed or inserted after it.
 */
export function ownsLines(top: TopStatement): boolean {
  const { python, statement } = top;
  const lineStart = python.lastIndexOf('\n', statement.start - 1) + 1;
  if (python.slice(lineStart, statement.start).trim() !== '') return false;
  return /^[ \t]*(#[^\n]*)?(\r?\n|$)/.test(python.slice(statement.end));
}

/**
 * An edit that removes a statement's lines (and their line break); with `last`, a later
 * statement of the same cell, every line from the first to the last.
 */
export function removeStatement(top: TopStatement, last: TopStatement = top): CellTextEdit {
  const { python, statement } = top;
  let start = python.lastIndexOf('\n', statement.start - 1) + 1;
  const lineBreak = python.indexOf('\n', last.statement.end);
  let end = lineBreak < 0 ? python.length : lineBreak + 1;
  // The last line has no break of its own: take the one before it instead.
  if (lineBreak < 0 && start > 0) start = python[start - 2] === '\r' ? start - 2 : start - 1;
  if (lineBreak < 0 && start === 0) end = python.length;
  return edit(top.cell, python, start, end, '');
}

/** An edit that replaces a statement (not its comment or line break) with `text`. */
export function replaceStatement(top: TopStatement, text: string): CellTextEdit {
  return edit(top.cell, top.python, top.statement.start, top.statement.end, text);
}

/** An edit that adds `lines` as statements on their own lines right after a statement's line. */
export function insertAfter(top: TopStatement, lines: readonly string[]): CellTextEdit {
  const { python, statement } = top;
  const lineBreak = python.slice(statement.end).search(/\r?\n/);
  const at = lineBreak < 0 ? python.length : statement.end + lineBreak;
  const indent = /^[ \t]*/.exec(python.slice(python.lastIndexOf('\n', statement.start - 1) + 1))?.[0] ?? '';
  return edit(top.cell, python, at, at, lines.map((line) => `\n${indent}${line}`).join(''));
}

/** An edit replacing the offsets `start..end` of a cell's source. */
export function edit(cell: number, python: string, start: number, end: number, newText: string): CellTextEdit {
  return { cell, range: { start: positionAt(python, start), end: positionAt(python, end) }, newText };
}
