/**
 * Statements that compute a new value of something from its own old value: `df = df.drop(...)`,
 * `df["a"] = df["a"] * 2`, `df["n"] += 1`. Running such a statement twice applies the change
 * twice, which is what NB107 (non-idempotent-cell) looks for.
 */
import type { CallArgument, OffsetSpan } from '../python/facts';
import type { FlowArgument, FlowExpr } from '../python/flow';
import { dottedParts, leftmostPath, someExpr, type FlowAssignment } from '../python/expressions';

/**
 * Methods whose result does not change when applied to their own output (`astype(int)` twice
 * is `astype(int)` once), so `df = df.dropna()` can be re-run safely. `drop`, `set_index`,
 * `merge`, `join` and most others are not here: their second application fails or changes the
 * value again. `rename` ignores labels that are gone, `replace` maps replaced values to
 * themselves (barring chained mappings), `reshape` to a fixed shape gives that shape again.
 */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  'astype',
  'copy',
  'fillna',
  'dropna',
  'drop_duplicates',
  'sort_values',
  'sort_index',
  'abs',
  'round',
  'lower',
  'upper',
  'strip',
  'lstrip',
  'rstrip',
  'infer_objects',
  'convert_dtypes',
  'to_numpy',
  'replace',
  'clip',
  'rename',
  'reshape',
  'ravel',
  'flatten',
  'squeeze',
  'title',
  'capitalize',
  'casefold',
]);

/** What the idempotence tests read from a call's arguments. */
export interface ArgumentsView {
  /** Whether the keyword argument `keyword` is passed as `True`. */
  isTrue(keyword: string): boolean;
  /** Whether the call (its arguments, or for facts its receiver) reads `name`. */
  reads(name: string): boolean;
}

/** The arguments of a flow call expression. */
export function flowArguments(args: readonly FlowArgument[]): ArgumentsView {
  return {
    isTrue: (keyword) => args.some((a) => a.keyword === keyword && a.value.kind === 'constant' && a.value.value === 'True'),
    reads: (name) => args.some((a) => readsName(a.value, name)),
  };
}

/** The arguments of a call fact; the receiver counts as read, since the statement is the whole call. */
export function callArguments(args: readonly CallArgument[], root: string | undefined): ArgumentsView {
  return {
    isTrue: (keyword) => args.some((a) => a.keyword === keyword && a.text === 'True'),
    reads: (name) => root === name || args.some((a) => a.names.includes(name)),
  };
}

/**
 * Methods that are idempotent only with some arguments, with the test on the arguments and the
 * name being rebuilt: `reset_index(drop=True)` (without `drop` it adds a column each time),
 * `assign(flag=1)` (not `assign(a=df.a * 2)`, which reads what it replaces).
 */
const IDEMPOTENT_WITH: ReadonlyMap<string, (args: ArgumentsView, name: string | undefined) => boolean> = new Map([
  ['reset_index', (args: ArgumentsView) => args.isTrue('drop')],
  ['assign', (args: ArgumentsView, name: string | undefined) => name !== undefined && !args.reads(name)],
]);

/** Whether calling `method` with these arguments twice gives what calling it once does. */
export function isIdempotentCall(method: string, args: ArgumentsView, name?: string): boolean {
  return IDEMPOTENT_METHODS.has(method) || (IDEMPOTENT_WITH.get(method)?.(args, name) ?? false);
}

/**
 * Functions whose result is a fixed point when applied to it again: `df["d"] =
 * pd.to_datetime(df["d"])`, `x = np.asarray(x)`.
 */
const IDEMPOTENT_FUNCTIONS: ReadonlySet<string> = new Set([
  'to_datetime',
  'to_numeric',
  'to_timedelta',
  'Categorical',
  'array',
  'asarray',
  'abs',
  'round',
  'clip',
  'nan_to_num',
  'unique',
  'sort',
  'sorted',
  'set',
  'list',
  'tuple',
  'str',
  'int',
  'float',
  'bool',
]);

/**
 * Calls that can stand in a row filter without making it depend on the rows left
 * (`df[df.city.isin(["a", "b"])]`, `df[df.a.notna()]`); `df[df.a > df.a.mean()]` calls `mean`,
 * whose value changes as rows go, so it is not a fixed filter.
 */
const FILTER_PREDICATES: ReadonlySet<string> = new Set([
  'isin',
  'notna',
  'notnull',
  'isna',
  'isnull',
  'between',
  'contains',
  'startswith',
  'endswith',
  'isnumeric',
  'isdigit',
  'isalpha',
  'duplicated',
]);

const COMPARISONS: ReadonlySet<string> = new Set(['<', '>', '<=', '>=', '==', '!=']);

/** Attributes that expose methods without changing the value (`df["a"].str.lower()`). */
const ACCESSORS: ReadonlySet<string> = new Set(['str', 'dt', 'cat', 'sparse']);

/** Calls that append their arguments together: `df = pd.concat([df, new_rows])` grows on every run. */
const CONCATENATORS: ReadonlySet<string> = new Set(['concat', 'concatenate', 'append', 'vstack', 'hstack', 'column_stack', 'row_stack']);

const BINARY_OPERATORS: ReadonlySet<string> = new Set(['+', '-', '*', '/', '//', '%', '**', '@', '|', '&', '^', '<<', '>>']);

/** Whether `expr` reads the variable `name` anywhere (attribute names and keywords are not reads). */
export function readsName(expr: FlowExpr, name: string): boolean {
  return someExpr(expr, (e) => e.kind === 'name' && e.name === name);
}

/**
 * Whether a value (the expression right of `name =`) is computed from `name` itself in a way
 * that changes it again when repeated: `name.method(...)`, `name[...]`, `name + ...`, or a
 * concatenation such as `pd.concat([name, ...])`. Chains of idempotent methods and fixed row
 * filters (`name[name.a > 0]`) are exempt.
 */
export function rebuildsFromItself(value: FlowExpr, name: string): boolean {
  const path = leftmostPath(value);
  const first = path.at(-1) as FlowExpr;
  const parent = path.at(-2);
  if (first.kind === 'name' && first.name === name && parent !== undefined) {
    if (isBinary(parent)) return true;
    if (parent.kind === 'attribute' || parent.kind === 'subscript') return !isIdempotentChain([...path].reverse(), name);
    return false;
  }
  // The first bracket of the value opens a call of a concatenator: `pd.concat([name, rows])`.
  const bracketed = [...path].reverse().find((e) => BRACKETED.has(e.kind));
  if (bracketed?.kind !== 'call' || first.kind !== 'name') return false;
  const callee = dottedParts(bracketed.callee)?.at(-1);
  return callee !== undefined && CONCATENATORS.has(callee) && bracketed.args.some((a) => readsName(a.value, name));
}

/** Whether a value grows its name on every run (`pd.concat([df, rows])`, `x = x + [1]`): harmful, not only different. */
export function growsFromItself(value: FlowExpr, name: string): boolean {
  const path = leftmostPath(value);
  const first = path.at(-1) as FlowExpr;
  if (first.kind === 'name' && first.name === name) {
    // `x = x + [1]`, and pandas' `df = df.append(rows)`, which adds the rows again on every run.
    const [parent, grandparent] = [path.at(-2), path.at(-3)];
    if (parent !== undefined && isBinary(parent)) return true;
    return parent?.kind === 'attribute' && CONCATENATORS.has(parent.attribute) && grandparent?.kind === 'call' && grandparent.callee === parent;
  }
  return rebuildsFromItself(value, name);
}

/** Expressions written with an opening bracket of their own (a call's or subscript's comes after their first part). */
const BRACKETED: ReadonlySet<FlowExpr['kind']> = new Set(['call', 'subscript', 'tuple', 'list', 'set', 'dict', 'other']);

/** An operator between two operands (`a + b`), whose operator is arithmetic or bitwise. */
function isBinary(expr: FlowExpr): boolean {
  return expr.kind === 'operator' && expr.operands.length >= 2 && BINARY_OPERATORS.has(expr.operator);
}

/**
 * Whether `chain` (a value followed by what is applied to it, innermost first: `df.astype(int)`
 * gives `df`, the attribute, then the call) only applies idempotent methods through accessors
 * (`.astype(int)`, `.str.lower()`) and fixed row or column filters (`[df.a > 0]`,
 * `.loc[df.city.isin(cities)]`, `[["a", "b"]]`). `name` is the value being rebuilt, for
 * methods whose arguments decide (`assign`).
 */
export function isIdempotentChain(chain: readonly FlowExpr[], name?: string): boolean {
  let calls = 0;
  for (let i = 1; i < chain.length; i++) {
    const link = chain[i] as FlowExpr;
    const inner = chain[i - 1];
    if (link.kind === 'subscript' && link.object === inner) {
      if (!isFixedFilter(link.index)) return false;
      calls++;
    } else if (link.kind === 'attribute' && link.object === inner) {
      const call = chain[i + 1];
      if (call?.kind === 'call' && call.callee === link) {
        if (!isIdempotentCall(link.attribute, flowArguments(call.args), name)) return false;
        calls++;
        i++;
      } else if (!ACCESSORS.has(link.attribute)) {
        return false;
      }
    } else {
      return false;
    }
  }
  return calls > 0;
}

/**
 * Whether a subscript keeps the same rows and columns when applied to its own result: a list of
 * column names, or a mask of comparisons with values that do not depend on the rows left (no
 * slices, and no calls but predicates such as `isin`).
 */
function isFixedFilter(index: readonly FlowExpr[]): boolean {
  if (index.length === 0 || index.some((e) => e.kind === 'slice')) return false;
  if (index.every(onlyStrings)) return index.some((e) => someExpr(e, (s) => s.kind === 'string'));
  const calls: string[] = [];
  for (const e of index) {
    someExpr(e, (s) => {
      const callee = s.kind === 'call' ? calleeName(s.callee) : undefined;
      if (callee !== undefined) calls.push(callee);
      return false;
    });
  }
  if (calls.some((c) => !FILTER_PREDICATES.has(c))) return false;
  return calls.length > 0 || index.some((e) => someExpr(e, (s) => s.kind === 'operator' && (COMPARISONS.has(s.operator) || s.operator === '~')));
}

/** Strings, or brackets of strings: `"a"`, `["a", "b"]`. */
function onlyStrings(expr: FlowExpr): boolean {
  if (expr.kind === 'string') return true;
  return (expr.kind === 'list' || expr.kind === 'tuple' || expr.kind === 'set') && expr.items.every(onlyStrings);
}

/** The name written right before a call's `(`: `isin` in `df.a.isin(...)`, `f` in `f(...)`. */
function calleeName(callee: FlowExpr): string | undefined {
  return callee.kind === 'name' ? callee.name : callee.kind === 'attribute' ? callee.attribute : undefined;
}

/** The fixed-point function wrapping a whole value (`pd.to_datetime(...)`), if it is one such call. */
function idempotentWrapper(value: FlowExpr): Extract<FlowExpr, { kind: 'call' }> | undefined {
  if (value.kind !== 'call') return undefined;
  // Only a dotted name may stand before the call: `pd.to_datetime(`, `np.asarray(`.
  const callee = dottedParts(value.callee)?.at(-1);
  return callee !== undefined && IDEMPOTENT_FUNCTIONS.has(callee) ? value : undefined;
}

/** How an assignment to a subscript or attribute target re-applies itself, if it does. */
export type TargetUpdate =
  | { kind: 'augmented'; target: string; operator: string }
  /** `harmful`: a transform that silently changes the values again on every run (`np.log`, `* 2`). */
  | { kind: 'from-itself'; target: string; harmful: boolean };

/**
 * For a statement assigning to a subscript or attribute (`df["a"] = ...`, `cfg.lr *= 0.5`): an
 * augmented assignment, or a plain one whose value contains the target itself (compared by
 * structure, so quotes and spacing do not matter) other than through an idempotent chain.
 * `source` and `strings` are the cell's, for the target's text.
 */
export function targetUpdate(statement: FlowAssignment, source: string, strings: readonly OffsetSpan[]): TargetUpdate | undefined {
  const [target, ...others] = statement.targets;
  if (target === undefined) return undefined;
  const text = targetText(target, source, strings);
  if (statement.operator !== undefined) return { kind: 'augmented', target: text, operator: statement.operator };
  if (others.length > 0) return undefined; // chained targets: leave alone
  const value = statement.value;
  if (target.kind === 'tuple' || target.kind === 'list') {
    // `a["x"], b["x"] = encode(a["x"], b["x"])`: every element computed from itself.
    const keys = target.items.map(exprKey);
    const fromItself = keys.every((key) => someExpr(value, (e) => exprKey(e) === key));
    return fromItself ? { kind: 'from-itself', target: text, harmful: harmfulTransform(value) } : undefined;
  }
  const key = exprKey(target);
  // The value starts with the target: `df["a"].astype(int)` is the same column again, `df["a"] * 2` is not.
  if (startsWithIdempotent(value, key)) return undefined;
  if (!someExpr(value, (e) => exprKey(e) === key)) return undefined;
  // `pd.to_datetime(df["d"], format=...)`: the target, alone, as the first argument of a fixed-point function.
  const wrapper = idempotentWrapper(value);
  const [first, ...rest] = wrapper?.args ?? [];
  const root = leftmostPath(target).at(-1);
  if (first !== undefined && first.keyword === undefined && first.unpack === undefined && startsWithIdempotent(first.value, key)) {
    if (root?.kind !== 'name' || !rest.some((a) => readsName(a.value, root.name))) return undefined;
  }
  return { kind: 'from-itself', target: text, harmful: harmfulTransform(value) };
}

/** Whether `value` is the expression keyed `key`, alone or followed by an idempotent chain. */
function startsWithIdempotent(value: FlowExpr, key: string): boolean {
  const path = leftmostPath(value);
  const at = path.findIndex((e) => exprKey(e) === key);
  return at === 0 || (at > 0 && isIdempotentChain(path.slice(0, at + 1).reverse()));
}

/**
 * Transforms that change a numeric column again on every run, silently: arithmetic on the
 * target (`df["a"] * 2`) or functions such as `np.log` around it. `map`, `apply`, `split` and
 * the rest change it too, but often fail loudly or leave it alone: less clearly harmful.
 */
const HARMFUL_FUNCTIONS: ReadonlySet<string> = new Set([
  'log',
  'log1p',
  'log2',
  'log10',
  'sqrt',
  'exp',
  'expm1',
  'power',
  'square',
  'cbrt',
  'boxcox',
  'cumsum',
  'diff',
  'pct_change',
  'shift',
]);

/** Whether a value is a clearly harmful transform: arithmetic outside brackets, or a call such as `np.log`. */
function harmfulTransform(value: FlowExpr): boolean {
  return topLevelArithmetic(value) || someExpr(value, (e) => e.kind === 'call' && HARMFUL_FUNCTIONS.has(calleeName(e.callee) ?? ''));
}

/** An arithmetic operator outside brackets (`df["a"] * 2`, `-df["a"]`, `y + 1 if c else y`). */
function topLevelArithmetic(expr: FlowExpr): boolean {
  switch (expr.kind) {
    case 'operator':
      return BINARY_OPERATORS.has(expr.operator) || expr.operands.some(topLevelArithmetic);
    case 'lambda':
      return expr.body !== undefined && topLevelArithmetic(expr.body);
    case 'other':
      return expr.type === 'conditional_expression' && expr.parts.some(topLevelArithmetic);
    case 'attribute':
      return topLevelArithmetic(expr.object);
    case 'call':
      return topLevelArithmetic(expr.callee);
    case 'subscript':
      return topLevelArithmetic(expr.object);
    default:
      return false;
  }
}

/** A key equal for expressions that mean the same: strings by their content, whatever the quotes. */
function exprKey(expr: FlowExpr): string {
  switch (expr.kind) {
    case 'name':
      return expr.name;
    case 'attribute':
      return `${exprKey(expr.object)}.${expr.attribute}`;
    case 'subscript':
      return `${exprKey(expr.object)}[${expr.index.map(exprKey).join(',')}]`;
    case 'string':
      return JSON.stringify(expr.value);
    case 'number':
    case 'constant':
      return String(expr.value);
    case 'call':
      return `${exprKey(expr.callee)}(${expr.args.map((a) => `${a.unpack ?? ''}${a.keyword === undefined ? '' : `${a.keyword}=`}${exprKey(a.value)}`).join(',')})`;
    case 'slice':
      return [expr.lower, expr.upper, expr.step].map((e) => (e === undefined ? '' : exprKey(e))).join(':');
    case 'operator':
      return `(${expr.operator}${expr.operands.map(exprKey).join(',')})`;
    case 'starred':
      return `*${exprKey(expr.value)}`;
    case 'tuple':
    case 'list':
    case 'set':
      return `${expr.kind}(${expr.items.map(exprKey).join(',')})`;
    default:
      // Anything else is compared by position, so it only ever equals itself.
      return `@${expr.start}`;
  }
}

/** The target as written, without the spacing between its parts (string literals kept as they are). */
function targetText(target: FlowExpr, source: string, strings: readonly OffsetSpan[]): string {
  let text = '';
  let at = target.start;
  for (const literal of strings) {
    if (literal.end <= at || literal.start >= target.end) continue;
    text += source.slice(at, literal.start).replace(/\s+/g, '') + source.slice(literal.start, literal.end);
    at = literal.end;
  }
  text += source.slice(at, target.end).replace(/\s+/g, '');
  return text.replace(/,(?=\S)/g, ', ');
}
