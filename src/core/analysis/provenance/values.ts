/** Building and combining abstract values. */
import { Rows, type FitEvent, type ObjectRole, type ObjectState, type Value } from './model';

/** A value with nothing known about it. */
export function unknownValue(uncertain = true): Value {
  return { kind: 'unknown', rows: Rows.unknown, datasets: [], learned: [], chain: [], uncertain };
}

/** A literal. */
export function constant(literal?: string | number): Value {
  return { kind: 'constant', rows: Rows.unknown, datasets: [], learned: [], chain: [], uncertain: false, ...(literal === undefined ? {} : { literal }) };
}

/** Fresh data from a source: all rows of a new dataset. */
export function sourceData(dataset: number): Value {
  return { kind: 'data', rows: Rows.all, datasets: [dataset], learned: [], chain: [], uncertain: false };
}

/** A tuple of values (function results, `a, b` expressions). */
export function tuple(items: Value[]): Value {
  return { kind: 'tuple', rows: Rows.unknown, datasets: [], learned: [], chain: [], uncertain: items.some((i) => i.uncertain), items };
}

/** A new object of a class. */
export function objectValue(object: ObjectState): Value {
  return { kind: 'object', rows: Rows.unknown, datasets: [], learned: [], chain: [], uncertain: object.className === undefined, object };
}

/** A fresh object state. */
export function newObject(id: number, role: ObjectRole, className: string | undefined): ObjectState {
  return { id, role, ...(className === undefined ? {} : { className }), parts: [], fits: [], methods: new Set() };
}

/** Whether a value carries rows (data, or something used as data). */
export function isData(value: Value): boolean {
  return value.kind === 'data' || value.kind === 'statistic' || (value.kind === 'tuple' && (value.items ?? []).some(isData));
}

/**
 * Data put together side by side (`np.hstack([a, b])`, `np.c_[a, b]`, `pd.concat([a, b], axis=1)`):
 * derived from every block, which it keeps in order when there are several, all data.
 */
export function besideEachOther(blocks: readonly Value[]): Value {
  const combined = derive(blocks);
  if (blocks.length > 1 && blocks.every((b) => b.kind === 'data')) combined.columnBlocks = [...blocks];
  return combined;
}

/**
 * Data derived from inputs: rows, datasets, learned state and time order flow from every data
 * input; the transform chain and split come from the first one (the receiver), which is the
 * value being reshaped.
 */
export function derive(inputs: readonly Value[], uncertain = false): Value {
  // The data among the inputs, tuples opened one level (a loop: this runs for most expressions).
  const data: Value[] = [];
  for (const input of inputs) {
    if (input.kind !== 'tuple') {
      if (isData(input)) data.push(input);
      continue;
    }
    for (const item of input.items ?? []) if (isData(item)) data.push(item);
  }
  const first = data[0];
  if (first === undefined) return uncertain ? unknownValue() : unknownValue(inputs.some((i) => i.uncertain));
  let rows = 0;
  const datasets: number[] = [];
  const learned: FitEvent[] = [];
  const hasData = data.some((v) => v.kind === 'data');
  for (const value of data) {
    // A statistic contributes what it learned, not its rows: `X_test.fillna(X_train.mean())` holds test rows.
    if (value.kind === 'data' || !hasData) {
      rows |= value.rows;
      addAll(datasets, value.datasets);
    }
    addAll(learned, value.learned);
    if (value.kind === 'statistic' && hasData && value.statistic !== undefined) value.statistic.applied = true;
  }
  const result: Value = {
    kind: 'data',
    rows,
    datasets,
    learned,
    chain: first.chain,
    uncertain: uncertain || data.some((v) => v.uncertain),
  };
  if (first.split !== undefined) result.split = first.split;
  if (first.frame !== undefined) result.frame = first.frame;
  // Reshaping predictions (`proba[:, 1]`, `pred.round()`) keeps them predictions of the same model.
  if (first.prediction !== undefined) result.prediction = first.prediction;
  const timeOrder = data.find((v) => v.timeOrder !== undefined)?.timeOrder;
  if (timeOrder !== undefined) result.timeOrder = timeOrder;
  // Reshaping keeps the (random) order of rows, and which columns hold which learned state.
  if (first.shuffled !== undefined) result.shuffled = first.shuffled;
  if (first.columnFits !== undefined) {
    const elsewhere = new Set(data.slice(1).flatMap((v) => v.learned.filter((f) => v.columnFits?.has(f) !== true)));
    const kept = new Map([...first.columnFits].filter(([fit]) => !elsewhere.has(fit) && learned.includes(fit)));
    if (kept.size > 0) result.columnFits = kept;
  }
  return result;
}

/**
 * Data restricted to some columns (`df[cols]`), or without some (`df.drop(columns=cols)`): fits
 * that live only in the other columns stay behind.
 */
export function restrictColumns(value: Value, columns: readonly string[], drop: boolean): Value {
  const map = value.columnFits;
  if (map === undefined) return value;
  const selected = (where: readonly string[]): boolean => (drop ? where.some((c) => !columns.includes(c)) : where.some((c) => columns.includes(c)));
  const learned = value.learned.filter((fit) => {
    const where = map.get(fit);
    return where === undefined || selected(where);
  });
  const out: Value = { ...value, learned };
  const kept = new Map([...map].filter(([fit]) => learned.includes(fit)));
  if (kept.size > 0) out.columnFits = kept;
  else delete out.columnFits;
  return out;
}

/** Column names written as a string, a list of strings, or a name bound to a list of strings. */
export function columnNames(expr: { kind: string } | undefined, value: Value | undefined): string[] | undefined {
  if (value?.kind === 'constant' && typeof value.literal === 'string' && expr?.kind === 'string') return [value.literal];
  const items = value?.kind === 'tuple' ? (value.items ?? []) : undefined;
  if (items === undefined || items.length === 0 || value?.keys !== undefined) return undefined;
  const names = items.map((i) => (i.kind === 'constant' && typeof i.literal === 'string' ? i.literal : undefined));
  return names.every((n): n is string => n !== undefined) ? names : undefined;
}

/** Records that `value` was written into column `column` of `holder` in place (`df["c"] = value`). */
export function assignColumn(holder: Value, column: string | undefined, value: Value): void {
  let map: Map<FitEvent, readonly string[]> | undefined;
  for (const fit of value.learned) {
    if (!holder.learned.includes(fit)) {
      holder.learned.push(fit);
      if (column === undefined) continue;
      map ??= new Map(holder.columnFits ?? []);
      map.set(fit, [column]);
    } else if (column !== undefined && holder.columnFits?.has(fit) === true) {
      map ??= new Map(holder.columnFits);
      const where = map.get(fit) ?? [];
      if (!where.includes(column)) map.set(fit, [...where, column]);
    }
  }
  if (map !== undefined) holder.columnFits = map;
}

/** A copy of a data value with a new rows role (selections, splits). */
export function withRows(value: Value, rows: number): Value {
  return { ...value, kind: value.kind === 'unknown' ? 'data' : value.kind, rows };
}

/** Appends the elements of `more` that `into` lacks (the lists stay short: a few fits or datasets). */
export function addAll<T>(into: T[], more: readonly T[]): void {
  for (const item of more) if (!into.includes(item)) into.push(item);
}

/** The elements of a tuple, list or dict value; a single unknown element for anything else. */
export function elements(value: Value): Value[] {
  return value.items ?? [];
}
