/**
 * Helpers for call facts and in-place mutations: callee names, receiver roots, the table of
 * mutating methods, and which calls a statement's value flows from.
 */
import type { Call } from './facts';
import { field, type SyntaxNode } from './syntax-tree';

/**
 * Methods that change their receiver in place on Python's built-in containers (list, dict, set)
 * and that notebooks commonly call on globals. A call `x.<method>(...)` on a global `x` is
 * reported as a `method-call` mutation. The consumer decides whether the receiver is data: the
 * extractor cannot tell `results.append(1)` from a module function such as `np.sort(a)`.
 */
export const MUTATING_METHODS: ReadonlySet<string> = new Set([
  'append',
  'extend',
  'insert',
  'pop',
  'remove',
  'clear',
  'update',
  'setdefault',
  'sort',
  'reverse',
  'add',
  'discard',
]);

/** The dotted name of an identifier/attribute chain (`pd.read_csv`), or undefined for other expressions. */
export function dottedName(node: SyntaxNode): string | undefined {
  if (node.type === 'identifier') return node.text;
  if (node.type !== 'attribute') return undefined;
  const object = field(node, 'object');
  const attribute = field(node, 'attribute');
  if (object === undefined || attribute === undefined) return undefined;
  const head = dottedName(object);
  return head === undefined ? undefined : `${head}.${attribute.text}`;
}

/**
 * The identifier at the root of an attribute/subscript chain (`df` for `df.loc[m, "a"]`), or
 * undefined when the chain starts with anything else (a call, a literal). Calls stop the walk
 * because they usually return a new object: `df.copy().x = 1` does not change `df`.
 */
export function rootIdentifier(node: SyntaxNode): SyntaxNode | undefined {
  let current: SyntaxNode | undefined = node;
  while (current !== undefined) {
    if (current.type === 'identifier') return current;
    if (current.type === 'attribute') current = field(current, 'object');
    else if (current.type === 'subscript') current = field(current, 'value');
    else if (current.type === 'parenthesized_expression') current = current.children[0];
    else return undefined;
  }
  return undefined;
}

/**
 * Marks the calls whose value a module-scope statement binds: the value itself when it is a call,
 * and every call along its receiver chain, so `X = df.drop(columns=c).values` marks the drop call
 * and `Z = scaler.fit(A).transform(B)` marks both calls. Arguments are not followed: in
 * `y = f(g(x))` only `f` produces `y`. A tuple value assigned to a same-length tuple target is
 * matched element by element (`a, b = f(), g()`).
 */
export function markAssigned(
  value: SyntaxNode,
  names: string[],
  targets: SyntaxNode[],
  callsByNode: Map<SyntaxNode, Call>,
  namesOf: (target: SyntaxNode) => string[],
): void {
  const pairs = pairwise(value, targets);
  if (pairs !== undefined) {
    for (const [element, target] of pairs) markSpine(element, namesOf(target), callsByNode);
    return;
  }
  markSpine(value, names, callsByNode);
}

function pairwise(value: SyntaxNode, targets: SyntaxNode[]): Array<[SyntaxNode, SyntaxNode]> | undefined {
  const [target] = targets;
  if (targets.length !== 1 || target === undefined) return undefined;
  const tupleTypes = ['expression_list', 'tuple', 'pattern_list', 'tuple_pattern'];
  if (!tupleTypes.includes(value.type) || !tupleTypes.includes(target.type)) return undefined;
  if (value.children.length !== target.children.length) return undefined;
  if (target.children.some((c) => c.type === 'list_splat_pattern') || value.children.some((c) => c.type === 'list_splat')) return undefined;
  return value.children.map((element, i) => [element, target.children[i] as SyntaxNode]);
}

function markSpine(value: SyntaxNode, names: string[], callsByNode: Map<SyntaxNode, Call>): void {
  if (names.length === 0) return;
  let current: SyntaxNode | undefined = value;
  while (current !== undefined) {
    const call = callsByNode.get(current);
    if (call !== undefined) call.assignedTo = [...names];
    if (current.type === 'call') current = field(current, 'function');
    else if (current.type === 'attribute') current = field(current, 'object');
    else if (current.type === 'subscript') current = field(current, 'value');
    else if (current.type === 'parenthesized_expression' || current.type === 'await') current = current.children[0];
    else current = undefined;
  }
}
