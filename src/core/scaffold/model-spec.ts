/**
 * Recognises the notebook's modelling chain by following values backwards from the model's
 * `fit`: which estimator is trained, which transformers its inputs went through (before or after
 * the split), how the data was split, and which frame, feature columns and target column it all
 * started from. This is what training rebuilds as ONE Pipeline fitted after the split.
 */
import { lookupBareName, lookupQualified, type EstimatorTask } from '../analysis/libraries';
import { cellLabel } from '../notebook/model';
import type { FlowArgument, FlowExpr } from '../python/flow';
import { dotted, isLiteral, stringList, textOf, type NotebookIndex } from './notebook-index';
import { ilocColumnRange, targetShape } from './selection-shapes';
import { inverseOf, predictionScale, targetArray, targetEncoding, targetTransform, type TargetTransform } from './target-shapes';
import type { Statement } from './statements';

/** A constructor call of an estimator or transformer, where it is written. */
export interface Constructor {
  /** The class as written (`LogisticRegression`, `preprocessing.StandardScaler`). */
  callee: string;
  /** Its qualified name when imported (`sklearn.linear_model.LogisticRegression`). */
  qualified?: string;
  /** The class's last name segment. */
  className: string;
  /** The whole constructor call's text. */
  text: string;
  args: FlowArgument[];
  statement: Statement;
}

/** A transformer the model's inputs went through. */
export interface TransformerStep {
  constructor: Constructor;
  /** The variable holding it, when it has one. */
  variable?: string;
  /** True when it was fitted on data that was split later (a leak the Pipeline fixes). */
  beforeSplit: boolean;
  /** The statement that fitted or applied it. */
  statement: Statement;
  /**
   * For a step nb2prod writes in place of the notebook's own code (`fillna`, `pd.get_dummies`):
   * what it replaces, as the comment above it says, and the imports its constructor needs.
   */
  written?: { replaces: string; imports: string[] };
}

/** Where the model's rows come from. */
export interface FrameSource {
  /** The frame variable (`data`). */
  frame: string;
  /** The statement that selects features from it (the slice of data preparation ends there). */
  statement: Statement;
  offset: number;
  /** Feature columns as literals, when written out. */
  features?: string[];
  /** The variable naming the feature list (`features`), when there is one. */
  featuresVariable?: string;
  /** Columns dropped to get the features (`df.drop(columns=[...])`), when that is how they are chosen. */
  dropped?: string[];
  /** A range of column positions (`df.iloc[:, 1:5]`), when that is how they are chosen; bounds as written. */
  positions?: { lower?: number; upper?: number };
}

/** The recognised chain. */
export interface ModelSpec {
  model: Constructor;
  /** The variable the fitted model is bound to, when any. */
  modelVariable?: string;
  fit: Statement;
  task: 'classification' | 'regression';
  transformers: TransformerStep[];
  split?: { statement: Statement; args: FlowArgument[] };
  x?: FrameSource;
  /**
   * The target column: its name, or its position among the frame's columns (`df.iloc[:, -1]`);
   * `mapping` is the literal dict the notebook maps its values with (`.map({"yes": 1, "no": 0})`);
   * `transform` the numpy function it fits the model on instead (`np.log1p(df["price"])`).
   */
  target?: { column: string | number; variable?: string; mapping?: string; statement: Statement; transform?: TargetTransform };
  /** Why the chain could not be followed all the way, one sentence each. */
  gaps: string[];
  /** Set when the model is of a kind the scaffold does not train (clustering, outlier detection, ranking): why. */
  unsupported?: string;
  /** What training does differently from the notebook, for the README's Review, one sentence each. */
  notes: string[];
  /** Every estimator fitted in the notebook (the chosen one included), for the report. */
  allModels: Constructor[];
  /**
   * The assignments the model's constructor reads, directly or through each other, in notebook
   * order: `model` in `GridSearchCV(model, ...)`, `pre` in `Pipeline([("pre", pre), ...])`.
   * Training rebuilds them in `build_model`, before the model itself.
   */
  definitions: Statement[];
}

/**
 * The task an estimator class solves, from the library tables: `classification`, `regression`,
 * or the table's task for models the scaffold does not train (clustering, outlier detection,
 * ranking); undefined for a class no table lists or whose task depends on its loss (Keras).
 */
export function taskOf(className: string, qualified?: string): EstimatorTask | undefined {
  const entry = (qualified !== undefined ? lookupQualified(qualified) : undefined) ?? lookupBareName(className);
  if (entry?.kind === 'class') return entry.role.role === 'estimator' && entry.role.task !== 'any' ? entry.role.task : undefined;
  // A class no table lists (the notebook's own, a smaller library's) follows scikit-learn's naming.
  if (/Classifier$/.test(className)) return 'classification';
  if (/Regressor$/.test(className)) return 'regression';
  return undefined;
}

/** Recognises the modelling chain; undefined when no estimator is fitted at all. */
export function recogniseModel(index: NotebookIndex): ModelSpec | undefined {
  const fits = findEstimatorFits(index);
  if (fits.length === 0) return undefined;
  const distinct = new Map<string, (typeof fits)[number]>();
  for (const fit of fits) distinct.set(`${fit.model.statement.order}:${fit.model.text}`, fit);
  const saved = savedNames(index);
  const chosen = [...distinct.values()].reverse().find((f) => f.variable !== undefined && saved.has(f.variable)) ?? fits[fits.length - 1]!;
  const spec: ModelSpec = {
    model: chosen.model,
    ...(chosen.variable ? { modelVariable: chosen.variable } : {}),
    fit: chosen.statement,
    task: 'regression',
    transformers: [],
    gaps: [],
    notes: [],
    allModels: [...distinct.values()].map((f) => f.model),
    definitions: [],
  };
  spec.definitions = modelDefinitions(index, spec, chosen.model);
  const className = estimatorClassName(chosen.model, spec.definitions);
  const task = taskOf(className, className === chosen.model.className ? chosen.model.qualified : undefined);
  if (task === 'classification' || task === 'regression' || task === undefined) spec.task = task ?? 'regression';
  else spec.unsupported = `\`${className}\` (${cellLabel(chosen.statement.cell)}) is a ${task.replace('-', ' ')} model: the scaffold trains classifiers and regressors, whose predictions it can score against a target and serve.`;
  const [xArg, yArg] = chosen.args.filter((a) => a.keyword === undefined && a.unpack === undefined);
  if (xArg === undefined || yArg === undefined) {
    spec.gaps.push(`\`${textOf(chosen.statement, chosen.call)}\` does not pass features and target positionally.`);
    return spec;
  }
  traceFeatures(index, spec, xArg.value, chosen.statement, false, []);
  traceTarget(index, spec, yArg.value, chosen.statement);
  spec.transformers.reverse();
  return spec;
}

/**
 * The assignments `model`'s constructor call reads, followed through each other. Only what builds
 * an estimator is followed: literals, constructor and library calls, and names bound to those.
 * A name bound to data (`weights = compute_sample_weight(..., y_train)`) or by a function, a
 * class or a loop is a gap: training could not rebuild it without running the notebook.
 */
function modelDefinitions(index: NotebookIndex, spec: ModelSpec, model: Constructor): Statement[] {
  const found = new Map<number, Statement>();
  const refused = new Set<string>();
  // Whether `expr` can be rebuilt inside build_model; records the assignments it reads.
  const buildable = (expr: FlowExpr | undefined, statement: Statement, path: readonly number[]): boolean => {
    if (expr === undefined) return true;
    switch (expr.kind) {
      case 'string': case 'number': case 'constant': return true;
      case 'tuple': case 'list': case 'set': case 'dict': return expr.items.every((e) => buildable(e, statement, path));
      case 'operator': return expr.operands.every((e) => buildable(e, statement, path));
      case 'starred': return buildable(expr.value, statement, path);
      case 'attribute': return buildable(expr.object, statement, path);
      case 'subscript': return buildable(expr.object, statement, path) && expr.index.every((e) => buildable(e, statement, path));
      case 'slice': return [expr.lower, expr.upper, expr.step].every((e) => buildable(e, statement, path));
      case 'other': return expr.parts.every((e) => buildable(e, statement, path));
      case 'lambda': return true;
      case 'call': {
        const entry = index.library(expr.callee, statement);
        if (entry?.kind === 'function' && ['source', 'split'].includes(entry.role.role)) return false;
        return buildable(expr.callee, statement, path) && expr.args.every((a) => buildable(a.value, statement, path));
      }
      case 'name': {
        const binding = index.bindingStatement(expr.name, statement.cell, expr.start);
        // Builtins, comprehension variables, and names no cell binds (NB102 reports those).
        if (binding === undefined || binding.imports.length > 0) return true;
        if (found.has(binding.order)) return true;
        const flow = binding.flow;
        const single = flow?.kind === 'assign' && flow.operator === undefined && flow.targets.length === 1 && flow.targets[0]?.kind === 'name';
        if (!single || path.includes(binding.order) || !buildable(flow.value, binding, [...path, binding.order])) {
          if (!refused.has(expr.name)) {
            refused.add(expr.name);
            const what = flow?.kind === 'def' ? 'a function' : flow?.kind === 'class' ? 'a class' : single ? 'a value computed from data' : 'a statement nb2prod cannot copy';
            gap(spec, `the model reads \`${expr.name}\` (${cellLabel(binding.cell)}), ${what}, which training cannot rebuild on its own: define it in \`build_model\` in \`src/model/train.py\``);
          }
          return false;
        }
        found.set(binding.order, binding);
        return true;
      }
    }
  };
  for (const arg of model.args) buildable(arg.value, model.statement, [model.statement.order]);
  return [...found.values()].sort((a, b) => a.order - b.order);
}

/**
 * The class an estimator is: for a Pipeline, make_pipeline or a search, its last known estimator,
 * looked for in the constructor's text and then in the assignments it reads (`model` in
 * `GridSearchCV(model, ...)`), the latest first.
 */
export function estimatorClassName(model: Constructor, definitions: readonly Statement[] = []): string {
  if (taskOf(model.className) !== undefined) return model.className;
  for (const text of [model.text, ...[...definitions].reverse().map((s) => s.python.slice(s.start, s.end))]) {
    const names = [...text.matchAll(/([A-Z][A-Za-z0-9]*)\s*\(/g)].map((m) => m[1] ?? '');
    const found = names.reverse().find((n) => taskOf(n) !== undefined);
    if (found !== undefined) return found;
  }
  return model.className;
}

interface EstimatorFit {
  model: Constructor;
  variable?: string;
  statement: Statement;
  call: FlowExpr & { kind: 'call' };
  args: FlowArgument[];
}

function findEstimatorFits(index: NotebookIndex): EstimatorFit[] {
  const found: EstimatorFit[] = [];
  for (const statement of index.statements) {
    for (const call of callsIn(statement)) {
      if (call.callee.kind !== 'attribute' || call.callee.attribute !== 'fit') continue;
      const resolved = constructorOf(index, call.callee.object, statement);
      if (resolved === undefined) continue;
      const { qualified, className } = resolved.constructor;
      const role = qualified !== undefined ? lookupQualified(qualified) : lookupBareName(className);
      const isModel =
        (role?.kind === 'class' && ['estimator', 'search', 'composite'].includes(role.role.role)) ||
        (role?.kind === 'function' && role.role.role === 'compose') ||
        (role === undefined && taskOf(resolved.constructor.className) !== undefined);
      if (!isModel) continue;
      found.push({ model: resolved.constructor, ...(resolved.variable ? { variable: resolved.variable } : {}), statement, call, args: call.args });
    }
  }
  return found;
}

/** The constructor call an expression evaluates to: `Cls(...)` itself, or a name bound to one. */
export function constructorOf(index: NotebookIndex, expr: FlowExpr, statement: Statement): { constructor: Constructor; variable?: string } | undefined {
  if (expr.kind === 'call') {
    // `Cls(...).fit(...)` chains return the estimator: follow the receiver of fit/set_params.
    if (expr.callee.kind === 'attribute' && ['fit', 'set_params'].includes(expr.callee.attribute)) return constructorOf(index, expr.callee.object, statement);
    const callee = dotted(expr.callee);
    if (callee === undefined) return undefined;
    const className = callee.split('.').pop() ?? callee;
    if (!/^[A-Z]/.test(className) && !['make_pipeline', 'make_column_transformer'].includes(className)) return undefined;
    const qualified = index.qualified(expr.callee, statement);
    return { constructor: { callee, ...(qualified ? { qualified } : {}), className, text: textOf(statement, expr), args: expr.args, statement } };
  }
  if (expr.kind === 'name') {
    const binding = index.bindingStatement(expr.name, statement.cell, expr.start);
    if (binding?.flow?.kind !== 'assign' || binding.flow.targets.length !== 1 || binding.flow.targets[0]?.kind !== 'name') return undefined;
    const inner = constructorOf(index, binding.flow.value, binding);
    return inner === undefined ? undefined : { constructor: inner.constructor, variable: expr.name };
  }
  return undefined;
}

/** Every call expression of a statement's flow, outermost first. */
export function callsIn(statement: Statement): Array<FlowExpr & { kind: 'call' }> {
  const found: Array<FlowExpr & { kind: 'call' }> = [];
  const visit = (expr: FlowExpr | undefined): void => {
    if (expr === undefined) return;
    switch (expr.kind) {
      case 'call': found.push(expr); visit(expr.callee); expr.args.forEach((a) => visit(a.value)); return;
      case 'attribute': visit(expr.object); return;
      case 'subscript': visit(expr.object); expr.index.forEach(visit); return;
      case 'tuple': case 'list': case 'set': case 'dict': expr.items.forEach(visit); return;
      case 'operator': expr.operands.forEach(visit); return;
      case 'starred': visit(expr.value); return;
      case 'other': expr.parts.forEach(visit); return;
      default: return;
    }
  };
  const flow = statement.flow;
  if (flow?.kind === 'assign' || flow?.kind === 'expression') visit(flow.value);
  return found;
}

/**
 * The names of the values the notebook saves (`joblib.dump(model, ...)`). A search's best
 * estimator names the search too: `joblib.dump(search.best_estimator_, ...)`, or through
 * `best = search.best_estimator_`.
 */
function savedNames(index: NotebookIndex): Set<string> {
  const names = new Set<string>();
  const add = (expr: FlowExpr, statement: Statement, depth: number): void => {
    if (expr.kind === 'attribute' && expr.attribute === 'best_estimator_') return add(expr.object, statement, depth);
    if (expr.kind !== 'name') return;
    names.add(expr.name);
    const binding = index.bindingStatement(expr.name, statement.cell, expr.start);
    if (depth < 5 && binding?.flow?.kind === 'assign' && binding.flow.targets.length === 1) add(binding.flow.value, binding, depth + 1);
  };
  for (const statement of index.statements) {
    for (const call of callsIn(statement)) {
      const entry = index.library(call.callee, statement);
      const first = call.args[0]?.value;
      if (entry?.kind === 'function' && entry.role.role === 'save' && first !== undefined) add(first, statement, 0);
    }
  }
  return names;
}

const PASS_THROUGH_METHODS = new Set(['to_numpy', 'copy', 'astype', 'reset_index']);

/** Follows the feature matrix backwards; pushes transformers in encounter (reverse) order. */
function traceFeatures(index: NotebookIndex, spec: ModelSpec, expr: FlowExpr, statement: Statement, beforeSplit: boolean, seen: number[]): void {
  if (seen.length > 40) return;
  switch (expr.kind) {
    case 'name': {
      const binding = index.bindingStatement(expr.name, statement.cell, expr.start);
      if (binding?.flow?.kind !== 'assign' || seen.includes(binding.order)) return gap(spec, `could not follow \`${expr.name}\` back to the data it is made from`);
      const flow = binding.flow;
      const split = splitCall(index, flow.value, binding);
      if (split !== undefined) {
        const position = tuplePosition(flow.targets, expr.name);
        const positional = split.args.filter((a) => a.keyword === undefined);
        const source = positional[Math.floor(position / 2)];
        if (position < 0 || source === undefined) return gap(spec, `could not tell which part of the split \`${expr.name}\` is`);
        spec.split ??= { statement: binding, args: split.args };
        return traceFeatures(index, spec, source.value, binding, true, [...seen, binding.order]);
      }
      if (flow.targets.length !== 1) return gap(spec, `\`${expr.name}\` is unpacked from \`${textOf(binding, flow.value)}\`, which nb2prod cannot follow`);
      return traceFeatures(index, spec, flow.value, binding, beforeSplit, [...seen, binding.order]);
    }
    case 'call': {
      const callee = expr.callee;
      if (callee.kind === 'attribute' && ['fit_transform', 'transform'].includes(callee.attribute)) {
        const transformer = constructorOf(index, callee.object, statement);
        const inner = expr.args[0];
        if (transformer !== undefined && inner !== undefined) {
          const known = spec.transformers.find((t) => t.constructor.text === transformer.constructor.text && t.constructor.statement === transformer.constructor.statement);
          if (known === undefined) {
            spec.transformers.push({ constructor: transformer.constructor, ...(transformer.variable ? { variable: transformer.variable } : {}), beforeSplit, statement });
          } else if (beforeSplit) known.beforeSplit = true;
          return traceFeatures(index, spec, inner.value, statement, beforeSplit, seen);
        }
      }
      if (callee.kind === 'attribute' && PASS_THROUGH_METHODS.has(callee.attribute)) return traceFeatures(index, spec, callee.object, statement, beforeSplit, seen);
      if (callee.kind === 'attribute' && callee.attribute === 'fillna') {
        const imputer = fillnaImputer(expr, statement);
        if (imputer === undefined) return gap(spec, `the model's features are filled by \`${textOf(statement, expr)}\`, which nb2prod cannot rebuild as a Pipeline step; fill with a number, or with the columns' \`mean()\` or \`median()\``);
        if (!spec.transformers.some((t) => t.constructor.statement === statement && t.constructor.text === imputer.text)) {
          spec.transformers.push({ constructor: imputer, beforeSplit, statement, written: { replaces: 'fillna', imports: ['from sklearn.impute import SimpleImputer'] } });
          spec.notes.push(`\`${textOf(statement, expr)}\` (${cellLabel(statement.cell)}) fills missing values before the model; training does it inside the Pipeline with \`${imputer.text}\`, so inference fills them the same way.`);
        }
        return traceFeatures(index, spec, callee.object, statement, beforeSplit, seen);
      }
      if (callee.kind === 'attribute' && callee.attribute === 'drop') return frameFrom(index, spec, callee.object, statement, { dropped: droppedColumns(expr.args) });
      const name = index.qualified(callee, statement);
      if ((name === 'numpy.asarray' || name === 'numpy.array') && expr.args[0]) return traceFeatures(index, spec, expr.args[0].value, statement, beforeSplit, seen);
      return gap(spec, `the model's features come from \`${textOf(statement, expr)}\`, which nb2prod cannot rebuild as a Pipeline step`);
    }
    case 'attribute':
      if (expr.attribute === 'values') return traceFeatures(index, spec, expr.object, statement, beforeSplit, seen);
      return gap(spec, `the model's features come from \`${textOf(statement, expr)}\``);
    case 'subscript': {
      const positions = ilocColumnRange(expr);
      if (positions !== undefined && expr.object.kind === 'attribute') return frameFrom(index, spec, expr.object.object, statement, { positions });
      const [column] = expr.index;
      if (column === undefined || expr.index.length !== 1) return gap(spec, `unsupported feature selection \`${textOf(statement, expr)}\`: select the feature columns by name (\`df[["a", "b"]]\`, or \`df.drop(columns=[...])\`)`);
      const literal = stringList(column);
      if (literal !== undefined) return frameFrom(index, spec, expr.object, statement, { features: literal });
      if (column.kind === 'name') {
        const binding = index.bindingStatement(column.name, statement.cell, column.start);
        const values = binding?.flow?.kind === 'assign' ? stringList(binding.flow.value) : undefined;
        if (values !== undefined) return frameFrom(index, spec, expr.object, statement, { features: values, featuresVariable: column.name });
      }
      return gap(spec, `could not read the feature columns of \`${textOf(statement, expr)}\`: they are computed, and training needs them written out; list them (\`features = ["a", "b"]\`) or drop the other columns (\`X = df.drop(columns=[...])\`)`);
    }
    default:
      return gap(spec, `the model's features come from \`${textOf(statement, expr)}\``);
  }
}

/**
 * The SimpleImputer that does what `frame.fillna(value)` does to the model's features: a number
 * is a constant, the columns' `mean()` or `median()` that strategy (learned on the training split
 * inside the Pipeline, where the notebook may have learned it from every row). Undefined for
 * anything else (a method, a dict per column, a string).
 */
function fillnaImputer(call: FlowExpr & { kind: 'call' }, statement: Statement): Constructor | undefined {
  const [arg, ...rest] = call.args;
  if (arg === undefined || rest.length > 0 || (arg.keyword !== undefined && arg.keyword !== 'value') || arg.unpack !== undefined) return undefined;
  const value = arg.value;
  let text: string | undefined;
  if (value.kind === 'number' || (value.kind === 'operator' && value.operator === '-' && value.operands.length === 1 && value.operands[0]?.kind === 'number')) {
    text = `SimpleImputer(strategy="constant", fill_value=${textOf(statement, value)})`;
  } else if (value.kind === 'call' && value.args.length === 0 && value.callee.kind === 'attribute' && ['mean', 'median'].includes(value.callee.attribute)) {
    // Per-column statistics of a frame; one column's (`df["a"].mean()`) is a single number for all.
    const of = value.callee.object;
    if (of.kind === 'subscript' && of.index.length === 1 && of.index[0]?.kind === 'string') return undefined;
    text = `SimpleImputer(strategy="${value.callee.attribute}")`;
  }
  if (text === undefined) return undefined;
  return { callee: 'SimpleImputer', qualified: 'sklearn.impute.SimpleImputer', className: 'SimpleImputer', text, args: [], statement };
}

function frameFrom(index: NotebookIndex, spec: ModelSpec, object: FlowExpr, statement: Statement, selection: Partial<FrameSource>): void {
  if (object.kind !== 'name') return gap(spec, `features are selected from \`${textOf(statement, object)}\`, not from a named frame`);
  spec.x = { frame: object.name, statement, offset: object.start, ...selection };
  void index;
}

function traceTarget(index: NotebookIndex, spec: ModelSpec, expr: FlowExpr, statement: Statement): void {
  let mapping: string | undefined;
  let transform: TargetTransform | undefined;
  const found = (column: string | number, variable?: string): void => {
    spec.target = { column, ...(variable !== undefined ? { variable } : {}), ...(mapping !== undefined ? { mapping } : {}), statement, ...(transform ? { transform } : {}) };
  };
  for (let depth = 0; depth < 20; depth++) {
    if (expr.kind === 'name') {
      const binding = index.bindingStatement(expr.name, statement.cell, expr.start);
      if (binding?.flow?.kind !== 'assign') break;
      const split = splitCall(index, binding.flow.value, binding);
      if (split !== undefined) {
        const position = tuplePosition(binding.flow.targets, expr.name);
        const source = split.args.filter((a) => a.keyword === undefined)[Math.floor(position / 2)];
        if (source === undefined) break;
        expr = source.value;
      } else expr = binding.flow.value;
      statement = binding;
      continue;
    }
    if (expr.kind === 'attribute' && expr.attribute === 'values') { expr = expr.object; continue; }
    const shape = targetShape(expr, statement, spec.x?.frame);
    if (shape?.mapping !== undefined) {
      if (mapping !== undefined) break;
      mapping = shape.mapping;
    }
    if (shape?.inner !== undefined) { expr = shape.inner; continue; }
    if (shape?.column !== undefined) return found(shape.column);
    const array = targetArray(index, expr, statement);
    if (array !== undefined) { expr = array; continue; }
    // `np.log1p(df["price"])`: the saved model learns on that scale and answers on the original one.
    const transformed = spec.task === 'regression' && transform === undefined && mapping === undefined ? targetTransform(index, expr, statement) : undefined;
    if (transformed !== undefined) {
      transform = { func: transformed.func, inverse: inverseOf(transformed.func), text: textOf(statement, expr), statement, ...predictionScale(index, spec.modelVariable, transformed.func) };
      expr = transformed.inner;
      continue;
    }
    // A label encoding: sklearn classifiers encode labels themselves, so training learns the
    // labels as they are, and inference answers with them.
    const encoded = spec.task === 'classification' ? targetEncoding(index, expr, statement) : undefined;
    if (encoded !== undefined) {
      spec.notes.push(`The notebook encodes the target with ${encoded.how} (${cellLabel(statement.cell)}); the classifier now learns the labels themselves (it encodes them internally, and the manifest's \`model.classes\` lists them), so predictions are labels such as those in the target column, not their codes.`);
      expr = encoded.inner;
      continue;
    }
    if (expr.kind === 'subscript' && expr.index.length === 1) {
      const column = expr.index[0]!;
      if (column.kind === 'string') return found(column.value);
      if (column.kind === 'name') {
        const binding = index.bindingStatement(column.name, statement.cell, column.start);
        if (binding?.flow?.kind === 'assign' && binding.flow.value.kind === 'string') return found(binding.flow.value.value, column.name);
      }
    }
    break;
  }
  gap(spec, `could not find the target column of the model (\`${textOf(statement, expr)}\`)`);
}

function splitCall(index: NotebookIndex, expr: FlowExpr, statement: Statement): (FlowExpr & { kind: 'call' }) | undefined {
  if (expr.kind !== 'call') return undefined;
  const entry = index.library(expr.callee, statement);
  const name = dotted(expr.callee)?.split('.').pop();
  return (entry?.kind === 'function' && entry.role.role === 'split') || name === 'train_test_split' ? expr : undefined;
}

function tuplePosition(targets: FlowExpr[], name: string): number {
  const target = targets[0];
  if (target === undefined || (target.kind !== 'tuple' && target.kind !== 'list')) return -1;
  return target.items.findIndex((i) => i.kind === 'name' && i.name === name);
}

function droppedColumns(args: FlowArgument[]): string[] {
  for (const arg of args) {
    if (arg.keyword === 'columns' || arg.keyword === undefined) {
      if (arg.value.kind === 'string') return [arg.value.value];
      const list = stringList(arg.value);
      if (list) return list;
    }
  }
  return [];
}

function gap(spec: ModelSpec, sentence: string): void {
  spec.gaps.push(`${sentence.charAt(0).toUpperCase() + sentence.slice(1)}.`);
}

/** Whether an argument's value is a literal (moves to config) — re-exported for the planners. */
export function literalArgument(arg: FlowArgument): boolean {
  return isLiteral(arg.value);
}
