/**
 * Statements with their own binding rules (with, except, case, import, del), as functions over
 * the Extractor so that extract.ts stays a readable dispatcher.
 */
import type { Extractor } from './extract';
import { importBinding, walkPattern } from './scopes';
import { field, fields, type SyntaxNode } from './syntax-tree';

/** `with a as b, c as (d, e):` binds its targets when the body starts. */
export function visitWith(ex: Extractor, node: SyntaxNode): void {
  const body = field(node, 'body');
  const bindOffset = body?.start ?? node.end;
  for (const clause of node.children) {
    if (clause.type !== 'with_clause') continue;
    for (const item of clause.children) {
      const value = field(item, 'value');
      if (value === undefined) continue;
      if (value.type !== 'as_pattern') {
        ex.visit(value);
        continue;
      }
      for (const part of value.children) if (part.field !== 'alias') ex.visit(part);
      const alias = field(value, 'alias');
      if (alias !== undefined) ex.bindTarget(alias, 'with', bindOffset);
    }
  }
  if (body !== undefined) ex.visit(body);
}

/** `except E as e:` reads `E` and binds `e` when the handler starts. */
export function visitExcept(ex: Extractor, node: SyntaxNode): void {
  const block = node.children.find((c) => c.type === 'block');
  for (const child of node.children) {
    if (child === block) continue;
    if (child.type !== 'as_pattern') {
      ex.visit(child);
      continue;
    }
    for (const part of child.children) if (part.field !== 'alias') ex.visit(part);
    const alias = field(child, 'alias');
    if (alias !== undefined) ex.bindTarget(alias, 'except', block?.start ?? node.end);
  }
  if (block !== undefined) ex.visit(block);
}

/** A `case` clause: value patterns and class names are read, captures bound. */
export function visitCase(ex: Extractor, node: SyntaxNode): void {
  // Captures bind as soon as the pattern matches, before the guard runs.
  for (const child of node.children) {
    if (child.type === 'case_pattern')
      walkPattern(
        child,
        (id) => ex.bind(id, 'assign', child.end),
        (expr) => ex.visit(expr),
      );
    else ex.visit(child);
  }
}

/** Import statements bind names; at module scope they also produce ImportFacts. */
export function visitImport(ex: Extractor, node: SyntaxNode): void {
  const moduleNode = field(node, 'module_name');
  const fromModule = moduleNode === undefined ? undefined : ex.sourceText(moduleNode);
  const atModule = ex.scope.kind === 'module';
  for (const item of fields(node, 'name')) {
    const nameNode = item.type === 'aliased_import' ? field(item, 'name') : item;
    const bound = importBinding(item);
    if (nameNode === undefined || bound === undefined) continue;
    ex.bind(bound, 'import', node.end);
    if (!atModule) continue;
    const dotted = ex.sourceText(nameNode);
    const fact = fromModule === undefined ? { module: dotted, boundName: bound.text } : { module: fromModule, member: dotted, boundName: bound.text };
    ex.facts.imports.push({ ...fact, range: ex.lines.range(item.start, item.end) });
  }
  const star = node.children.find((c) => c.type === 'wildcard_import');
  if (star !== undefined && atModule && fromModule !== undefined) {
    const range = ex.lines.range(star.start, star.end);
    ex.facts.defs.push({
      name: '*',
      kind: 'star-import',
      range,
      deferred: false,
      offset: star.start,
      statementStart: ex.top?.start ?? node.start,
      bindOffset: node.end,
    });
    ex.facts.imports.push({ module: fromModule, member: '*', boundName: '*', range });
  }
}

/** `del` unbinds names and removes items: both are recorded as `del` mutations of globals. */
export function visitDelete(ex: Extractor, node: SyntaxNode): void {
  const visitTarget = (target: SyntaxNode): void => {
    if (target.type === 'identifier') return ex.mutate(target, 'del', node);
    if (target.type === 'attribute' || target.type === 'subscript') {
      ex.visit(target);
      return ex.mutate(target, 'del', node);
    }
    if (['expression_list', 'tuple', 'list', 'parenthesized_expression'].includes(target.type)) {
      for (const child of target.children) visitTarget(child);
    } else {
      ex.visit(target);
    }
  };
  for (const child of node.children) visitTarget(child);
}
