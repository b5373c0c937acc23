/**
 * Row-wise feature engineering: the notebook statements at the end of data preparation that
 * compute new columns of a row from other columns of the same row only (`Name` -> `Title` by a
 * regex, `SibSp + Parch + 1`, `.map` of categories, `pd.cut` with fixed edges). Training runs
 * them INSIDE the saved Pipeline, as its first step, so the model takes the raw columns the
 * notebook read and inference engineers them exactly as training did.
 *
 * The invariant: a statement is row-wise only when each value it writes depends on nothing but
 * literals, configuration settings, imported functions, the same row's columns, and statistics
 * of the engineered frame itself that the Pipeline can learn: a value (`x.median()`,
 * `x.mode()[0]`, `x.quantile(0.9)`, `frame.mean()`) or a group statistic written back onto each
 * row (`frame.groupby(k)["c"].transform("mean")`), as the provenance analysis recognises them.
 * Those become `statistics.value(...)` / `statistics.per_group(...)`, learned from the training
 * rows when the step is fitted. Encodings learned from the frame's own columns are statistics of
 * the same kind: `LabelEncoder().fit_transform(frame["c"])` (also `le.fit_transform` of a name bound
 * to `LabelEncoder()`, in a loop over literal column names, or `.apply(LabelEncoder().fit_transform)`)
 * becomes `statistics.codes(...)`, and `pd.get_dummies` of the frame (`columns=[...]`) or of one of
 * its columns, joined or concatenated back, becomes `statistics.dummies(...)`: each column's
 * categories are learned while fitting, so every batch is encoded with the training's categories. Anything else that looks at other rows (`.rank()`, `pd.qcut`,
 * `pd.cut(x, bins=5)`, a row filter, a second frame, a statistic inside a notebook function) is
 * not, and stays in `prepare_frame`, run once on the training data; so does everything before it,
 * because later statements may read what it computed.
 */
import { PANDAS_STATISTICS } from '../analysis/libraries/pandas';
import { isBuiltinName } from '../python/builtins';
import type { FlowExpr, FlowStatement } from '../python/flow';
import type { ConfigSetting } from './config-values';
import type { NotebookIndex } from './notebook-index';
import { stringList, textOf } from './notebook-index';
import { readBeforeBound, type Statement } from './statements';

/** The row-wise tail of data preparation, and the raw columns it needs. */
export interface FeatureEngineering {
  /** The statements it is made of, in notebook order. */
  statements: Statement[];
  /** The frame variable it starts from (what `prepare_frame` now returns). */
  input: string;
  /** The frame variable holding the model's frame at its end. */
  output: string;
  /** Raw columns the model takes: read by the engineering before it writes them, and raw features. */
  inputColumns: string[];
  /** Input columns read only as text (`.str` accessor): free text, not categories. */
  textColumns: string[];
  /** Columns it writes, in order. */
  written: string[];
  /**
   * Statistics of the data it computes (`df["Age"].median()`, `df.groupby("Pclass")["Age"].transform("mean")`):
   * the saved Pipeline learns them from the training rows in `fit` and applies them in `transform`.
   */
  statistics: LearnedStatistic[];
  /** Columns it drops itself (`frame.drop(columns=[...])`) without reading them: never model inputs. */
  dropped: string[];
  /**
   * Its statements the generated code does not run, and why: drops by position (`frame.drop(frame.columns[[8, 9]],
   * axis=1, inplace=True)`) while the model's features are listed by name (the raw rows it runs on hold other
   * columns at those positions, and dropping changes no other column), and `le = LabelEncoder()` (`statistics.codes`
   * learns the categories instead).
   */
  skipped: Array<{ statement: Statement; why: string }>;
  /**
   * Its `drop(...)` calls (statement, and the offset of the closing parenthesis): they get
   * `errors="ignore"`, since the columns they drop are not among the model's inputs.
   */
  drops: Array<{ statement: Statement; close: number }>;
}

/**
 * A statistic of the engineered frame the notebook computes inline: a value (`x.median()`,
 * `x.mode()[0]`, `x.quantile(0.9)`, `frame.mean()`) or a group statistic written back onto every
 * row (`frame.groupby(keys)[c].transform("median")`). Offsets are in the statement's cell.
 */
export interface LearnedStatistic {
  statement: Statement;
  /**
   * `value` and `group` as above; `codes`: `LabelEncoder().fit_transform(frame["c"])` (or
   * `frame[[...]].apply(LabelEncoder().fit_transform)`), the column's sorted categories learned;
   * `dummies`: `pd.get_dummies(...)` of columns of the frame, each encoded column's categories learned.
   */
  kind: 'value' | 'group' | 'codes' | 'dummies';
  start: number;
  end: number;
  /** The statistic as written. */
  text: string;
  /** For group statistics: the frame and the group keys as written, and where `transform` is named. */
  group?: { frame: string; by: string; method: { start: number; end: number } };
  /**
   * For `codes` and `dummies`: where the encoded data argument starts (the text before it becomes
   * `statistics.codes(key, ` or `statistics.dummies(key, `); absent for `.apply(LabelEncoder().fit_transform)`,
   * whose function argument (`start`..`end`) becomes a lambda.
   */
  data?: number;
}

/** A `for NAME in [a, b]:` loop (or over a name bound to such a list) applying code to several frames. */
export interface FrameLoop {
  variable: string;
  /** Every frame the notebook looped over. */
  frames: string[];
  /** The frames the model's data needs; the generated loop runs over these only. */
  needed: string[];
  /** The iterable expression, for rewriting it. */
  iterable: FlowExpr;
  /** The name the iterable was bound to (`full_data`), when not a literal list. */
  listName?: string;
}

/** What deciding row-wise-ness may read about the notebook. */
export interface RowWiseContext {
  index: NotebookIndex;
  settings: ReadonlyMap<string, ConfigSetting>;
  importNames: ReadonlySet<string>;
  definitions: ReadonlyMap<string, Statement>;
  loops: ReadonlyMap<number, FrameLoop>;
  /** The model's target column: the engineering must neither read nor write it. */
  target: string;
  /** The model's feature columns, as the notebook lists them; undefined when it drops the others (`dropped`). */
  features?: readonly string[];
  /** The columns the notebook drops to get the features (`X = df.drop(columns=[...])`), when that is how they are chosen. */
  dropped?: readonly string[];
  /**
   * Where the provenance analysis saw a statistic of data computed (`cell:start:end` of the call),
   * with the statistic's method: those inside the engineering become statistics the Pipeline
   * learns on the training split. A statistic computed inline as an argument is reported at the
   * call applying it (`x.fillna(x.median())` under `median`).
   */
  statistics: ReadonlyMap<string, string>;
}

/** Whether the model takes `column` as a feature: listed, or (features chosen by `drop`) neither dropped nor the target. */
export function isFeature(ctx: Pick<RowWiseContext, 'features' | 'dropped' | 'target'>, column: string): boolean {
  if (ctx.features !== undefined) return ctx.features.includes(column);
  return column !== ctx.target && !(ctx.dropped ?? []).includes(column);
}

/** The frames a `for` statement loops over, when its iterable is a list of names. */
export function frameLoop(index: NotebookIndex, s: Statement): Omit<FrameLoop, 'needed'> | undefined {
  const flow = s.flow;
  if (flow?.kind !== 'for' || flow.target.kind !== 'name') return undefined;
  const names = (e: FlowExpr): string[] | undefined =>
    (e.kind === 'list' || e.kind === 'tuple') && e.items.length > 0 && e.items.every((i) => i.kind === 'name')
      ? e.items.map((i) => (i as { name: string }).name)
      : undefined;
  const literal = names(flow.iterable);
  if (literal !== undefined) return { variable: flow.target.name, frames: literal, iterable: flow.iterable };
  if (flow.iterable.kind !== 'name') return undefined;
  const binding = index.bindingStatement(flow.iterable.name, s.cell, flow.iterable.start);
  const bound =
    binding?.flow?.kind === 'assign' && binding.flow.operator === undefined && binding.flow.targets.length === 1 ? names(binding.flow.value) : undefined;
  return bound === undefined ? undefined : { variable: flow.target.name, frames: bound, iterable: flow.iterable, listName: flow.iterable.name };
}

/** Why a statement is not row-wise; `statistic` when it learns a value from several rows. */
export interface Blocked {
  why: string;
  statistic: boolean;
}

/**
 * The longest row-wise tail of `preparation` that writes at least one feature column, or
 * undefined (with the reason the statement before it is not row-wise, for the review).
 */
export function rowWiseTail(
  ctx: RowWiseContext,
  preparation: readonly Statement[],
  defined: ReadonlySet<string>,
): { found?: FeatureEngineering; blocked?: Blocked & { statement: Statement } } {
  let blocked: (Blocked & { statement: Statement }) | undefined;
  for (let k = 0; k < preparation.length; k++) {
    const tail = preparation.slice(k);
    const result = checkTail(ctx, tail, defined);
    if (!('why' in result)) {
      return result.written.some((c) => isFeature(ctx, c)) ? { found: result, ...(k > 0 && blocked ? { blocked } : {}) } : {};
    }
    blocked = { statement: tail[0]!, ...result };
  }
  return blocked === undefined ? {} : { blocked };
}

const FRAME_ATTRIBUTES = new Set([
  'loc',
  'iloc',
  'at',
  'iat',
  'shape',
  'index',
  'columns',
  'values',
  'dtypes',
  'T',
  'empty',
  'size',
  'ndim',
  'str',
  'dt',
  'cat',
]);
/** Series methods that compute each element from the same element (and literal arguments). */
const ELEMENTWISE = new Set([
  'map',
  'replace',
  'astype',
  'fillna',
  'apply',
  'round',
  'abs',
  'clip',
  'isna',
  'isnull',
  'notna',
  'notnull',
  'isin',
  'between',
  'where',
  'mask',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'add',
  'sub',
  'mul',
  'div',
  'truediv',
  'floordiv',
  'mod',
  'pow',
  'radd',
  'rsub',
  'rmul',
  'rdiv',
  'copy',
  'combine_first',
]);
/** Library functions that work element by element. `pandas.cut` only with literal edges (checked below). */
const ELEMENTWISE_FUNCTIONS = new Set([
  'pandas.cut',
  'pandas.to_numeric',
  'pandas.to_datetime',
  'pandas.isna',
  'pandas.isnull',
  'pandas.notna',
  'pandas.notnull',
  'numpy.where',
  'numpy.log',
  'numpy.log1p',
  'numpy.log2',
  'numpy.log10',
  'numpy.exp',
  'numpy.expm1',
  'numpy.sqrt',
  'numpy.abs',
  'numpy.absolute',
  'numpy.floor',
  'numpy.ceil',
  'numpy.round',
  'numpy.rint',
  'numpy.sign',
  'numpy.minimum',
  'numpy.maximum',
  'numpy.clip',
  'numpy.square',
  'numpy.isnan',
  'numpy.power',
  'numpy.float_power',
  'numpy.cbrt',
  'numpy.reciprocal',
  'numpy.sin',
  'numpy.cos',
  'numpy.tan',
  'numpy.tanh',
  'numpy.arctan',
]);

interface Scope {
  statement: Statement;
  /** Names holding the frame being engineered. */
  aliases: Set<string>;
  /** Names a lambda binds. */
  locals: Set<string>;
  /** Columns read, in evaluation order; `afterWrite` when the engineering wrote the column before. */
  reads: Array<{ column: string; text: boolean; afterWrite: boolean }>;
  written: string[];
  learned: LearnedStatistic[];
  /** Names bound to a statistic the engineering learns (`freq_port = frame["Embarked"].mode()[0]`). */
  learnedNames: Set<string>;
  /** Columns dropped by the engineering, and its drop calls. */
  dropped: string[];
  drops: Array<{ statement: Statement; close: number }>;
  /** Statistics computed inline as an argument (`x.fillna(x.median())`), which the provenance analysis reports at the call applying them. */
  inline: Set<string>;
  /** Inside a notebook function the engineering calls: statistics there cannot be learned (the function is shared). */
  inFunction?: boolean;
  /** Inside `for NAME in ["a", "b"]:` over literal column names: NAME and the column of the pass being checked. */
  columnVars?: ReadonlyMap<string, string>;
  /** Names bound to dummy columns of the frame's columns (`dummies = pd.get_dummies(frame["Sex"])`). */
  dummyNames: Map<string, Dummies>;
  /** Names bound to `LabelEncoder()` anywhere in the notebook: their `fit_transform` of a column is a learned encoding. */
  encoders: ReadonlySet<string>;
  /** Statements not run (see `FeatureEngineering.skipped`). */
  skipped: Array<{ statement: Statement; why: string }>;
}

/** Dummy columns `pd.get_dummies` makes of columns of the frame: each column with the prefix of its dummies' names. */
interface Dummies {
  columns: string[];
  /** Undefined: the dummies are named by the categories alone (`pd.get_dummies(frame["Sex"])`). */
  prefixes: Array<string | undefined>;
  separator: string;
}

class NotRowWise extends Error {
  constructor(
    message: string,
    readonly statistic: boolean,
  ) {
    super(message);
  }
}

function checkTail(ctx: RowWiseContext, tail: readonly Statement[], defined: ReadonlySet<string>): FeatureEngineering | Blocked {
  const encoders = labelEncoders(ctx);
  const inputs = new Set(readBeforeBound(tail).filter((n) => defined.has(n) && !encoders.has(n)));
  for (const [order, loop] of ctx.loops) if (tail.some((s) => s.order === order)) for (const f of loop.frames) if (!loop.needed.includes(f)) inputs.delete(f);
  if (inputs.size !== 1)
    return {
      statistic: false,
      why: `it reads ${inputs.size === 0 ? 'no prepared frame' : `several prepared values (${[...inputs].map((n) => `\`${n}\``).join(', ')})`}`,
    };
  const input = [...inputs][0]!;
  const aliases = new Set([input]);
  const reads: Scope['reads'] = [];
  const written: string[] = [];
  const learned: LearnedStatistic[] = [];
  const droppedColumns: string[] = [];
  const learnedNames = new Set<string>();
  const drops: Array<{ statement: Statement; close: number }> = [];
  const dummyNames = new Map<string, Dummies>();
  const skipped: Array<{ statement: Statement; why: string }> = [];
  const effects: Array<{ statement: Statement; reads: Scope['reads']; written: string[]; rebinds: boolean; learns: boolean }> = [];
  for (const s of tail) {
    const scope: Scope = {
      statement: s,
      aliases,
      locals: new Set(),
      reads,
      written,
      learned,
      dropped: droppedColumns,
      drops,
      inline: new Set(),
      learnedNames,
      dummyNames,
      encoders,
      skipped,
    };
    const [readsBefore, writtenBefore, aliasesBefore, learnedBefore] = [reads.length, written.length, aliases.size, learned.length];
    try {
      topLevel(ctx, scope);
    } catch (error) {
      if (error instanceof NotRowWise) return { why: error.message, statistic: error.statistic };
      throw error;
    }
    effects.push({
      statement: s,
      reads: reads.slice(readsBefore),
      written: written.slice(writtenBefore),
      rebinds: aliases.size !== aliasesBefore,
      learns: learned.length !== learnedBefore,
    });
  }
  const output = [...aliases].pop()!;
  if (reads.some((r) => r.column === ctx.target) || written.includes(ctx.target))
    return { statistic: false, why: `it reads or writes the target column \`${ctx.target}\`` };
  // A statement that computes only columns the features do not need, from raw columns, stays in
  // prepare_frame: the model should not require its raw columns as inputs.
  const needed = new Set(ctx.features ?? []);
  const kept: typeof effects = [];
  for (const effect of [...effects].reverse()) {
    const unneeded =
      !effect.rebinds &&
      effect.written.length > 0 &&
      effect.written.every((c) => !needed.has(c) && !isFeature(ctx, c)) &&
      effect.reads.every((r) => !r.afterWrite);
    if (unneeded) continue;
    kept.unshift(effect);
    for (const r of effect.reads) needed.add(r.column);
  }
  // A column read before the engineering writes it comes from the raw row.
  const rawReads = kept.flatMap((e) => e.reads).filter((r) => !r.afterWrite);
  const writtenKept = kept.flatMap((e) => e.written);
  const writtenSet = new Set(writtenKept);
  // Features chosen by `drop`: the raw columns are known only at training time; these are the ones the engineering reads.
  const inputColumns = [...new Set([...(ctx.features ?? []).filter((f) => !writtenSet.has(f)), ...rawReads.map((r) => r.column)])];
  const textColumns = inputColumns.filter((c) => !isFeature(ctx, c) && rawReads.every((r) => r.column !== c || r.text));
  const statements = kept.map((e) => e.statement);
  const statistics = learned.filter((l) => statements.includes(l.statement));
  const readColumns = new Set(reads.map((r) => r.column));
  const dropped = [...new Set(droppedColumns)].filter((c) => !readColumns.has(c) && !inputColumns.includes(c));
  return {
    statements,
    input,
    output,
    inputColumns,
    textColumns,
    written: [...new Set(writtenKept)],
    statistics,
    dropped,
    drops: drops.filter((d) => statements.includes(d.statement)),
    skipped: skipped.filter((s) => statements.includes(s.statement)),
  };
}

function read(scope: Scope, column: string, text: boolean): void {
  // `prefix_*` stands for the dummy columns written with that prefix (`plan_pro` after `pd.get_dummies(df, columns=["plan"])`).
  const written = scope.written.some((w) => w === column || (w.endsWith('*') && column.startsWith(w.slice(0, -1))));
  scope.reads.push({ column, text, afterWrite: written });
}

function fail(why: string): never {
  throw new NotRowWise(why, false);
}

/** Fails for a value learned from several rows (a statistic, a second frame, data-derived edges). */
function learned(why: string): never {
  throw new NotRowWise(why, true);
}

function topLevel(ctx: RowWiseContext, scope: Scope): void {
  const s = scope.statement;
  const flow = s.flow;
  if (flow === undefined) fail('nb2prod could not follow it');
  const loop = ctx.loops.get(s.order);
  if (flow.kind === 'for' && loop === undefined) {
    const columns = columnLoop(ctx, s, flow);
    if (columns === undefined) fail('it loops over something other than the frame or a list of its column names');
    // Each pass reads and writes the columns it is given; checked once per column.
    for (const column of columns.values) for (const b of flow.body) statement(ctx, { ...scope, columnVars: new Map([[columns.variable, column]]) }, b);
    return;
  }
  if (flow.kind === 'for') {
    if (loop === undefined || !loop.needed.some((f) => scope.aliases.has(f))) fail('it loops over something other than the frame');
    const inner = new Set([loop.variable]);
    for (const b of flow.body) statement(ctx, { ...scope, aliases: inner }, b);
    return;
  }
  statement(ctx, scope, flow);
}

function statement(ctx: RowWiseContext, scope: Scope, flow: FlowStatement): void {
  switch (flow.kind) {
    case 'assign': {
      if (flow.targets.length !== 1) fail('it assigns several targets');
      const target = flow.targets[0]!;
      if (encodedColumns(ctx, scope, target, flow.value)) return;
      const column = writtenColumn(ctx, scope, target);
      if (column !== undefined) {
        if (flow.operator !== undefined) read(scope, column, false);
        expression(ctx, scope, flow.value);
        scope.written.push(column);
        return;
      }
      if (target.kind === 'name' && flow.operator === undefined && frameValue(ctx, scope, flow.value)) {
        // The name bound last holds the engineered frame (`hr = hr1` after `hr1 = hr.join(...)`).
        scope.aliases.delete(target.name);
        scope.aliases.add(target.name);
        return;
      }
      if (target.kind === 'name' && flow.operator === undefined) {
        // `le = LabelEncoder()`: its `fit_transform` of a column is learned (see `encoding`).
        if (scope.encoders.has(target.name) && isLabelEncoder(ctx, scope, flow.value)) {
          if (flow === scope.statement.flow) scope.skipped.push({ statement: scope.statement, why: '`statistics.codes` learns the categories instead' });
          return;
        }
        // `dummies = pd.get_dummies(frame["Sex"], prefix="sex")`: joined to the frame later.
        const dummies = flow.value.kind === 'call' ? seriesDummies(ctx, scope, flow.value) : undefined;
        if (dummies !== undefined) {
          scope.dummyNames.set(target.name, dummies);
          return;
        }
        // `name = "var" + "_" + var` inside a loop over column names: a value of literals.
        if (literalValue(scope, flow.value)) {
          scope.locals.add(target.name);
          return;
        }
      }
      // `freq_port = frame["Embarked"].dropna().mode()[0]`: a statistic the step learns, read later by name.
      if (target.kind === 'name' && flow.operator === undefined && !ctx.loops.has(scope.statement.order) && learnable(ctx, scope, flow.value)) {
        scope.learnedNames.add(target.name);
        return;
      }
      return fail('it binds a value other than a column of the frame');
    }
    case 'expression': {
      const value = flow.value;
      // `frame["col"].fillna("S", inplace=True)` and `frame.drop([...], axis=1, inplace=True)`.
      if (value.kind === 'call' && value.callee.kind === 'attribute' && value.args.some((a) => a.keyword === 'inplace')) {
        const object = value.callee.object;
        const column = columnOf(scope, object);
        if (column !== undefined && ['fillna', 'replace', 'clip'].includes(value.callee.attribute)) {
          read(scope, column, false);
          value.args.filter((a) => a.keyword !== 'inplace').forEach((a) => expression(ctx, scope, a.value));
          scope.written.push(column);
          return;
        }
        if (object.kind === 'name' && scope.aliases.has(object.name) && value.callee.attribute === 'drop') {
          if (dropsByPosition(value) && ctx.features !== undefined && flow === scope.statement.flow) {
            scope.skipped.push({ statement: scope.statement, why: 'it drops columns by position, and the model selects its features by name' });
            return;
          }
          noteDrop(scope, value);
          return;
        }
        // `frame.fillna(frame.median(), inplace=True)`: every column filled, each from itself.
        if (object.kind === 'name' && scope.aliases.has(object.name) && value.callee.attribute === 'fillna') {
          noteInline(ctx, scope, value);
          value.args.filter((a) => a.keyword !== 'inplace').forEach((a) => expression(ctx, scope, a.value));
          return;
        }
        if (frameReplace(ctx, scope, value) || frameRename(scope, value)) return;
      }
      return fail('it calls something for its side effects');
    }
    case 'return':
      if (flow.value?.kind === 'name' && scope.aliases.has(flow.value.name)) return;
      return fail('it returns something other than the frame');
    default:
      return fail(`a \`${flow.kind}\` block is not a column computation`);
  }
}

/**
 * `frame.replace({"sex": {"female": 0, "male": 1}}, inplace=True)` (or without `inplace`, its
 * value bound back to the frame): literal recodings of the named columns, value by value. Records
 * each column as read and written; false for any other call.
 */
function frameReplace(ctx: RowWiseContext, scope: Scope, value: FlowExpr & { kind: 'call' }): boolean {
  const callee = value.callee;
  if (callee.kind !== 'attribute' || callee.attribute !== 'replace' || callee.object.kind !== 'name' || !scope.aliases.has(callee.object.name)) return false;
  const positional = value.args.filter((a) => a.keyword === undefined);
  const others = value.args.filter((a) => a.keyword !== undefined && a.keyword !== 'inplace');
  const mapping = positional[0]?.value;
  if (positional.length !== 1 || others.length > 0 || mapping?.kind !== 'dict' || mapping.items.length === 0) return false;
  const columns = mapping.keys ?? [];
  if (columns.length !== mapping.items.length || !columns.every((k) => typeof k === 'string') || !mapping.items.every((i) => i.kind === 'dict')) return false;
  mapping.items.forEach((recoding, k) => {
    read(scope, columns[k] as string, false);
    expression(ctx, scope, recoding);
    scope.written.push(columns[k] as string);
  });
  return true;
}

/**
 * `frame.rename(columns={"sales": "department"})` (in place or bound back): each new name is
 * written from the old column, read from the raw row. False for any other call.
 */
function frameRename(scope: Scope, value: FlowExpr & { kind: 'call' }): boolean {
  const callee = value.callee;
  if (callee.kind !== 'attribute' || callee.attribute !== 'rename' || callee.object.kind !== 'name' || !scope.aliases.has(callee.object.name)) return false;
  const mapping = value.args.find((a) => a.keyword === 'columns')?.value;
  if (mapping?.kind !== 'dict' || value.args.some((a) => a.keyword !== 'columns' && a.keyword !== 'inplace')) return false;
  const from = mapping.keys ?? [];
  const to = mapping.items.map((i) => (i.kind === 'string' ? i.value : undefined));
  if (from.length !== to.length || !from.every((k) => typeof k === 'string') || !to.every((t) => t !== undefined)) return false;
  from.forEach((old, k) => {
    read(scope, old as string, false);
    scope.written.push(to[k]!);
  });
  return true;
}

/** The column an assignment target writes: `frame["col"]`, `frame.col`, `frame.loc[mask, "col"]`. */
function writtenColumn(ctx: RowWiseContext, scope: Scope, target: FlowExpr): string | undefined {
  if (target.kind === 'attribute') return columnOf(scope, target);
  if (target.kind !== 'subscript') return undefined;
  const direct = columnOf(scope, target);
  if (direct !== undefined) return direct;
  const object = target.object;
  if (
    object.kind === 'attribute' &&
    object.attribute === 'loc' &&
    object.object.kind === 'name' &&
    scope.aliases.has(object.object.name) &&
    target.index.length === 2
  ) {
    const [mask, column] = target.index;
    if (column?.kind !== 'string') return undefined;
    expression(ctx, scope, mask!);
    read(scope, column.value, false);
    return column.value;
  }
  return undefined;
}

/** The column `frame["col"]` (or `frame.col`, or `frame[c]` in a loop over column names) reads, when `expr` is one. */
function columnOf(scope: Scope, expr: FlowExpr): string | undefined {
  if (expr.kind === 'subscript' && expr.object.kind === 'name' && scope.aliases.has(expr.object.name) && expr.index.length === 1) {
    const key = expr.index[0]!;
    if (key.kind === 'string') return key.value;
    if (key.kind === 'name') return scope.columnVars?.get(key.name);
    return undefined;
  }
  if (expr.kind === 'attribute' && expr.object.kind === 'name' && scope.aliases.has(expr.object.name) && !FRAME_ATTRIBUTES.has(expr.attribute))
    return expr.attribute;
  return undefined;
}

/** Whether `value` is the frame again: `frame.copy()`, `frame.drop(columns=[...])`, `add_features(frame)` of a row-wise function. */
function frameValue(ctx: RowWiseContext, scope: Scope, value: FlowExpr): boolean {
  if (value.kind === 'name') return scope.aliases.has(value.name);
  if (value.kind !== 'call') return false;
  if (withDummies(ctx, scope, value)) return true;
  const callee = value.callee;
  if (callee.kind === 'attribute' && callee.object.kind === 'name' && scope.aliases.has(callee.object.name)) {
    if (callee.attribute === 'copy') return true;
    if (frameReplace(ctx, scope, value) || frameRename(scope, value)) return true;
    if (callee.attribute === 'drop') {
      const understood = value.args.every(
        (a) => a.value.kind === 'string' || a.value.kind === 'list' || a.value.kind === 'number' || a.keyword === 'axis' || a.keyword === 'columns',
      );
      if (understood) noteDrop(scope, value);
      return understood;
    }
    // `frame = frame.fillna(frame.mean())`: every column filled, each from itself.
    if (callee.attribute === 'fillna' && value.args.every((a) => a.unpack === undefined)) {
      noteInline(ctx, scope, value);
      value.args.forEach((a) => expression(ctx, scope, a.value));
      return true;
    }
    return false;
  }
  if (callee.kind !== 'name') return false;
  const definition = ctx.definitions.get(callee.name);
  const fn = definition?.flow;
  const positional = value.args.filter((a) => a.keyword === undefined);
  if (fn?.kind !== 'def' || fn.params.length !== 1 || positional.length !== 1 || value.args.length !== 1) return false;
  const arg = positional[0]!.value;
  if (arg.kind !== 'name' || !scope.aliases.has(arg.name)) return false;
  const facts = definition!.functions.find((f) => f.name === callee.name);
  const outside = (facts?.globalReads ?? []).map((r) => r.name).filter((n) => !allowedGlobal(ctx, n));
  if (outside.length > 0)
    learned(`\`${callee.name}\` reads the notebook global${outside.length > 1 ? 's' : ''} ${[...new Set(outside)].map((n) => `\`${n}\``).join(', ')}`);
  const inner: Scope = { ...scope, statement: definition!, aliases: new Set([fn.params[0]!]), inFunction: true };
  if (fn.body.at(-1)?.kind !== 'return') fail(`\`${callee.name}\` does not return the frame`);
  for (const b of fn.body) statement(ctx, inner, b);
  return true;
}

function allowedGlobal(ctx: RowWiseContext, name: string): boolean {
  return ctx.settings.has(name) || ctx.importNames.has(name) || isBuiltinName(name) || pureFunction(ctx, name);
}

/** A notebook function that reads no data: `.apply(get_title)` runs it on one value at a time. */
function pureFunction(ctx: RowWiseContext, name: string): boolean {
  const definition = ctx.definitions.get(name);
  const facts = definition?.functions.find((f) => f.name === name);
  if (facts === undefined) return false;
  return facts.globalReads.every((r) => r.name !== name && (ctx.settings.has(r.name) || ctx.importNames.has(r.name) || isBuiltinName(r.name)));
}

/** Checks that `expr` computes each row from the same row; records the columns it reads. */
function expression(ctx: RowWiseContext, scope: Scope, expr: FlowExpr): void {
  if (learnable(ctx, scope, expr) || encoding(ctx, scope, expr)) return;
  switch (expr.kind) {
    case 'string':
    case 'number':
    case 'constant':
      return;
    case 'list':
    case 'tuple':
    case 'set':
    case 'dict':
      expr.items.forEach((e) => expression(ctx, scope, e));
      return;
    case 'operator':
      expr.operands.forEach((e) => expression(ctx, scope, e));
      return;
    case 'starred':
      return expression(ctx, scope, expr.value);
    case 'slice':
      [expr.lower, expr.upper, expr.step].forEach((e) => e && expression(ctx, scope, e));
      return;
    case 'lambda':
      return lambda(ctx, scope, expr);
    case 'other':
      if (/comprehension|generator|await|yield|named_expression/.test(expr.type)) fail(`a ${expr.type.replace(/_/g, ' ')} is not a column computation`);
      expr.parts.forEach((e) => expression(ctx, scope, e));
      return;
    case 'name':
      if (scope.locals.has(expr.name) || scope.learnedNames.has(expr.name) || scope.columnVars?.has(expr.name) || allowedGlobal(ctx, expr.name)) return;
      if (scope.aliases.has(expr.name)) fail('it uses the whole frame as a value');
      return learned(`it reads \`${expr.name}\`, which is data, not a column of the same row`);
    case 'subscript': {
      const column = columnOf(scope, expr);
      if (column !== undefined) {
        read(scope, column, false);
        return;
      }
      // `.str[0]`: an element of each row's value.
      if (expr.object.kind === 'attribute' && expr.object.attribute === 'str' && expr.index.every((i) => i.kind === 'number' || i.kind === 'slice')) {
        expression(ctx, scope, expr.object);
        return;
      }
      return fail('it indexes rows or a frame nb2prod cannot follow');
    }
    case 'attribute': {
      const column = columnOf(scope, expr);
      if (column !== undefined) {
        read(scope, column, false);
        return;
      }
      if (expr.attribute === 'str' || expr.attribute === 'dt' || expr.attribute === 'cat') {
        const accessed = columnOf(scope, expr.object);
        if (accessed !== undefined) read(scope, accessed, expr.attribute === 'str');
        else expression(ctx, scope, expr.object);
        return;
      }
      // `x.dt.year`, `x.str.len`: attributes of an element accessor.
      if (expr.object.kind === 'attribute' && ['str', 'dt', 'cat'].includes(expr.object.attribute)) return expression(ctx, scope, expr.object);
      if (expr.object.kind === 'name' && (ctx.importNames.has(expr.object.name) || scope.locals.has(expr.object.name))) return;
      return fail(`\`.${expr.attribute}\` is not an element-wise value`);
    }
    case 'call':
      return call(ctx, scope, expr);
  }
}

function call(ctx: RowWiseContext, scope: Scope, expr: FlowExpr & { kind: 'call' }): void {
  noteInline(ctx, scope, expr);
  const args = (): void => expr.args.forEach((a) => expression(ctx, scope, a.value));
  const callee = expr.callee;
  const qualified = ctx.index.qualified(callee, scope.statement);
  if (qualified !== undefined && ELEMENTWISE_FUNCTIONS.has(qualified)) {
    if (qualified === 'pandas.cut') {
      const bins = expr.args.find((a) => a.keyword === 'bins') ?? expr.args.filter((a) => a.keyword === undefined)[1];
      if (
        bins === undefined ||
        !(bins.value.kind === 'list' || bins.value.kind === 'tuple' || (bins.value.kind === 'name' && ctx.settings.has(bins.value.name)))
      ) {
        learned('`pd.cut` without literal bin edges learns the edges from the data');
      }
    }
    // A date parsed from text: the raw column is free text (every timestamp is new), not a category.
    const first = expr.args[0];
    const parsed = qualified === 'pandas.to_datetime' && first?.keyword === undefined ? columnOf(scope, first!.value) : undefined;
    if (parsed !== undefined) {
      read(scope, parsed, true);
      return expr.args.slice(1).forEach((a) => expression(ctx, scope, a.value));
    }
    return args();
  }
  if (callee.kind === 'attribute') {
    const object = callee.object;
    // `.str.extract(...)`, `.dt.strftime(...)`: element accessors.
    if (object.kind === 'attribute' && ['str', 'dt', 'cat'].includes(object.attribute)) {
      expression(ctx, scope, object);
      return args();
    }
    if (ELEMENTWISE.has(callee.attribute) && !(object.kind === 'name' && scope.aliases.has(object.name))) {
      if (callee.attribute === 'apply' && expr.args.some((a) => a.keyword === 'axis')) fail('`.apply(..., axis=...)` reads whole rows nb2prod cannot follow');
      expression(ctx, scope, object);
      return args();
    }
    if (object.kind === 'name' && scope.locals.has(object.name)) return args();
    if (
      object.kind === 'name' &&
      ctx.importNames.has(object.name) &&
      qualified !== undefined &&
      !qualified.startsWith('pandas.') &&
      !qualified.startsWith('numpy.')
    )
      return args();
    return learned(`\`.${callee.attribute}()\` looks at more than one row`);
  }
  if (callee.kind === 'name' && scope.locals.size > 0 && (isBuiltinName(callee.name) || pureFunction(ctx, callee.name))) return args();
  return fail(`\`${callee.kind === 'name' ? callee.name : 'a call'}\` is not an element-wise function`);
}

/** A lambda computes one value from its parameters: it may call anything that reads no data. */
function lambda(ctx: RowWiseContext, scope: Scope, expr: FlowExpr & { kind: 'lambda' }): void {
  if (expr.body === undefined) return;
  const inner: Scope = { ...scope, aliases: new Set(), locals: new Set([...scope.locals, ...(expr.params ?? [])]) };
  const visit = (e: FlowExpr | undefined): void => {
    if (e === undefined) return;
    switch (e.kind) {
      case 'name':
        if (!inner.locals.has(e.name) && !scope.learnedNames.has(e.name) && !allowedGlobal(ctx, e.name)) learned(`a lambda reads \`${e.name}\`, which is data`);
        return;
      case 'attribute':
        return visit(e.object);
      case 'subscript':
        visit(e.object);
        e.index.forEach(visit);
        return;
      case 'call':
        visit(e.callee);
        e.args.forEach((a) => visit(a.value));
        return;
      case 'list':
      case 'tuple':
      case 'set':
      case 'dict':
        e.items.forEach(visit);
        return;
      case 'operator':
        e.operands.forEach(visit);
        return;
      case 'starred':
        return visit(e.value);
      case 'slice':
        [e.lower, e.upper, e.step].forEach(visit);
        return;
      case 'lambda':
        return lambda(ctx, inner, e);
      case 'other':
        e.parts.forEach(visit);
        return;
      default:
        return;
    }
  };
  visit(expr.body);
}

/** When the provenance analysis reports a statistic at `call`, which applies it, its arguments computed it. */
function noteInline(ctx: RowWiseContext, scope: Scope, call: FlowExpr & { kind: 'call' }): void {
  const method = ctx.statistics.get(`${scope.statement.cell}:${call.start}:${call.end}`);
  if (method !== undefined && !isStatistic(ctx, scope, call))
    for (const a of call.args) if (a.value.kind === 'call') scope.inline.add(`${a.value.start}:${a.value.end}`);
}

/** Whether the provenance analysis saw `expr` compute a statistic of data. */
function isStatistic(ctx: RowWiseContext, scope: Scope, expr: FlowExpr): boolean {
  if (expr.kind !== 'call') return false;
  const method = ctx.statistics.get(`${scope.statement.cell}:${expr.start}:${expr.end}`);
  return (method !== undefined && expr.callee.kind === 'attribute' && expr.callee.attribute === method) || scope.inline.has(`${expr.start}:${expr.end}`);
}

/**
 * Records `expr` as a statistic the Pipeline learns from the training rows, when it is one the
 * engineering computes from its own frame: `frame["c"].median()`, `frame.mean()`,
 * `frame["c"].mode()[0]`, `frame["c"].quantile(0.9)`, or a group statistic
 * `frame.groupby(keys)["c"].transform("mean")`. Its arguments must be literals or settings.
 */
function learnable(ctx: RowWiseContext, scope: Scope, expr: FlowExpr): boolean {
  if (scope.inFunction === true) return false;
  // `x.mode()[0]`, `x.mode().iloc[0]`: one element of a statistic is learned as a whole.
  let call: FlowExpr = expr;
  if (expr.kind === 'subscript' && expr.index.length === 1 && (expr.index[0]!.kind === 'number' || expr.index[0]!.kind === 'string')) {
    call = expr.object.kind === 'attribute' && ['iloc', 'values'].includes(expr.object.attribute) ? expr.object.object : expr.object;
  }
  if (call.kind !== 'call' || call.callee.kind !== 'attribute' || !isStatistic(ctx, scope, call)) return false;
  const receiver = call.callee.object;
  const literalArguments = (): void => {
    const before = scope.reads.length;
    call.args.forEach((a) => expression(ctx, scope, (a as { value: FlowExpr }).value));
    if (scope.reads.length !== before) learned(`\`${textOf(scope.statement, call)}\` takes columns as arguments`);
  };
  if (call.callee.attribute === 'transform' && call === expr) {
    // `frame.groupby("k")["c"].transform("median")`
    const grouped = receiver.kind === 'subscript' && receiver.index.length === 1 && receiver.index[0]!.kind === 'string' ? receiver : undefined;
    const groupby = grouped?.object;
    if (grouped === undefined || groupby?.kind !== 'call' || groupby.callee.kind !== 'attribute' || groupby.callee.attribute !== 'groupby') return false;
    const frame = groupby.callee.object;
    const [by, ...rest] = groupby.args;
    const keys = by === undefined || by.keyword !== undefined ? undefined : by.value.kind === 'string' ? [by.value.value] : stringList(by.value);
    const [how, ...more] = call.args;
    if (
      frame.kind !== 'name' ||
      !scope.aliases.has(frame.name) ||
      keys === undefined ||
      rest.length > 0 ||
      how === undefined ||
      more.length > 0 ||
      how.keyword !== undefined ||
      how.value.kind !== 'string'
    )
      return false;
    for (const k of keys) read(scope, k, false);
    read(scope, (grouped.index[0] as { value: string }).value, false);
    const method = { start: call.callee.end - 'transform'.length, end: call.callee.end };
    scope.learned.push({
      statement: scope.statement,
      kind: 'group',
      start: expr.start,
      end: expr.end,
      text: textOf(scope.statement, expr),
      group: { frame: frame.name, by: textOf(scope.statement, by!.value), method },
    });
    return true;
  }
  // A statistic that reduces the rows to a value (not `.rank()`, which places each row among the others).
  if (!PANDAS_STATISTICS.has(call.callee.attribute)) return false;
  // `x.dropna().median()`: the statistics skip missing values anyway.
  const of =
    receiver.kind === 'call' && receiver.callee.kind === 'attribute' && receiver.callee.attribute === 'dropna' && receiver.args.length === 0
      ? receiver.callee.object
      : receiver;
  const column = columnOf(scope, of);
  const wholeFrame = of.kind === 'name' && scope.aliases.has(of.name);
  if (column === undefined && !wholeFrame) return false;
  if (column !== undefined) read(scope, column, false);
  literalArguments();
  scope.learned.push({ statement: scope.statement, kind: 'value', start: expr.start, end: expr.end, text: textOf(scope.statement, expr) });
  return true;
}

/** The column names a `drop(...)` call names (positionally or as `columns=`). */
function columnsDropped(args: ReadonlyArray<{ keyword?: string; value: FlowExpr }>): string[] {
  for (const arg of args) {
    if (arg.keyword !== undefined && arg.keyword !== 'columns') continue;
    if (arg.value.kind === 'string') return [arg.value.value];
    const list = stringList(arg.value);
    if (list !== undefined) return list;
  }
  return [];
}

function noteDrop(scope: Scope, call: FlowExpr & { kind: 'call' }): void {
  scope.dropped.push(...columnsDropped(call.args));
  if (!scope.inFunction && call.args.length > 0 && !call.args.some((a) => a.keyword === 'errors'))
    scope.drops.push({ statement: scope.statement, close: call.end - 1 });
}

// Encodings learned from the data: `LabelEncoder().fit_transform(frame["c"])` and `pd.get_dummies`
// of the frame's columns. The notebook learns each column's categories from every row; the saved
// Pipeline's first step learns them from the training rows (`statistics.codes`, `statistics.dummies`).

/** Names every binding of which is `NAME = LabelEncoder()`. */
function labelEncoders(ctx: RowWiseContext): Set<string> {
  const bound = new Map<string, boolean>();
  for (const s of ctx.index.statements) {
    const flow = s.flow;
    const encoder =
      flow?.kind === 'assign' &&
      flow.operator === undefined &&
      flow.targets.length === 1 &&
      flow.targets[0]!.kind === 'name' &&
      ctx.index.qualified(flow.value.kind === 'call' ? flow.value.callee : flow.value, s) === 'sklearn.preprocessing.LabelEncoder' &&
      flow.value.kind === 'call' &&
      flow.value.args.length === 0;
    for (const d of s.defs) bound.set(d, (bound.get(d) ?? true) && encoder);
  }
  return new Set([...bound].filter(([, only]) => only).map(([name]) => name));
}

/** Whether `value` is `LabelEncoder()`. */
function isLabelEncoder(ctx: RowWiseContext, scope: Scope, value: FlowExpr): boolean {
  return value.kind === 'call' && value.args.length === 0 && ctx.index.qualified(value.callee, scope.statement) === 'sklearn.preprocessing.LabelEncoder';
}

/** Whether `fn` is `LabelEncoder().fit_transform` or `le.fit_transform` of a name bound to `LabelEncoder()`. */
function isFitTransform(ctx: RowWiseContext, scope: Scope, fn: FlowExpr): boolean {
  if (fn.kind !== 'attribute' || fn.attribute !== 'fit_transform') return false;
  return (fn.object.kind === 'name' && scope.encoders.has(fn.object.name)) || isLabelEncoder(ctx, scope, fn.object);
}

/** Records a learned encoding once, however many columns a loop passes it. */
function noteLearned(scope: Scope, statistic: Omit<LearnedStatistic, 'statement' | 'text'>, of: FlowExpr): void {
  if (scope.inFunction === true) learned('a learned encoding inside a notebook function cannot be learned on the training rows only');
  if (scope.learned.some((l) => l.statement === scope.statement && l.start === statistic.start && l.end === statistic.end)) return;
  scope.learned.push({ statement: scope.statement, text: textOf(scope.statement, of), ...statistic });
}

/** `le.fit_transform(frame["c"])` as a value: the column's codes, its categories learned. */
function encoding(ctx: RowWiseContext, scope: Scope, expr: FlowExpr): boolean {
  if (expr.kind !== 'call' || !isFitTransform(ctx, scope, expr.callee)) return false;
  const [arg, ...rest] = expr.args;
  const column = arg !== undefined && arg.keyword === undefined && arg.unpack === undefined ? columnOf(scope, arg.value) : undefined;
  if (column === undefined || rest.length > 0) learned(`\`${textOf(scope.statement, expr)}\` encodes something other than one column of the frame`);
  read(scope, column, false);
  noteLearned(scope, { kind: 'codes', start: expr.start, end: expr.end, data: arg!.value.start }, expr);
  return true;
}

/** `frame[["a", "b"]] = frame[["a", "b"]].apply(LabelEncoder().fit_transform)`: each column's codes. */
function encodedColumns(ctx: RowWiseContext, scope: Scope, target: FlowExpr, value: FlowExpr): boolean {
  const columns = (e: FlowExpr): string[] | undefined =>
    e.kind === 'subscript' && e.object.kind === 'name' && scope.aliases.has(e.object.name) && e.index.length === 1 ? stringList(e.index[0]!) : undefined;
  const written = columns(target);
  if (written === undefined || value.kind !== 'call' || value.callee.kind !== 'attribute' || value.callee.attribute !== 'apply') return false;
  const encoded = columns(value.callee.object);
  const fn = value.args.length === 1 && value.args[0]!.keyword === undefined ? value.args[0]!.value : undefined;
  if (encoded === undefined || fn === undefined || !isFitTransform(ctx, scope, fn)) return false;
  if (encoded.join('\0') !== written.join('\0')) fail('it writes other columns than it encodes');
  for (const c of encoded) read(scope, c, false);
  noteLearned(scope, { kind: 'codes', start: fn.start, end: fn.end }, value);
  scope.written.push(...written);
  return true;
}

/** `pd.get_dummies(frame["dept"], prefix="dept")`: the dummy columns of one column, its categories learned. */
function seriesDummies(ctx: RowWiseContext, scope: Scope, call: FlowExpr & { kind: 'call' }): Dummies | undefined {
  if (ctx.index.qualified(call.callee, scope.statement) !== 'pandas.get_dummies') return undefined;
  const [data, ...options] = call.args;
  const column = data !== undefined && data.keyword === undefined && data.unpack === undefined ? columnOf(scope, data.value) : undefined;
  if (column === undefined) return undefined;
  const settings = dummiesOptions(ctx, scope, options);
  if (settings === undefined || settings.columns !== undefined) return undefined;
  const prefix = settings.prefix;
  if (prefix !== undefined && typeof prefix !== 'string') return undefined;
  read(scope, column, false);
  noteLearned(scope, { kind: 'dummies', start: call.start, end: call.end, data: data!.value.start }, call);
  return { columns: [column], prefixes: [prefix], separator: settings.separator };
}

/** The options of a `pd.get_dummies` call nb2prod understands, or undefined. */
function dummiesOptions(
  ctx: RowWiseContext,
  scope: Scope,
  options: ReadonlyArray<{ keyword?: string; unpack?: string; value: FlowExpr }>,
): { columns?: string[]; prefix?: string | string[]; separator: string } | undefined {
  let columns: string[] | undefined;
  let prefix: string | string[] | undefined;
  let separator = '_';
  for (const o of options) {
    if (o.keyword === 'columns') columns = stringList(o.value) ?? [];
    else if (o.keyword === 'prefix') {
      const v = o.value;
      prefix = v.kind === 'string' ? v.value : v.kind === 'name' ? scope.columnVars?.get(v.name) : stringList(v);
      if (prefix === undefined) return undefined;
    } else if (o.keyword === 'prefix_sep' && o.value.kind === 'string') separator = o.value.value;
    else if (o.keyword === 'drop_first' || o.keyword === 'dtype') expression(ctx, scope, o.value);
    else return undefined;
    if (Array.isArray(columns) && columns.length === 0) return undefined;
  }
  return { ...(columns ? { columns } : {}), ...(prefix !== undefined ? { prefix } : {}), separator };
}

/**
 * The frame with dummy columns: `pd.get_dummies(frame, columns=[...])`, `frame.join(dummies)`,
 * `pd.concat([frame, dummies], axis="columns")` (dummies bound to a name or inline). Records the
 * encoded columns as read and the dummy columns as written.
 */
function withDummies(ctx: RowWiseContext, scope: Scope, value: FlowExpr & { kind: 'call' }): boolean {
  const qualified = ctx.index.qualified(value.callee, scope.statement);
  const isFrame = (e: FlowExpr | undefined): boolean => e?.kind === 'name' && scope.aliases.has(e.name);
  const dummiesOf = (e: FlowExpr): Dummies | undefined =>
    e.kind === 'name' ? scope.dummyNames.get(e.name) : e.kind === 'call' ? seriesDummies(ctx, scope, e) : undefined;
  let added: Dummies[] | undefined;
  if (qualified === 'pandas.get_dummies') {
    const [data, ...options] = value.args;
    if (data === undefined || data.keyword !== undefined || !isFrame(data.value)) return false;
    const settings = dummiesOptions(ctx, scope, options);
    if (settings === undefined) return false;
    const columns = settings.columns;
    if (columns === undefined && ctx.features !== undefined)
      fail('`pd.get_dummies` of the whole frame names its dummy columns after categories nb2prod cannot know; list the encoded columns with `columns=[...]`');
    const prefixes =
      settings.prefix === undefined ? columns : typeof settings.prefix === 'string' ? columns?.map(() => settings.prefix as string) : settings.prefix;
    if (columns !== undefined && prefixes?.length !== columns.length) return false;
    for (const c of columns ?? []) read(scope, c, false);
    noteLearned(scope, { kind: 'dummies', start: value.start, end: value.end, data: data.value.start }, value);
    added = [{ columns: columns ?? ['*'], prefixes: prefixes ?? ['*'], separator: settings.separator }];
  } else if (value.callee.kind === 'attribute' && value.callee.attribute === 'join' && isFrame(value.callee.object) && value.args.length === 1) {
    const joined = value.args[0]!.keyword === undefined ? dummiesOf(value.args[0]!.value) : undefined;
    if (joined === undefined) return false;
    added = [joined];
  } else if (qualified === 'pandas.concat') {
    const [blocks, ...options] = value.args;
    const axis = options.find((o) => o.keyword === 'axis')?.value;
    const sideBySide = axis !== undefined && ((axis.kind === 'number' && axis.value === 1) || (axis.kind === 'string' && axis.value === 'columns'));
    if (blocks === undefined || blocks.keyword !== undefined || blocks.value.kind !== 'list' || !sideBySide || options.length !== 1) return false;
    // The frame and dummies of its columns, in any order (the generated code keeps the notebook's order).
    const frames = blocks.value.items.filter(isFrame);
    const others = blocks.value.items.filter((e) => !isFrame(e));
    if (frames.length !== 1) return false;
    const dummies = others.map(dummiesOf);
    if (others.length === 0 || dummies.some((d) => d === undefined)) return false;
    added = dummies as Dummies[];
  }
  if (added === undefined) return false;
  for (const d of added) writeDummies(ctx, scope, d);
  return true;
}

/** The dummy columns' names: the listed features they make, or `prefix_*` when the features are what a drop leaves. */
function writeDummies(ctx: RowWiseContext, scope: Scope, dummies: Dummies): void {
  dummies.columns.forEach((column, k) => {
    const prefix = dummies.prefixes[k];
    if (ctx.features === undefined) {
      scope.written.push(prefix === undefined ? `dummies of ${column}` : `${prefix}${dummies.separator}*`);
      return;
    }
    if (prefix === undefined)
      fail(
        `the dummy columns of \`${column}\` are named by its categories alone, which nb2prod cannot tell from the raw columns; give \`pd.get_dummies\` \`prefix="${column}"\` and list the features by those names`,
      );
    scope.written.push(...ctx.features.filter((f) => f.startsWith(`${prefix}${dummies.separator}`)));
  });
}

/** `for c in ["a", "b"]:` (or over a name bound to such a list): the loop variable and the column names. */
function columnLoop(ctx: RowWiseContext, s: Statement, flow: FlowStatement & { kind: 'for' }): { variable: string; values: string[] } | undefined {
  if (flow.target.kind !== 'name') return undefined;
  let values = stringList(flow.iterable);
  if (values === undefined && flow.iterable.kind === 'name') {
    const binding = ctx.index.bindingStatement(flow.iterable.name, s.cell, flow.iterable.start);
    const bound = binding?.flow;
    if (bound?.kind === 'assign' && bound.operator === undefined && bound.targets.length === 1) values = stringList(bound.value);
  }
  return values === undefined || values.length === 0 ? undefined : { variable: flow.target.name, values };
}

/** A value built from literals and loop variables only (`"var" + "_" + var`). */
function literalValue(scope: Scope, expr: FlowExpr): boolean {
  switch (expr.kind) {
    case 'string':
    case 'number':
    case 'constant':
      return true;
    case 'name':
      return scope.columnVars?.has(expr.name) === true || scope.locals.has(expr.name);
    case 'operator':
      return expr.operands.every((e) => literalValue(scope, e));
    default:
      return false;
  }
}

/** `frame.drop(frame.columns[[8, 9]], axis=1, inplace=True)`: columns named by position, not by literal names. */
function dropsByPosition(call: FlowExpr & { kind: 'call' }): boolean {
  const named = call.args.find((a) => a.keyword === undefined || a.keyword === 'columns');
  return named !== undefined && named.value.kind === 'subscript' && named.value.object.kind === 'attribute' && named.value.object.attribute === 'columns';
}
