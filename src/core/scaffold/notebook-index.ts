/**
 * Look-ups over the statement list that recognition and extraction share: which statement
 * binds a name that a place reads, what a call's callee is in library terms, expression text.
 */
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import { reachingDefinition } from '../analysis/graph';
import { lookupQualified, type LibraryEntry } from '../analysis/libraries';
import { nameResolver, type NameResolver } from '../analysis/qualified-names';
import type { FlowExpr } from '../python/flow';
import { offsetAt } from '../notebook/positions';
import { notebookStatements, type Statement } from './statements';

/** The statements of a notebook with the look-ups over them. */
export class NotebookIndex {
  readonly statements: Statement[];
  readonly resolver: NameResolver;

  constructor(readonly analysed: AnalysedNotebook) {
    this.statements = notebookStatements(analysed);
    this.resolver = nameResolver(analysed);
  }

  /** The statement containing an offset of a cell. */
  statementAt(cell: number, offset: number): Statement | undefined {
    return this.statements.find((s) => s.cell === cell && s.start <= offset && offset <= Math.max(s.end, s.start));
  }

  /**
   * The statement whose binding of `name` a read at (cell, offset) sees when the notebook runs
   * top to bottom; when none does (the name is bound only further down, NB101), the first
   * binding anywhere, which is what the author's kernel must have run.
   */
  bindingStatement(name: string, cell: number, offset: number): Statement | undefined {
    const definitions = this.analysed.graph.definitions.get(name)?.filter((d) => !d.deferred);
    if (!definitions || definitions.length === 0) return undefined;
    const python = this.analysed.cells[cell]?.python ?? '';
    const seen = reachingDefinition(definitions, {
      name,
      cell,
      offset,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      deferred: false,
    });
    const definition = seen ?? definitions[0];
    if (definition === undefined) return undefined;
    const defPython = this.analysed.cells[definition.cell]?.python ?? python;
    return this.statementAt(definition.cell, offsetAt(defPython, definition.range.start));
  }

  /** Whether a name is bound by a later statement than (cell, offset) only. */
  onlyBoundLater(name: string, cell: number, offset: number): boolean {
    const definitions = this.analysed.graph.definitions.get(name)?.filter((d) => !d.deferred) ?? [];
    return definitions.length > 0 && definitions.every((d) => d.cell > cell || (d.cell === cell && d.bindOffset > offset));
  }

  /** The qualified name of a dotted expression read in a statement (`pd.read_csv` -> `pandas.read_csv`). */
  qualified(expr: FlowExpr, statement: Statement): string | undefined {
    const name = dotted(expr);
    return name === undefined ? undefined : this.resolver.resolve(name, statement.cell, expr.start);
  }

  /** What the callee of a call expression is in the library tables. */
  library(expr: FlowExpr, statement: Statement): LibraryEntry | undefined {
    const qualified = this.qualified(expr, statement);
    return qualified === undefined ? undefined : lookupQualified(qualified);
  }
}

/** `a.b.c` for names and attribute chains; undefined for anything else. */
export function dotted(expr: FlowExpr): string | undefined {
  if (expr.kind === 'name') return expr.name;
  if (expr.kind === 'attribute') {
    const object = dotted(expr.object);
    return object === undefined ? undefined : `${object}.${expr.attribute}`;
  }
  return undefined;
}

/** The source text of an expression. */
export function textOf(statement: Statement, expr: { start: number; end: number }): string {
  return statement.python.slice(expr.start, expr.end);
}

/** Whether an expression is made of literals only (what may move to config.py). */
export function isLiteral(expr: FlowExpr): boolean {
  switch (expr.kind) {
    case 'string':
    case 'number':
    case 'constant':
      return true;
    case 'tuple':
    case 'list':
    case 'set':
    case 'dict':
      return expr.items.every(isLiteral);
    case 'operator':
      return expr.operator === '-' && expr.operands.length === 1 && expr.operands.every(isLiteral);
    case 'other':
      // Dict pairs (`"a": 1`) and concatenated strings arrive as `other` with literal parts.
      return (expr.type === 'pair' || expr.type === 'concatenated_string' || expr.type === 'unary_operator') && expr.parts.every(isLiteral);
    default:
      return false;
  }
}

/** The string values of a list or tuple of string literals; undefined otherwise. */
export function stringList(expr: FlowExpr): string[] | undefined {
  if (expr.kind !== 'list' && expr.kind !== 'tuple') return undefined;
  const values = expr.items.map((i) => (i.kind === 'string' ? i.value : undefined));
  return values.every((v): v is string => v !== undefined) ? values : undefined;
}
