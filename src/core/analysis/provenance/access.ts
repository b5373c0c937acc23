/** Attribute access and subscripts: module paths, pandas accessors and types, tuple items, row selections. */
import type { FlowExpr } from '../../python/flow';
import type { Interpreter } from './interpreter';
import type { Value } from './model';
import { selectRows } from './splits';
import { besideEachOther, columnNames, constant, derive, newObject, objectValue, restrictColumns, unknownValue } from './values';

/** The value of `object.name`. */
export function attribute(object: Value, name: string): Value {
  switch (object.kind) {
    case 'module':
      return { ...object, qualified: `${object.qualified ?? ''}.${name}` };
    case 'data':
    case 'statistic':
      // Column names, shapes and dtypes describe data without carrying its rows.
      if (['columns', 'shape', 'dtypes', 'dtype', 'size', 'ndim', 'name', 'names'].includes(name)) return constant();
      if (name === 'loc' || name === 'iloc' || name === 'at' || name === 'iat') return object;
      if (object.kind === 'statistic') return object;
      return { ...derive([object]), ...frameOfAttribute(object, name) };
    case 'object': {
      // Attributes of instances of notebook classes hold what `self.x = ...` stored.
      const stored = object.object?.attributes?.get(name);
      if (stored !== undefined) return stored;
      if (name === 'best_estimator_' || name === 'estimator' || name === 'model') return object;
      return unknownValue(false);
    }
    default:
      return unknownValue(object.uncertain);
  }
}

/** The value of `object[index]`: tuple items, row selections and splits, column selections. */
export function subscript(it: Interpreter, object: Value, expr: Extract<FlowExpr, { kind: 'subscript' }>, index: Value[]): Value {
  if (object.kind === 'module' && /\.c_$/.test(object.qualified ?? '')) return besideEachOther(index);
  if (object.kind === 'module' && /\.r_$/.test(object.qualified ?? '')) return derive(index);
  if (object.kind === 'tuple') {
    const items = object.items ?? [];
    const [first] = expr.index;
    // `bundle["model"]`: a dict's item by its literal key.
    const key = index[0]?.literal;
    if (object.keys !== undefined && key !== undefined && object.keys.includes(key)) return items[object.keys.lastIndexOf(key)] ?? unknownValue();
    if (first?.kind === 'number' && Number.isInteger(first.value)) return items.at(first.value) ?? unknownValue();
    if (first?.kind === 'operator' && first.operator === '-' && first.operands[0]?.kind === 'number')
      return items.at(-first.operands[0].value) ?? unknownValue();
    return items.length === 1 ? (items[0] ?? unknownValue()) : blend(it, items);
  }
  if (object.kind === 'statistic') return object;
  if (object.kind === 'unknown' && !object.parameter && expr.index[0]?.kind === 'slice') it.asData(object);
  if (object.kind !== 'data') return unknownValue(object.uncertain);
  const names = columnNames(expr.index[0], index[0]);
  const rowsSelected = selectRows(it, object, expr, index);
  // Column selections leave behind what was learned only into the other columns.
  const selected = names === undefined ? rowsSelected : restrictColumns(rowsSelected, names, false);
  const [first] = expr.index;
  const column = first?.kind === 'string';
  const columns = first?.kind === 'list';
  if (object.grouped === true) selected.grouped = true;
  if (object.frame === 'DataFrame' && column) selected.frame = 'Series';
  else if (object.frame === 'DataFrameGroupBy' && column) selected.frame = 'SeriesGroupBy';
  else if (object.frame !== undefined && columns) selected.frame = object.frame;
  return selected;
}

/** The pandas type of an attribute of data: a column of a DataFrame is a Series. */
function frameOfAttribute(object: Value, name: string): { frame?: string } {
  if (name === 'values') return { frame: 'ndarray' };
  if (name === 'index' || name === 'str' || name === 'dt' || name === 'cat') return {};
  if (object.frame === 'DataFrame') return { frame: 'Series' };
  if (object.frame === 'DataFrameGroupBy') return { frame: 'SeriesGroupBy' };
  return object.frame === undefined ? {} : { frame: object.frame };
}

/**
 * One value standing for several (a loop over a list of models): the common object when all
 * are the same, otherwise an object of unknown class whose parts are the candidates, so that
 * no class is reported for the model ("the model", no `data.model`) rather than one of them picked at random.
 */
export function blend(interpreter: Interpreter, items: Value[]): Value {
  const [first] = items;
  if (first === undefined) return unknownValue();
  if (items.every((i) => i.kind === 'object' && i.object !== undefined)) {
    const objects = items.map((i) => i.object).filter((o) => o !== undefined);
    const classes = new Set(objects.map((o) => o.className));
    const roles = new Set(objects.map((o) => o.role));
    if (objects.every((o) => o === objects[0])) return first;
    const [className] = classes;
    const [role] = roles;
    const object = newObject(interpreter.id(), roles.size === 1 && role !== undefined ? role : 'unknown', classes.size === 1 ? className : undefined);
    object.parts = objects;
    return objectValue(object);
  }
  if (items.some((i) => i.kind === 'data')) return derive(items);
  return first;
}
