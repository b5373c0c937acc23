/**
 * Where rows roles come from: splitting functions (by output position, names refining the
 * held-out part), cross-validation folds, manual slices, index selections and names. Also the
 * one check that turns a learned fit into a leak: a fit on rows that include held-out data
 * whose state reaches data that now has a train or held-out role.
 */
import type { FlowExpr } from '../../python/flow';
import type { Interpreter } from './interpreter';
import { heldOutOnly, includesHeldOutAndMore, Rows, type FitEvent, type SplitEvent, type SplitKind, type Value } from './model';
import { derive, tuple, withRows } from './values';
import type { CallSite } from './events';

const TEST_WORDS = /test|holdout|hold_out|heldout/;
const VALIDATION_WORDS = /(^|_|x|y)(val|valid|validation|dev)(_|\d|$)/;
const TRAIN_WORDS = /train|(^|_|x|y)(tr|trn)(_|\d|$)/;

/** The rows role a variable name states (`X_test`, `val_df`, `train`), if any. */
export function roleFromName(name: string): number | undefined {
  const lower = name.toLowerCase();
  if (TEST_WORDS.test(lower) && !lower.includes('latest')) return Rows.test;
  if (VALIDATION_WORDS.test(lower)) return Rows.validation;
  if (TRAIN_WORDS.test(lower)) return Rows.train;
  return undefined;
}

/** A new split event, registered with the interpreter. */
export function newSplit(interpreter: Interpreter, kind: SplitKind, api: string, input: Value, shuffles: boolean, start: number, end: number): SplitEvent {
  const callSite = interpreter.currentCallSite();
  const split: SplitEvent = {
    id: interpreter.id(),
    kind,
    api,
    ...(callSite === undefined ? {} : { callSite }),
    shuffles,
    datasets: input.datasets,
    input,
    location: interpreter.at(start, end),
    speculative: interpreter.speculative,
    order: interpreter.tick(),
  };
  interpreter.result.splits.push(split);
  return split;
}

/**
 * The parts of `train_test_split(A, B, ...)`: `[A_train, A_test, B_train, B_test]` by position.
 * Whether the held-out part is validation or test depends on what was split (a second split of
 * the training part yields validation data) until the target names refine it.
 */
export function splitArrays(interpreter: Interpreter, arrays: Value[], shuffles: boolean, kind: SplitKind, api: string, start: number, end: number): Value[] {
  const [first] = arrays;
  if (first === undefined) return [];
  for (const array of arrays) interpreter.asData(array);
  const split = newSplit(interpreter, kind, api, first, shuffles, start, end);
  const parts: Value[] = [];
  for (const array of arrays) {
    const input = array.rows;
    const trainPart = heldOutOnly(input) ? Rows.validation : Rows.train;
    const heldOutPart = input === Rows.train ? Rows.validation : Rows.test;
    for (const rows of [trainPart, heldOutPart]) {
      const part: Value = { ...derive([array]), rows, split };
      noteRoleAssigned(interpreter, part);
      parts.push(part);
    }
  }
  return parts;
}

/**
 * `np.split(idx, [a, b])` / `np.array_split(X, 3)`: consecutive parts by position, the first for
 * training, the last held out, those between for validation. Parts of rows (or row indexes) in
 * random order make a random split, reported at the call that shuffled them.
 */
export function positionalSplit(site: CallSite, api: string): Value {
  const { it, positional } = site;
  const [array, sections] = positional;
  const axis = site.keyword('axis')?.literal ?? positional[2]?.literal;
  if (array === undefined || array.kind !== 'data' || (axis !== undefined && axis !== 0)) return derive(positional);
  const count = sections?.kind === 'tuple' ? (sections.items ?? []).length + 1 : typeof sections?.literal === 'number' ? sections.literal : 2;
  if ((array.rows !== Rows.all && array.rows !== Rows.train) || count < 2 || count > 10)
    return tuple(Array.from({ length: Math.max(count, 1) }, () => derive([array])));
  const split = newSplit(it, 'slice', api, array, array.shuffled !== undefined, site.call.start, site.call.end);
  if (array.shuffled !== undefined) split.shuffledBy = array.shuffled;
  const heldOut = array.rows === Rows.train ? Rows.validation : Rows.test;
  const parts = Array.from({ length: count }, (_, i): Value => {
    const rows = i === 0 ? Rows.train : i === count - 1 ? heldOut : Rows.validation;
    const part: Value = { ...derive([array]), rows, split };
    noteRoleAssigned(it, part);
    return part;
  });
  return tuple(parts);
}

/**
 * A split output bound to a name: the name decides between validation and test for held-out
 * parts (`X_val, X_test = train_test_split(X_tmp)`), never whether a part of a splitting function
 * is the training part. Positional slices have no such convention (`X_valid, X_train =
 * X_full[:5000], X_full[5000:]` holds out the head), so there the name decides every role.
 */
export function refineByName(interpreter: Interpreter, value: Value, name: string | undefined): Value {
  if (name === undefined || value.split === undefined || value.split.kind === 'cv') return value;
  const role = roleFromName(name);
  const bySlice = value.split.kind === 'slice';
  if (role === undefined || value.rows === role || (role === Rows.train && !bySlice)) return value;
  const heldOutInput = heldOutOnly(value.split.input.rows);
  if (value.rows === Rows.train && !heldOutInput && !bySlice) return value;
  const refined = withRows(value, role);
  noteRoleAssigned(interpreter, refined);
  return refined;
}

/**
 * Rows selected by a subscript: a slice of the first axis (`df[:n]`, `X.iloc[n:]`) splits
 * unsplit data; an index that carries a role (`X[train_idx]`, `df.loc[X_test.index]`) selects
 * those rows; anything else (columns, boolean masks) keeps the rows role.
 */
export function selectRows(interpreter: Interpreter, object: Value, expr: Extract<FlowExpr, { kind: 'subscript' }>, index: Value[]): Value {
  const [first] = expr.index;
  const [firstValue] = index;
  const fresh = (value: Value): Value => ({ ...value, fresh: true });
  if (first?.kind === 'slice' && first.step === undefined && (first.lower !== undefined || first.upper !== undefined)) {
    // `df[a:b]` between a head and a tail is the validation part; it shares the head's split (keyed by `a`).
    const middle = first.lower !== undefined && first.upper !== undefined;
    const bound = first.lower ?? first.upper;
    // `df[:5]` previews rows; only a bound that is not a small literal splits.
    const preview = (b: FlowExpr | undefined): boolean => b?.kind === 'number' && b.value < 50;
    if (object.rows !== Rows.all && object.rows !== Rows.train) return derive([object]);
    // A few rows bound to a role name (`small_train = df[:3]`) are a split all the same, as a mask would be.
    if (preview(bound) || (middle && preview(first.upper))) return object.rows === Rows.all ? fresh(derive([object])) : derive([object]);
    // `X[i - 60:i]` in a loop is a look-back window over the rows, built after any split, not a split.
    const { lower, upper } = first;
    if (
      lower !== undefined &&
      upper !== undefined &&
      slidingWindow(interpreter, interpreter.text(lower.start, lower.end), interpreter.text(upper.start, upper.end))
    )
      return derive([object]);
    const boundText = bound === undefined ? '' : interpreter.text(bound.start, bound.end).replace(/^-/, '');
    // Every positional part of the same shuffle belongs to one random split.
    const shuffle =
      object.shuffled === undefined
        ? undefined
        : `${object.shuffled.location.cell}:${object.shuffled.location.range.start.line}:${object.shuffled.location.range.start.character}`;
    const key = `slice:${object.datasets.join(',')}:${object.rows}:${shuffle ?? boundText}`;
    let split = interpreter.splitsByKey.get(key);
    if (split === undefined) {
      split = newSplit(interpreter, 'slice', 'slice', object, object.shuffled !== undefined, expr.start, expr.end);
      if (object.shuffled !== undefined) split.shuffledBy = object.shuffled;
      interpreter.splitsByKey.set(key, split);
    }
    // A negative bound counts from the end: `df[-k:]` is the last k rows, the held-out part.
    const negative = bound?.kind === 'operator' && bound.operator === '-' && bound.operands.length === 1;
    const isHead = (first.upper !== undefined) !== negative;
    const heldOut = object.rows === Rows.train ? Rows.validation : Rows.test;
    const part: Value = { ...derive([object]), rows: middle ? Rows.validation : isHead ? Rows.train : heldOut, split };
    noteRoleAssigned(interpreter, part);
    return part;
  }
  if (
    firstValue !== undefined &&
    firstValue.kind === 'data' &&
    firstValue.split !== undefined &&
    firstValue.rows !== Rows.all &&
    firstValue.rows !== Rows.unknown
  ) {
    const roles = firstValue.rows;
    if ((object.rows & Rows.all) !== 0 || object.rows === Rows.unknown || (object.rows & roles) !== 0) {
      const part: Value = { ...withDuplicates(derive([object]), firstValue), rows: roles, split: firstValue.split };
      noteRoleAssigned(interpreter, part);
      return part;
    }
  }
  if (firstValue?.kind === 'data' && firstValue.learned.some((f) => f.kind === 'resampler')) {
    // `X[idx]` with `idx` holding repeated row positions (`np.repeat(minority, 5)`) duplicates those rows.
    const selected = withDuplicates(derive([object]), firstValue);
    noteRoleAssigned(interpreter, selected);
    return selected;
  }
  // `X[:, :-1]` keeps every row: a full first-axis slice selects columns, never a part of the rows.
  const allRows = first?.kind === 'slice' && first.lower === undefined && first.upper === undefined && expr.index.length > 1;
  const columns = allRows || first?.kind === 'string' || (first?.kind === 'list' && first.items.every((i) => i.kind === 'string'));
  const selected = derive([object]);
  return columns || object.rows !== Rows.all ? selected : fresh(selected);
}

/** Rows selected by an index array carry the row duplication the indexes were built with. */
function withDuplicates(selected: Value, index: Value): Value {
  const duplications = index.learned.filter((f) => f.kind === 'resampler' && !selected.learned.includes(f));
  return duplications.length === 0 ? selected : { ...selected, learned: [...selected.learned, ...duplications] };
}

/**
 * A value just got a train or held-out role: every fit baked into it that learned from rows
 * including held-out data of the same dataset is a leak (LK201, LK203). Recorded once per fit
 * and split.
 */
export function noteRoleAssigned(interpreter: Interpreter, value: Value): void {
  if (value.rows === Rows.unknown || (value.rows & Rows.all) !== 0 || includesHeldOutAndMore(value.rows)) return;
  for (const fit of value.learned) {
    if (!fit.datasets.some((d) => value.datasets.includes(d))) continue;
    const split = value.split;
    const partSplit = !includesHeldOutAndMore(fit.rows) && splitsFittedPart(fit, value);
    if (!includesHeldOutAndMore(fit.rows) && !partSplit) continue;
    if (interpreter.result.contaminations.some((c) => c.fit === fit && c.split === split)) continue;
    interpreter.result.contaminations.push({ fit, ...(split === undefined ? {} : { split }), value, ...(partSplit ? { fittedPartSplit: true } : {}) });
  }
}

/**
 * Whether `value` is the held-out part of a split that divides rows a fit learned every one of
 * (a scaler fitted on the training part, then `train_test_split` of the scaled part for
 * validation): the validation rows shaped the fit. Cutting a frame by name does not count.
 */
function splitsFittedPart(fit: FitEvent, value: Value): boolean {
  const split = value.split;
  if (split === undefined || split.kind === 'name' || split.kind === 'cv' || split.order < fit.order || !heldOutOnly(value.rows)) return false;
  if (fit.kind === 'estimator' || fit.kind === 'function') return false;
  const input = split.input.rows;
  return input !== Rows.unknown && (input & Rows.all) === 0 && (fit.rows & input) === input;
}

/**
 * Whether slice bounds move with a loop (`X[i - 60:i]`, `X[t:t + w]`): both mention the same
 * name, and the slice runs in a `for` loop or names a one-letter index (comprehensions).
 */
function slidingWindow(interpreter: Interpreter, lower: string, upper: string): boolean {
  const names = (text: string): string[] => text.match(/[A-Za-z_]\w*/g) ?? [];
  const shared = names(lower).filter((n) => names(upper).includes(n));
  return shared.length > 0 && (interpreter.currentLoop() !== undefined || shared.some((n) => n.length === 1));
}
