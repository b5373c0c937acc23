/**
 * The one shape of LK201 that can be fixed by rewriting text: a transformer fitted on the whole
 * `X` at module scope (`X_s = scaler.fit_transform(X)`, or `scaler.fit(X)` then
 * `X_s = scaler.transform(X)`), whose output is read by nothing but the first argument of a later
 * `X_train, X_test, ... = train_test_split(X_s, ...)`. Recognising it is shared by the two LK201
 * fixes (fit after the split; wrap in a Pipeline); anything else gets the reason it is not
 * mechanical, for the diagnostic's `data.fixBlockedBy`.
 */
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import { cellLabel } from '../notebook/model';
import { provenanceOf, type Contamination, type FitEvent } from '../analysis/provenance';
import type { FlowExpr } from '../python/flow';
import {
  assignedName,
  before,
  callOf,
  changedBetween,
  methodCall,
  nameOf,
  nameTaken,
  nextStatement,
  onlyPositional,
  ownsLines,
  readsBetween,
  spanOf,
  statementAt,
  textOf,
  type CallExpr,
  type Spot,
  type TopStatement,
} from './leakage-statements';

/** How the transformer was fitted on all rows. */
export interface LeakingFit {
  /** `X_s = t.fit_transform(X)`, or `t.fit(X)` followed by `X_s = t.transform(X)`. */
  variant: 'fit_transform' | 'fit-then-transform';
  /** The statement that fits (for `fit_transform`, the only one). */
  fitStatement: TopStatement;
  /** For `fit-then-transform`: the statement `X_s = t.transform(X)`. */
  transformStatement?: TopStatement;
  /** The name that holds the transformer after the fix. */
  transformer: string;
  /** The constructor text when the transformer is built inside the fit statement (`StandardScaler()`). */
  constructorText?: string;
  /** Whether the fit statement assigns the transformer (`t = StandardScaler().fit(X)` or a new name for an inline one). */
  bindsTransformer: boolean;
  /** Whether `transformer` is a new name the fix makes up for a transformer built inline. */
  inventedName: boolean;
  /** The source text of the data the transformer learned from (`X`, `df["text"]`), untransformed. */
  input: string;
  /** The source text of the target passed to the fit (`SelectKBest(...).fit_transform(X, y)`), if any. */
  target?: string;
  /** The names the input and target read: they must not change between the fit and the split. */
  reads: string[];
  /** The transformed data (`X_s`). */
  output: string;
}

/** The split of the transformed data. */
export interface LeakedSplit {
  statement: TopStatement;
  call: CallExpr;
  /** The split's first argument: the transformed data (`X_s`). */
  first: FlowExpr;
  /** The training and held-out parts of the transformed data and, when the fit takes a target, of the target. */
  xTrain: string;
  xTest: string;
  yTrain?: string;
}

/** The mechanical LK201 shape. */
export interface SplitFixShape {
  fit: LeakingFit;
  split: LeakedSplit;
  /** Where the fit statements start: the transformer must not be used between here and its new fit. */
  fitStart: Spot;
}

/** The shape, or why the leak cannot be fixed mechanically. */
export type ShapeOutcome = { shape: SplitFixShape } | { blockedBy: string };

/** Recognises the mechanical shape of one LK201 leak. */
export function splitFixShape(analysed: AnalysedNotebook, leak: Contamination): ShapeOutcome {
  const provenance = provenanceOf(analysed);
  const fit = leak.fit;
  if (fit.inFunction !== undefined || fit.callSite !== undefined) return { blockedBy: 'the fit happens inside a notebook function' };
  if (fit.loop !== undefined) return { blockedBy: 'the fit happens inside a loop' };
  if (fit.kind !== 'transformer' || fit.object === undefined) return { blockedBy: `\`${fit.api}\` is not a transformer object that can be refitted` };
  const splits = new Set(provenance.contaminations.filter((c) => c.fit === fit).map((c) => c.split ?? c.crossValidation));
  const split = leak.split;
  if (split === undefined)
    return { blockedBy: `the rows are split by \`${leak.crossValidation?.api ?? 'cross-validation'}\`, not by \`train_test_split\`; use a \`Pipeline\`` };
  if (splits.size > 1) return { blockedBy: 'the transformed rows are split or cross-validated more than once' };
  if (split.kind !== 'train_test_split' || split.callSite !== undefined || split.speculative)
    return { blockedBy: 'the rows are not split by one module-level `train_test_split` call' };
  const others = provenance.contaminations.filter((c) => c.fit !== fit && !c.fit.speculative && c.split === split && c.fit.kind !== 'estimator');
  if (others.length > 0 || fit.learnedIn.length > 0)
    return { blockedBy: 'several preprocessing steps learn from all rows before this split; put them in one `Pipeline` by hand' };

  const leaking = leakingFit(analysed, fit);
  if ('blockedBy' in leaking) return leaking;
  const leaked = leakedSplit(analysed, split.location, leaking.fit);
  if ('blockedBy' in leaked) return leaked;
  const shape = { fit: leaking.fit, split: leaked.split, fitStart: spanOf(leaking.fit.fitStatement).start };
  const blocked = dataflowProblem(analysed, shape);
  return blocked === undefined ? { shape } : { blockedBy: blocked };
}

/** The statements of the fit on all rows. */
function leakingFit(analysed: AnalysedNotebook, fit: FitEvent): { fit: LeakingFit } | { blockedBy: string } {
  const at = statementAt(analysed, fit.location);
  if (at === undefined) return { blockedBy: 'the fit is not in a module-level statement' };
  const { top } = at;
  const { statement } = top;
  const call = callOf(statement.kind === 'assign' || statement.kind === 'expression' ? statement.value : undefined);
  if (call === undefined || call.start !== at.start || call.end !== at.end) return { blockedBy: 'the fit is part of a larger statement' };
  if (!ownsLines(top)) return { blockedBy: 'the fit shares its line with another statement' };
  const method = methodCall(call);
  const args = onlyPositional(call);
  if (method === undefined || args === undefined || args[0] === undefined || args.length > 2 || args.some((a) => !plainData(a))) {
    return { blockedBy: `the fit does not take the rows (and a target) as plain positional arguments` };
  }
  const input = textOf(top.python, args[0]);
  const target = args[1] === undefined ? undefined : textOf(top.python, args[1]);
  const reads = [...new Set(args.flatMap(namesIn))];
  const ownName = nameOf(method.object);
  const constructed = callOf(method.object);
  const constructorText = constructed === undefined ? undefined : textOf(top.python, constructed);
  const common = { input, reads, ...(target === undefined ? {} : { target }) };

  if (method.method === 'fit_transform') {
    const output = assignedName(statement);
    if (output === undefined) return { blockedBy: 'the transformed rows are not assigned to one name' };
    if (ownName !== undefined)
      return { fit: { variant: 'fit_transform', fitStatement: top, transformer: ownName, bindsTransformer: false, inventedName: false, output, ...common } };
    if (constructorText === undefined) return { blockedBy: 'the transformer is neither a name nor a constructor call' };
    const name = transformerName(analysed, fit.object?.className ?? calleeName(constructed));
    if (name === undefined) return { blockedBy: 'no free name for the transformer' };
    return {
      fit: { variant: 'fit_transform', fitStatement: top, transformer: name, constructorText, bindsTransformer: true, inventedName: true, output, ...common },
    };
  }
  if (method.method !== 'fit') return { blockedBy: `\`${method.method}\` is neither \`fit\` nor \`fit_transform\`` };
  // `t.fit(X)` or `t = Constructor().fit(X)`, then `X_s = t.transform(X)` as the next statement.
  const bound = assignedName(statement);
  const transformer = statement.kind === 'expression' ? ownName : constructorText !== undefined ? bound : undefined;
  if (transformer === undefined) return { blockedBy: 'the fitted transformer is not held by one name' };
  const next = nextStatement(analysed, { cell: top.cell, offset: statement.end });
  const transform = next === undefined ? undefined : callOf(next.statement.kind === 'assign' ? next.statement.value : undefined);
  const applied = transform === undefined ? undefined : methodCall(transform);
  const output = next === undefined ? undefined : assignedName(next.statement);
  const transformArgs = transform === undefined ? undefined : onlyPositional(transform);
  if (
    next === undefined ||
    output === undefined ||
    applied?.method !== 'transform' ||
    nameOf(applied.object) !== transformer ||
    transformArgs?.length !== 1 ||
    transformArgs[0] === undefined ||
    textOf(next.python, transformArgs[0]) !== input ||
    !ownsLines(next)
  ) {
    return { blockedBy: `the statement after the fit is not \`X_new = ${transformer}.transform(${input})\`` };
  }
  return {
    fit: {
      variant: 'fit-then-transform',
      fitStatement: top,
      transformStatement: next,
      transformer,
      ...(constructorText === undefined ? {} : { constructorText }),
      bindsTransformer: constructorText !== undefined,
      inventedName: false,
      output,
      ...common,
    },
  };
}

/** The `train_test_split` statement that splits the transformed rows. */
function leakedSplit(analysed: AnalysedNotebook, location: FitEvent['location'], fit: LeakingFit): { split: LeakedSplit } | { blockedBy: string } {
  const at = statementAt(analysed, location);
  const statement = at?.top.statement;
  const call = callOf(statement?.kind === 'assign' ? statement.value : undefined);
  if (at === undefined || statement?.kind !== 'assign' || call === undefined || call.start !== at.start || statement.targets.length !== 1) {
    return { blockedBy: 'the split is not a plain `... = train_test_split(...)` statement' };
  }
  const target = statement.targets[0];
  const names = target?.kind === 'tuple' || target?.kind === 'list' ? target.items.map(nameOf) : [];
  const arrays = call.args.filter((a) => a.keyword === undefined && a.unpack === undefined).map((a) => a.value);
  const first = arrays[0];
  if (call.args.some((a) => a.unpack !== undefined) || names.length !== 2 * arrays.length || names.some((n) => n === undefined)) {
    return { blockedBy: 'the split does not assign each part to its own name' };
  }
  if (nameOf(first) !== fit.output) return { blockedBy: `the split's first argument is not \`${fit.output}\`` };
  if (arrays.slice(1).some((a) => nameOf(a) === fit.output)) return { blockedBy: `\`${fit.output}\` is split twice in one call` };
  const [xTrain, xTest] = names as string[];
  let yTrain: string | undefined;
  if (fit.target !== undefined) {
    const position = arrays.findIndex((a) => textOf(at.top.python, a) === fit.target);
    if (position < 1) return { blockedBy: `the fit's target \`${fit.target}\` is not split with the rows` };
    yTrain = names[2 * position];
  }
  if (xTrain === undefined || xTest === undefined || first === undefined) return { blockedBy: 'the split has no parts' };
  return { split: { statement: at.top, call, first, xTrain, xTest, ...(yTrain === undefined ? {} : { yTrain }) } };
}

/**
 * Whether moving the fit is sound as far as names go: the transformed rows are read by the split
 * alone, the untransformed rows (and target) do not change between the fit and the split, and
 * nothing uses the transformer in between.
 */
function dataflowProblem(analysed: AnalysedNotebook, shape: SplitFixShape): string | undefined {
  const { fit, split } = shape;
  const made = fit.transformStatement ?? fit.fitStatement;
  const madeEnd = spanOf(made).end;
  const splitSpan = spanOf(split.statement);
  const splitRead = { cell: split.statement.cell, offset: split.first.start };
  for (const read of readsBetween(analysed, fit.output, madeEnd, { cell: Number.POSITIVE_INFINITY, offset: 0 })) {
    if (read.cell === splitRead.cell && read.offset === splitRead.offset) continue;
    const seen = analysed.graph.documentEdges.find((e) => e.use === read)?.definition;
    const fromFit = seen === undefined || (seen.cell === made.cell && seen.bindOffset > made.statement.start && seen.bindOffset <= made.statement.end);
    if (read.deferred || fromFit) return `\`${fit.output}\` is also read in ${cellLabel(read.cell)}`;
  }
  for (const name of fit.reads) {
    // When the fit overwrites its input (`X = scaler.fit_transform(X)`), removing it is the point.
    const changed = changedBetween(analysed, name, fit.output === name ? madeEnd : shape.fitStart, splitSpan.start);
    if (changed !== undefined) return `\`${name}\` changes in ${cellLabel(changed)}, between the fit and the split`;
  }
  const transformerUses = readsBetween(analysed, fit.transformer, spanOf(fit.fitStatement).end, splitSpan.end).filter(
    (u) =>
      fit.transformStatement === undefined ||
      u.cell !== fit.transformStatement.cell ||
      u.offset < fit.transformStatement.statement.start ||
      u.offset >= fit.transformStatement.statement.end,
  );
  const firstUse = transformerUses[0];
  if (firstUse?.deferred === true) return `a function in ${cellLabel(firstUse.cell)} uses \`${fit.transformer}\` and may run before the split`;
  if (firstUse !== undefined) return `\`${fit.transformer}\` is used in ${cellLabel(firstUse.cell)} before the split`;
  const rebound = changedBetween(analysed, fit.transformer, spanOf(fit.fitStatement).end, splitSpan.end);
  if (rebound !== undefined) return `\`${fit.transformer}\` changes in ${cellLabel(rebound)}, before the split`;
  if (!ownsLines(split.statement)) return 'the split shares its line with another statement';
  if (!before(spanOf(made).end, splitSpan.start)) return 'the split does not come after the fit';
  return undefined;
}

/** Rows or a target as an argument: names, selections and calls, nothing that runs later. */
function plainData(expr: FlowExpr): boolean {
  return (
    expr.kind !== 'lambda' && expr.kind !== 'starred' && expr.kind !== 'other' && expr.kind !== 'string' && expr.kind !== 'number' && expr.kind !== 'constant'
  );
}

/** Every name an expression reads. */
function namesIn(expr: FlowExpr | undefined): string[] {
  if (expr === undefined) return [];
  switch (expr.kind) {
    case 'name':
      return [expr.name];
    case 'attribute':
      return namesIn(expr.object);
    case 'subscript':
      return [...namesIn(expr.object), ...expr.index.flatMap(namesIn)];
    case 'slice':
      return [...namesIn(expr.lower), ...namesIn(expr.upper), ...namesIn(expr.step)];
    case 'call':
      return [...namesIn(expr.callee), ...expr.args.flatMap((a) => namesIn(a.value))];
    case 'tuple':
    case 'list':
    case 'set':
    case 'dict':
      return expr.items.flatMap(namesIn);
    case 'starred':
      return namesIn(expr.value);
    case 'operator':
      return expr.operands.flatMap(namesIn);
    case 'other':
      return expr.parts.flatMap(namesIn);
    default:
      return [];
  }
}

/** The callee's last name (`StandardScaler` in `preprocessing.StandardScaler()`). */
function calleeName(call: CallExpr | undefined): string | undefined {
  const callee = call?.callee;
  return callee?.kind === 'name' ? callee.name : callee?.kind === 'attribute' ? callee.attribute : undefined;
}

const ROLE_WORDS = ['Scaler', 'Imputer', 'Encoder', 'Vectorizer', 'Discretizer', 'Transformer', 'Binarizer', 'Normalizer'];

/**
 * A name for a transformer built inline: its role word (`StandardScaler` -> `scaler`,
 * `SimpleImputer` -> `imputer`), else the class in snake case (`PCA` -> `pca`,
 * `SelectKBest` -> `select_k_best`); undefined when the notebook already uses both.
 */
function transformerName(analysed: AnalysedNotebook, className: string | undefined): string | undefined {
  if (className === undefined || !/^[A-Za-z_]\w*$/.test(className)) return undefined;
  const word = ROLE_WORDS.find((w) => className.endsWith(w) && className !== w);
  const snake = className
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
  return [word?.toLowerCase(), snake].find((name) => name !== undefined && !nameTaken(analysed, name));
}
