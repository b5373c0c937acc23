/**
 * What a notebook does to its target column before the model sees it, beyond selecting it:
 * a numpy transform (`np.log1p(df["price"])`) that training moves into the saved model as a
 * `TransformedTargetRegressor`, a label encoding (`LabelEncoder`, `pd.factorize`, `.cat.codes`)
 * that training drops because classifiers learn labels themselves, and an array conversion
 * (`np.array(df["y"])`) that leaves the values as they are. Each helper reads one expression of
 * the target's chain and says what to follow next, or undefined when the shape is not its own.
 */
import { cellLabel } from '../notebook/model';
import type { FlowExpr, FlowStatement } from '../python/flow';
import { dotted, textOf, type NotebookIndex } from './notebook-index';
import type { Statement } from './statements';

/** The numpy transforms of a target that training can invert, with their inverse. */
const INVERTIBLE = { log1p: 'expm1', log: 'exp', sqrt: 'square' } as const;

/** A numpy function the notebook applied to its target. */
export type TargetFunction = keyof typeof INVERTIBLE;

/** A target transform, where it is written, and how the notebook reads its predictions. */
export interface TargetTransform {
  /** The numpy function applied to the target column (`log1p`). */
  func: TargetFunction;
  /** Its inverse, which the saved model applies to the regressor's predictions (`expm1`). */
  inverse: (typeof INVERTIBLE)[TargetFunction];
  /** The call as written (`np.log1p(df["price"])`). */
  text: string;
  statement: Statement;
  /**
   * Which scale the notebook scores its predictions on: `original` when it turns them back with
   * the inverse (`np.expm1(model.predict(X_test))`), `transformed` when it never does, and
   * `unrecognised` when it turns them back with code nb2prod cannot tell is the inverse.
   */
  scale: 'original' | 'transformed' | 'unrecognised';
  /** The expression that turns predictions back, and its statement, for `original` and `unrecognised`. */
  inverted?: { text: string; statement: Statement };
}

/**
 * `np.log1p(y)`, `np.log(y)`, `np.sqrt(y)` with the column as the only argument, the same applied
 * as `y.apply(np.log1p)` / `y.transform(np.log1p)`, and `np.log(y + 1)` (log1p): the function,
 * and the expression to follow to the column. Undefined for any other call.
 */
export function targetTransform(index: NotebookIndex, expr: FlowExpr, statement: Statement): { func: TargetFunction; inner: FlowExpr } | undefined {
  if (expr.kind !== 'call' || expr.args.length !== 1) return undefined;
  const [arg] = expr.args;
  if (arg === undefined || arg.keyword !== undefined || arg.unpack !== undefined) return undefined;
  const numpyFunction = (callee: FlowExpr): TargetFunction | undefined => {
    const name = index.qualified(callee, statement);
    const func = name?.startsWith('numpy.') ? name.slice('numpy.'.length) : undefined;
    return func !== undefined && Object.hasOwn(INVERTIBLE, func) ? (func as TargetFunction) : undefined;
  };
  if (expr.callee.kind === 'attribute' && ['apply', 'transform'].includes(expr.callee.attribute)) {
    const func = numpyFunction(arg.value);
    return func === undefined ? undefined : { func, inner: expr.callee.object };
  }
  const func = numpyFunction(expr.callee);
  if (func === undefined) return undefined;
  const value = arg.value;
  if (
    func === 'log' &&
    value.kind === 'operator' &&
    value.operator === '+' &&
    value.operands.length === 2 &&
    value.operands[1]?.kind === 'number' &&
    value.operands[1].value === 1
  ) {
    return { func: 'log1p', inner: value.operands[0]! };
  }
  return { func, inner: value };
}

/** The inverse of a target function. */
export function inverseOf(func: TargetFunction): (typeof INVERTIBLE)[TargetFunction] {
  return INVERTIBLE[func];
}

/**
 * `np.array(df["y"])`, `np.asarray(df["y"])`: the values as they are, as an array. The expression
 * to follow to the column; undefined for any other call.
 */
export function targetArray(index: NotebookIndex, expr: FlowExpr, statement: Statement): FlowExpr | undefined {
  if (expr.kind !== 'call' || expr.args.length !== 1 || expr.args[0]!.keyword !== undefined || expr.args[0]!.unpack !== undefined) return undefined;
  const name = index.qualified(expr.callee, statement);
  return name === 'numpy.array' || name === 'numpy.asarray' ? expr.args[0]!.value : undefined;
}

/**
 * A label encoding of the target: `LabelEncoder().fit_transform(col)` (or through an encoder
 * variable), `pd.factorize(col)` (its codes, `[0]`), `col.astype("category").cat.codes`. The
 * encoding as the README names it and the expression to follow to the column.
 *
 * Training drops the encoding rather than saving the encoder as a second artifact: scikit-learn
 * classifiers take string labels and encode them internally (for LabelEncoder, in the same sorted
 * order, so the model is the notebook's), `classes_` and the manifest's `model.classes` record the
 * label set, and the saved model answers with labels, which is what a caller of `predict` and
 * the monitoring of late labels (raw values from the data) expect; a saved encoder would have to
 * be loaded, hashed and applied by every consumer to turn codes back into the same labels.
 */
export function targetEncoding(index: NotebookIndex, expr: FlowExpr, statement: Statement): { how: string; inner: FlowExpr } | undefined {
  // `pd.factorize(col)[0]`: the codes of the pair; `codes, uniques = pd.factorize(col)` arrives as the call.
  const call = expr.kind === 'subscript' && expr.index.length === 1 && expr.index[0]?.kind === 'number' && expr.index[0].value === 0 ? expr.object : expr;
  if (call.kind === 'call' && call.args.length === 1 && call.args[0]!.keyword === undefined && index.qualified(call.callee, statement) === 'pandas.factorize') {
    return { how: '`pd.factorize`', inner: call.args[0]!.value };
  }
  if (call.kind === 'call' && call.callee.kind === 'attribute' && call.callee.attribute === 'factorize' && call.args.length === 0 && call !== expr) {
    return { how: '`.factorize()`', inner: call.callee.object };
  }
  // `col.astype("category").cat.codes`
  if (expr.kind === 'attribute' && expr.attribute === 'codes' && expr.object.kind === 'attribute' && expr.object.attribute === 'cat') {
    const astype = expr.object.object;
    if (
      astype.kind === 'call' &&
      astype.callee.kind === 'attribute' &&
      astype.callee.attribute === 'astype' &&
      astype.args.length === 1 &&
      astype.args[0]!.value.kind === 'string' &&
      astype.args[0]!.value.value === 'category'
    ) {
      return { how: '`.astype("category").cat.codes`', inner: astype.callee.object };
    }
    return undefined;
  }
  if (
    expr.kind === 'call' &&
    expr.callee.kind === 'attribute' &&
    expr.callee.attribute === 'fit_transform' &&
    expr.args.length === 1 &&
    expr.args[0]!.keyword === undefined
  ) {
    if (encoderClass(index, expr.callee.object, statement) === 'LabelEncoder') return { how: '`LabelEncoder`', inner: expr.args[0]!.value };
  }
  return undefined;
}

/** The class an encoder expression is built from: `LabelEncoder()` itself or a name bound to it. */
function encoderClass(index: NotebookIndex, expr: FlowExpr, statement: Statement): string | undefined {
  if (expr.kind === 'call') return dotted(expr.callee)?.split('.').pop();
  if (expr.kind !== 'name') return undefined;
  const binding = index.bindingStatement(expr.name, statement.cell, expr.start);
  if (binding?.flow?.kind !== 'assign' || binding.flow.targets.length !== 1 || binding.flow.value.kind !== 'call') return undefined;
  return dotted(binding.flow.value.callee)?.split('.').pop();
}

// numpy functions that change values elementwise: applied to predictions, they are an attempt at
// an inverse transform unless they are the inverse itself.
const NUMPY_TRANSFORMS = new Set(['exp', 'expm1', 'exp2', 'power', 'float_power', 'square', 'sqrt', 'cbrt', 'log', 'log1p', 'log2', 'log10']);

/**
 * How the notebook reads the model's predictions when its target was transformed: every
 * `.predict(...)` of the model (and the names bound to one) is looked at where it is used. The
 * inverse around it (`np.expm1(p)`, or `np.exp(p) - 1` for log1p, `p ** 2` for sqrt) means the
 * notebook scores on the original scale; another numpy transform, a power or a notebook function
 * around it means an inverse nb2prod cannot check, so it is `unrecognised`; anything else (a
 * metric, a print) is the transformed scale.
 */
export function predictionScale(index: NotebookIndex, modelVariable: string | undefined, func: TargetFunction): Pick<TargetTransform, 'scale' | 'inverted'> {
  const predictions = new Set<string>();
  const isPrediction = (expr: FlowExpr): boolean => {
    if (expr.kind === 'name') return predictions.has(expr.name);
    if (expr.kind !== 'call' || expr.callee.kind !== 'attribute' || expr.callee.attribute !== 'predict') return false;
    let object = expr.callee.object;
    while (object.kind === 'attribute') object = object.object;
    return modelVariable === undefined || (object.kind === 'name' && object.name === modelVariable);
  };
  const definitions = new Set(index.statements.filter((s) => s.flow?.kind === 'def').flatMap((s) => s.defs));
  let original: TargetTransform['inverted'];
  let unrecognised: TargetTransform['inverted'];
  const classify = (ancestors: readonly FlowExpr[], statement: Statement): void => {
    const parent = ancestors.at(-1);
    const grandparent = ancestors.at(-2);
    if (parent === undefined) return;
    const called = parent.kind === 'call' ? index.qualified(parent.callee, statement) : undefined;
    const numpy = called?.startsWith('numpy.') ? called.slice('numpy.'.length) : undefined;
    const inverse = inverseOf(func);
    const record = (expr: FlowExpr): TargetTransform['inverted'] => ({ text: textOf(statement, expr), statement });
    if (numpy === inverse) original ??= record(parent);
    else if (
      func === 'log1p' &&
      numpy === 'exp' &&
      grandparent?.kind === 'operator' &&
      grandparent.operator === '-' &&
      grandparent.operands[1]?.kind === 'number' &&
      grandparent.operands[1].value === 1
    )
      original ??= record(grandparent);
    else if (
      func === 'sqrt' &&
      ((parent.kind === 'operator' && parent.operator === '**' && parent.operands[1]?.kind === 'number' && parent.operands[1].value === 2) ||
        (numpy === 'power' && parent.kind === 'call' && parent.args[1]?.value.kind === 'number' && parent.args[1].value.value === 2))
    )
      original ??= record(parent);
    else if ((numpy !== undefined && NUMPY_TRANSFORMS.has(numpy)) || (parent.kind === 'operator' && parent.operator === '**'))
      unrecognised ??= record(grandparent?.kind === 'operator' ? grandparent : parent);
    else if (parent.kind === 'call' && parent.callee.kind === 'name' && definitions.has(parent.callee.name)) unrecognised ??= record(parent);
  };
  const visit = (expr: FlowExpr | undefined, ancestors: FlowExpr[], statement: Statement): void => {
    if (expr === undefined) return;
    if (isPrediction(expr)) return classify(ancestors, statement);
    const inside = [...ancestors, expr];
    switch (expr.kind) {
      case 'call':
        visit(expr.callee, inside, statement);
        expr.args.forEach((a) => visit(a.value, inside, statement));
        return;
      case 'attribute':
        visit(expr.object, inside, statement);
        return;
      case 'subscript':
        visit(expr.object, inside, statement);
        expr.index.forEach((e) => visit(e, inside, statement));
        return;
      case 'tuple':
      case 'list':
      case 'set':
      case 'dict':
        expr.items.forEach((e) => visit(e, inside, statement));
        return;
      case 'operator':
        expr.operands.forEach((e) => visit(e, inside, statement));
        return;
      case 'starred':
        visit(expr.value, inside, statement);
        return;
      case 'other':
        expr.parts.forEach((e) => visit(e, inside, statement));
        return;
      default:
        return;
    }
  };
  const walk = (flow: FlowStatement | undefined, statement: Statement): void => {
    if (flow === undefined) return;
    switch (flow.kind) {
      case 'assign':
        visit(flow.value, [], statement);
        // `pred = model.predict(X_test)`: later reads of `pred` are predictions too.
        if (flow.targets.length === 1 && flow.targets[0]!.kind === 'name' && isPrediction(flow.value)) predictions.add(flow.targets[0]!.name);
        return;
      case 'expression':
      case 'return':
        visit(flow.value, [], statement);
        return;
      case 'for':
        visit(flow.iterable, [], statement);
        flow.body.forEach((f) => walk(f, statement));
        return;
      case 'block':
        flow.tests.forEach((t) => visit(t, [], statement));
        flow.body.forEach((f) => walk(f, statement));
        return;
      default:
        return;
    }
  };
  for (const statement of index.statements) walk(statement.flow, statement);
  if (unrecognised !== undefined) return { scale: 'unrecognised', inverted: unrecognised };
  if (original !== undefined) return { scale: 'original', inverted: original };
  return { scale: 'transformed' };
}

/** The README's sentence for a transformed target, or the refusal for one whose inverse nb2prod cannot recognise. */
export function transformSentence(transform: TargetTransform, column: string | number): string {
  const where = cellLabel(transform.statement.cell);
  const wrapper = `TransformedTargetRegressor(func=np.${transform.func}, inverse_func=np.${transform.inverse})`;
  const target = typeof column === 'number' ? `the target (column ${column})` : `\`${column}\``;
  if (transform.scale === 'unrecognised') {
    const inverted = transform.inverted!;
    return `${cellLabel(inverted.statement.cell).replace(/^c/, 'C')} turns the model's predictions back with \`${inverted.text}\`, which nb2prod cannot recognise as the inverse of \`${transform.text}\` (${where}): write it as \`np.${transform.inverse}(...)\` around the predictions, so that training can save the model as \`${wrapper}\` and predict ${target} on its original scale.`;
  }
  const model = `The notebook fits the model on \`${transform.text}\` (${where}); \`build_model\` wraps it in \`${wrapper}\`, so the saved model takes raw rows and predicts ${target} on its original scale`;
  if (transform.scale === 'original')
    return `${model}. The notebook scores \`${transform.inverted!.text}\` (${cellLabel(transform.inverted!.statement.cell)}), and so the metrics are on the original scale too.`;
  return `${model}. The notebook scores its predictions on the \`np.${transform.func}\` scale only, so the metrics are computed on that scale too (\`METRIC_SCALE = "transformed"\` in \`src/utils/config.py\`: \`np.${transform.func}\` of the target and of the predictions); predictions served are on the original scale.`;
}

/**
 * `df["price"] = np.log1p(df["price"])` before the target is selected: the frame's own column is
 * replaced, so data preparation keeps it and the model predicts on that scale. The statement and
 * its function, for the Review; undefined when no statement before `target` does that.
 */
export function inPlaceTransform(
  index: NotebookIndex,
  frame: string,
  column: string,
  target: Statement,
): { statement: Statement; func: TargetFunction } | undefined {
  const isColumn = (expr: FlowExpr): boolean =>
    (expr.kind === 'subscript' &&
      expr.object.kind === 'name' &&
      expr.object.name === frame &&
      expr.index.length === 1 &&
      expr.index[0]?.kind === 'string' &&
      expr.index[0].value === column) ||
    (expr.kind === 'attribute' && expr.object.kind === 'name' && expr.object.name === frame && expr.attribute === column);
  for (const statement of index.statements) {
    if (statement.order >= target.order) break;
    const flow = statement.flow;
    if (flow?.kind !== 'assign' || flow.operator !== undefined || flow.targets.length !== 1 || !isColumn(flow.targets[0]!)) continue;
    const transformed = targetTransform(index, flow.value, statement);
    if (transformed !== undefined && isColumn(transformed.inner)) return { statement, func: transformed.func };
  }
  return undefined;
}
