/**
 * Function, lambda and class definitions: what they evaluate at definition time (decorators,
 * defaults, annotations, base classes) in the enclosing scope, and the new scope their body opens.
 */
import type { Extractor } from './extract';
import type { FunctionFacts, ParameterItem, ParameterList } from './facts';
import { collectBindings, Scope, targetNames } from './scopes';
import { field, type SyntaxNode } from './syntax-tree';

/**
 * Visits a `def`: its defaults and annotations now, its body in a new function scope, then binds
 * its name. `decorated` is the surrounding decorated_definition, whose decorators the caller
 * has already visited.
 */
export function visitFunction(ex: Extractor, node: SyntaxNode, decorated: SyntaxNode | undefined): void {
  const nameNode = field(node, 'name');
  const parameters = field(node, 'parameters');
  const params = parameters === undefined ? [] : visitParameters(ex, parameters);
  const returnType = field(node, 'return_type');
  if (returnType !== undefined) ex.visit(returnType);
  const outer = ex.scope;
  const name = nameNode?.text ?? '';
  const whole = decorated ?? node;
  const fn: FunctionFacts = {
    name: outer.kind === 'class' ? `${outer.qualName}.${name}` : name,
    kind: outer.kind === 'class' ? 'method' : ex.functionStack.length > 0 ? 'nested' : 'def',
    nameRange: ex.lines.range(nameNode?.start ?? node.start, nameNode?.end ?? node.start),
    range: ex.lines.range(whole.start, whole.end),
    params,
    ...(parameters === undefined ? {} : { parameterList: parameterList(parameters) }),
    globalReads: [],
  };
  visitBody(ex, fn, field(node, 'body'));
  if (nameNode !== undefined) ex.bind(nameNode, 'def', whole.end);
}

/** Visits a lambda: defaults now, the body in its own function scope. */
export function visitLambda(ex: Extractor, node: SyntaxNode): void {
  const parameters = field(node, 'parameters');
  const params = parameters === undefined ? [] : visitParameters(ex, parameters);
  const fn: FunctionFacts = {
    name: '<lambda>',
    kind: 'lambda',
    nameRange: ex.lines.range(node.start, node.start + 'lambda'.length),
    range: ex.lines.range(node.start, node.end),
    params,
    globalReads: [],
  };
  visitBody(ex, fn, field(node, 'body'));
}

/**
 * Visits a class: decorators (by the caller) and bases now, then the body, which also runs now
 * but in a namespace its methods cannot see.
 */
export function visitClass(ex: Extractor, node: SyntaxNode, decorated: SyntaxNode | undefined): void {
  const nameNode = field(node, 'name');
  const superclasses = field(node, 'superclasses');
  if (superclasses !== undefined) ex.visit(superclasses);
  const outer = ex.scope;
  const name = nameNode?.text ?? '';
  const scope = new Scope('class', outer, outer.kind === 'class' ? `${outer.qualName}.${name}` : name);
  const body = field(node, 'body');
  if (body !== undefined) ex.inScope(scope, () => ex.visit(body));
  if (nameNode !== undefined) ex.bind(nameNode, 'class', (decorated ?? node).end);
}

function visitBody(ex: Extractor, fn: FunctionFacts, body: SyntaxNode | undefined): void {
  ex.facts.functions.push(fn);
  const scope = new Scope('function', ex.scope);
  for (const param of fn.params) scope.locals.add(param);
  if (body === undefined) return;
  collectBindings(body, scope);
  ex.functionStack.push(fn);
  try {
    ex.inScope(scope, () => ex.visit(body));
  } finally {
    ex.functionStack.pop();
  }
}

/**
 * Returns the parameter names in order and visits what a definition evaluates immediately:
 * default values and annotations (string annotations contain no reads and so are skipped).
 */
function visitParameters(ex: Extractor, parameters: SyntaxNode): string[] {
  const names: string[] = [];
  const addName = (node: SyntaxNode | undefined): void => {
    if (node === undefined) return;
    if (node.type === 'identifier') names.push(node.text);
    else if (node.type === 'list_splat_pattern' || node.type === 'dictionary_splat_pattern') addName(node.children[0]);
    else for (const id of targetNames(node)) names.push(id.text); // Python 2 tuple parameters.
  };
  for (const param of parameters.children) {
    switch (param.type) {
      case 'keyword_separator':
      case 'positional_separator':
        break;
      case 'default_parameter':
      case 'typed_default_parameter':
        addName(field(param, 'name'));
        for (const part of param.children) if (part.field === 'type' || part.field === 'value') ex.visit(part);
        break;
      case 'typed_parameter':
        addName(param.children.find((c) => c.field !== 'type'));
        for (const part of param.children) if (part.field === 'type') ex.visit(part);
        break;
      default:
        addName(param);
    }
  }
  return names;
}

const PARAMETER_KINDS: Readonly<Record<string, ParameterItem['kind']>> = {
  default_parameter: 'default',
  typed_default_parameter: 'default',
  keyword_separator: '*',
  list_splat_pattern: '*args',
  dictionary_splat_pattern: '**kwargs',
  positional_separator: '/',
};

/** The entries of a `def`'s `parameters` node, each with its kind and span. */
function parameterList(parameters: SyntaxNode): ParameterList {
  const items: ParameterItem[] = [];
  for (const param of parameters.children) {
    if (param.type === 'comment') continue;
    // `*args: int` is a typed parameter around the splat.
    const inner = param.type === 'typed_parameter' ? param.children.find((c) => c.field !== 'type') : param;
    items.push({ kind: PARAMETER_KINDS[inner?.type ?? ''] ?? 'plain', start: param.start, end: param.end });
  }
  return { start: parameters.start, end: parameters.end, items };
}
