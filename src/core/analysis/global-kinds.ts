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
import { assignedValue, unpackedValue, type AssignedValue } from './assigned-values';
import { configurationRole, SIZE_ATTRIBUTES } from './libraries/configuration';
import type { GlobalDefinition } from './graph';
import { perAnalysis } from './memo';
import { matchingClose, type Token } from './python-tokens';
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
    const first = value?.tokens[0];
    if (value === undefined || first === undefined) {
      const unpacked = unpackedValue(this.analysed, definition);
      return unpacked === undefined ? 'data' : this.expressionKind(definition.cell, unpacked);
    }
    if (first.kind === 'name' && first.text === 'lambda') return 'function';
    const tokens = value.tokens;
    const dotted = tokens.every((t, i) => (i % 2 === 0 ? t.kind === 'name' : t.text === '.'));
    if (dotted && tokens.length % 2 === 1) {
      const root = this.kindOf(first.text);
      // A module's attribute is a function or class of that library; a data object's is data.
      if (root === 'constant') return 'config';
      return root === undefined ? 'data' : root === 'module' && tokens.length > 1 ? 'function' : root;
    }
    const open = tokens.findIndex((t) => t.kind === 'open');
    const callee = tokens.slice(0, open).map((t) => t.text).join('');
    if (open > 0 && tokens[open]?.text === '(' && FUNCTION_FACTORIES.has(callee) && matchingClose(tokens, open) === tokens.length - 1) {
      return 'function';
    }
    return this.expressionKind(definition.cell, value);
  }

  /**
   * `tool` for a value that is one call of a configured object, `config` for one built only
   * from literals, names that hold configuration, sizes and configuration builders, `data` for
   * anything else (see libraries/configuration.ts). Method calls on values are data: their
   * result can be anything.
   */
  private expressionKind(cell: number, value: AssignedValue): GlobalKind {
    const tokens = value.tokens;
    const resolver = nameResolver(this.analysed);
    let tool = false;
    for (let i = 0; i < tokens.length; ) {
      const token = tokens[i] as Token;
      if (token.kind !== 'name') {
        i++;
        continue;
      }
      if (OPERATOR_WORDS.has(token.text)) {
        i++;
        continue;
      }
      if (!VALUE_WORDS.has(token.text) && /^(?:lambda|for|yield|await)$/.test(token.text)) return 'data';
      let end = i;
      const parts = [token.text];
      while (tokens[end + 1]?.text === '.' && tokens[end + 2]?.kind === 'name') {
        parts.push((tokens[end + 2] as Token).text);
        end += 2;
      }
      const next = tokens[end + 1];
      const calls = next?.kind === 'open' && next.text === '(';
      const size = parts.findIndex((p, k) => k > 0 && SIZE_ATTRIBUTES.has(p));
      if (size > 0 && !(calls && size === parts.length - 1)) {
        // `X.shape[0]`: a size, whatever `X` is; skip the chain and its subscripts.
        i = end + 1;
        while (tokens[i]?.kind === 'open' && tokens[i]?.text === '[') i = matchingClose(tokens, i) + 1;
        continue;
      }
      if (calls) {
        const dotted = parts.join('.');
        const root = this.kindOf(token.text);
        const qualified = resolver.resolve(dotted, cell, value.start + token.start) ?? (root === undefined ? dotted : undefined);
        const role = qualified === undefined ? undefined : configurationRole(qualified);
        if (role === undefined) return 'data';
        if (role === 'builder') {
          i = end + 2;
          continue;
        }
        const close = matchingClose(tokens, end + 1);
        tool ||= role === 'tool' && i === 0 && close === tokens.length - 1;
        i = close + 1;
        continue;
      }
      if (!VALUE_WORDS.has(token.text)) {
        const root = this.kindOf(token.text);
        if (root === undefined || root === 'data') return 'data';
      }
      i = end + 1;
    }
    return tool ? 'tool' : 'config';
  }
}

/** Keywords that combine values in an expression. */
const OPERATOR_WORDS: ReadonlySet<string> = new Set(['if', 'else', 'and', 'or', 'not', 'in', 'is']);
/** Keywords that are values. */
const VALUE_WORDS: ReadonlySet<string> = new Set(['True', 'False', 'None', '__name__', '__file__']);
