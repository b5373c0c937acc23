/**
 * Methods of fitted objects (`fit`, `transform`, `predict`, `score`, `split`, `save`) and of
 * data (pandas statistics, row sampling, ordering by time, everything else deriving data).
 */
import type { PreprocessingPattern } from '../libraries';
import { ORDER_POSITIONS } from '../libraries/numpy';
import { PANDAS_ORDER_BY, PANDAS_STATISTICS, PANDAS_TIME_ORDER, SAVE_METHODS } from '../libraries/pandas';
import { Rows, type ObjectState, type Value } from './model';
import {
  firstData,
  fitKindOf,
  keywordsOf,
  learnedOutput,
  modelClass,
  recordApply,
  recordCrossValidation,
  recordEvaluation,
  recordFit,
  recordSave,
  type CallSite,
} from './events';
import { newSplit, noteRoleAssigned } from './splits';
import { columnNames, constant, derive, objectValue, restrictColumns, sourceData, tuple, unknownValue } from './values';

const FIT_METHODS = new Set(['fit', 'partial_fit', 'fit_transform', 'fit_resample', 'fit_sample', 'fit_predict', 'fit_on_texts', 'adapt']);
const TRANSFORM_METHODS = new Set(['transform', 'texts_to_sequences', 'texts_to_matrix', 'sequences_to_matrix']);
const PREDICT_METHODS = new Set(['predict', 'predict_proba', 'predict_log_proba', 'decision_function', 'forecast', 'get_forecast']);
const SCORE_METHODS = new Set(['score', 'evaluate']);

/** Methods that reveal that a value of unknown origin is a fitted object, not data. */
export const OBJECT_METHODS: ReadonlySet<string> = new Set([
  ...FIT_METHODS,
  ...TRANSFORM_METHODS,
  ...PREDICT_METHODS,
  ...SCORE_METHODS,
  ...SAVE_METHODS,
  'inverse_transform',
  'load_model',
  'compile',
]);

/** A date- or time-like column name. */
const TIME_COLUMN = /date|time|timestamp|year|month|week|day|hour|period|(^|_)dt$|^ds$/i;

/**
 * The name an object's calls are reported under: `StandardScaler.fit_transform`; for objects of
 * unknown class, the call as written (`enc.fit_transform`), or the bare method when that is long.
 */
function apiName(object: ObjectState, method: string, site?: CallSite): string {
  const className = object.className ?? modelClass(object);
  if (className !== undefined) return `${className}.${method}`;
  const callee = site === undefined ? '' : site.it.text(site.call.callee.start, site.call.callee.end);
  return /^[A-Za-z_][\w.]{0,40}$/.test(callee) && callee.endsWith(`.${method}`) ? callee : method;
}

/** A method call on a (possibly fitted) object. */
export function objectMethod(site: CallSite, object: ObjectState, method: string): Value {
  const { it, positional } = site;
  object.methods.add(method);
  const features = site.keyword('X') ?? site.keyword('x') ?? positional[0];
  const target = site.keyword('y') ?? positional[1];
  if (object.stateless && (FIT_METHODS.has(method) || TRANSFORM_METHODS.has(method))) {
    // Learns nothing from rows: no fit to leak; the application still counts for LK205.
    const data = features ?? firstData(positional);
    if (method === 'fit' || data === undefined) return objectValue(object);
    recordApply(site, object, method, data);
    return derive([it.asData(data)]);
  }
  if (FIT_METHODS.has(method)) {
    const data = object.role === 'data-model' && features === undefined ? object.constructorData : features !== undefined ? features : firstData(positional);
    if (data === undefined) return objectValue(object);
    if (method === 'fit_resample' || method === 'fit_sample') {
      if (object.role === 'unknown') object.role = 'resampler';
      const fit = recordFit(site, 'resampler', object, apiName(object, method, site), method, data);
      const outs = [data, target].filter((v) => v !== undefined).map((v) => learnedOutput(site, v, fit, false));
      return tuple(outs);
    }
    if (method === 'fit_transform' || method === 'fit_on_texts' || method === 'adapt') {
      if (object.role === 'unknown') object.role = 'transformer';
    }
    const kind = fitKindOf(object, target !== undefined);
    const monitor = site.keyword('eval_set') ?? site.keyword('validation_data') ?? site.keyword('valid_sets') ?? site.keyword('eval_sets');
    const fit = recordFit(site, kind, object, apiName(object, method, site), method, data, object.pattern, monitor);
    if (monitor !== undefined && selectsByMonitor(site)) fit.selectsByMonitor = true;
    if (target !== undefined && target.kind !== 'constant') fit.target = target;
    if (object.role === 'search')
      recordCrossValidation(site, object, data, apiName(object, method, site), site.keyword('cv')?.object ?? object.parts.find((p) => p.role === 'splitter'));
    if (method === 'fit_transform') {
      recordApply(site, object, method, data);
      return learnedOutput(site, data, fit, kind === 'transformer');
    }
    if (method === 'fit_predict') return { ...derive([data]), prediction: { model: object, fit } };
    return objectValue(object);
  }
  if (TRANSFORM_METHODS.has(method) || method === 'inverse_transform') {
    const data = features ?? firstData(positional);
    if (data === undefined) return unknownValue();
    if (object.role === 'unknown') object.role = 'transformer';
    recordApply(site, object, method, data);
    const fit = object.current;
    return learnedOutput(site, data, fit, fit !== undefined && method !== 'inverse_transform' && fit.kind !== 'estimator');
  }
  if (PREDICT_METHODS.has(method)) {
    if (object.role === 'unknown') object.role = 'estimator';
    const data = features ?? firstData(positional) ?? object.current?.data;
    if (data === undefined) return unknownValue();
    recordApply(site, object, method, data);
    return { ...derive([it.asData(data)]), prediction: { model: object, ...(object.current === undefined ? {} : { fit: object.current }) } };
  }
  if (SCORE_METHODS.has(method)) {
    if (object.role === 'unknown') object.role = 'estimator';
    // Named by the receiver's class as constructed: `Pipeline.score`, `GridSearchCV.score`.
    if (features !== undefined) recordEvaluation(site, object, it.asData(features), apiName(object, method, site), object.current, target);
    return constant();
  }
  if (method === 'split' && object.role === 'splitter') return foldSplit(site, object, features);
  if (SAVE_METHODS.has(method)) {
    const saved = { ...site, args: [{ value: objectValue(object), expr: site.call.callee }, ...site.args] };
    return recordSave(saved, apiName(object, method, site));
  }
  if (method === 'permutation' || method === 'shuffle') return shuffleRows(site, method, apiName(object, method, site));
  if (method === 'load_model' || method === 'load_weights') object.loaded = it.at(site.call.start, site.call.end);
  if (method === 'add') object.parts.push(...positional.flatMap((p) => (p.object === undefined ? [] : [p.object])));
  return method === 'set_params' || method === 'compile' ? objectValue(object) : unknownValue(false);
}

/**
 * `rng.permutation(n)`, `np.random.permutation(X)`: row positions (or rows) in random order;
 * `rng.shuffle(idx)` reorders its argument in place.
 */
export function shuffleRows(site: CallSite, method: string, api: string): Value {
  const { it, positional } = site;
  const shuffled = { api, location: it.at(site.call.start, site.call.end) };
  const [first] = positional;
  if (method === 'shuffle' && api.startsWith('sklearn')) {
    // `sklearn.utils.shuffle(X, y)` returns each array reordered alike, as a copy: features stay features, labels stay labels.
    const copies = positional.filter((p) => p.kind === 'data' || p.kind === 'unknown').map((p): Value => ({ ...derive([it.asData(p)]), shuffled }));
    return copies.length === 1 ? (copies[0] ?? unknownValue()) : tuple(copies);
  }
  if (method === 'shuffle') {
    if (first?.kind === 'data') first.shuffled = shuffled;
    return constant();
  }
  const data = first?.kind === 'data' ? derive([first]) : sourceData(it.newDataset());
  return { ...data, shuffled };
}

/** `for tr, te in cv.split(X)`: each iteration yields train and validation row indexes of X. */
function foldSplit(site: CallSite, splitter: ObjectState, data: Value | undefined): Value {
  const { it, call } = site;
  if (data === undefined) return unknownValue();
  it.asData(data);
  const split = newSplit(it, 'cv', apiName(splitter, 'split', site), data, splitter.shuffles === true, call.start, call.end);
  const fold = (rows: number): Value => ({ ...derive([data]), rows, split, foldOf: split });
  const train = fold(Rows.train);
  const held = fold(Rows.validation);
  noteRoleAssigned(it, train);
  noteRoleAssigned(it, held);
  return { ...unknownValue(false), element: tuple([train, held]) };
}

/** A statistic over the rows of data: what it learned flows into any data it is combined with. */
export function statistic(site: CallSite, data: Value, method: string, api: string): Value {
  const pattern: PreprocessingPattern = data.grouped === true ? 'group-aggregation' : statisticPattern(method);
  const fit = recordFit(site, 'statistic', undefined, api, method, data, pattern);
  return { kind: 'statistic', rows: data.rows, datasets: data.datasets, learned: [fit, ...data.learned], chain: [], statistic: fit, uncertain: data.uncertain };
}

function statisticPattern(method: string): PreprocessingPattern {
  if (['value_counts', 'nunique', 'unique', 'count'].includes(method)) return 'encoding';
  if (['median', 'mode'].includes(method)) return 'imputation';
  if (['quantile', 'percentile', 'nanpercentile'].includes(method)) return 'discretization';
  return 'scaling';
}

/** A method call on data (a DataFrame, Series or array). */
export function dataMethod(site: CallSite, data: Value, method: string): Value {
  const { it, positional } = site;
  const frame = data.frame ?? 'DataFrame';
  if (PANDAS_STATISTICS.has(method) && data.windowed !== true && !rowWise(site, 0, method)) return statistic(site, data, method, `${frame}.${method}`);
  if (ORDER_POSITIONS.has(method)) return constant();
  if (method === 'groupby') return { ...derive([data]), grouped: true, frame: frame === 'Series' ? 'SeriesGroupBy' : 'DataFrameGroupBy' };
  if (['rolling', 'expanding', 'ewm', 'resample'].includes(method)) {
    const window: Value = { ...derive([data]), windowed: true };
    window.timeOrder ??= { reason: `\`.${method}()\` makes rows depend on their neighbours in time`, location: it.at(site.call.start, site.call.end) };
    return window;
  }
  if (method === 'transform' && data.grouped === true) {
    // `df.groupby(g)[c].transform("mean")`: a group statistic written back onto every row.
    const fit = recordFit(site, 'statistic', undefined, `${frame}.transform`, method, data, 'group-aggregation');
    fit.applied = true;
    const out = learnedOutput(site, data, fit, false);
    delete out.grouped;
    out.frame = frame === 'SeriesGroupBy' ? 'Series' : 'DataFrame';
    return out;
  }
  if (method === 'rank' && !rowWise(site)) {
    // Ranks (and percentiles, `pct=True`) place each row among all the others: a statistic applied to every row.
    const fit = recordFit(site, 'statistic', undefined, `${frame}.rank`, method, data, data.grouped === true ? 'group-aggregation' : 'scaling');
    fit.applied = true;
    const out = learnedOutput(site, data, fit, false);
    delete out.grouped;
    if (frame === 'SeriesGroupBy') out.frame = 'Series';
    else if (frame === 'DataFrameGroupBy') out.frame = 'DataFrame';
    return out;
  }
  if (method === 'permutation' || method === 'shuffle') return shuffleRows(site, method, `${frame === 'DataFrame' ? 'Generator' : frame}.${method}`);
  if (method === 'pipe' || method === 'assign') {
    // `df.pipe(f)`, `df.pipe(lambda d: d.fillna(d.median()))`, `df.assign(c=lambda d: ...)`: the function runs on the receiver.
    const at = it.at(site.call.start, site.call.end);
    const called = (v: Value): Value => (v.kind === 'function' ? (it.callNotebookFunction(v, [data], new Map(), at) ?? v) : v);
    if (method === 'pipe') {
      const [fn, ...rest] = positional;
      const result = fn === undefined ? undefined : it.callNotebookFunction(fn, [data, ...rest], keywordsOf(site), at);
      if (result !== undefined) return result;
    } else {
      site = { ...site, args: site.args.map((a) => ({ ...a, value: called(a.value) })) };
    }
  }
  nameInlineStatistics(site, frame, method);
  if (method === 'sample') return sample(site, data);
  if (method === 'drop') {
    const index = site.keyword('index') ?? positional[0];
    if (index !== undefined && index.split !== undefined && index.rows !== data.rows && index.rows !== Rows.all && index.rows !== Rows.unknown) {
      // `test = df.drop(train.index)`: the complement of a sampled part.
      const rows = index.rows === Rows.train ? (data.rows === Rows.train ? Rows.validation : Rows.test) : Rows.train;
      const part: Value = { ...derive([data]), rows, split: index.split };
      noteRoleAssigned(it, part);
      return part;
    }
  }
  let out: Value;
  if (['merge', 'join', 'append', 'combine_first'].includes(method)) out = derive([data, ...site.args.map((a) => a.value)]);
  else {
    // Statistics flow into the result (`fillna(df.mean())`); so do columns computed from the same
    // rows (`df.assign(code=encoder.transform(df["c"]))`), but never rows of another part.
    const sameRows = (v: Value): boolean => v.kind === 'data' && v.rows === data.rows && v.datasets.some((d) => data.datasets.includes(d));
    out = derive([data, ...site.args.map((a) => a.value).filter((v) => v.kind === 'statistic' || sameRows(v))]);
  }
  const ordering = orderingReason(site, method);
  if (ordering !== undefined && out.timeOrder === undefined) out.timeOrder = { reason: ordering, location: it.at(site.call.start, site.call.end) };
  if (PANDAS_ORDER_BY.has(method)) delete out.shuffled;
  if (method === 'drop') {
    const dropped = site.keyword('columns') ?? (site.keyword('axis')?.literal === 1 ? positional[0] : undefined);
    const names = columnNames(dropped?.kind === 'constant' ? { kind: 'string' } : undefined, dropped);
    if (names !== undefined) out = restrictColumns(out, names, true);
  }
  if (site.keyword('inplace')?.literal === 'True') {
    // In place: what the call learned now lives in the receiver itself.
    for (const fit of out.learned) if (!data.learned.includes(fit)) data.learned.push(fit);
    if (out.timeOrder !== undefined) data.timeOrder ??= out.timeOrder;
    noteRoleAssigned(it, data);
    return constant();
  }
  if (['dropna', 'drop_duplicates', 'query', 'head', 'tail'].includes(method) && data.rows === Rows.all) out.fresh = true;
  if (method === 'to_numpy' || method === 'reshape') out.frame = 'ndarray';
  else if (['agg', 'aggregate', 'apply', 'size'].includes(method) || data.grouped === true) delete out.frame;
  delete out.grouped;
  delete out.windowed;
  if (out.learned.length > data.learned.length) noteRoleAssigned(it, out);
  return out;
}

/**
 * `axis=1` (or `"columns"`) computes across the columns of each row: a per-row value, not a
 * statistic over rows (`x / x.sum(axis=1)` normalises each sample on its own). The axis may be
 * positional: `x.sum(1)` on a method, `np.sum(x, 1)` on a NumPy function (`position` 1).
 */
export function rowWise(site: CallSite, position = 0, statistic = ''): boolean {
  // Quantiles take `q` first: `df.quantile(0.9)`, `np.percentile(x, 99, axis)`.
  const positional = site.positional[/quantile|percentile/.test(statistic) ? position + 1 : position];
  const axis = site.keyword('axis') ?? (positional?.kind === 'constant' && (positional.literal === 1 || positional.literal === -1) ? positional : undefined);
  if (axis === undefined) return false;
  if (axis.literal === 0 || axis.literal === 'index') return false;
  return axis.kind === 'constant' || axis.kind === 'tuple';
}

/**
 * A statistic computed inline as an argument (`df.fillna(df.mean())`) is reported by the call
 * that applies it (`DataFrame.fillna`): that call is what a reader sees leaking on that line.
 */
function nameInlineStatistics(site: CallSite, frame: string, method: string): void {
  for (const arg of site.args) {
    const fit = arg.value.statistic;
    if (arg.expr.kind !== 'call' || fit === undefined || arg.value.kind !== 'statistic') continue;
    const at = site.it.at(arg.expr.start, arg.expr.end);
    if (
      fit.location.cell !== at.cell ||
      fit.location.range.start.line !== at.range.start.line ||
      fit.location.range.start.character !== at.range.start.character
    )
      continue;
    fit.api = `${frame}.${method}`;
    fit.location = site.it.at(site.call.start, site.call.end);
  }
}

/** Why a method's result is ordered in time, if it is. */
function orderingReason(site: CallSite, method: string): string | undefined {
  if (PANDAS_TIME_ORDER.has(method)) return `\`.${method}()\` makes rows depend on their neighbours in time`;
  if (!PANDAS_ORDER_BY.has(method) || method === 'sort_index') return undefined;
  const by = site.keyword('by') ?? site.keyword('keys') ?? site.positional[0];
  const columns = by === undefined ? [] : by.kind === 'tuple' ? (by.items ?? []).map((i) => i.literal) : [by.literal];
  const column = columns.find((c): c is string => typeof c === 'string' && TIME_COLUMN.test(c));
  if (column === undefined) return undefined;
  return method === 'set_index' ? `indexed by \`${column}\`` : `sorted by \`${column}\``;
}

/** `df.sample(frac=0.8)` takes a random training part; `replace=True` duplicates rows instead (oversampling). */
function sample(site: CallSite, data: Value): Value {
  const { it } = site;
  if (site.keyword('replace')?.literal === 'True') {
    const fit = recordFit(site, 'resampler', undefined, 'DataFrame.sample', 'sample', data);
    return learnedOutput(site, data, fit, false);
  }
  const frac = site.keyword('frac')?.literal;
  // `df.sample(frac=1)` shuffles: positional parts taken from it later (`shuffled[:n]`) are a random split.
  if (frac === 1) return { ...derive([data]), shuffled: { api: `${data.frame ?? 'DataFrame'}.sample`, location: it.at(site.call.start, site.call.end) } };
  if (data.rows !== Rows.all && data.rows !== Rows.train) return derive([data]);
  const split = newSplit(it, 'sample', `${data.frame ?? 'DataFrame'}.sample`, data, true, site.call.start, site.call.end);
  const part: Value = { ...derive([data]), rows: Rows.train, split };
  noteRoleAssigned(it, part);
  return part;
}

/** Whether a fit's call stops early or checkpoints by its monitored data: `early_stopping_rounds=`, `callbacks=[...]`. */
export function selectsByMonitor(site: CallSite): boolean {
  return ['early_stopping_rounds', 'callbacks', 'early_stopping'].some((k) => site.keyword(k) !== undefined);
}
