/**
 * Statements that compute a new value of something from its own old value: `df = df.drop(...)`,
 * `df["a"] = df["a"] * 2`, `df["n"] += 1`. Running such a statement twice applies the change
 * twice, which is what NB107 (non-idempotent-cell) looks for.
 */
import { AUGMENTED_OPERATORS, matchingClose, tokenize, type Token } from './python-tokens';

/**
 * Methods whose result does not change when applied to their own output (`astype(int)` twice
 * is `astype(int)` once), so `df = df.dropna()` can be re-run safely. `drop`, `rename`,
 * `set_index`, `reset_index`, `merge`, `join`, `assign` and most others are not here: their
 * second application fails or changes the value again.
 */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  'astype', 'copy', 'fillna', 'dropna', 'drop_duplicates', 'sort_values', 'sort_index', 'abs', 'round',
  'lower', 'upper', 'strip', 'lstrip', 'rstrip', 'infer_objects', 'convert_dtypes', 'to_numpy',
]);

/** Attributes that expose methods without changing the value (`df["a"].str.lower()`). */
const ACCESSORS: ReadonlySet<string> = new Set(['str', 'dt', 'cat', 'sparse']);

/** Calls that append their arguments together: `df = pd.concat([df, new_rows])` grows on every run. */
const CONCATENATORS: ReadonlySet<string> = new Set(['concat', 'concatenate', 'append', 'vstack', 'hstack', 'column_stack', 'row_stack']);

const BINARY_OPERATORS: ReadonlySet<string> = new Set(['+', '-', '*', '/', '//', '%', '**', '@', '|', '&', '^', '<<', '>>']);

/**
 * Whether a value (the tokens right of `name =`) is computed from `name` itself in a way that
 * changes it again when repeated: `name.method(...)`, `name[...]`, `name + ...`, or a
 * concatenation such as `pd.concat([name, ...])`. Chains of idempotent methods are exempt.
 */
export function rebuildsFromItself(value: readonly Token[], name: string): boolean {
  const [first, second] = value;
  if (first === undefined) return false;
  if (first.kind === 'name' && first.text === name && second !== undefined) {
    if (second.kind === 'op' && BINARY_OPERATORS.has(second.text)) return true;
    if (second.text === '.' || second.text === '[') return !isIdempotentChain(value.slice(1));
    return false;
  }
  const open = value.findIndex((t) => t.kind === 'open');
  const callee = value[open - 1];
  if (open < 1 || value[open]?.text !== '(' || callee === undefined || !CONCATENATORS.has(callee.text)) return false;
  const close = matchingClose(value, open);
  return value.slice(open + 1, close < 0 ? undefined : close).some((t) => t.kind === 'name' && t.text === name);
}

/**
 * Whether `rest` (what follows a value in an expression) only applies idempotent methods through
 * accessors: `.astype(int)`, `.str.lower()`. Subscripts, other attributes and other calls are not.
 */
export function isIdempotentChain(rest: readonly Token[]): boolean {
  let i = 0;
  let calls = 0;
  while (i < rest.length) {
    const dot = rest[i];
    const attribute = rest[i + 1];
    if (dot?.text !== '.' || attribute?.kind !== 'name') return false;
    const next = rest[i + 2];
    if (next?.text === '(') {
      if (!IDEMPOTENT_METHODS.has(attribute.text)) return false;
      const close = matchingClose(rest, i + 2);
      if (close < 0) return false;
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

/** How an assignment to a subscript or attribute target re-applies itself, if it does. */
export type TargetUpdate = { kind: 'augmented'; target: string; operator: string } | { kind: 'from-itself'; target: string };

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
  for (let i = 0; i + keys.length <= value.length; i++) {
    if (!keys.every((key, k) => tokenKey(value[i + k] as Token) === key)) continue;
    const rest = value.slice(i + keys.length);
    if (i === 0 && (rest.length === 0 || isIdempotentChain(rest))) return undefined;
    return { kind: 'from-itself', target: text };
  }
  return undefined;
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
