/**
 * A compact statement-and-expression view of one cell, for analyses that follow values
 * (data provenance): what each statement assigns, from which expression, through which calls,
 * subscripts, slices and tuple positions. Call, use and definition facts say *that* a name is
 * read or bound; this view says *how* a value is built, which those facts cannot express
 * (`X[tr]`, `df[:n]`, `a, b = f()` positions, `for tr, te in kf.split(X)`, returns).
 *
 * Offsets are UTF-16 code units into the cell source. Everything is plain data.
 */
import { field, fields, type LineIndex, type SyntaxNode } from './syntax-tree';

/** A value-producing expression, reduced to the shapes value tracking cares about. */
export type FlowExpr =
  | { kind: 'name'; name: string; start: number; end: number }
  | { kind: 'attribute'; object: FlowExpr; attribute: string; start: number; end: number }
  | { kind: 'subscript'; object: FlowExpr; index: FlowExpr[]; start: number; end: number }
  | { kind: 'slice'; lower?: FlowExpr; upper?: FlowExpr; step?: FlowExpr; start: number; end: number }
  | { kind: 'call'; callee: FlowExpr; args: FlowArgument[]; start: number; end: number }
  | {
      kind: 'tuple' | 'list' | 'set' | 'dict';
      items: FlowExpr[];
      start: number;
      end: number /** For dicts: each item's literal key, if any. */;
      keys?: (string | number | undefined)[];
    }
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'number'; value: number; start: number; end: number }
  | { kind: 'constant'; value: 'True' | 'False' | 'None'; start: number; end: number }
  | { kind: 'starred'; value: FlowExpr; start: number; end: number }
  | { kind: 'operator'; operator: string; operands: FlowExpr[]; start: number; end: number }
  /** A lambda: its parameters and body expression (run only where provenance knows the call, such as `pipe`). */
  | { kind: 'lambda'; params?: string[]; body?: FlowExpr; start: number; end: number }
  /** Anything else (comprehensions, conditionals, f-strings): its sub-expressions, in order. */
  | { kind: 'other'; type: string; parts: FlowExpr[]; start: number; end: number };

/** One argument of a call. */
export interface FlowArgument {
  keyword?: string;
  unpack?: '*' | '**';
  value: FlowExpr;
}

/** A statement, with compound statements kept as blocks that run in order. */
export type FlowStatement =
  /** `a = b = value`, `x, y = value`, `x += value` (`operator` is set for augmented assignments). */
  | { kind: 'assign'; targets: FlowExpr[]; value: FlowExpr; operator?: string; start: number; end: number }
  | { kind: 'expression'; value: FlowExpr; start: number; end: number }
  | { kind: 'for'; target: FlowExpr; iterable: FlowExpr; body: FlowStatement[]; start: number; end: number }
  /** `if`/`while`/`try`/`with` (with `as` targets turned into assignments): the tests and bodies in order. */
  | { kind: 'block'; type: string; tests: FlowExpr[]; body: FlowStatement[]; start: number; end: number }
  | { kind: 'def'; name: string; params: string[]; body: FlowStatement[]; start: number; end: number }
  | { kind: 'class'; name: string; bases: FlowExpr[]; body: FlowStatement[]; start: number; end: number }
  | { kind: 'return'; value?: FlowExpr; start: number; end: number };

/** Builds the flow view of a parsed cell (`module` is the copied tree's root). */
export function flowStatements(module: SyntaxNode, lines: LineIndex): FlowStatement[] {
  return new FlowBuilder(lines).block(module.children);
}

const CONTAINERS: Record<string, 'tuple' | 'list' | 'set'> = {
  tuple: 'tuple',
  expression_list: 'tuple',
  pattern_list: 'tuple',
  tuple_pattern: 'tuple',
  list: 'list',
  list_pattern: 'list',
  set: 'set',
};

class FlowBuilder {
  constructor(private readonly lines: LineIndex) {}

  block(nodes: readonly SyntaxNode[]): FlowStatement[] {
    const out: FlowStatement[] = [];
    for (const node of nodes) this.statement(node, out);
    return out;
  }

  private statement(node: SyntaxNode, out: FlowStatement[]): void {
    const { start, end } = node;
    switch (node.type) {
      case 'expression_statement':
        for (const child of node.children) {
          if (child.type === 'assignment' || child.type === 'augmented_assignment') this.assignment(child, out);
          else out.push({ kind: 'expression', value: this.expr(child), start: child.start, end: child.end });
        }
        return;
      case 'for_statement': {
        const left = field(node, 'left');
        const right = field(node, 'right');
        const body = this.blockOf(field(node, 'body'));
        const alternative = field(node, 'alternative');
        if (left !== undefined && right !== undefined) out.push({ kind: 'for', target: this.expr(left), iterable: this.expr(right), body, start, end });
        if (alternative !== undefined) out.push(...this.blockOf(alternative));
        return;
      }
      case 'if_statement':
      case 'while_statement':
      case 'elif_clause':
      case 'else_clause':
      case 'try_statement':
      case 'except_clause':
      case 'finally_clause':
      case 'with_statement':
      case 'block':
        out.push({ kind: 'block', type: node.type, ...this.compound(node), start, end });
        return;
      case 'decorated_definition': {
        const definition = field(node, 'definition');
        if (definition !== undefined) this.statement(definition, out);
        return;
      }
      case 'function_definition': {
        const name = field(node, 'name')?.text ?? '';
        out.push({ kind: 'def', name, params: parameterNames(field(node, 'parameters')), body: this.blockOf(field(node, 'body')), start, end });
        return;
      }
      case 'class_definition': {
        const bases = field(node, 'superclasses')?.children.map((b) => this.expr(b)) ?? [];
        out.push({ kind: 'class', name: field(node, 'name')?.text ?? '', bases, body: this.blockOf(field(node, 'body')), start, end });
        return;
      }
      case 'return_statement': {
        const value = node.children[0];
        out.push(value === undefined ? { kind: 'return', start, end } : { kind: 'return', value: this.expr(value), start, end });
        return;
      }
      default:
        return; // Imports, pass, del, global, match: nothing a value flows through.
    }
  }

  /** The tests and bodies of a compound statement, with `with ... as x` turned into assignments. */
  private compound(node: SyntaxNode): { tests: FlowExpr[]; body: FlowStatement[] } {
    const tests: FlowExpr[] = [];
    const body: FlowStatement[] = [];
    for (const child of node.children) {
      if (child.type === 'block' || child.type.endsWith('_clause')) {
        if (child.type === 'with_clause') this.withItems(child, body);
        else if (child.type === 'block') body.push(...this.block(child.children));
        else this.statement(child, body);
      } else if (child.field === 'condition' || child.field === 'value') {
        tests.push(this.expr(child));
      }
    }
    return { tests, body };
  }

  private withItems(clause: SyntaxNode, out: FlowStatement[]): void {
    for (const item of clause.children) {
      const value = field(item, 'value');
      if (value === undefined) continue;
      if (value.type === 'as_pattern') {
        const source = value.children.find((c) => c.field !== 'alias');
        const alias = field(value, 'alias')?.children[0];
        if (source !== undefined && alias !== undefined)
          out.push({ kind: 'assign', targets: [this.expr(alias)], value: this.expr(source), start: item.start, end: item.end });
      } else {
        out.push({ kind: 'expression', value: this.expr(value), start: item.start, end: item.end });
      }
    }
  }

  private blockOf(node: SyntaxNode | undefined): FlowStatement[] {
    if (node === undefined) return [];
    return node.type === 'block' ? this.block(node.children) : this.block([node]);
  }

  private assignment(node: SyntaxNode, out: FlowStatement[]): void {
    const targets: FlowExpr[] = [];
    let current: SyntaxNode | undefined = node;
    let value: SyntaxNode | undefined;
    // `a = b = value` nests assignments on the right.
    while (current !== undefined) {
      const left = field(current, 'left');
      if (left !== undefined) targets.push(this.expr(left));
      const right: SyntaxNode | undefined = field(current, 'right');
      if (right?.type === 'assignment') current = right;
      else {
        value = right;
        current = undefined;
      }
    }
    if (value === undefined) return;
    const statement: FlowStatement = { kind: 'assign', targets, value: this.expr(value), start: node.start, end: node.end };
    if (node.type === 'augmented_assignment') {
      const left = field(node, 'left');
      statement.operator = left === undefined ? '=' : this.lines.slice(left.end, value.start).trim();
    }
    out.push(statement);
  }

  expr(node: SyntaxNode): FlowExpr {
    const { start, end } = node;
    switch (node.type) {
      case 'identifier':
        return { kind: 'name', name: node.text, start, end };
      case 'attribute': {
        const object = field(node, 'object');
        const attribute = field(node, 'attribute')?.text ?? '';
        return object === undefined ? this.other(node) : { kind: 'attribute', object: this.expr(object), attribute, start, end };
      }
      case 'subscript': {
        const value = field(node, 'value');
        if (value === undefined) return this.other(node);
        return { kind: 'subscript', object: this.expr(value), index: fields(node, 'subscript').map((s) => this.expr(s)), start, end };
      }
      case 'slice':
        return this.slice(node);
      case 'call': {
        const callee = field(node, 'function');
        const list = field(node, 'arguments');
        if (callee === undefined) return this.other(node);
        const items = list === undefined ? [] : list.type === 'argument_list' ? codeChildren(list) : [list];
        return { kind: 'call', callee: this.expr(callee), args: items.map((item) => this.argument(item)), start, end };
      }
      case 'parenthesized_expression': {
        const inner = codeChildren(node)[0];
        return inner === undefined ? this.other(node) : this.expr(inner);
      }
      case 'dictionary': {
        const items: FlowExpr[] = [];
        const keys: (string | number | undefined)[] = [];
        for (const pair of node.children) {
          for (const value of pair.children.filter((c) => c.field === 'value')) {
            const key = this.expr(pair.children.find((c) => c.field === 'key') ?? value);
            items.push(this.expr(value));
            keys.push(key.kind === 'string' || key.kind === 'number' ? key.value : undefined);
          }
        }
        return { kind: 'dict', items, keys, start, end };
      }
      case 'string':
        return { kind: 'string', value: stringValue(this.lines.slice(start, end)), start, end };
      case 'integer':
      case 'float':
        return { kind: 'number', value: Number(this.lines.slice(start, end).replace(/_/g, '')), start, end };
      case 'true':
      case 'false':
      case 'none':
        return { kind: 'constant', value: node.type === 'true' ? 'True' : node.type === 'false' ? 'False' : 'None', start, end };
      case 'list_splat':
      case 'list_splat_pattern': {
        const inner = node.children[0];
        return inner === undefined ? this.other(node) : { kind: 'starred', value: this.expr(inner), start, end };
      }
      case 'binary_operator':
      case 'comparison_operator':
      case 'boolean_operator': {
        const operands = codeChildren(node).map((c) => this.expr(c));
        const [a, b] = codeChildren(node);
        const operator = a !== undefined && b !== undefined ? this.lines.slice(a.end, b.start).trim() : '';
        return { kind: 'operator', operator, operands, start, end };
      }
      case 'unary_operator':
      case 'not_operator':
        return {
          kind: 'operator',
          operator: this.lines.slice(start, codeChildren(node)[0]?.start ?? end).trim(),
          operands: codeChildren(node).map((c) => this.expr(c)),
          start,
          end,
        };
      case 'lambda': {
        const body = field(node, 'body');
        return { kind: 'lambda', params: parameterNames(field(node, 'parameters')), ...(body === undefined ? {} : { body: this.expr(body) }), start, end };
      }
      default: {
        const container = CONTAINERS[node.type];
        if (container !== undefined) return { kind: container, items: codeChildren(node).map((c) => this.expr(c)), start, end };
        return this.other(node);
      }
    }
  }

  private other(node: SyntaxNode): FlowExpr {
    return {
      kind: 'other',
      type: node.type,
      parts: codeChildren(node)
        .filter((c) => c.named)
        .map((c) => this.expr(c)),
      start: node.start,
      end: node.end,
    };
  }

  private argument(item: SyntaxNode): FlowArgument {
    if (item.type === 'keyword_argument') {
      const value = field(item, 'value');
      const keyword = field(item, 'name')?.text ?? '';
      return { keyword, value: value === undefined ? this.other(item) : this.expr(value) };
    }
    if (item.type === 'list_splat' || item.type === 'dictionary_splat') {
      const inner = item.children[0];
      return { unpack: item.type === 'list_splat' ? '*' : '**', value: inner === undefined ? this.other(item) : this.expr(inner) };
    }
    return { value: this.expr(item) };
  }

  /**
   * The copied tree drops the `:` tokens of a slice, so which bound each child is comes from
   * counting the colons in the source between the children: `[:n]` and `[n:]` both have one child.
   */
  private slice(node: SyntaxNode): FlowExpr {
    const parts: (FlowExpr | undefined)[] = [undefined, undefined, undefined];
    let position = 0;
    let cursor = node.start;
    for (const child of node.children) {
      position += countColons(this.lines.slice(cursor, child.start));
      if (position < 3) parts[position] = this.expr(child);
      cursor = child.end;
    }
    const [lower, upper, step] = parts;
    return {
      kind: 'slice',
      ...(lower === undefined ? {} : { lower }),
      ...(upper === undefined ? {} : { upper }),
      ...(step === undefined ? {} : { step }),
      start: node.start,
      end: node.end,
    };
  }
}

/**
 * A node's children without comments: tree-sitter attaches a comment inside brackets (a list
 * item's note, a commented-out argument) to the enclosing node, where it would count as an item.
 */
function codeChildren(node: SyntaxNode): SyntaxNode[] {
  return node.children.filter((c) => c.type !== 'comment');
}

function countColons(text: string): number {
  let count = 0;
  for (const char of text) if (char === ':') count++;
  return count;
}

/** The text of a simple string literal without prefix and quotes (escapes are left as written). */
function stringValue(literal: string): string {
  const match = /^[A-Za-z]*("""|'''|"|')([\s\S]*)\1$/.exec(literal);
  return match?.[2] ?? literal;
}

/** Parameter names in order (`self` included); splats and defaults reduced to their names. */
function parameterNames(parameters: SyntaxNode | undefined): string[] {
  const names: string[] = [];
  for (const param of parameters?.children ?? []) {
    const id =
      param.type === 'identifier'
        ? param
        : param.type === 'default_parameter' || param.type === 'typed_default_parameter'
          ? field(param, 'name')
          : param.type === 'typed_parameter' || param.type === 'list_splat_pattern' || param.type === 'dictionary_splat_pattern'
            ? param.children.find((c) => c.type === 'identifier')
            : undefined;
    if (id !== undefined)
      names.push(param.type === 'list_splat_pattern' ? `*${id.text}` : param.type === 'dictionary_splat_pattern' ? `**${id.text}` : id.text);
  }
  return names;
}
