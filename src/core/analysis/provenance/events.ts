/**
 * Recording what calls do: fits, applications of fitted objects, evaluations and
 * cross-validations, with the bookkeeping shared by library functions and object methods.
 */
import type { FlowExpr } from '../../python/flow';
import type { PreprocessingPattern } from '../libraries';
import type { Interpreter } from './interpreter';
import { includesHeldOutAndMore, Rows, type FitEvent, type FitKind, type ObjectState, type Value } from './model';
import { noteRoleAssigned } from './splits';
import { addAll, constant, derive } from './values';

/** One evaluated argument of a call. */
export interface Argument {
  keyword?: string;
  unpack?: '*' | '**';
  value: Value;
  expr: FlowExpr;
}

/** A call being evaluated: where it is and its evaluated arguments. */
export interface CallSite {
  it: Interpreter;
  call: Extract<FlowExpr, { kind: 'call' }>;
  args: Argument[];
  /** Positional arguments (no keyword, no `**`). */
  positional: Value[];
  keyword(name: string): Value | undefined;
}

/** The keyword arguments of a call, by name. */
export function keywordsOf(site: CallSite): Map<string, Value> {
  return new Map(site.args.flatMap((a) => (a.keyword === undefined ? [] : [[a.keyword, a.value] as const])));
}

/** The class name to report for an object: a composite's or search's final model; undefined if unknown. */
export function modelClass(object: ObjectState): string | undefined {
  if (object.role === 'composite' || object.role === 'search') {
    const last = object.parts.at(-1);
    return last === undefined ? undefined : modelClass(last);
  }
  if (object.className === undefined && object.parts.length > 0 && object.role !== 'unknown') {
    // A blend of several candidates (a loop over models) has no single class.
    return undefined;
  }
  return object.className;
}

/** What kind of learning `fit` performs on an object, from its role (or, unknown, from its arguments). */
export function fitKindOf(object: ObjectState, hasTarget: boolean): FitKind {
  switch (object.role) {
    case 'transformer':
      return 'transformer';
    case 'resampler':
      return 'resampler';
    case 'estimator':
    case 'search':
    case 'data-model':
      return 'estimator';
    case 'composite': {
      const last = object.parts.at(-1);
      return last === undefined ? (hasTarget ? 'estimator' : 'transformer') : fitKindOf(last, hasTarget) === 'transformer' ? 'transformer' : 'estimator';
    }
    default:
      return hasTarget ? 'estimator' : 'transformer';
  }
}

/** Records a fit of `data` (made data if of unknown origin) and makes it the object's current state. */
export function recordFit(
  site: CallSite,
  kind: FitKind,
  object: ObjectState | undefined,
  api: string,
  method: string,
  data: Value,
  pattern?: PreprocessingPattern,
  monitor?: Value,
): FitEvent {
  const { it, call } = site;
  it.asData(data);
  const inFunction = it.currentFunction();
  const loop = it.currentLoop();
  const callSite = it.currentCallSite();
  const fit: FitEvent = {
    id: it.id(),
    kind,
    api,
    method,
    rows: data.rows,
    datasets: data.datasets,
    data,
    learnedIn: data.learned,
    chainIn: data.chain,
    location: it.at(call.start, call.end),
    speculative: it.speculative,
    applied: false,
    order: it.tick(),
    uncertain: data.uncertain || it.result.dynamic,
    ...(object === undefined ? {} : { object }),
    ...(pattern === undefined ? {} : { pattern }),
    ...(monitor === undefined ? {} : { monitor }),
    ...(inFunction === undefined ? {} : { inFunction }),
    ...(callSite === undefined ? {} : { callSite }),
    ...(loop === undefined ? {} : { loop }),
  };
  it.result.fits.push(fit);
  if (object !== undefined) {
    object.fits.push(fit);
    object.current = fit;
  }
  return fit;
}

/** Data carrying what `fit` learned: the fitted state (and what its own data had learned) is baked in. */
export function learnedOutput(site: CallSite, input: Value, fit: FitEvent | undefined, chained: boolean): Value {
  const out = derive([site.it.asData(input)]);
  if (fit !== undefined) {
    const learned = [...out.learned];
    addAll(learned, fit.learnedIn);
    addAll(learned, [fit]);
    out.learned = learned;
    if (chained) out.chain = [...input.chain, fit];
  }
  noteRoleAssigned(site.it, out);
  return out;
}

/** Records an application (`transform`, `predict`) of an object to data. */
export function recordApply(site: CallSite, object: ObjectState, method: string, data: Value): void {
  const { it, call } = site;
  const inFunction = it.currentFunction();
  it.result.applications.push({
    id: it.id(),
    object,
    ...(object.current === undefined ? {} : { fit: object.current }),
    method,
    data,
    location: it.at(call.start, call.end),
    speculative: it.speculative,
    order: it.tick(),
    ...(inFunction === undefined ? {} : { inFunction }),
  });
}

/** Records the scoring of a model on data. */
export function recordEvaluation(site: CallSite, model: ObjectState, data: Value, api: string, fit = model.current, target?: Value): void {
  const { it, call } = site;
  const loop = it.currentLoop();
  const callSite = it.currentCallSite();
  it.result.evaluations.push({
    id: it.id(),
    model,
    ...(fit === undefined ? {} : { fit }),
    data,
    ...(target === undefined || target.kind !== 'data' ? {} : { target }),
    api,
    location: it.at(call.start, call.end),
    speculative: it.speculative,
    order: it.tick(),
    ...(loop === undefined ? {} : { loop }),
    ...(callSite === undefined ? {} : { callSite }),
  });
}

/**
 * Records a cross-validation, and a leak for every fit baked into its data that learned from
 * rows including what the folds hold out (`cross_val_score(model, scaler.fit_transform(X), y)`).
 */
export function recordCrossValidation(site: CallSite, model: ObjectState, data: Value, api: string, splitter: ObjectState | undefined): void {
  const { it, call } = site;
  it.asData(data);
  const event = {
    id: it.id(),
    model,
    data,
    api,
    ...(splitter === undefined ? {} : { splitter }),
    location: it.at(call.start, call.end),
    speculative: it.speculative,
    order: it.tick(),
  };
  it.result.crossValidations.push(event);
  for (const fit of data.learned) {
    if (!(includesHeldOutAndMore(fit.rows) || foldsSeen(fit.rows, data)) || !fit.datasets.some((d) => data.datasets.includes(d))) continue;
    it.result.contaminations.push({ fit, crossValidation: event, value: data });
  }
}

/**
 * Whether a fit learned every row that cross-validation divides into folds, when those rows are
 * one split part (a scaler fitted on the training part, then `GridSearchCV(..., cv=5).fit` on the
 * scaled training part): each fold's validation rows were seen by the fit.
 */
function foldsSeen(fitRows: number, data: Value): boolean {
  // Only a part the notebook split off itself: a file named `train.csv` is not a part whose
  // held-out twin the notebook scores (statistics over a competition's training file are another shape).
  if (data.split === undefined || data.split.kind === 'name') return false;
  return data.rows !== Rows.unknown && (data.rows & Rows.all) === 0 && (fitRows & data.rows) === data.rows;
}

/** The objects held by a value: itself, or those inside a tuple, list or dict (recursively). */
export function objectsIn(value: Value): ObjectState[] {
  if (value.object !== undefined) return [value.object];
  return (value.items ?? []).flatMap(objectsIn);
}

/** The first data value among values (flattening tuples and lists). */
export function firstData(values: readonly Value[]): Value | undefined {
  for (const value of values) {
    if (value.kind === 'data' || value.kind === 'unknown') return value;
    if (value.kind === 'tuple') {
      const inner = firstData(value.items ?? []);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

/** Records that objects are written to disk (`joblib.dump(model, path)`, `model.save(path)`). */
export function recordSave(site: CallSite, written: string): Value {
  const { it } = site;
  const objects = site.args.flatMap((a) => objectsIn(a.value));
  const [saved, path] = site.positional;
  if (saved !== undefined && typeof path?.literal === 'string') it.noteSaved(path.literal, saved);
  if (objects.length > 0) {
    it.result.saves.push({
      id: it.id(),
      objects,
      api: written,
      location: it.at(site.call.start, site.call.end),
      speculative: it.speculative,
      order: it.tick(),
      datasetMark: it.datasetMark(),
    });
  }
  return constant();
}
