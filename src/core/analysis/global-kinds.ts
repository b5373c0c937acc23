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
 * - Everything else is `data`: call results (`pd.read_csv(...)`, `LogisticRegression()`),
 *   loop and `with` targets, augmented assignments, magics, and lowercase names bound to a
 *   literal (`threshold = 0.5` is still hidden state a function should take as a parameter).
 * A name with any `data` binding holds data.
 */
import type { AnalysedNotebook } from './analysed-notebook';
import { assignedValue } from './assigned-values';
import type { GlobalDefinition } from './graph';
import { perAnalysis } from './memo';
import { matchingClose } from './python-tokens';

/** The kind of value a global holds. */
export type GlobalKind = 'module' | 'function' | 'class' | 'constant' | 'data';

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

  private compute(name: string): GlobalKind | undefined {
    const definitions = this.analysed.graph.definitions.get(name);
    if (definitions === undefined || definitions.length === 0) return undefined;
    const [only] = definitions;
    if (ALL_CAPS.test(name) && only !== undefined && definitions.length === 1 && !only.deferred && !this.mutated.has(name)) {
      const kind = this.bindingKind(only);
      return kind === 'data' ? 'constant' : kind;
    }
    let first: GlobalKind | undefined;
    for (const definition of definitions) {
      const kind = this.bindingKind(definition);
      if (kind === 'data') return 'data';
      first ??= kind;
    }
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
    const first = value?.tokens[0];
    if (value === undefined || first === undefined) return 'data';
    if (first.kind === 'name' && first.text === 'lambda') return 'function';
    const tokens = value.tokens;
    const dotted = tokens.every((t, i) => (i % 2 === 0 ? t.kind === 'name' : t.text === '.'));
    if (dotted && tokens.length % 2 === 1) {
      const root = this.kindOf(first.text);
      // A module's attribute is a function or class of that library; a data object's is data.
      return root === undefined || root === 'constant' ? 'data' : root === 'module' && tokens.length > 1 ? 'function' : root;
    }
    const open = tokens.findIndex((t) => t.kind === 'open');
    const callee = tokens.slice(0, open).map((t) => t.text).join('');
    if (open > 0 && tokens[open]?.text === '(' && FUNCTION_FACTORIES.has(callee) && matchingClose(tokens, open) === tokens.length - 1) {
      return 'function';
    }
    return 'data';
  }
}
