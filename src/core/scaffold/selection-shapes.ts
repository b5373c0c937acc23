/**
 * Column selections as people write them, beyond `df[["a", "b"]]` and `df["y"]`: targets read
 * as attributes, by position, through array conversions or recoded with a literal dict, and
 * features by position (a range, a list, one column) or as every column but some, written as a
 * mask over the frame's columns. Each helper reads one expression and says which column(s) it
 * selects, or undefined when it cannot tell.
 */
import type { FlowExpr } from '../python/flow';
import { isLiteral, stringList, textOf } from './notebook-index';
import type { Statement } from './statements';

// Methods that leave a target column's values as they are: followed to the column.
const TARGET_PASS_THROUGH = new Set(['to_numpy', 'copy', 'ravel', 'squeeze', 'reset_index']);
// Frame attributes that are not columns (`df.Churn` is a column, `df.shape` is not).
const FRAME_ATTRIBUTES = new Set(['values', 'index', 'columns', 'shape', 'dtypes', 'T', 'iloc', 'loc', 'at', 'iat', 'size', 'empty', 'str', 'cat', 'dt']);

/**
 * The target shapes people write beyond `df["y"]`: `df.Churn` (a column as an attribute),
 * `df["y"].to_numpy()` / `.copy()` (the same values), `df.iloc[:, -1]` (a column by position)
 * `df[["y"]]` (a one-column frame) and `df["y"].map({"yes": 1, "no": 0})` (labels recoded with a literal dict, which training
 * applies to the target column too). `inner` is the expression to follow further.
 */
export function targetShape(
  expr: FlowExpr,
  statement: Statement,
  frame: string | undefined,
): { inner?: FlowExpr; column?: string | number; mapping?: string } | undefined {
  // A column as an attribute, or by position, only of the frame the features come from (`data.target` of a Bunch is no column).
  if (
    expr.kind === 'attribute' &&
    expr.object.kind === 'name' &&
    expr.object.name === frame &&
    !FRAME_ATTRIBUTES.has(expr.attribute) &&
    !expr.attribute.startsWith('_')
  )
    return { column: expr.attribute };
  // `df.loc[:, "y"]`: a column by name, every row.
  if (
    expr.kind === 'subscript' &&
    expr.object.kind === 'attribute' &&
    expr.object.attribute === 'loc' &&
    expr.object.object.kind === 'name' &&
    expr.object.object.name === frame &&
    expr.index.length === 2 &&
    wholeSlice(expr.index[0]) &&
    expr.index[1]?.kind === 'string'
  )
    return { column: expr.index[1].value };
  if (
    expr.kind === 'subscript' &&
    expr.object.kind === 'attribute' &&
    expr.object.attribute === 'iloc' &&
    expr.object.object.kind === 'name' &&
    expr.object.object.name === frame &&
    expr.index.length === 2
  ) {
    const [rows, column] = expr.index;
    const position = column === undefined ? undefined : integerLiteral(column);
    if (rows?.kind === 'slice' && rows.lower === undefined && rows.upper === undefined && rows.step === undefined && position !== undefined)
      return { column: position };
    return undefined;
  }
  // `df[["price"]]`: a one-column frame, whose values are the column's.
  if (expr.kind === 'subscript' && expr.index.length === 1 && expr.index[0] !== undefined) {
    const columns = stringList(expr.index[0]);
    return columns?.length === 1 ? { column: columns[0]! } : undefined;
  }
  if (expr.kind !== 'call' || expr.callee.kind !== 'attribute') return undefined;
  const method = expr.callee.attribute;
  if (TARGET_PASS_THROUGH.has(method) && expr.args.every((a) => a.keyword === 'drop' || a.keyword === 'deep')) return { inner: expr.callee.object };
  if (isColumnReshape(expr)) return { inner: expr.callee.object };
  const [first, ...rest] = expr.args;
  if (
    method === 'map' &&
    rest.length === 0 &&
    first !== undefined &&
    first.keyword === undefined &&
    first.value.kind === 'dict' &&
    isLiteral(first.value) &&
    (first.value.keys ?? []).every((k) => k !== undefined)
  ) {
    const dict = first.value;
    const entries = dict.items.map((item, i) => `${JSON.stringify(dict.keys![i])}: ${textOf(statement, item)}`);
    return { inner: expr.callee.object, mapping: `{${entries.join(', ')}}` };
  }
  return undefined;
}

/** `df.iloc[:, 1:5]`, `df.iloc[:, :-1]`: the literal column range of an iloc selection of every row. */
export function ilocColumnRange(expr: FlowExpr & { kind: 'subscript' }): { lower?: number; upper?: number } | undefined {
  if (expr.object.kind !== 'attribute' || expr.object.attribute !== 'iloc' || expr.index.length !== 2) return undefined;
  const [rows, columns] = expr.index;
  if (!wholeSlice(rows) || columns?.kind !== 'slice' || columns.step !== undefined) return undefined;
  const lower = columns.lower === undefined ? undefined : integerLiteral(columns.lower);
  const upper = columns.upper === undefined ? undefined : integerLiteral(columns.upper);
  if ((columns.lower !== undefined && lower === undefined) || (columns.upper !== undefined && upper === undefined)) return undefined;
  return { ...(lower !== undefined ? { lower } : {}), ...(upper !== undefined ? { upper } : {}) };
}

/**
 * `df.iloc[:, 4]`, `df.iloc[:, [1, 3]]`: the literal column positions of an iloc selection of
 * every row, one or a list (one position gives a Series, which the notebook then reshapes into a
 * one-column matrix; as a feature it is the same one column).
 */
export function ilocColumnPositions(expr: FlowExpr & { kind: 'subscript' }): number[] | undefined {
  if (expr.object.kind !== 'attribute' || expr.object.attribute !== 'iloc' || expr.index.length !== 2) return undefined;
  const [rows, columns] = expr.index;
  if (!wholeSlice(rows) || columns === undefined) return undefined;
  const single = integerLiteral(columns);
  if (single !== undefined) return [single];
  if (columns.kind !== 'list' || columns.items.length === 0) return undefined;
  const positions = columns.items.map(integerLiteral);
  return positions.every((p): p is number => p !== undefined) ? positions : undefined;
}

/**
 * The columns a selection of "every column but these" leaves out, written over `frame`'s own
 * columns: the mask `frame.columns != "y"` or `~frame.columns.isin(["id", "y"])` (in
 * `frame.loc[:, mask]`), or the list `frame.columns.difference(["id", "y"])` (in `frame[...]` or
 * `frame.loc[:, ...]`). Undefined for anything else.
 *
 * `difference` returns the remaining names sorted, where training keeps them in the frame's
 * order: the same columns, which a model fitted on a named frame reads by name.
 */
export function excludedColumns(expr: FlowExpr, frame: string): string[] | undefined {
  const isColumns = (e: FlowExpr | undefined): boolean =>
    e?.kind === 'attribute' && e.attribute === 'columns' && e.object.kind === 'name' && e.object.name === frame;
  const names = (e: FlowExpr | undefined): string[] | undefined => (e === undefined ? undefined : e.kind === 'string' ? [e.value] : stringList(e));
  if (expr.kind === 'operator' && expr.operator === '!=' && expr.operands.length === 2) {
    const [left, right] = expr.operands;
    if (isColumns(left) && right?.kind === 'string') return [right.value];
    if (isColumns(right) && left?.kind === 'string') return [left.value];
    return undefined;
  }
  const call = expr.kind === 'operator' && expr.operator === '~' && expr.operands.length === 1 ? expr.operands[0] : expr;
  if (call?.kind !== 'call' || call.callee.kind !== 'attribute' || !isColumns(call.callee.object) || call.args.length !== 1) return undefined;
  const [arg] = call.args;
  if (arg!.keyword !== undefined || arg!.unpack !== undefined) return undefined;
  const method = call.callee.attribute;
  if ((method === 'isin' && call !== expr) || (method === 'difference' && call === expr)) return names(arg!.value);
  return undefined;
}

/** `df.loc[:, cols]`: the column selection of a loc selection of every row; undefined for other shapes. */
export function locColumns(expr: FlowExpr & { kind: 'subscript' }): FlowExpr | undefined {
  if (expr.object.kind !== 'attribute' || expr.object.attribute !== 'loc' || expr.index.length !== 2 || !wholeSlice(expr.index[0])) return undefined;
  return expr.index[1];
}

/**
 * `x.reshape(-1, 1)`, `x.reshape((-1, 1))`, `x.reshape(-1)`: the same values as one column or a
 * flat array (what people write around a single column by position before fitting on it).
 */
export function isColumnReshape(expr: FlowExpr): expr is FlowExpr & { kind: 'call'; callee: FlowExpr & { kind: 'attribute' } } {
  if (expr.kind !== 'call' || expr.callee.kind !== 'attribute' || expr.callee.attribute !== 'reshape') return false;
  if (expr.args.some((a) => a.keyword !== undefined || a.unpack !== undefined)) return false;
  const [first] = expr.args;
  const shape = expr.args.length === 1 && first !== undefined && first.value.kind === 'tuple' ? first.value.items : expr.args.map((a) => a.value);
  const dims = shape.map(integerLiteral);
  return (dims.length === 1 && dims[0] === -1) || (dims.length === 2 && dims[0] === -1 && dims[1] === 1);
}

/** `:`: every row (or column), as a slice with no bounds. */
function wholeSlice(expr: FlowExpr | undefined): boolean {
  return expr?.kind === 'slice' && expr.lower === undefined && expr.upper === undefined && expr.step === undefined;
}

/** `3`, `-1`: an integer written as a literal. */
function integerLiteral(expr: FlowExpr): number | undefined {
  if (expr.kind === 'number' && Number.isInteger(expr.value)) return expr.value;
  if (
    expr.kind === 'operator' &&
    expr.operator === '-' &&
    expr.operands.length === 1 &&
    expr.operands[0]?.kind === 'number' &&
    Number.isInteger(expr.operands[0].value)
  )
    return -expr.operands[0].value;
  return undefined;
}
