/**
 * Python's scoping rules (LEGB) over the copied syntax tree: which names a function, lambda,
 * class or comprehension binds, and where a read of a name resolves to.
 */
import { field, fields, type SyntaxNode } from './syntax-tree';

/** The kinds of Python scope that matter for name resolution. */
export type ScopeKind = 'module' | 'function' | 'class' | 'comprehension';

/** One lexical scope while the extractor walks the tree. */
export class Scope {
  /** Names bound anywhere in this scope (functions and comprehensions; classes use `classBinds`). */
  readonly locals = new Set<string>();
  /** Names declared `global` here. */
  readonly globals = new Set<string>();
  /** Names declared `nonlocal` here. */
  readonly nonlocals = new Set<string>();
  /**
   * For class bodies: the earliest offset at which each name is bound. A class body looks names
   * up in its own namespace first and then in the globals at run time, so a read only sees a
   * class attribute bound before it.
   */
  readonly classBinds = new Map<string, number>();
  /** True when code in this scope runs only when some enclosing function is called. */
  readonly deferred: boolean;

  constructor(
    readonly kind: ScopeKind,
    readonly parent: Scope | null,
    /** Dotted class path for class scopes (`Outer.Inner`), used to name methods. */
    readonly qualName = '',
  ) {
    this.deferred = kind === 'function' || (parent?.deferred ?? false);
  }

  /** The scope a read of `name` at `offset` resolves to; the module scope for globals and builtins. */
  resolve(name: string, offset: number): Scope {
    let scope: Scope = this;
    let first = true;
    for (;;) {
      if (scope.kind === 'module' || scope.globals.has(name)) return scope.moduleScope();
      // A nonlocal name lives in some enclosing function: keep looking outwards.
      if (!scope.nonlocals.has(name)) {
        if (scope.kind === 'class') {
          // Class bodies are invisible to the functions and comprehensions nested in them.
          const bound = first ? scope.classBinds.get(name) : undefined;
          if (bound !== undefined && bound <= offset) return scope;
        } else if (scope.locals.has(name)) {
          return scope;
        }
      }
      if (scope.parent === null) return scope;
      scope = scope.parent;
      first = false;
    }
  }

  /** The scope an assignment expression (`:=`) binds in: comprehensions bind in their container. */
  walrusTarget(): Scope {
    let scope: Scope = this;
    while (scope.kind === 'comprehension' && scope.parent !== null) scope = scope.parent;
    return scope;
  }

  /** True when `this` is `other` or encloses it. */
  encloses(other: Scope): boolean {
    for (let scope: Scope | null = other; scope !== null; scope = scope.parent) if (scope === this) return true;
    return false;
  }

  private moduleScope(): Scope {
    let scope: Scope = this;
    while (scope.parent !== null) scope = scope.parent;
    return scope;
  }
}

/** Node types that hold several assignment targets (`a, (b, *c)`). */
const TARGET_CONTAINERS = new Set([
  'pattern_list',
  'tuple_pattern',
  'list_pattern',
  'tuple',
  'list',
  'parenthesized_expression',
  'expression_list',
  'as_pattern_target',
  'list_splat_pattern',
  'list_splat',
]);

/**
 * Calls `onName` for every identifier an assignment target binds and `onComplex` for attribute and
 * subscript targets, which bind nothing but mutate an object.
 */
export function forEachTarget(target: SyntaxNode, onName: (id: SyntaxNode) => void, onComplex: (node: SyntaxNode) => void): void {
  if (target.type === 'identifier') onName(target);
  else if (target.type === 'attribute' || target.type === 'subscript') onComplex(target);
  else if (TARGET_CONTAINERS.has(target.type)) for (const child of target.children) forEachTarget(child, onName, onComplex);
}

/** The identifiers bound by a target, ignoring attribute and subscript targets. */
export function targetNames(target: SyntaxNode): SyntaxNode[] {
  const names: SyntaxNode[] = [];
  forEachTarget(
    target,
    (id) => names.push(id),
    () => undefined,
  );
  return names;
}

/** The targets of a (possibly chained) assignment `a = b = value`, and the value itself. */
export function unchainAssignment(node: SyntaxNode): { targets: SyntaxNode[]; value: SyntaxNode | undefined } {
  const targets: SyntaxNode[] = [];
  let current: SyntaxNode | undefined = node;
  for (;;) {
    const left = field(current, 'left');
    if (left !== undefined) targets.push(left);
    const right: SyntaxNode | undefined = field(current, 'right');
    if (right?.type !== 'assignment') return { targets, value: right };
    current = right;
  }
}

/**
 * Walks a `case` pattern: `capture` gets the identifiers it binds, `read` the expressions it
 * evaluates (value patterns such as `Color.RED`, class names, mapping keys).
 */
export function walkPattern(node: SyntaxNode, capture: (id: SyntaxNode) => void, read: (expr: SyntaxNode) => void): void {
  switch (node.type) {
    case 'case_pattern': {
      const only = node.children.length === 1 ? node.children[0] : undefined;
      if (only?.type === 'dotted_name') {
        const parts = only.children;
        const head = parts[0];
        if (parts.length === 1 && head !== undefined) walkPattern(head, capture, read);
        else if (head !== undefined) read(head);
        return;
      }
      break;
    }
    case 'dotted_name': {
      const head = node.children[0];
      if (head !== undefined) read(head);
      return;
    }
    case 'identifier':
      // Bare identifiers in patterns are the names of `*rest`, `**kw` and `as` captures.
      if (node.text !== '_') capture(node);
      return;
    case 'keyword_pattern':
      // The first identifier is an attribute name of the class pattern, not a binding; the value
      // sits directly under the keyword pattern, where a plain name is a capture again.
      for (const child of node.children.slice(1)) {
        const parts = child.type === 'dotted_name' ? child.children : [];
        const head = parts[0];
        if (parts.length === 1 && head !== undefined) walkPattern(head, capture, read);
        else walkPattern(child, capture, read);
      }
      return;
    case 'dict_pattern':
      for (const child of node.children) {
        if (child.field === 'key') read(child);
        else walkPattern(child, capture, read);
      }
      return;
    default:
      break;
  }
  for (const child of node.children) walkPattern(child, capture, read);
}

/**
 * Collects what a function or lambda body binds, without entering nested functions, lambdas or
 * classes. Python decides locality per function: a name bound anywhere in it is local everywhere
 * in it, unless declared `global` or `nonlocal`.
 */
export function collectBindings(node: SyntaxNode, scope: Scope): void {
  const bind = (id: SyntaxNode): void => {
    if (id.type === 'identifier') scope.locals.add(id.text);
  };
  const bindTarget = (target: SyntaxNode): void => {
    for (const id of targetNames(target)) bind(id);
  };
  const visit = (n: SyntaxNode): void => {
    switch (n.type) {
      case 'function_definition':
      case 'class_definition': {
        const id = field(n, 'name');
        if (id !== undefined) bind(id);
        // Defaults, annotations and base classes run here, and may hold a walrus.
        for (const child of n.children) if (child.field !== 'body' && child.field !== 'name') visit(child);
        return;
      }
      case 'lambda': {
        const params = field(n, 'parameters');
        if (params !== undefined) visit(params);
        return;
      }
      case 'assignment': {
        const { targets, value } = unchainAssignment(n);
        // A bare annotation (`x: int`) binds nothing yet still makes `x` local to the function.
        for (const target of targets) bindTarget(target);
        if (value !== undefined) visit(value);
        return;
      }
      case 'augmented_assignment':
      case 'for_statement':
      case 'for_in_clause': {
        const left = field(n, 'left');
        // Comprehension variables belong to the comprehension, not to this scope.
        if (left !== undefined && n.type !== 'for_in_clause') bindTarget(left);
        break;
      }
      case 'named_expression': {
        const id = field(n, 'name');
        if (id !== undefined) bind(id);
        break;
      }
      case 'as_pattern': {
        const alias = field(n, 'alias');
        if (alias !== undefined) bindTarget(alias);
        break;
      }
      case 'case_clause':
        for (const child of n.children) {
          if (child.type === 'case_pattern') walkPattern(child, (id) => bind(id), visit);
          else visit(child);
        }
        return;
      case 'import_statement':
      case 'import_from_statement':
        for (const bound of importedNames(n)) bind(bound);
        return;
      case 'global_statement':
      case 'nonlocal_statement': {
        const into = n.type === 'global_statement' ? scope.globals : scope.nonlocals;
        for (const child of n.children) if (child.type === 'identifier') into.add(child.text);
        return;
      }
      case 'delete_statement':
        for (const child of n.children) bindTarget(child);
        break;
      case 'type_alias_statement': {
        const left = field(n, 'left');
        const id = left?.children[0];
        if (id !== undefined) bind(id);
        return;
      }
      default:
        break;
    }
    for (const child of n.children) visit(child);
  };
  visit(node);
  for (const declared of scope.globals) scope.locals.delete(declared);
  for (const declared of scope.nonlocals) scope.locals.delete(declared);
}

/** The identifier nodes an import statement binds (`np`, `a` for `import a.b`); none for `*`. */
export function importedNames(node: SyntaxNode): SyntaxNode[] {
  const bound: SyntaxNode[] = [];
  for (const item of fields(node, 'name')) {
    const id = importBinding(item);
    if (id !== undefined) bound.push(id);
  }
  return bound;
}

/** The identifier one imported item binds: the alias, or the first part of a dotted name. */
export function importBinding(item: SyntaxNode): SyntaxNode | undefined {
  if (item.type === 'aliased_import') return field(item, 'alias');
  return item.type === 'dotted_name' ? item.children[0] : undefined;
}
