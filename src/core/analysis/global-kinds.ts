/**
 * What kind of value each notebook global holds, judged from every way the notebook binds it.
 * NB106 asks "does this function read DATA from the notebook?" and NB107 asks "is this receiver
 * a container or a module?"; both need the same answer, computed once per notebook here.
 *
 * The choices, each a guess from syntax alone:
 * - `import x`, `from m import x` bind a module or a library member: `module`.
 * - `def f` and `f = lambda ...`, `f = partial(...)`: `function`; `class C`: `class`.
 * - `g = f` or `sqrt = math.sqrt` (a bare dotted name): the kind of what it names.
 * - An ALL_CAPS name bound exactly once at cell level and never changed in place: `constant`,
 *   whatever its value (`FEATURES = ["a", "b"]` is configuration by convention). A single
 *   capital (`X`, `N`) is not ALL_CAPS: by ML habit `X` is the feature matrix.
 * - A configured object that keeps no rows (`logging.getLogger(...)`, `re.compile(...)`, an
 *   optimizer, a loss, a device; see libraries/configuration.ts): `tool`.
 * - A value built only from literals, other configuration, sizes and paths, never changed in
 *   place: `config`. Literals (`lr = 0.01`, `cols = ["a", "b"]`, `params = {"a": 1}`),
 *   unpacked enums (`a, b = range(2)`), paths (`os.path.join("data", "x.csv")`) and sizes
 *   derived from data (`n = X.shape[0]`, `vocab_size = len(vocab)`).
 * - Everything else is `data`: call results (`pd.read_csv(...)`, `LogisticRegression()`),
 *   loop and `with` targets, augmented assignments, magics, names mutated in place.
 * A name with any `data` binding holds data; otherwise any `config` binding makes it `config`.
 */
import type { AnalysedNotebook } from './analysed-notebook';
import { assignedValue, unpackedValue } from './assigned-values';
import { configurationRole, SIZE_ATTRIBUTES, type ConfigurationRole } from './libraries/configuration';
import type { GlobalDefinition } from './graph';
import { perAnalysis } from './memo';
import type { FlowExpr } from '../python/flow';
import { dottedParts, subExpressions } from '../python/expressions';
import { nameResolver } from './qualified-names';

/** The kind of value a global holds. */
export type GlobalKind = 'module' | 'function' | 'class' | 'constant' | 'tool' | 'config' | 'data';

/** Callees whose result is a function (`partial(f, x=1)`). */
const FUNCTION_FACTORIES: ReadonlySet<string> = new Set(['partial', 'functools.partial', 'np.vectorize', 'numpy.vectorize']);

// Two characters at least: a lone `X` or `N` is the feature matrix or a row count by ML habit, not a constant.
const ALL_CAPS = /^_*[A-Z][A-Z0-9_]+$/;

/** The kinds of one analysed notebook's globals, shared by every rule that asks during its analysis. */
export const globalKinds = perAnalysis((analysed) => new GlobalKinds(analysed));

/** Memoised kinds of the globals of one analysed notebook. */
export class GlobalKinds {
  private readonly kinds = new Map<string, GlobalKind | undefined>();
  private readonly mutated: Set<string>;

  constructor(private readonly analysed: AnalysedNotebook) {
    this.mutated = new Set(analysed.cells.flatMap((c) => c.facts?.mutations.map((m) => m.name) ?? []));
  }

  /** The kind of `name`, or undefined when no cell binds it (builtins, undefined names). */
  kindOf(name: string): GlobalKind | undefined {
    if (this.kinds.has(name)) return this.kinds.get(name);
    // A name that refers to itself through aliases (`a = b; b = a`) is data, not a loop.
    this.kinds.set(name, 'data');
    const kind = this.compute(name);
    this.kinds.set(name, kind);
    return kind;
  }

  /** True when `name` is bound by the notebook to data (see the module comment). */
  holdsData(name: string): boolean {
    return this.kindOf(name) === 'data';
  }

  /** True when `name` holds a value the notebook made (data, configuration or a tool), not a module, function, class or constant. */
  holdsValue(name: string): boolean {
    const kind = this.kindOf(name);
    return kind === 'data' || kind === 'config' || kind === 'tool';
  }

  private compute(name: string): GlobalKind | undefined {
    const definitions = this.analysed.graph.definitions.get(name);
    if (definitions === undefined || definitions.length === 0) return undefined;
    const [only] = definitions;
    if (ALL_CAPS.test(name) && only !== undefined && definitions.length === 1 && !only.deferred && !this.mutated.has(name)) {
      const kind = this.bindingKind(only);
      return kind === 'data' || kind === 'config' ? 'constant' : kind;
    }
    let first: GlobalKind | undefined;
    let config = false;
    for (const definition of definitions) {
      const kind = this.bindingKind(definition);
      if (kind === 'data') return 'data';
      config ||= kind === 'config';
      first ??= kind;
    }
    // Configuration changed in place (`cols.append(c)`) is state, not a setting.
    if (config || first === 'tool') return this.mutated.has(name) ? 'data' : config ? 'config' : first;
    return first;
  }

  private bindingKind(definition: GlobalDefinition): GlobalKind {
    switch (definition.kind) {
      case 'import':
      case 'star-import':
        return 'module';
      case 'def':
        return 'function';
      case 'class':
        return 'class';
      case 'assign':
        return this.valueKind(definition);
      default:
        return 'data';
    }
  }

  private valueKind(definition: GlobalDefinition): GlobalKind {
    const value = assignedValue(this.analysed, definition);
    if (value === undefined) {
      const unpacked = unpackedValue(this.analysed, definition);
      return unpacked === undefined ? 'data' : this.expressionKind(definition.cell, unpacked.expr);
    }
    const expr = value.expr;
    if (expr.kind === 'lambda') return 'function';
    // `True`, `None` read as names here: a name bound to one holds whatever the flag says, data.
    const dotted = expr.kind === 'constant' ? [expr.value] : dottedParts(expr);
    if (dotted !== undefined) {
      const [first] = dotted as [string];
      const root = this.kindOf(first);
      // A module's attribute is a function or class of that library; a data object's is data.
      if (root === 'constant') return 'config';
      return root === undefined ? 'data' : root === 'module' && dotted.length > 1 ? 'function' : root;
    }
    if (expr.kind === 'call' && FUNCTION_FACTORIES.has(dottedParts(expr.callee)?.join('.') ?? '')) return 'function';
    return this.expressionKind(definition.cell, expr);
  }

  /**
   * `tool` for a value that is one call of a configured object, `config` for one built only
   * from literals, names that hold configuration, sizes and configuration builders, `data` for
   * anything else (see libraries/configuration.ts). Method calls on values are data: their
   * result can be anything.
   */
  private expressionKind(cell: number, value: FlowExpr): GlobalKind {
    const resolver = nameResolver(this.analysed);
    let tool = false;
    /** False as soon as a part of the expression holds data. */
    const visit = (expr: FlowExpr): boolean => {
      switch (expr.kind) {
        case 'name':
          return VALUE_WORDS.has(expr.name) || this.holdsSetting(expr.name);
        case 'attribute':
        case 'subscript':
          return chain(expr, undefined) === true;
        case 'call': {
          if (expr.callee.kind !== 'name' && expr.callee.kind !== 'attribute') return visit(expr.callee) && expr.args.every((a) => visit(a.value));
          const role = chain(expr.callee, expr);
          if (role === false) return false;
          if (role === true || role === 'builder') return expr.args.every((a) => visit(a.value));
          tool ||= role === 'tool' && expr === value;
          return true;
        }
        case 'lambda':
          return false;
        case 'other':
          return !NEW_SCOPES.has(expr.type) && expr.parts.every(visit);
        default:
          return subExpressions(expr).every(visit);
      }
    };
    /**
     * A dotted chain (`cfg.lr`, `X.shape[0]`, `os.path.join` when `call` is its call): sizes are
     * configuration whatever they are read from, other chains are what their root name holds,
     * and a called chain is what its configuration role says (false when it has none). A chain
     * that starts after a call or subscript (`f(x).values`) starts at its first attribute.
     */
    const chain = (expr: FlowExpr, call: Extract<FlowExpr, { kind: 'call' }> | undefined): boolean | ConfigurationRole => {
      let head = expr;
      const subscripts: Extract<FlowExpr, { kind: 'subscript' }>[] = [];
      while (head.kind === 'subscript') {
        subscripts.push(head);
        head = head.object;
      }
      const links: { name: string; at: number }[] = [];
      while (head.kind === 'attribute') {
        links.unshift({ name: head.attribute, at: head.end - head.attribute.length });
        head = head.object;
      }
      if (head.kind === 'name') links.unshift({ name: head.name, at: head.start });
      else if (!visit(head)) return false;
      const [root] = links;
      if (root === undefined) return subscripts.every((s) => s.index.every(visit));
      const size = links.findIndex((p, k) => k > 0 && SIZE_ATTRIBUTES.has(p.name));
      // `X.shape[0]`: a size, whatever `X` is; its subscripts are part of it.
      if (size > 0 && !(call !== undefined && subscripts.length === 0 && size === links.length - 1)) return true;
      const rest = subscripts.every((s) => s.index.every(visit));
      if (call === undefined || subscripts.length > 0) return rest && (VALUE_WORDS.has(root.name) || this.holdsSetting(root.name));
      const dotted = links.map((p) => p.name).join('.');
      const qualified = resolver.resolve(dotted, cell, root.at) ?? (this.kindOf(root.name) === undefined ? dotted : undefined);
      return (qualified === undefined ? undefined : configurationRole(qualified)) ?? false;
    };
    return visit(value) ? (tool ? 'tool' : 'config') : 'data';
  }

  /** Whether a name read in a value keeps it configuration: bound by the notebook, and not to data. */
  private holdsSetting(name: string): boolean {
    const kind = this.kindOf(name);
    return kind !== undefined && kind !== 'data';
  }
}

/** Expressions with a scope or a suspension of their own: a value built by them is data. */
const NEW_SCOPES: ReadonlySet<string> = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
  'yield',
  'await',
]);

/** Keywords that are values. */
const VALUE_WORDS: ReadonlySet<string> = new Set(['True', 'False', 'None', '__name__', '__file__']);
