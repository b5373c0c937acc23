/**
 * The modelling chain as the provenance analysis sees it, placed on the scaffold's statements:
 * which estimator fit the project rebuilds, the fitted transformers its input went through (in
 * order, and whether each learned from held-out rows), and the split that made its training rows.
 * The leakage rules read the same events, so the project and the findings never disagree on them.
 */
import { includesHeldOutAndMore, provenanceOf, type FitEvent, type Location, type ObjectState, type Provenance, type SplitEvent } from '../analysis/provenance';
import { lookupBareName, lookupQualified } from '../analysis/libraries';
import { cellLabel } from '../notebook/model';
import { offsetAt } from '../notebook/positions';
import { subExpressions } from '../python/expressions';
import type { FlowExpr, FlowStatement } from '../python/flow';
import { dotted, textOf, type NotebookIndex } from './notebook-index';
import type { Statement } from './statements';

/** A call expression of the notebook's code. */
export type CallExpr = FlowExpr & { kind: 'call' };

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
  args: CallExpr['args'];
  /** The top-level statement the call is in (a `def` for a constructor inside a function). */
  statement: Statement;
}

/** An estimator fit placed on the notebook's statements. */
export interface ModelFit {
  event: FitEvent;
  model: Constructor;
  /** The variable holding the fitted model at the top level, when there is one. */
  variable?: string;
  /** The top-level statement that runs the fit: the fit itself, or the call of the function fitting it. */
  statement: Statement;
  /** The `.fit(...)` call, and the top-level statement it is written in. */
  call: CallExpr;
  callStatement: Statement;
}

/** Why a fit is the one the project trains: the notebook saves it, evaluates it last (or refits what it evaluated last), or fits it last. */
export type ChosenBecause = 'saved' | 'evaluated' | 'refit' | 'last';

/** A fitted transformer on the model's input path. */
export interface ChainStep {
  event: FitEvent;
  constructor: Constructor;
  variable?: string;
  /** The top-level statement that fits it. */
  statement: Statement;
  /** It learned from rows the split holds out (fitted before the split, or on train and test together). */
  beforeSplit: boolean;
}

/** The provenance of the scaffolded notebook, with its locations resolved to statements and calls. */
export class TrainedModel {
  readonly provenance: Provenance;
  private readonly constructors = new Map<string, Constructor | undefined>();

  constructor(readonly index: NotebookIndex) {
    this.provenance = provenanceOf(index.analysed);
  }

  /** The offset of a location's start in its cell's source. */
  offset(location: Location): number {
    return offsetAt(this.index.analysed.cells[location.cell]?.python ?? '', location.range.start);
  }

  /** The top-level statement a location is in. */
  statementOf(location: Location): Statement | undefined {
    return this.index.statementAt(location.cell, this.offset(location));
  }

  /** The call expression written at a location (a call event's location spans exactly its call). */
  callAt(location: Location): { call: CallExpr; statement: Statement } | undefined {
    const statement = this.statementOf(location);
    if (statement?.flow === undefined) return undefined;
    const start = this.offset(location);
    const end = offsetAt(statement.python, location.range.end);
    const call = findCall(statement.flow, (c) => c.start === start && c.end === end);
    return call === undefined ? undefined : { call, statement };
  }

  /** The constructor call that created an object, when the notebook's code writes one. */
  constructorOf(object: ObjectState): Constructor | undefined {
    const created = object.created;
    if (created === undefined) return undefined;
    const key = `${created.cell}:${this.offset(created)}`;
    if (!this.constructors.has(key)) this.constructors.set(key, this.readConstructor(created));
    return this.constructors.get(key);
  }

  private readConstructor(created: Location): Constructor | undefined {
    const found = this.callAt(created);
    if (found === undefined) return undefined;
    const { call, statement } = found;
    const callee = dotted(call.callee);
    if (callee === undefined) return undefined;
    const className = callee.split('.').pop() ?? callee;
    const qualified = this.index.qualified(call.callee, statement);
    return { callee, ...(qualified ? { qualified } : {}), className, text: textOf(statement, call), args: call.args, statement };
  }

  /**
   * Every fit of a model the scaffold could train (`.fit` of an estimator, a search or a pipeline
   * whose constructor the notebook writes), in notebook order. Fits in functions nothing calls
   * may never run and are left out.
   */
  modelFits(): ModelFit[] {
    const found: ModelFit[] = [];
    for (const event of this.provenance.fits) {
      if (event.speculative || event.kind !== 'estimator' || event.method !== 'fit' || event.object === undefined) continue;
      const model = this.constructorOf(event.object);
      if (model === undefined || !isModelClass(model)) continue;
      const written = this.callAt(event.location);
      const statement = this.statementOf(event.callSite ?? event.location);
      if (written === undefined || statement === undefined) continue;
      const variable = event.callSite === undefined ? receiverName(written.call, statement) : assignedName(statement);
      found.push({ event, model, ...(variable !== undefined ? { variable } : {}), statement, call: written.call, callStatement: written.statement });
    }
    return found;
  }

  /**
   * The fit the project rebuilds: the model the notebook saves last (a search's
   * `best_estimator_` is the search), else the fit the notebook evaluates last outside a loop,
   * else the last fit.
   */
  chosenFit(fits: readonly ModelFit[]): { fit: ModelFit; why: ChosenBecause; splitFrom?: ModelFit } | undefined {
    const saves = this.provenance.saves.filter((s) => !s.speculative);
    for (const save of [...saves].reverse()) {
      const saved = fits.filter((f) => save.objects.includes(f.event.object!) && f.event.order < save.order);
      if (saved.length > 0) return { fit: saved[saved.length - 1]!, why: 'saved' };
    }
    // Scores computed in a loop (over candidate models, or their predictions) single out none of them.
    const evaluations = this.provenance.evaluations.filter((e) => !e.speculative && e.fit !== undefined && e.loop === undefined);
    for (const evaluation of [...evaluations].reverse()) {
      const evaluated = fits.find((f) => f.event === evaluation.fit);
      if (evaluated === undefined) continue;
      // A later fit of the same class outside a loop is the final model (`KNN(n_neighbors=11).fit(X, y)`
      // on every row once the evaluation chose it); the evaluated fit still says how to split.
      const refit = fits
        .filter((f) => f.event.order > evaluated.event.order && f.event.loop === undefined && f.model.className === evaluated.model.className)
        .at(-1);
      return refit === undefined ? { fit: evaluated, why: 'evaluated' } : { fit: refit, why: 'refit', splitFrom: evaluated };
    }
    const last = fits[fits.length - 1];
    return last === undefined ? undefined : { fit: last, why: 'last' };
  }

  /**
   * Transformer fits (a fit's `chainIn`, in order) as Pipeline steps, each object once; `split`:
   * whether the model's rows come from a split. A step whose object the notebook does not
   * construct (loaded, returned by a library call) is a gap.
   */
  steps(events: readonly FitEvent[], split: boolean, gap: (sentence: string) => void): ChainStep[] {
    const steps: ChainStep[] = [];
    for (const event of events) {
      const object = event.object;
      const statement = this.statementOf(event.callSite ?? event.location);
      if (object === undefined || statement === undefined || steps.some((s) => s.event.object === object)) continue;
      const made = this.constructorOf(object);
      if (made === undefined) {
        gap(
          `the model's features go through \`${event.api}\` (${cellLabel(statement.cell)}), whose transformer the notebook does not construct, so the Pipeline cannot rebuild it`,
        );
        continue;
      }
      const written = this.callAt(event.location);
      const variable = written === undefined || event.callSite !== undefined ? undefined : receiverName(written.call, written.statement);
      steps.push({
        event,
        constructor: made,
        ...(variable !== undefined ? { variable } : {}),
        statement,
        beforeSplit: split && includesHeldOutAndMore(event.rows),
      });
    }
    return steps;
  }

  /** The split that made the fit's training rows, when it is a call of a splitting function (`train_test_split`). */
  split(fit: ModelFit): { event: SplitEvent; statement: Statement; args: CallExpr['args'] } | undefined {
    const event = fit.event.data.split;
    if (event === undefined || event.kind !== 'train_test_split') return undefined;
    const written = this.callAt(event.location);
    if (written === undefined) return undefined;
    return { event, statement: written.statement, args: written.call.args };
  }

  /** Whether a fitted object the notebook constructs is applied (`transform`, `fit_transform`) by the call written at (cell, offsets). */
  appliesConstructed(cell: number, call: CallExpr): boolean {
    const at = (location: Location): boolean => location.cell === cell && this.offset(location) === call.start;
    const objects = [
      ...this.provenance.fits.filter((f) => at(f.location)).map((f) => f.object),
      ...this.provenance.applications.filter((a) => at(a.location)).map((a) => a.object),
    ];
    return objects.some((o) => o !== undefined && o.loaded === undefined && this.constructorOf(o) !== undefined);
  }
}

/** Whether a constructor makes something the scaffold trains: an estimator, a search, a pipeline. */
function isModelClass(model: Constructor): boolean {
  const role = model.qualified !== undefined ? lookupQualified(model.qualified) : lookupBareName(model.className);
  if (role?.kind === 'class') return ['estimator', 'search', 'composite'].includes(role.role.role);
  if (role?.kind === 'function') return role.role.role === 'compose';
  return role === undefined && /(Classifier|Regressor)$/.test(model.className);
}

/**
 * The variable holding the object a method call (`scaler.fit(X)`) is made on: its receiver, or the
 * name the statement binds to the call's result (`scaler = StandardScaler().fit(X)`).
 */
function receiverName(call: CallExpr, statement: Statement): string | undefined {
  const receiver = call.callee.kind === 'attribute' ? call.callee.object : undefined;
  if (receiver?.kind === 'name') return receiver.name;
  const flow = statement.flow;
  return flow?.kind === 'assign' && flow.value === call ? assignedName(statement) : undefined;
}

/** The one name a top-level assignment binds (`model = train(X, y)`). */
function assignedName(statement: Statement): string | undefined {
  const flow = statement.flow;
  if (flow?.kind !== 'assign' || flow.targets.length !== 1) return undefined;
  const target = flow.targets[0];
  return target?.kind === 'name' ? target.name : undefined;
}

/** The first call in a statement (bodies of functions, loops and blocks included) that matches. */
export function findCall(statement: FlowStatement, matches: (call: CallExpr) => boolean): CallExpr | undefined {
  let found: CallExpr | undefined;
  const visit = (expr: FlowExpr | undefined): void => {
    if (expr === undefined || found !== undefined) return;
    if (expr.kind === 'call' && matches(expr)) {
      found = expr;
      return;
    }
    subExpressions(expr).forEach(visit);
  };
  const walk = (s: FlowStatement): void => {
    if (found !== undefined) return;
    switch (s.kind) {
      case 'assign':
        s.targets.forEach(visit);
        visit(s.value);
        return;
      case 'expression':
        visit(s.value);
        return;
      case 'return':
        visit(s.value);
        return;
      case 'for':
        visit(s.iterable);
        s.body.forEach(walk);
        return;
      case 'block':
        s.tests.forEach(visit);
        s.body.forEach(walk);
        return;
      case 'def':
        s.body.forEach(walk);
        return;
      case 'class':
        s.bases.forEach(visit);
        s.body.forEach(walk);
        return;
      default:
        return;
    }
  };
  walk(statement);
  return found;
}
