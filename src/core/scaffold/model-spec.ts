/**
 * Recognises the notebook's modelling chain. Which estimator is trained, which fitted
 * transformers its inputs went through (before or after the split) and how the data was split
 * come from the provenance analysis the leakage rules read (trained-model.ts); this file follows
 * the model's inputs back to the frame, feature columns and target column they start from, which
 * provenance does not track. This is what training rebuilds as ONE Pipeline fitted after the split.
 */
import { lookupBareName, lookupQualified, type EstimatorTask } from '../analysis/libraries';
import { cellLabel } from '../notebook/model';
import type { FlowArgument, FlowExpr } from '../python/flow';
import { dotted, isLiteral, stringList, textOf, type NotebookIndex } from './notebook-index';
import { excludedColumns, ilocColumnPositions, ilocColumnRange, isColumnReshape, locColumns, targetShape } from './selection-shapes';
import { inverseOf, predictionScale, targetArray, targetEncoding, targetTransform, type TargetTransform } from './target-shapes';
import type { Statement } from './statements';
import type { FitEvent } from '../analysis/provenance';
import { TrainedModel, type ChosenBecause, type Constructor, type ModelFit } from './trained-model';

export type { Constructor } from './trained-model';

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
  /** For a written ColumnTransformer of blocks: the classes of the notebook's transformers inside it. */
  inner?: string[];
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
  /** Column positions one by one (`df.iloc[:, [1, 3]]`, `df.iloc[:, 4]`), when that is how they are chosen; as written. */
  columnPositions?: number[];
}

/** The recognised chain. */
export interface ModelSpec {
  model: Constructor;
  /** The variable the fitted model is bound to, when any. */
  modelVariable?: string;
  fit: Statement;
  /** Why this fit is the one trained: the notebook saves it, evaluates it last, or fits it last. */
  chosenBecause: ChosenBecause;
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
  const trained = new TrainedModel(index);
  const fits = trained.modelFits();
  const choice = trained.chosenFit(fits);
  if (choice === undefined) return undefined;
  const chosen = choice.fit;
  // One entry per constructor: a model fitted twice (or in a loop) is one model.
  const allModels = [...new Set(fits.map((f) => f.model))];
  const spec: ModelSpec = {
    model: chosen.model,
    ...(chosen.variable ? { modelVariable: chosen.variable } : {}),
    fit: chosen.statement,
    chosenBecause: choice.why,
    task: 'regression',
    transformers: [],
    gaps: [],
    notes: [],
    allModels,
    definitions: [],
  };
  spec.definitions = modelDefinitions(index, spec, chosen.model);
  const className = estimatorClassName(chosen.model, spec.definitions);
  const task = taskOf(className, className === chosen.model.className ? chosen.model.qualified : undefined);
  if (task === 'classification' || task === 'regression' || task === undefined) spec.task = task ?? 'regression';
  else
    spec.unsupported = `\`${className}\` (${cellLabel(chosen.statement.cell)}) is a ${task.replace('-', ' ')} model: the scaffold trains classifiers and regressors, whose predictions it can score against a target and serve.`;
  const split = trained.split(chosen) ?? (choice.splitFrom !== undefined ? trained.split(choice.splitFrom) : undefined);
  if (split !== undefined) spec.split = { statement: split.statement, args: split.args };
  const inputs = fitInputs(spec, trained, chosen);
  if (inputs === undefined) return spec;
  const trace: FeatureTrace = { trained, fit: chosen, inBlocks: new Set(), written: [], seen: [] };
  traceFeatures(index, spec, trace, inputs.x, inputs.statement);
  traceTarget(index, spec, inputs.y, inputs.statement);
  spec.transformers = pipelineSteps(spec, trace);
  return spec;
}

/**
 * The features and target the model is fitted on, as written at the top level: the fit's own
 * arguments, or for a fit inside a notebook function (`def train(X, y): ... model.fit(X, y)`),
 * the arguments of the call that runs it.
 */
function fitInputs(spec: ModelSpec, trained: TrainedModel, fit: ModelFit): { x: FlowExpr; y: FlowExpr; statement: Statement } | undefined {
  const [xArg, yArg] = fit.call.args.filter((a) => a.keyword === undefined && a.unpack === undefined);
  if (xArg === undefined || yArg === undefined) {
    gap(spec, `\`${textOf(fit.callStatement, fit.call)}\` does not pass features and target positionally`);
    return undefined;
  }
  if (fit.callStatement === fit.statement) return { x: xArg.value, y: yArg.value, statement: fit.statement };
  const def = fit.callStatement.flow;
  const callSite = fit.event.callSite;
  const outer = callSite === undefined ? undefined : trained.callAt(callSite);
  const argument = (expr: FlowExpr): FlowExpr | undefined => {
    if (def?.kind !== 'def' || outer === undefined || expr.kind !== 'name' || dotted(outer.call.callee) !== def.name) return undefined;
    const position = def.params.indexOf(expr.name);
    if (position < 0) return undefined;
    const byKeyword = outer.call.args.find((a) => a.keyword === expr.name);
    const positional = outer.call.args.filter((a) => a.keyword === undefined && a.unpack === undefined)[position];
    return (byKeyword ?? positional)?.value;
  };
  const x = argument(xArg.value);
  const y = argument(yArg.value);
  if (x === undefined || y === undefined) {
    gap(
      spec,
      `the model is fitted inside \`${def?.kind === 'def' ? def.name : 'a function'}\` (${cellLabel(fit.callStatement.cell)}) on data that is not one of its parameters; fit it on the function's parameters, or at the top level`,
    );
    return undefined;
  }
  return { x, y, statement: fit.statement };
}

/**
 * The Pipeline's preprocessing steps in the order the data went through them: the fitted
 * transformers provenance found on the model's input path after the feature selection (those
 * before it stay in the data preparation), with the steps nb2prod writes for the notebook's own
 * code (`fillna`) placed among them by where they run.
 */
function pipelineSteps(spec: ModelSpec, trace: FeatureTrace): TransformerStep[] {
  const selection = spec.x?.statement.order ?? -1;
  const written = [...trace.written].reverse();
  const steps: TransformerStep[] = trace.trained
    .steps(
      trace.fit.event.chainIn.filter((e) => !trace.inBlocks.has(e)),
      trace.fit.event.data.split !== undefined,
      (sentence) => gap(spec, sentence),
    )
    .filter((s) => s.statement.order >= selection)
    .map((s) => ({
      constructor: s.constructor,
      ...(s.variable !== undefined ? { variable: s.variable } : {}),
      beforeSplit: s.beforeSplit,
      statement: s.statement,
    }));
  for (const step of written) {
    const at = steps.findIndex((s) => s.written === undefined && s.statement.order >= step.statement.order);
    steps.splice(at < 0 ? steps.length : at, 0, step);
  }
  return steps;
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
      case 'string':
      case 'number':
      case 'constant':
        return true;
      case 'tuple':
      case 'list':
      case 'set':
      case 'dict':
        return expr.items.every((e) => buildable(e, statement, path));
      case 'operator':
        return expr.operands.every((e) => buildable(e, statement, path));
      case 'starred':
        return buildable(expr.value, statement, path);
      case 'attribute':
        return buildable(expr.object, statement, path);
      case 'subscript':
        return buildable(expr.object, statement, path) && expr.index.every((e) => buildable(e, statement, path));
      case 'slice':
        return [expr.lower, expr.upper, expr.step].every((e) => buildable(e, statement, path));
      case 'other':
        return expr.parts.every((e) => buildable(e, statement, path));
      case 'lambda':
        return true;
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
            const what =
              flow?.kind === 'def'
                ? 'a function'
                : flow?.kind === 'class'
                  ? 'a class'
                  : single
                    ? 'a value computed from data'
                    : 'a statement nb2prod cannot copy';
            gap(
              spec,
              `the model reads \`${expr.name}\` (${cellLabel(binding.cell)}), ${what}, which training cannot rebuild on its own: define it in \`build_model\` in \`src/model/train.py\``,
            );
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
      case 'call':
        found.push(expr);
        visit(expr.callee);
        expr.args.forEach((a) => visit(a.value));
        return;
      case 'attribute':
        visit(expr.object);
        return;
      case 'subscript':
        visit(expr.object);
        expr.index.forEach(visit);
        return;
      case 'tuple':
      case 'list':
      case 'set':
      case 'dict':
        expr.items.forEach(visit);
        return;
      case 'operator':
        expr.operands.forEach(visit);
        return;
      case 'starred':
        visit(expr.value);
        return;
      case 'other':
        expr.parts.forEach(visit);
        return;
      default:
        return;
    }
  };
  const flow = statement.flow;
  if (flow?.kind === 'assign' || flow?.kind === 'expression') visit(flow.value);
  return found;
}

const PASS_THROUGH_METHODS = new Set(['to_numpy', 'copy', 'astype', 'reset_index']);

/** What following the features back collects: the steps nb2prod writes for the notebook's code, in encounter (reverse) order. */
interface FeatureTrace {
  trained: TrainedModel;
  fit: ModelFit;
  /** Transformer fits of blocks put side by side: inside the written ColumnTransformer, not steps of their own. */
  inBlocks: Set<FitEvent>;
  written: TransformerStep[];
  /** Statements already followed (a name bound from itself ends the trace). */
  seen: number[];
}

/**
 * Follows the feature matrix backwards to the frame and the columns it selects, through the
 * split (by position) and through fitted transformers (the Pipeline's steps come from provenance).
 */
function traceFeatures(index: NotebookIndex, spec: ModelSpec, trace: FeatureTrace, expr: FlowExpr, statement: Statement): void {
  const { seen } = trace;
  if (seen.length > 40) return;
  switch (expr.kind) {
    case 'name': {
      const binding = index.bindingStatement(expr.name, statement.cell, expr.start);
      if (binding?.flow?.kind !== 'assign' || seen.includes(binding.order))
        return gap(spec, `could not follow \`${expr.name}\` back to the data it is made from`);
      seen.push(binding.order);
      const flow = binding.flow;
      const split = splitCall(index, flow.value, binding);
      if (split !== undefined) {
        const position = tuplePosition(flow.targets, expr.name);
        const positional = split.args.filter((a) => a.keyword === undefined);
        const source = positional[Math.floor(position / 2)];
        if (position < 0 || source === undefined) return gap(spec, `could not tell which part of the split \`${expr.name}\` is`);
        return traceFeatures(index, spec, trace, source.value, binding);
      }
      if (flow.targets.length !== 1) return gap(spec, `\`${expr.name}\` is unpacked from \`${textOf(binding, flow.value)}\`, which nb2prod cannot follow`);
      // `inputs = pd.concat([inputs, dummies], axis="columns")`: the features frame engineered further;
      // the scaffold's data extraction places that engineering (row-wise.ts), the trace goes on to where it was selected.
      if (encodesItself(index, flow.value, expr.name, binding))
        return traceFeatures(index, spec, trace, { kind: 'name', name: expr.name, start: flow.start, end: flow.start }, binding);
      return traceFeatures(index, spec, trace, flow.value, binding);
    }
    case 'call': {
      const callee = expr.callee;
      // A transformer the notebook constructs: provenance puts it in the Pipeline; its input is the features.
      const inner = expr.args[0];
      if (
        callee.kind === 'attribute' &&
        ['fit_transform', 'transform'].includes(callee.attribute) &&
        inner !== undefined &&
        trace.trained.appliesConstructed(statement.cell, expr)
      ) {
        return traceFeatures(index, spec, trace, inner.value, statement);
      }
      if (callee.kind === 'attribute' && PASS_THROUGH_METHODS.has(callee.attribute)) return traceFeatures(index, spec, trace, callee.object, statement);
      if (isColumnReshape(expr)) return traceFeatures(index, spec, trace, expr.callee.object, statement);
      if (callee.kind === 'attribute' && callee.attribute === 'fillna') {
        const imputer = fillnaImputer(expr, statement);
        if (imputer === undefined)
          return gap(
            spec,
            `the model's features are filled by \`${textOf(statement, expr)}\`, which nb2prod cannot rebuild as a Pipeline step; fill with a number, or with the columns' \`mean()\` or \`median()\``,
          );
        if (!trace.written.some((t) => t.constructor.statement === statement && t.constructor.text === imputer.text)) {
          trace.written.push({
            constructor: imputer,
            beforeSplit: false,
            statement,
            written: { replaces: 'fillna', imports: ['from sklearn.impute import SimpleImputer'] },
          });
          spec.notes.push(
            `\`${textOf(statement, expr)}\` (${cellLabel(statement.cell)}) fills missing values before the model; training does it inside the Pipeline with \`${imputer.text}\`, so inference fills them the same way.`,
          );
        }
        return traceFeatures(index, spec, trace, callee.object, statement);
      }
      if (callee.kind === 'attribute' && callee.attribute === 'drop')
        return frameFrom(index, spec, callee.object, statement, { dropped: droppedColumns(expr.args) });
      const name = index.qualified(callee, statement);
      if ((name === 'numpy.asarray' || name === 'numpy.array') && expr.args[0]) return traceFeatures(index, spec, trace, expr.args[0].value, statement);
      const blocks = sideBySide(name, expr);
      if (blocks !== undefined) return traceBlocks(index, spec, trace, blocks, textOf(statement, callee), statement);
      return gap(spec, `the model's features come from \`${textOf(statement, expr)}\`, which nb2prod cannot rebuild as a Pipeline step`);
    }
    case 'attribute':
      if (expr.attribute === 'values') return traceFeatures(index, spec, trace, expr.object, statement);
      return gap(spec, `the model's features come from \`${textOf(statement, expr)}\``);
    case 'subscript': {
      if (index.qualified(expr.object, statement) === 'numpy.c_') return traceBlocks(index, spec, trace, expr.index, textOf(statement, expr.object), statement);
      const positions = ilocColumnRange(expr);
      if (positions !== undefined && expr.object.kind === 'attribute') return frameFrom(index, spec, expr.object.object, statement, { positions });
      const columnPositions = ilocColumnPositions(expr);
      if (columnPositions !== undefined && expr.object.kind === 'attribute') return frameFrom(index, spec, expr.object.object, statement, { columnPositions });
      // Every column but some, as a mask or a column list over the frame's own columns (`df.loc[:, df.columns != "y"]`).
      const loc = locColumns(expr);
      const frame = loc !== undefined && expr.object.kind === 'attribute' ? expr.object.object : expr.object;
      const selected = loc ?? (expr.index.length === 1 && expr.index[0]?.kind === 'call' ? expr.index[0] : undefined);
      const excluded = selected !== undefined && frame.kind === 'name' ? excludedColumns(selected, frame.name) : undefined;
      if (excluded !== undefined) return frameFrom(index, spec, frame, statement, { dropped: excluded });
      const named = loc === undefined ? undefined : stringList(loc);
      if (named !== undefined) return frameFrom(index, spec, frame, statement, { features: named });
      const [column] = expr.index;
      if (column === undefined || expr.index.length !== 1)
        return gap(
          spec,
          `unsupported feature selection \`${textOf(statement, expr)}\`: select the feature columns by name (\`df[["a", "b"]]\`, or \`df.drop(columns=[...])\`)`,
        );
      const literal = stringList(column);
      if (literal !== undefined) return frameFrom(index, spec, expr.object, statement, { features: literal });
      if (column.kind === 'name') {
        const binding = index.bindingStatement(column.name, statement.cell, column.start);
        const values = binding?.flow?.kind === 'assign' ? stringList(binding.flow.value) : undefined;
        if (values !== undefined) return frameFrom(index, spec, expr.object, statement, { features: values, featuresVariable: column.name });
      }
      return gap(
        spec,
        `could not read the feature columns of \`${textOf(statement, expr)}\`: they are computed, and training needs them written out; list them (\`features = ["a", "b"]\`) or drop the other columns (\`X = df.drop(columns=[...])\`)`,
      );
    }
    default:
      return gap(spec, `the model's features come from \`${textOf(statement, expr)}\``);
  }
}

/**
 * `pd.get_dummies(name, ...)`, `name.join(...)`, `pd.concat([name, ...], axis="columns")` or
 * `name.drop(...)`: `name` with columns added or removed, after an earlier binding selected it.
 */
function encodesItself(index: NotebookIndex, value: FlowExpr, name: string, statement: Statement): boolean {
  if (value.kind !== 'call') return false;
  if (value.callee.kind === 'attribute' && value.callee.attribute === 'drop' && value.callee.object.kind === 'name' && value.callee.object.name === name)
    return index.bindingStatement(name, statement.cell, statement.start) !== undefined;
  const first = value.args[0];
  const qualified = index.qualified(value.callee, statement);
  if (qualified === 'pandas.get_dummies') return first?.keyword === undefined && first?.value.kind === 'name' && first.value.name === name;
  if (value.callee.kind === 'attribute' && value.callee.attribute === 'join') return value.callee.object.kind === 'name' && value.callee.object.name === name;
  const blocks = sideBySide(qualified, value);
  return qualified === 'pandas.concat' && blocks?.[0]?.kind === 'name' && blocks[0].name === name;
}

/** The blocks a call puts side by side (`np.hstack([a, b])`, `pd.concat([a, b], axis=1)`); undefined for other calls. */
function sideBySide(qualified: string | undefined, call: FlowExpr & { kind: 'call' }): FlowExpr[] | undefined {
  const [first, second] = call.args.filter((a) => a.keyword === undefined && a.unpack === undefined);
  const axis = call.args.find((a) => a.keyword === 'axis')?.value ?? (qualified === 'numpy.concatenate' ? second?.value : undefined);
  const columns = axis !== undefined && ((axis.kind === 'number' && axis.value === 1) || (axis.kind === 'string' && axis.value === 'columns'));
  const combines =
    qualified === 'numpy.hstack' || qualified === 'numpy.column_stack' || ((qualified === 'numpy.concatenate' || qualified === 'pandas.concat') && columns);
  if (!combines || first === undefined || (first.value.kind !== 'list' && first.value.kind !== 'tuple')) return undefined;
  return first.value.items;
}

/**
 * Blocks of columns transformed apart and put side by side (`np.hstack([scaler.fit_transform(X[num]),
 * encoder.fit_transform(X[cat])])`) are what a ColumnTransformer does: each block's transformers
 * (from provenance) on its columns (read here), written as ONE step. The blocks must select named
 * columns of one frame, from which the trace goes on.
 */
function traceBlocks(index: NotebookIndex, spec: ModelSpec, trace: FeatureTrace, blocks: readonly FlowExpr[], written: string, statement: Statement): void {
  const where = `\`${written}\` (${cellLabel(statement.cell)})`;
  const fitted = trace.fit.event.data.columnBlocks;
  if (fitted === undefined || fitted.length !== blocks.length)
    return gap(spec, `the model's features are put together by ${where} from blocks nb2prod could not follow`);
  const selections = blocks.map((b) => blockColumns(index, trace, b, statement));
  const [first] = selections;
  if (first === undefined || selections.some((s) => s === undefined)) {
    return gap(spec, `each block ${where} puts together must select named columns of one frame (\`X_train[["a", "b"]]\`), transformed or not`);
  }
  const frame = (s: BlockColumns): Statement | undefined => index.bindingStatement(s.frame.name, s.statement.cell, s.frame.start);
  if (selections.some((s) => s!.frame.name !== first.frame.name || frame(s!) !== frame(first)))
    return gap(spec, `the blocks ${where} puts together come from different frames`);
  const names = new Set<string>();
  const inner: string[] = [];
  const parts: string[] = [];
  let pipeline = false;
  selections.forEach((selection, i) => {
    const steps = trace.trained.steps(fitted[i]!.chain, false, (sentence) => gap(spec, sentence));
    fitted[i]!.chain.forEach((e) => trace.inBlocks.add(e));
    inner.push(...steps.map((s) => s.constructor.className));
    let name =
      steps.length === 0
        ? 'passthrough'
        : (steps.length === 1
            ? (steps[0]!.variable ?? steps[0]!.constructor.className)
            : steps.map((s) => s.variable ?? s.constructor.className).join('_')
          ).toLowerCase();
    while (names.has(name)) name += '_';
    names.add(name);
    const texts = steps.map((s) => s.constructor.text);
    pipeline ||= steps.length > 1;
    const transformer = steps.length === 0 ? '"passthrough"' : steps.length === 1 ? texts[0]! : `make_pipeline(${texts.join(', ')})`;
    parts.push(`(${JSON.stringify(name)}, ${transformer}, ${JSON.stringify(selection!.columns).replace(/","/g, '", "')})`);
  });
  const text = `ColumnTransformer([${parts.join(', ')}])`;
  const imports = ['from sklearn.compose import ColumnTransformer', ...(pipeline ? ['from sklearn.pipeline import make_pipeline'] : [])];
  trace.written.push({
    constructor: { callee: 'ColumnTransformer', qualified: 'sklearn.compose.ColumnTransformer', className: 'ColumnTransformer', text, args: [], statement },
    beforeSplit: false,
    statement,
    written: { replaces: written, imports },
    inner,
  });
  spec.notes.push(
    `${where} puts together blocks of columns transformed apart; training does it inside the Pipeline with one \`ColumnTransformer\`, which applies each block's transformers to its columns and keeps them in the same order.`,
  );
  // A split part or a selection (`X_train`, `X = df[features]`) is followed further; a frame itself gives the features: the blocks' columns.
  const binding = frame(first)?.flow;
  const value = binding?.kind === 'assign' ? binding.value : undefined;
  const selected =
    value !== undefined &&
    (splitCall(index, value, frame(first)!) !== undefined ||
      value.kind === 'subscript' ||
      (value.kind === 'call' && value.callee.kind === 'attribute' && value.callee.attribute === 'drop'));
  if (selected) return traceFeatures(index, spec, trace, first.frame, first.statement);
  frameFrom(index, spec, first.frame, first.statement, { features: [...new Set(selections.flatMap((s) => s!.columns))] });
}

/** Where a block of columns comes from: the frame it selects them from, by name. */
interface BlockColumns {
  frame: FlowExpr & { kind: 'name' };
  statement: Statement;
  columns: string[];
}

/** Follows one block back through names, fitted transformers and conversions to the columns it selects. */
function blockColumns(index: NotebookIndex, trace: FeatureTrace, expr: FlowExpr, statement: Statement): BlockColumns | undefined {
  for (let depth = 0; depth < 20; depth++) {
    if (expr.kind === 'name') {
      const binding = index.bindingStatement(expr.name, statement.cell, expr.start);
      if (binding?.flow?.kind !== 'assign' || binding.flow.targets.length !== 1 || binding.flow.targets[0]?.kind !== 'name') return undefined;
      expr = binding.flow.value;
      statement = binding;
    } else if (expr.kind === 'attribute' && expr.attribute === 'values') {
      expr = expr.object;
    } else if (expr.kind === 'call') {
      const callee = expr.callee;
      const inner = expr.args[0];
      const qualified = index.qualified(callee, statement);
      if (
        callee.kind === 'attribute' &&
        ['fit_transform', 'transform'].includes(callee.attribute) &&
        inner !== undefined &&
        trace.trained.appliesConstructed(statement.cell, expr)
      )
        expr = inner.value;
      else if (callee.kind === 'attribute' && PASS_THROUGH_METHODS.has(callee.attribute)) expr = callee.object;
      else if (['numpy.asarray', 'numpy.array', 'pandas.DataFrame'].includes(qualified ?? '') && inner !== undefined && inner.keyword === undefined)
        expr = inner.value;
      else return undefined;
    } else if (expr.kind === 'subscript' && expr.index.length === 1 && expr.object.kind === 'name') {
      const column = expr.index[0]!;
      let columns = stringList(column);
      if (columns === undefined && column.kind === 'name') {
        const binding = index.bindingStatement(column.name, statement.cell, column.start);
        columns = binding?.flow?.kind === 'assign' ? stringList(binding.flow.value) : undefined;
      }
      return columns === undefined ? undefined : { frame: expr.object, statement, columns };
    } else return undefined;
  }
  return undefined;
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
    spec.target = {
      column,
      ...(variable !== undefined ? { variable } : {}),
      ...(mapping !== undefined ? { mapping } : {}),
      statement,
      ...(transform ? { transform } : {}),
    };
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
    if (expr.kind === 'attribute' && expr.attribute === 'values') {
      expr = expr.object;
      continue;
    }
    const shape = targetShape(expr, statement, spec.x?.frame);
    if (shape?.mapping !== undefined) {
      if (mapping !== undefined) break;
      mapping = shape.mapping;
    }
    if (shape?.inner !== undefined) {
      expr = shape.inner;
      continue;
    }
    if (shape?.column !== undefined) return found(shape.column);
    const array = targetArray(index, expr, statement);
    if (array !== undefined) {
      expr = array;
      continue;
    }
    // `np.log1p(df["price"])`: the saved model learns on that scale and answers on the original one.
    const transformed = spec.task === 'regression' && transform === undefined && mapping === undefined ? targetTransform(index, expr, statement) : undefined;
    if (transformed !== undefined) {
      transform = {
        func: transformed.func,
        inverse: inverseOf(transformed.func),
        text: textOf(statement, expr),
        statement,
        ...predictionScale(index, spec.modelVariable, transformed.func),
      };
      expr = transformed.inner;
      continue;
    }
    // A label encoding: sklearn classifiers encode labels themselves, so training learns the
    // labels as they are, and inference answers with them.
    const encoded = spec.task === 'classification' ? targetEncoding(index, expr, statement) : undefined;
    if (encoded !== undefined) {
      spec.notes.push(
        `The notebook encodes the target with ${encoded.how} (${cellLabel(statement.cell)}); the classifier now learns the labels themselves (it encodes them internally, and the manifest's \`model.classes\` lists them), so predictions are labels such as those in the target column, not their codes.`,
      );
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
