/**
 * Statements that compute a new value of something from its own old value: `df = df.drop(...)`,
 * `df["a"] = df["a"] * 2`, `df["n"] += 1`. Running such a statement twice applies the change
 * twice, which is what NB107 (non-idempotent-cell) looks for.
 */
import { AUGMENTED_OPERATORS, matchingClose, tokenize, type Token } from './python-tokens';

/**
 * Methods whose result does not change when applied to their own output (`astype(int)` twice
 * is `astype(int)` once), so `df = df.dropna()` can be re-run safely. `drop`, `set_index`,
 * `merge`, `join` and most others are not here: their second application fails or changes the
 * value again. `rename` ignores labels that are gone, `replace` maps replaced values to
 * themselves (barring chained mappings), `reshape` to a fixed shape gives that shape again.
 */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  'astype', 'copy', 'fillna', 'dropna', 'drop_duplicates', 'sort_values', 'sort_index', 'abs', 'round',
  'lower', 'upper', 'strip', 'lstrip', 'rstrip', 'infer_objects', 'convert_dtypes', 'to_numpy',
  'replace', 'clip', 'rename', 'reshape', 'ravel', 'flatten', 'squeeze', 'title', 'capitalize', 'casefold',
]);

/**
 * Methods that are idempotent only with some arguments, with the test on the argument tokens
 * and the name being rebuilt: `reset_index(drop=True)` (without `drop` it adds a column each
 * time), `assign(flag=1)` (not `assign(a=df.a * 2)`, which reads what it replaces).
 */
const IDEMPOTENT_WITH: ReadonlyMap<string, (args: readonly Token[], name: string | undefined) => boolean> = new Map([
  ['reset_index', (args: readonly Token[]) => args.some((t, i) => t.text === 'drop' && args[i + 1]?.text === '=' && args[i + 2]?.text === 'True')],
  ['assign', (args: readonly Token[], name: string | undefined) => name !== undefined && !args.some((t) => t.kind === 'name' && t.text === name)],
]);

/** Whether calling `method` with these argument tokens twice gives what calling it once does. */
export function isIdempotentCall(method: string, args: readonly Token[], name?: string): boolean {
  return IDEMPOTENT_METHODS.has(method) || (IDEMPOTENT_WITH.get(method)?.(args, name) ?? false);
}

/**
 * Functions whose result is a fixed point when applied to it again: `df["d"] =
 * pd.to_datetime(df["d"])`, `x = np.asarray(x)`.
 */
const IDEMPOTENT_FUNCTIONS: ReadonlySet<string> = new Set([
  'to_datetime', 'to_numeric', 'to_timedelta', 'Categorical', 'array', 'asarray', 'abs', 'round', 'clip', 'nan_to_num',
  'unique', 'sort', 'sorted', 'set', 'list', 'tuple', 'str', 'int', 'float', 'bool',
]);

/**
 * Calls that can stand in a row filter without making it depend on the rows left
 * (`df[df.city.isin(["a", "b"])]`, `df[df.a.notna()]`); `df[df.a > df.a.mean()]` calls `mean`,
 * whose value changes as rows go, so it is not a fixed filter.
 */
const FILTER_PREDICATES: ReadonlySet<string> = new Set([
  'isin', 'notna', 'notnull', 'isna', 'isnull', 'between', 'contains', 'startswith', 'endswith', 'isnumeric', 'isdigit', 'isalpha', 'duplicated',
]);

const COMPARISONS: ReadonlySet<string> = new Set(['<', '>', '<=', '>=', '==', '!=']);

/** Attributes that expose methods without changing the value (`df["a"].str.lower()`). */
const ACCESSORS: ReadonlySet<string> = new Set(['str', 'dt', 'cat', 'sparse']);

/** Calls that append their arguments together: `df = pd.concat([df, new_rows])` grows on every run. */
const CONCATENATORS: ReadonlySet<string> = new Set(['concat', 'concatenate', 'append', 'vstack', 'hstack', 'column_stack', 'row_stack']);

const BINARY_OPERATORS: ReadonlySet<string> = new Set(['+', '-', '*', '/', '//', '%', '**', '@', '|', '&', '^', '<<', '>>']);

/**
 * Whether a value (the tokens right of `name =`) is computed from `name` itself in a way that
 * changes it again when repeated: `name.method(...)`, `name[...]`, `name + ...`, or a
 * concatenation such as `pd.concat([name, ...])`. Chains of idempotent methods and fixed row
 * filters (`name[name.a > 0]`) are exempt.
 */
export function rebuildsFromItself(value: readonly Token[], name: string): boolean {
  const [first, second] = value;
  if (first === undefined) return false;
  if (first.kind === 'name' && first.text === name && second !== undefined) {
    if (second.kind === 'op' && BINARY_OPERATORS.has(second.text)) return true;
    if (second.text === '.' || second.text === '[') return !isIdempotentChain(value.slice(1), name);
    return false;
  }
  const open = value.findIndex((t) => t.kind === 'open');
  const callee = value[open - 1];
  if (open < 1 || value[open]?.text !== '(' || callee === undefined || !CONCATENATORS.has(callee.text)) return false;
  const close = matchingClose(value, open);
  return value.slice(open + 1, close < 0 ? undefined : close).some((t) => t.kind === 'name' && t.text === name);
}

/** Whether a value grows its name on every run (`pd.concat([df, rows])`, `x = x + [1]`): harmful, not only different. */
export function growsFromItself(value: readonly Token[], name: string): boolean {
  const [first, second] = value;
  if (first?.kind === 'name' && first.text === name) {
    // `x = x + [1]`, and pandas' `df = df.append(rows)`, which adds the rows again on every run.
    return (second?.kind === 'op' && BINARY_OPERATORS.has(second.text)) || (second?.text === '.' && CONCATENATORS.has(value[2]?.text ?? '') && value[3]?.text === '(');
  }
  return rebuildsFromItself(value, name);
}

/**
 * Whether `rest` (what follows a value in an expression) only applies idempotent methods through
 * accessors (`.astype(int)`, `.str.lower()`) and fixed row or column filters (`[df.a > 0]`,
 * `.loc[df.city.isin(cities)]`, `[["a", "b"]]`). `name` is the value being rebuilt, for
 * methods whose arguments decide (`assign`).
 */
export function isIdempotentChain(rest: readonly Token[], name?: string): boolean {
  let i = 0;
  let calls = 0;
  while (i < rest.length) {
    const dot = rest[i];
    if (dot?.text === '[') {
      const close = matchingClose(rest, i);
      if (close < 0 || !isFixedFilter(rest.slice(i + 1, close))) return false;
      calls++;
      i = close + 1;
      continue;
    }
    const attribute = rest[i + 1];
    if (dot?.text !== '.' || attribute?.kind !== 'name') return false;
    const next = rest[i + 2];
    if (next?.text === '(') {
      const close = matchingClose(rest, i + 2);
      if (close < 0 || !isIdempotentCall(attribute.text, rest.slice(i + 3, close), name)) return false;
      calls++;
      i = close + 1;
    } else if (ACCESSORS.has(attribute.text)) {
      i += 2;
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
function isFixedFilter(inner: readonly Token[]): boolean {
  if (inner.length === 0) return false;
  const base = inner[0]?.depth ?? 0;
  if (inner.some((t) => t.text === ':' && t.depth === base)) return false;
  if (inner.every((t) => t.kind === 'string' || t.text === ',' || t.kind === 'open' || t.kind === 'close')) return inner.some((t) => t.kind === 'string');
  const calls = inner.filter((t, k) => t.kind === 'name' && inner[k + 1]?.text === '(');
  if (calls.some((t) => !FILTER_PREDICATES.has(t.text))) return false;
  return calls.length > 0 || inner.some((t) => t.kind === 'op' && (COMPARISONS.has(t.text) || t.text === '~'));
}

/** The fixed-point function wrapping a value (`pd.to_datetime(` ... `)`): the index of its `(`, or -1. */
function idempotentWrapper(value: readonly Token[]): number {
  const open = value.findIndex((t) => t.kind === 'open');
  const callee = value[open - 1];
  if (open < 1 || value[open]?.text !== '(' || callee?.kind !== 'name' || !IDEMPOTENT_FUNCTIONS.has(callee.text)) return -1;
  // Only a dotted name may stand before the call: `pd.to_datetime(`, `np.asarray(`.
  if (!value.slice(0, open - 1).every((t) => t.kind === 'name' || t.text === '.')) return -1;
  return matchingClose(value, open) === value.length - 1 ? open : -1;
}

/** How an assignment to a subscript or attribute target re-applies itself, if it does. */
export type TargetUpdate =
  | { kind: 'augmented'; target: string; operator: string }
  /** `harmful`: a transform that silently changes the values again on every run (`np.log`, `* 2`). */
  | { kind: 'from-itself'; target: string; harmful: boolean };

/**
 * For a statement assigning to a subscript or attribute (`df["a"] = ...`, `cfg.lr *= 0.5`): an
 * augmented assignment, or a plain one whose value contains the target itself (compared token
 * by token, so quotes and spacing do not matter) other than through an idempotent chain.
 */
export function targetUpdate(statement: string): TargetUpdate | undefined {
  const tokens = tokenize(statement);
  const assign = tokens.findIndex((t) => t.depth === 0 && t.kind === 'op' && (t.text === '=' || AUGMENTED_OPERATORS.has(t.text)));
  const operator = tokens[assign];
  if (assign < 1 || operator === undefined) return undefined;
  const target = tokens.slice(0, assign);
  const text = targetText(target);
  if (operator.text !== '=') return { kind: 'augmented', target: text, operator: operator.text };
  const value = tokens.slice(assign + 1);
  if (value.some((t) => t.depth === 0 && t.kind === 'op' && t.text === '=')) return undefined; // chained targets: leave alone
  const keys = target.map(tokenKey);
  const wrapper = idempotentWrapper(value);
  for (let i = 0; i + keys.length <= value.length; i++) {
    if (!keys.every((key, k) => tokenKey(value[i + k] as Token) === key)) continue;
    const rest = value.slice(i + keys.length);
    if (i === 0 && (rest.length === 0 || isIdempotentChain(rest))) return undefined;
    // `pd.to_datetime(df["d"], format=...)`: the target, alone, as the first argument of a fixed-point function.
    if (wrapper >= 0 && i === wrapper + 1) {
      const after = value.slice(i + keys.length, -1);
      const comma = after.findIndex((t) => t.text === ',' && t.depth === (value[wrapper] as Token).depth + 1);
      const chain = comma < 0 ? after : after.slice(0, comma);
      const others = comma < 0 ? [] : after.slice(comma);
      if ((chain.length === 0 || isIdempotentChain(chain)) && !others.some((t) => t.kind === 'name' && t.text === target[0]?.text)) return undefined;
    }
    return { kind: 'from-itself', target: text, harmful: harmfulTransform(value) };
  }
  return undefined;
}

/**
 * Transforms that change a numeric column again on every run, silently: arithmetic on the
 * target (`df["a"] * 2`) or functions such as `np.log` around it. `map`, `apply`, `split` and
 * the rest change it too, but often fail loudly or leave it alone: less clearly harmful.
 */
const HARMFUL_FUNCTIONS: ReadonlySet<string> = new Set(['log', 'log1p', 'log2', 'log10', 'sqrt', 'exp', 'expm1', 'power', 'square', 'cbrt', 'boxcox', 'cumsum', 'diff', 'pct_change', 'shift']);

/** Whether a value is a clearly harmful transform: arithmetic outside brackets, or a call such as `np.log`. */
function harmfulTransform(value: readonly Token[]): boolean {
  return value.some(
    (t, k) => (t.kind === 'op' && t.depth === 0 && BINARY_OPERATORS.has(t.text)) || (t.kind === 'name' && HARMFUL_FUNCTIONS.has(t.text) && value[k + 1]?.text === '('),
  );
}

/** A token compared by meaning: string literals by their content, whatever the quotes. */
function tokenKey(token: Token): string {
  if (token.kind !== 'string') return `${token.kind}:${token.text}`;
  const body = /^[rRuU]?(['"])(.*)\1$/s.exec(token.text);
  return body ? `string:${body[2] ?? ''}` : `string:${token.text}`;
}

/** The target as written, without the spacing and comments between its tokens. */
function targetText(tokens: readonly Token[]): string {
  return tokens.map((t) => t.text).join('').replace(/,(?=\S)/g, ', ');
}
