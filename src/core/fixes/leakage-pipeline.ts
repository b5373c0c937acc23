/**
 * LK201's second fix: when the model is trained on the split's training part right after the
 * split, put the transformer and the model into one `make_pipeline`, trained on the untransformed
 * split, so that the transformer learns from training rows only (and travels with the model):
 *
 *     X_s = StandardScaler().fit_transform(X)              (removed)
 *     X_train, X_test, y_train, y_test = train_test_split(X, y, ...)
 *     model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X_train, y_train)
 *
 * Offered only when every later read of `X_train` and `X_test` goes to that model (or asks for
 * their length or shape): anything else would now receive untransformed rows. Unsafe by design.
 */
import type { CellTextEdit, Fix } from '../diagnostic';
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import { cellLabel } from '../notebook/model';
import { provenanceOf, type Contamination, type FitEvent } from '../analysis/provenance';
import { leakReach, modelPhrase } from '../analysis/provenance/report';
import { offsetAt } from '../notebook/positions';
import { insertionPoint } from './insert-constant';
import { removeFitOnAllRows, splitUntransformed } from './leakage-move-fit';
import type { SplitFixShape } from './leakage-split-shape';
import {
  assignedName,
  before,
  callOf,
  changedBetween,
  edit,
  methodCall,
  nameOf,
  onlyPositional,
  readsBetween,
  removeStatement,
  spanOf,
  statementAt,
  textOf,
  type CallExpr,
  type TopStatement,
} from './leakage-statements';

const IMPORT = 'from sklearn.pipeline import make_pipeline';

/** The Pipeline fix, or why there is none. */
export function wrapInPipeline(analysed: AnalysedNotebook, leak: Contamination, shape: SplitFixShape): { fix: Fix } | { blockedBy: string } {
  const provenance = provenanceOf(analysed);
  const training = leakReach(provenance, leak.fit).training;
  if (training === undefined) return { blockedBy: 'no model is trained on the split' };
  const model = modelStatements(analysed, training, shape);
  if ('blockedBy' in model) return model;
  const { fit } = shape;
  // A transformer built inline moves into the pipeline as written; a named one joins it by name,
  // so later uses of the name (saving it, say) see the transformer the pipeline fitted.
  const inline = fit.inventedName && fit.constructorText !== undefined;
  const step = inline ? (fit.constructorText ?? '') : fit.transformer;

  // The transformer is now fitted by the pipeline: nothing may use it before that.
  const fitEnd = spanOf(fit.fitStatement).end;
  const modelFitEnd = spanOf(model.fitStatement).end;
  const ctorAt = { cell: model.ctorStatement.cell, offset: model.ctor.start };
  const early = inline
    ? undefined
    : readsBetween(analysed, fit.transformer, fitEnd, modelFitEnd).find((u) => u.deferred || !insideAny(u, [fit.transformStatement]));
  if (early?.deferred === true)
    return { blockedBy: `a function in ${cellLabel(early.cell)} uses \`${fit.transformer}\` and may run before the model is trained` };
  if (early !== undefined) return { blockedBy: `\`${fit.transformer}\` is used in ${cellLabel(early.cell)} before the model is trained` };
  if (!before(fitEnd, ctorAt)) return { blockedBy: 'the model is built before the transformer is fitted' };
  const stray = strayRead(analysed, shape, model);
  if (stray !== undefined) return { blockedBy: stray };
  const importEdit = makePipelineImport(analysed, ctorAt);
  if (typeof importEdit === 'string') return { blockedBy: importEdit };

  const ctorText = textOf(model.ctorStatement.python, model.ctor);
  const edits: CellTextEdit[] = [
    ...(importEdit === undefined ? [] : [importEdit]),
    ...(inline ? [removeStatement(fit.fitStatement)] : removeFitOnAllRows(fit)),
    ...splitUntransformed(shape),
    edit(model.ctorStatement.cell, model.ctorStatement.python, model.ctor.start, model.ctor.end, `make_pipeline(${step}, ${ctorText})`),
  ];
  const transformerClass = leak.fit.object?.className ?? fit.transformer;
  return {
    fix: { title: `Wrap \`${transformerClass}\` and ${modelPhrase(training.object)} in a \`Pipeline\``, safety: 'unsafe', edits },
  };
}

/** Where the model is built and trained. */
interface ModelStatements {
  /** The name that holds the model. */
  name: string;
  /** The model's constructor call (`LogisticRegression(max_iter=1000)`). */
  ctor: CallExpr;
  ctorStatement: TopStatement;
  fitStatement: TopStatement;
}

/**
 * `model = Estimator(...).fit(X_train, y)`, or `model = Estimator(...)` and later
 * `model.fit(X_train, y)`, at module scope after the split, on the split's training rows.
 */
function modelStatements(analysed: AnalysedNotebook, training: FitEvent, shape: SplitFixShape): ModelStatements | { blockedBy: string } {
  const object = training.object;
  if (object === undefined || object.role !== 'estimator') return { blockedBy: 'the trained model is not one plain estimator' };
  if (training.speculative || training.inFunction !== undefined || training.loop !== undefined)
    return { blockedBy: 'the model is trained inside a function or a loop' };
  if (training.learnedIn.length !== 1) return { blockedBy: 'the model learns from more than this transformer' };
  const at = statementAt(analysed, training.location);
  const statement = at?.top.statement;
  const call = callOf(statement?.kind === 'assign' || statement?.kind === 'expression' ? statement.value : undefined);
  const method = call === undefined ? undefined : methodCall(call);
  const args = call === undefined ? undefined : onlyPositional(call);
  if (at === undefined || call === undefined || call.start !== at.start || call.end !== at.end || method?.method !== 'fit') {
    return { blockedBy: 'the model is not trained by a plain `fit` statement' };
  }
  if (args === undefined || args.length > 2 || nameOf(args[0]) !== shape.split.xTrain)
    return { blockedBy: `the model is not trained on \`${shape.split.xTrain}\` with positional arguments only` };
  if (!before(spanOf(shape.split.statement).end, spanOf(at.top).start)) return { blockedBy: 'the model is trained before the split' };
  const inline = callOf(method.object);
  const name = assignedName(at.top.statement);
  if (inline !== undefined && name !== undefined) return { name, ctor: inline, ctorStatement: at.top, fitStatement: at.top };
  const own = nameOf(method.object);
  const created = object.created === undefined ? undefined : statementAt(analysed, object.created);
  const ctor = callOf(created?.top.statement.kind === 'assign' ? created.top.statement.value : undefined);
  if (own === undefined || created === undefined || ctor === undefined || ctor.start !== created.start || assignedName(created.top.statement) !== own) {
    return { blockedBy: 'the model is not built by a plain `model = Estimator(...)` statement' };
  }
  const changed = changedBetween(analysed, own, spanOf(created.top).end, spanOf(at.top).start);
  if (changed !== undefined) return { blockedBy: `\`${own}\` changes in ${cellLabel(changed)}, before it is trained` };
  return { name: own, ctor, ctorStatement: created.top, fitStatement: at.top };
}

/**
 * A read of the split parts that would receive untransformed rows after the fix: anything but a
 * positional argument of a call on the model, `len(part)` or `part.shape`.
 */
function strayRead(analysed: AnalysedNotebook, shape: SplitFixShape, model: ModelStatements): string | undefined {
  const { split } = shape;
  const splitSpan = spanOf(split.statement);
  for (const part of [split.xTrain, split.xTest]) {
    for (const read of readsBetween(analysed, part, splitSpan.end, { cell: Number.POSITIVE_INFINITY, offset: 0 })) {
      const seen = analysed.graph.documentEdges.find((e) => e.use === read)?.definition;
      if (
        !read.deferred &&
        (seen === undefined ||
          seen.cell !== split.statement.cell ||
          seen.bindOffset <= split.statement.statement.start ||
          seen.bindOffset > split.statement.statement.end)
      )
        continue;
      const cell = analysed.cells[read.cell];
      const python = cell?.python ?? '';
      const allowed =
        !read.deferred &&
        (insideAny(read, [model.fitStatement]) ||
          python.startsWith('.shape', read.offset + part.length) ||
          (cell?.facts?.calls ?? []).some(
            (c) =>
              !c.deferred &&
              (c.root === model.name || c.callee === 'len') &&
              c.args.some((a) => a.keyword === undefined && a.unpack === undefined && a.text === part && offsetAt(python, a.range.start) === read.offset),
          ));
      if (!allowed) return `\`${part}\` is also read in ${cellLabel(read.cell)}, which would then get untransformed rows`;
    }
  }
  return undefined;
}

/** The edit that imports `make_pipeline`, undefined when it already is, or why it cannot be. */
function makePipelineImport(analysed: AnalysedNotebook, usedAt: { cell: number; offset: number }): CellTextEdit | undefined | string {
  const definitions = analysed.graph.definitions.get('make_pipeline') ?? [];
  if (definitions.length > 0) {
    const imported = analysed.cells.some((c) =>
      c.facts?.imports.some((i) => i.boundName === 'make_pipeline' && i.module === 'sklearn.pipeline' && i.member === 'make_pipeline'),
    );
    const first = definitions[0];
    if (!imported || definitions.length > 1 || first === undefined || !before({ cell: first.cell, offset: first.bindOffset }, usedAt)) {
      return '`make_pipeline` is bound to something else in this notebook';
    }
    return undefined;
  }
  if (analysed.graph.wildcardCells.length > 0) return 'a star import may already bind `make_pipeline`';
  const at = insertionPoint(analysed);
  if (at === undefined) return 'the notebook has no code cell for the import';
  const python = analysed.cells[at.cell]?.python ?? '';
  return edit(at.cell, python, at.offset, at.offset, at.afterImport ? `\n${IMPORT}` : `${IMPORT}\n`);
}

/** Whether a read lies inside one of the statements. */
function insideAny(read: { cell: number; offset: number }, statements: readonly (TopStatement | undefined)[]): boolean {
  return statements.some((s) => s !== undefined && s.cell === read.cell && s.statement.start <= read.offset && read.offset < s.statement.end);
}
