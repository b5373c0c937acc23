/**
 * Turns a copied tree-sitter tree of one cell into CellFacts: the walk that knows Python's
 * statements and expressions. Scope rules live in scopes.ts, call helpers in calls.ts and
 * function definitions in functions.ts.
 */
import type { Call, CallArgument, CellFacts, DefinitionKind, FunctionFacts, MutationKind, Use } from './facts';
import { dottedName, markAssigned, MUTATING_METHODS, rootIdentifier } from './calls';
import { visitClass, visitFunction, visitLambda } from './functions';
import { visitCase, visitDelete, visitExcept, visitImport, visitWith } from './statements';
import { forEachTarget, Scope, targetNames, unchainAssignment } from './scopes';
import { field, fields, type LineIndex, type SyntaxNode } from './syntax-tree';
import { flowStatements } from './flow';

/** Comprehension node types; each opens its own scope. */
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/** Collects the names read inside one call argument. */
interface ArgumentCollector {
  scope: Scope;
  names: string[];
}

/** The walker's state; functions.ts drives it for definitions. */
export class Extractor {
  readonly facts: CellFacts = { defs: [], uses: [], mutations: [], calls: [], imports: [], functions: [], syntaxErrors: [], strings: [], comments: [] };
  scope: Scope = new Scope('module', null);
  /** Functions enclosing the current node, outermost first; their `globalReads` collect reads. */
  functionStack: FunctionFacts[] = [];
  /** The current top-level (module-body) statement. */
  top: SyntaxNode | undefined;
  /** The innermost enclosing simple statement (for assignment bind offsets and mutation ranges). */
  private statement: SyntaxNode | undefined;
  private readonly collectors: ArgumentCollector[] = [];
  private readonly callsByNode = new Map<SyntaxNode, Call>();
  /** How many f-string replacement fields enclose the current node. */
  private insideFString = 0;

  constructor(readonly lines: LineIndex) {}

  /** Walks a module node and returns the facts, sorted by position. */
  run(module: SyntaxNode): CellFacts {
    for (const statement of module.children) {
      this.top = statement;
      this.statement = statement;
      this.visit(statement);
    }
    const byOffset = (a: { offset?: number }, b: { offset?: number }): number => (a.offset ?? 0) - (b.offset ?? 0);
    this.facts.defs.sort(byOffset);
    this.facts.uses.sort(byOffset);
    for (const fn of this.facts.functions) fn.globalReads.sort(byOffset);
    this.facts.calls.sort((a, b) => comparePositions(a.range.start, b.range.start) || comparePositions(a.range.end, b.range.end));
    this.facts.mutations.sort((a, b) => comparePositions(a.range.start, b.range.start));
    this.facts.strings.sort((a, b) => a.start - b.start);
    collectComments(module, this.facts.comments);
    this.facts.flow = flowStatements(module, this.lines);
    return this.facts;
  }

  /** Visits any node: statements, expressions, and the pieces of both. */
  visit(node: SyntaxNode): void {
    switch (node.type) {
      case 'identifier':
        this.read(node);
        return;
      case 'expression_statement':
      case 'delete_statement':
        return this.withStatement(node, () => (node.type === 'delete_statement' ? visitDelete(this, node) : this.visitChildren(node)));
      case 'assignment':
        return this.visitAssignment(node);
      case 'augmented_assignment':
        return this.visitAugmented(node);
      case 'for_statement':
        return this.visitFor(node);
      case 'with_statement':
        return visitWith(this, node);
      case 'except_clause':
        return visitExcept(this, node);
      case 'match_statement':
        return this.visitChildren(node);
      case 'case_clause':
        return visitCase(this, node);
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
        return visitImport(this, node);
      case 'decorated_definition': {
        for (const child of node.children) if (child.type === 'decorator') this.visit(child);
        const definition = field(node, 'definition');
        if (definition?.type === 'function_definition') visitFunction(this, definition, node);
        else if (definition?.type === 'class_definition') visitClass(this, definition, node);
        return;
      }
      case 'function_definition':
        return visitFunction(this, node, undefined);
      case 'class_definition':
        return visitClass(this, node, undefined);
      case 'lambda':
        return visitLambda(this, node);
      case 'call':
        return this.visitCall(node);
      case 'attribute': {
        const object = field(node, 'object');
        if (object !== undefined) this.visit(object);
        return;
      }
      case 'keyword_argument': {
        const value = field(node, 'value');
        if (value !== undefined) this.visit(value);
        return;
      }
      case 'named_expression': {
        const value = field(node, 'value');
        if (value !== undefined) this.visit(value);
        const name = field(node, 'name');
        if (name !== undefined) this.bind(name, 'walrus', node.end, this.scope.walrusTarget());
        if (value !== undefined && name !== undefined && this.scope.walrusTarget().kind === 'module') {
          markAssigned(value, [name.text], [], this.callsByNode, (t) => targetNames(t).map((id) => id.text));
        }
        return;
      }
      case 'type_alias_statement': {
        // The alias's value is evaluated lazily (PEP 695), so only the binding matters here.
        const id = field(node, 'left')?.children[0];
        if (id !== undefined) this.bind(id, 'assign', node.end);
        return;
      }
      case 'global_statement':
      case 'nonlocal_statement':
      case 'type_parameter':
        return;
      case 'ERROR':
        return this.visitError(node);
      case 'string':
        return this.visitString(node);
      case 'print_statement':
      case 'exec_statement': {
        // `print(...)` that the parser made a print statement of only while recovering from an
        // error elsewhere is the Python 3 call; NB000 reports the error.
        const keyword = node.type === 'print_statement' ? 'print' : 'exec';
        if (!/^\s*\(/.test(this.lines.slice(node.start + keyword.length, node.end))) {
          (this.facts.python2Statements ??= []).push({ range: this.lines.range(node.start, node.end), message: `\`${keyword}\` statement` });
        }
        return this.visitChildren(node);
      }
      default:
        if (COMPREHENSIONS.has(node.type)) return this.visitComprehension(node);
        return this.visitChildren(node);
    }
  }

  /** Visits every child in order. */
  visitChildren(node: SyntaxNode): void {
    for (const child of node.children) this.visit(child);
  }

  /** Runs `body` in a nested scope, restoring the current one afterwards. */
  inScope(scope: Scope, body: () => void): void {
    const saved = this.scope;
    this.scope = scope;
    try {
      body();
    } finally {
      this.scope = saved;
    }
  }

  /** Records a read of an identifier, as a global use when it resolves to the module scope. */
  read(id: SyntaxNode): void {
    const name = id.text;
    if (name === '') return;
    const resolved = this.scope.resolve(name, id.start);
    for (const collector of this.collectors) {
      if (resolved.encloses(collector.scope) && !collector.names.includes(name)) collector.names.push(name);
    }
    if (resolved.kind !== 'module') return;
    const use: Use = { name, range: this.lines.range(id.start, id.end), deferred: this.scope.deferred, ...this.statementOffsets(id) };
    this.facts.uses.push(use);
    for (const fn of this.functionStack) fn.globalReads.push(use);
  }

  /** Records a binding of `id` in `target` (the current scope unless a walrus escapes a comprehension). */
  bind(id: SyntaxNode, kind: DefinitionKind, bindOffset: number, target: Scope = this.scope): void {
    const name = id.text;
    if (name === '') return;
    if (target.kind === 'class' && !target.globals.has(name)) {
      const earlier = target.classBinds.get(name);
      if (earlier === undefined || bindOffset < earlier) target.classBinds.set(name, bindOffset);
      return;
    }
    const isGlobal = target.kind === 'module' || target.globals.has(name);
    if (!isGlobal) return;
    this.facts.defs.push({
      name,
      kind: target.kind === 'module' ? kind : 'global',
      range: this.lines.range(id.start, id.end),
      deferred: target.deferred,
      offset: id.start,
      statementStart: this.top?.start ?? id.start,
      bindOffset,
    });
  }

  /** Binds every name in an assignment target; attribute and subscript targets read and mutate. */
  bindTarget(target: SyntaxNode, kind: DefinitionKind, bindOffset: number): void {
    forEachTarget(
      target,
      (id) => this.bind(id, kind, bindOffset),
      (complex) => {
        this.visit(complex);
        this.mutate(complex, complex.type === 'subscript' ? 'subscript-assign' : 'attribute-assign', this.statementNode(complex));
      },
    );
  }

  /** Records an in-place change of the global at the root of `target`, if it is one. */
  mutate(target: SyntaxNode, kind: MutationKind, at: SyntaxNode, method?: string): void {
    const root = rootIdentifier(target);
    if (root === undefined || this.scope.resolve(root.text, root.start).kind !== 'module') return;
    const mutation = { name: root.text, kind, range: this.lines.range(at.start, at.end), deferred: this.scope.deferred };
    this.facts.mutations.push(method === undefined ? mutation : { ...mutation, method });
  }

  private statementOffsets(node: SyntaxNode): { offset: number; statementStart: number; statementEnd: number } {
    return { offset: node.start, statementStart: this.top?.start ?? node.start, statementEnd: this.top?.end ?? node.end };
  }

  private statementNode(fallback: SyntaxNode): SyntaxNode {
    return this.statement ?? fallback;
  }

  private withStatement(node: SyntaxNode, body: () => void): void {
    const saved = this.statement;
    this.statement = node;
    body();
    this.statement = saved;
  }

  private visitAssignment(node: SyntaxNode): void {
    const { targets, value } = unchainAssignment(node);
    const annotation = field(node, 'type');
    // Annotations of function locals are never evaluated; at module and class level they are.
    if (annotation !== undefined && this.scope.kind !== 'function') this.visit(annotation);
    if (value === undefined) return; // `x: int` binds nothing.
    this.visit(value);
    const bindOffset = this.statementNode(node).end;
    for (const target of targets) this.bindTarget(target, 'assign', bindOffset);
    if (this.scope.kind === 'module') {
      const names = targets.flatMap((t) => targetNames(t).map((id) => id.text));
      markAssigned(value, names, targets, this.callsByNode, (t) => targetNames(t).map((id) => id.text));
    }
  }

  private visitAugmented(node: SyntaxNode): void {
    const left = field(node, 'left');
    const right = field(node, 'right');
    if (right !== undefined) this.visit(right);
    if (left === undefined) return;
    const statement = this.statementNode(node);
    if (left.type === 'identifier') {
      this.read(left);
      this.mutate(left, 'augassign', statement);
      this.bind(left, 'augassign', statement.end);
      if (this.scope.kind === 'module' && right !== undefined) markAssigned(right, [left.text], [], this.callsByNode, () => []);
    } else {
      this.bindTarget(left, 'augassign', statement.end);
    }
  }

  private visitFor(node: SyntaxNode): void {
    const body = field(node, 'body');
    for (const right of fields(node, 'right')) this.visit(right);
    const left = field(node, 'left');
    if (left !== undefined) this.bindTarget(left, 'for', body?.start ?? node.end);
    for (const child of node.children) if (child.field !== 'left' && child.field !== 'right') this.visit(child);
  }

  private visitComprehension(node: SyntaxNode): void {
    const clauses = node.children.filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
    const [first] = clauses;
    // The first iterable is evaluated in the enclosing scope, before the comprehension's own scope exists.
    if (first?.type === 'for_in_clause') for (const right of fields(first, 'right')) this.visit(right);
    const scope = new Scope('comprehension', this.scope);
    for (const clause of clauses) {
      const left = clause.type === 'for_in_clause' ? field(clause, 'left') : undefined;
      if (left !== undefined) for (const id of targetNames(left)) scope.locals.add(id.text);
    }
    this.inScope(scope, () => {
      for (const clause of clauses) {
        if (clause !== first) for (const child of clause.children) if (child.field !== 'left') this.visit(child);
        const left = clause.type === 'for_in_clause' ? field(clause, 'left') : undefined;
        if (left !== undefined) this.bindTarget(left, 'for', clause.end);
      }
      for (const child of node.children) if (child.type !== 'for_in_clause' && child.type !== 'if_clause') this.visit(child);
    });
  }

  private visitCall(node: SyntaxNode): void {
    const callee = field(node, 'function');
    const argumentList = field(node, 'arguments');
    if (callee !== undefined) this.visit(callee);
    const args: CallArgument[] = [];
    const items = argumentList === undefined ? [] : argumentList.type === 'argument_list' ? argumentList.children : [argumentList];
    for (const item of items) args.push(this.visitArgument(item));
    if (callee === undefined) return;
    // Calls inside a lambda belong to the def around it, which is what a scaffolded module keeps.
    const fn = [...this.functionStack].reverse().find((f) => f.kind !== 'lambda') ?? this.functionStack.at(-1);
    const root = rootIdentifier(callee);
    const method = callee.type === 'attribute' ? field(callee, 'attribute')?.text : callee.type === 'identifier' ? callee.text : undefined;
    const call: Call = {
      callee: dottedName(callee) ?? this.sourceText(callee),
      ...(root === undefined ? {} : { root: root.text }),
      ...(method === undefined ? {} : { method }),
      range: this.lines.range(node.start, node.end),
      calleeRange: this.lines.range(callee.start, callee.end),
      args,
      assignedTo: [],
      deferred: this.scope.deferred,
      ...(fn === undefined ? {} : { inFunction: fn.name }),
    };
    this.facts.calls.push(call);
    this.callsByNode.set(node, call);
    const receiver = callee.type === 'attribute' ? field(callee, 'object') : undefined;
    if (receiver === undefined || method === undefined) return;
    if (args.some((a) => a.keyword === 'inplace' && a.text === 'True')) this.mutate(receiver, 'inplace-kwarg', node, method);
    else if (MUTATING_METHODS.has(method)) this.mutate(receiver, 'method-call', node, method);
  }

  private visitArgument(item: SyntaxNode): CallArgument {
    const collector: ArgumentCollector = { scope: this.scope, names: [] };
    this.collectors.push(collector);
    let valueNode = item;
    let keyword: string | undefined;
    let unpack: '*' | '**' | undefined;
    if (item.type === 'keyword_argument') {
      keyword = field(item, 'name')?.text;
      valueNode = field(item, 'value') ?? item;
    } else if (item.type === 'list_splat' || item.type === 'dictionary_splat') {
      unpack = item.type === 'list_splat' ? '*' : '**';
      valueNode = item.children[0] ?? item;
    }
    this.visit(item);
    this.collectors.pop();
    return {
      ...(keyword === undefined ? {} : { keyword }),
      text: this.sourceText(valueNode),
      names: collector.names,
      range: this.lines.range(valueNode.start, valueNode.end),
      ...(unpack === undefined ? {} : { unpack }),
    };
  }

  /** Records a literal; an f-string's fields are read as expressions, their own literals not listed. */
  private visitString(node: SyntaxNode): void {
    if (this.insideFString === 0) this.facts.strings.push({ start: node.start, end: node.end });
    if (!node.children.some((c) => c.type === 'interpolation')) return;
    this.insideFString++;
    this.visitChildren(node);
    this.insideFString--;
  }

  /**
   * Recovers what it can from a region tree-sitter could not parse: complete expressions inside
   * it are read as usual, and `name =` followed by anything binds `name`, so a half-typed line
   * does not turn every later use of that name into an undefined-name report.
   */
  private visitError(node: SyntaxNode): void {
    node.children.forEach((child, i) => {
      if (child.type === 'identifier' && node.children[i + 1]?.type === '=') this.bind(child, 'assign', node.end);
      else if (child.named) this.visit(child);
    });
  }

  /** The source text of a node. */
  sourceText(node: SyntaxNode): string {
    return this.lines.slice(node.start, node.end);
  }
}

function comparePositions(a: { line: number; character: number }, b: { line: number; character: number }): number {
  return a.line - b.line || a.character - b.character;
}

/** Every comment node under `node`, in source order (the tree keeps them wherever they stand). */
function collectComments(node: SyntaxNode, into: CellFacts['comments']): void {
  for (const child of node.children) {
    if (child.type === 'comment') into.push({ start: child.start, end: child.end });
    else collectComments(child, into);
  }
}
