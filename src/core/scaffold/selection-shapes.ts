/**
 * Column selections as people write them, beyond `df[["a", "b"]]` and `df["y"]`: targets read
 * as attributes, by position, through array conversions or recoded with a literal dict, and
 * features as a range of column positions. Each helper reads one expression and says which
 * column(s) it selects, or undefined when it cannot tell.
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
  const whole = (e: FlowExpr | undefined): boolean => e?.kind === 'slice' && e.lower === undefined && e.upper === undefined && e.step === undefined;
  if (!whole(rows) || columns?.kind !== 'slice' || columns.step !== undefined) return undefined;
  const lower = columns.lower === undefined ? undefined : integerLiteral(columns.lower);
  const upper = columns.upper === undefined ? undefined : integerLiteral(columns.upper);
  if ((columns.lower !== undefined && lower === undefined) || (columns.upper !== undefined && upper === undefined)) return undefined;
  return { ...(lower !== undefined ? { lower } : {}), ...(upper !== undefined ? { upper } : {}) };
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
