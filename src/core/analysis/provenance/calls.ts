/**
 * What a call does to values: dispatch on the callee (library function or class, notebook
 * function, method of a fitted object or of data, builtin), and the semantics of library
 * functions by their role in the tables.
 */
import type { FlowExpr } from '../../python/flow';
import { lookupQualified, type ClassRole, type FunctionRole } from '../libraries';
import { ORDER_POSITIONS } from '../libraries/numpy';
import { PANDAS_STATISTICS } from '../libraries/pandas';
import type { Interpreter } from './interpreter';
import { Rows, type Value } from './model';
import {
  firstData,
  keywordsOf,
  objectsIn,
  recordCrossValidation,
  recordEvaluation,
  recordFit,
  recordSave,
  learnedOutput,
  type Argument,
  type CallSite,
} from './events';
import { dataMethod, objectMethod, rowWise, selectsByMonitor, shuffleRows, statistic, OBJECT_METHODS } from './methods';
import { positionalSplit, splitArrays } from './splits';
import { besideEachOther, constant, derive, newObject, objectValue, sourceData, tuple, unknownValue } from './values';

type CallExpr = Extract<FlowExpr, { kind: 'call' }>;

/** Builtins that hand back (a view of) their first argument. */
const PASS_THROUGH_BUILTINS = new Set(['list', 'tuple', 'sorted', 'set', 'dict', 'iter', 'next', 'reversed', 'copy', 'deepcopy']);

/** Evaluates a call expression. */
export function evalCall(it: Interpreter, call: CallExpr): Value {
  const callee = call.callee;
  const receiver = callee.kind === 'attribute' ? it.expr(callee.object) : undefined;
  const calleeValue = callee.kind === 'attribute' ? undefined : it.expr(callee);
  // Written out, not spread: spread copies get a hidden class each in V8 (slow to read).
  const args: Argument[] = call.args.map((a) => ({ keyword: a.keyword, unpack: a.unpack, value: it.expr(a.value), expr: a.value }));
  if (args.some((a) => a.unpack === '**')) it.markDynamic();
  const site: CallSite = {
    it,
    call,
    args,
    positional: args.filter((a) => a.keyword === undefined && a.unpack !== '**').map((a) => a.value),
    keyword: (name) => args.find((a) => a.keyword === name)?.value,
  };
  if (receiver !== undefined && callee.kind === 'attribute') return methodCall(site, receiver, callee.attribute);
  if (calleeValue === undefined) return unknownValue();
  if (calleeValue.kind === 'module') return libraryCall(site, calleeValue.qualified ?? '');
  const notebook = it.callNotebookFunction(calleeValue, site.positional, keywordsOf(site), it.at(call.start, call.end));
  if (notebook !== undefined) return notebook;
  if (calleeValue.kind === 'object' && calleeValue.object !== undefined) {
    // Calling a model (`model(X)` in PyTorch or Keras) predicts.
    const out = derive(site.positional);
    if (calleeValue.object.role === 'estimator' && out.kind === 'data') out.prediction = { model: calleeValue.object };
    return out;
  }
  if (calleeValue.kind === 'unknown' && typeof calleeValue.literal === 'string') return builtin(site, calleeValue.literal);
  return derive(site.positional, true);
}

/**
 * How a library function is reported: pandas and NumPy under their conventional aliases
 * (`pd.get_dummies`, `np.hstack`), everything else by the module path it was imported from
 * (`sklearn.model_selection.train_test_split`, `joblib.dump`).
 */
function canonicalName(qualified: string, library: string | undefined): string {
  const name = qualified.split('.').at(-1) ?? qualified;
  if (library === 'pandas') return `pd.${name}`;
  if (library === 'NumPy') return `np.${name}`;
  return qualified;
}

function methodCall(site: CallSite, receiver: Value, method: string): Value {
  const { it } = site;
  switch (receiver.kind) {
    case 'module':
      return libraryCall(site, `${receiver.qualified ?? ''}.${method}`);
    case 'object': {
      if (receiver.object === undefined) return unknownValue();
      // Instances of notebook classes (the only objects with attributes) run their own methods.
      const notebook =
        receiver.object.attributes === undefined
          ? undefined
          : it.callNotebookMethod(receiver.object, method, site.positional, keywordsOf(site), it.at(site.call.start, site.call.end));
      return notebook ?? objectMethod(site, receiver.object, method);
    }
    case 'data':
      return dataMethod(site, receiver, method);
    case 'statistic':
      return receiver;
    case 'tuple':
      return listMethod(site, receiver, method);
    case 'unknown':
      if (OBJECT_METHODS.has(method)) {
        // An object of unknown class (loaded from disk, built by unknown code): its methods reveal its role.
        const object = newObject(it.id(), 'unknown', undefined);
        receiver.kind = 'object';
        receiver.object = object;
        return objectMethod(site, object, method);
      }
      {
        const data: Value = it.asData(receiver);
        return data.kind === 'data' ? dataMethod(site, data, method) : derive([data], true);
      }
    default:
      return unknownValue(false);
  }
}

function listMethod(site: CallSite, list: Value, method: string): Value {
  const items = list.items ?? [];
  if (method === 'append' || method === 'extend') {
    const [added] = site.positional;
    if (added !== undefined) items.push(...(method === 'extend' ? (added.items ?? []) : [added]));
    return constant();
  }
  if (method === 'items') return { ...unknownValue(false), element: tuple([constant(), site.it.elementOf(list)]) };
  if (method === 'values' || method === 'copy') return list;
  return unknownValue(false);
}

/** Builtins that matter for values; others return nothing data-like. */
function builtin(site: CallSite, name: string): Value {
  const { it, positional } = site;
  const [first] = positional;
  if (name === 'zip') return { ...unknownValue(false), element: tuple(positional.map((p) => it.elementOf(p))) };
  // `next(cv.split(X))`: the first fold's train and held-out indexes.
  if (name === 'next' && first?.element !== undefined) return first.element;
  if (name === 'enumerate') return { ...unknownValue(false), element: tuple([constant(), first === undefined ? unknownValue() : it.elementOf(first)]) };
  if (PASS_THROUGH_BUILTINS.has(name)) return first ?? unknownValue();
  if (['getattr', 'setattr', 'exec', 'eval', 'globals', 'locals', 'vars', '__import__'].includes(name)) {
    it.markDynamic();
    return unknownValue(true);
  }
  if (['len', 'print', 'range', 'int', 'float', 'str', 'round', 'type', 'isinstance', 'display', 'open', 'bool', 'hasattr', 'repr', 'format'].includes(name))
    return constant();
  return derive(positional, true);
}

/** A call of a library function or class by its qualified name (`sklearn.preprocessing.StandardScaler`). */
export function libraryCall(site: CallSite, qualified: string): Value {
  const name = qualified.split('.').at(-1) ?? qualified;
  const entry = lookupQualified(qualified);
  const written = canonicalName(qualified, entry?.library.name);
  if (entry === undefined || entry.kind === 'unlisted') {
    const library = entry?.library.name;
    // `np.argsort(scores)[:k]` picks the top k positions: slicing them is ranking, not a split.
    if (library === 'NumPy' && ORDER_POSITIONS.has(name)) return constant();
    if ((library === 'NumPy' || library === 'pandas') && PANDAS_STATISTICS.has(name) && !rowWise(site, 1, name)) {
      const data = firstData(site.positional);
      if (data !== undefined) return statistic(site, data, name, written);
    }
    if (library === undefined && /^(log_model|save_model|dump|save)$/.test(name)) return recordSave(site, written);
    if (/^[A-Z]/.test(name) && firstData(site.positional) === undefined && library !== 'NumPy' && library !== 'pandas') {
      // A class of an unknown library or an unlisted one: keep its name only when the library is known.
      const object = newObject(site.it.id(), 'unknown', library === undefined ? undefined : name);
      object.parts = site.args.flatMap((a) => objectsIn(a.value));
      object.created = site.it.at(site.call.start, site.call.end);
      return objectValue(object);
    }
    const data = derive(
      site.args.map((a) => a.value),
      library === undefined,
    );
    // `pd.DataFrame({...})`, `np.array([...])`, `pd.DataFrame(rows)` of a list of tuples built in a loop:
    // data built from literals is a dataset of its own.
    const literal = data.kind !== 'data' || (data.rows === Rows.unknown && data.datasets.length === 0 && !site.args.some((a) => a.value.kind === 'data'));
    if (literal && (library === 'NumPy' || library === 'pandas')) return { ...sourceData(site.it.newDataset()), fresh: true, ...pandasFrame(name, library) };
    return { ...data, ...pandasFrame(name, library) };
  }
  if (entry.kind === 'class') return construct(site, name, entry.role);
  return functionCall(site, name, written, entry.role);
}

function construct(site: CallSite, name: string, role: ClassRole): Value {
  const { it } = site;
  if (role.role === 'data-container') return derive(site.args.map((a) => a.value));
  const object = newObject(it.id(), role.role, name);
  object.created = it.at(site.call.start, site.call.end);
  object.parts = site.args.flatMap((a) => objectsIn(a.value));
  if (role.role === 'transformer') {
    object.pattern = role.pattern;
    if (role.stateless) object.stateless = true;
  }
  if (role.role === 'resampler') object.oversamples = role.oversamples;
  if (role.role === 'splitter') object.shuffles = role.shuffles === 'always' || (role.shuffles === 'option' && site.keyword('shuffle')?.literal === 'True');
  if (role.role === 'data-model') {
    // statsmodels: `OLS(y, X)`, `ARIMA(series, ...)`, `smf.ols("y ~ x", data=df)`.
    const data = site.keyword('data') ?? site.keyword('exog') ?? site.positional[1] ?? site.keyword('endog') ?? site.positional[0];
    if (data !== undefined && data.kind !== 'constant') object.constructorData = data;
  }
  return objectValue(object);
}

function functionCall(site: CallSite, name: string, written: string, role: FunctionRole): Value {
  const { it, positional } = site;
  switch (role.role) {
    case 'source': {
      const data: Value = { ...sourceData(it.newDataset()), fresh: true, ...(written.startsWith('pd.') ? { frame: 'DataFrame' } : {}) };
      const parseDates = site.keyword('parse_dates');
      const indexCol = site.keyword('index_col');
      if (parseDates !== undefined && parseDates.literal !== 'False' && indexCol !== undefined && indexCol.literal !== 'None') {
        data.timeOrder = { reason: 'read with a parsed date index', location: it.at(site.call.start, site.call.end) };
      }
      return data;
    }
    case 'split': {
      const arrays = positional.filter((p) => p.kind !== 'constant' && p.kind !== 'tuple');
      const shuffles = role.shuffles === 'always' || site.keyword('shuffle')?.literal !== 'False';
      return tuple(splitArrays(it, arrays, shuffles, name === 'random_split' ? 'random_split' : 'train_test_split', written, site.call.start, site.call.end));
    }
    case 'cross-validation': {
      const model = (site.keyword('estimator') ?? positional[0])?.object ?? newObject(it.id(), 'unknown', undefined);
      const data = site.keyword('X') ?? positional[1] ?? firstData(positional);
      const splitter = site.keyword('cv')?.object;
      if (data !== undefined) recordCrossValidation(site, model, data, written, splitter);
      if (name === 'cross_val_predict' && data !== undefined) return { ...derive([data]), prediction: { model } };
      return constant();
    }
    case 'metric': {
      const values = site.args.map((a) => a.value);
      const prediction = values.find((v) => v.prediction !== undefined);
      const truth = values.find((v) => v.kind === 'data' && v.prediction === undefined);
      if (prediction?.prediction !== undefined) recordEvaluation(site, prediction.prediction.model, prediction, written, prediction.prediction.fit, truth);
      return constant();
    }
    case 'fitting-function': {
      const data = firstData(positional);
      if (data === undefined) return unknownValue();
      const bins = site.keyword('bins') ?? positional[1];
      // `pd.cut(x, bins=[0, 18, 65])` uses given edges; a statistic as edges flows like any value.
      if ((name === 'cut' || name === 'digitize') && bins !== undefined && bins.kind !== 'constant') return derive([data, bins]);
      const fit = recordFit(site, 'function', undefined, written, name, data, role.pattern);
      const out = learnedOutput(site, data, fit, false);
      return name === 'factorize' ? tuple([out, constant()]) : out;
    }
    case 'positional-split':
      return positionalSplit(site, written);
    case 'shuffle':
      return shuffleRows(site, name, written);
    case 'resampling-function': {
      // `np.repeat(X, k)` and `np.tile` duplicate rows; `np.repeat` of a literal builds constants.
      const arrays = positional.filter((p) => p.kind === 'data' || (p.kind === 'unknown' && role.always !== true));
      const [first] = arrays;
      if (first === undefined || (role.always !== true && site.keyword('replace')?.literal !== 'True'))
        return arrays.length === 1 ? derive(arrays) : tuple(arrays.map((a) => derive([a])));
      const fit = recordFit(site, 'resampler', undefined, written, name, first);
      const outs = arrays.map((a) => learnedOutput(site, a, fit, false));
      return outs.length === 1 ? (outs[0] ?? unknownValue()) : tuple(outs);
    }
    case 'combine': {
      const parts = positional.flatMap((p) => (p.kind === 'tuple' ? (p.items ?? []) : [p]));
      const axis = site.keyword('axis')?.literal ?? (name === 'concatenate' ? positional[1]?.literal : undefined);
      const sideBySide = name === 'hstack' || name === 'column_stack' || ((name === 'concat' || name === 'concatenate') && (axis === 1 || axis === 'columns'));
      return sideBySide ? besideEachOther(parts) : derive(parts);
    }
    case 'compose': {
      const object = newObject(it.id(), 'composite', name === 'make_pipeline' ? 'Pipeline' : name === 'make_union' ? 'FeatureUnion' : 'ColumnTransformer');
      object.parts = site.args.flatMap((a) => objectsIn(a.value));
      object.created = it.at(site.call.start, site.call.end);
      return objectValue(object);
    }
    case 'train': {
      const data = positional[role.dataArgument] ?? site.keyword('dtrain') ?? site.keyword('train_set');
      const object = newObject(it.id(), 'estimator', 'Booster');
      object.created = it.at(site.call.start, site.call.end);
      const monitor = site.keyword('evals') ?? site.keyword('valid_sets');
      if (data !== undefined) {
        const fit = recordFit(site, 'estimator', object, `${written}`, name, data, undefined, monitor);
        if (monitor !== undefined && selectsByMonitor(site)) fit.selectsByMonitor = true;
      }
      return objectValue(object);
    }
    case 'save':
      return recordSave(site, written);
    case 'load': {
      const object = newObject(it.id(), 'unknown', undefined);
      object.loaded = it.at(site.call.start, site.call.end);
      it.result.loads.push({ id: it.id(), object, datasetMark: it.datasetMark(), location: object.loaded, order: it.tick() });
      // Reading back what the notebook saved under the same literal path gives the saved value (a dict of model and preprocessors).
      const path = site.positional[0]?.literal;
      const saved = typeof path === 'string' ? it.savedAt(path) : undefined;
      return saved ?? objectValue(object);
    }
    case 'datetime':
      return derive(positional);
  }
}

/** The pandas type a pandas or NumPy constructor or function returns, when it is one of the common ones. */
function pandasFrame(name: string, library: string | undefined): { frame?: string } {
  if (library === 'pandas' && (name === 'DataFrame' || name === 'Series')) return { frame: name };
  if (library === 'NumPy' && ['array', 'asarray', 'hstack', 'vstack', 'column_stack', 'concatenate', 'c_', 'r_'].includes(name)) return { frame: 'ndarray' };
  return {};
}
