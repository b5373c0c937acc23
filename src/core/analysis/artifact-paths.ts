/**
 * Which artifact files a notebook loads and writes, with their paths resolved statically from
 * string literals, f-strings and globals bound to them, `os.path.join`, `Path(...)` and `/`.
 * A path that cannot be resolved is kept as `undefined`, so callers can lower their confidence
 * instead of guessing.
 */
import { posix } from 'node:path';
import type { Call } from '../python/facts';
import { offsetAt } from '../notebook/positions';
import type { AnalysedCell, AnalysedNotebook } from './analysed-notebook';
import { assignedValue } from './assigned-values';
import { ARTIFACT_LOADERS, ARTIFACT_WRITERS, FILE_OPENERS, modeArgument, type ArtifactCall, type PathArgument } from './artifact-io';
import { digest, perCell } from './memo';
import { importTarget } from './qualified-names';
import type { FlowExpr } from '../python/flow';
import { assignmentsByStart, dottedParts, expressionAt } from '../python/expressions';
import { isFString, stringValue } from '../python/strings';

/** One load or write of a file. */
export interface ArtifactAccess {
  cell: number;
  call: Call;
  /** The table entry's name: `joblib.load`, or `.save` for method entries. */
  api: string;
  /** The normalized path, or undefined when it cannot be resolved statically. */
  path: string | undefined;
  /** Whether the table limits this API to artifact extensions (`np.load`). */
  artifactsOnly: boolean;
}

/** Everything the notebook reads and writes, plus the text of shell and magic lines (`!wget ...`). */
export interface ArtifactIo {
  loads: ArtifactAccess[];
  writes: ArtifactAccess[];
  shellLines: string[];
}

const JOINERS: ReadonlySet<string> = new Set([
  'os.path.join',
  'posixpath.join',
  'ntpath.join',
  'pathlib.Path',
  'pathlib.PurePath',
  'pathlib.PosixPath',
  'Path',
]);
const PASS_THROUGH: ReadonlySet<string> = new Set(['str', 'os.fspath']);
const WRITE_MODE = /[wax+]/;

/** Finds every artifact load and file write in the notebook. */
export function artifactIo(analysed: AnalysedNotebook): ArtifactIo {
  const resolver = new PathResolver(analysed);
  const context = resolver.matchKey;
  const io: ArtifactIo = { loads: [], writes: [], shellLines: [] };
  for (const cell of analysed.cells) {
    const found = cellIo(cell, context, resolver);
    if (found === undefined) continue;
    io.shellLines.push(...found.shellLines);
    for (const { call, loader, writer, opener } of found.calls) {
      const access = (entry: ArtifactCall, path: string | undefined): ArtifactAccess => ({
        cell: cell.cell.index,
        call,
        api: entry.api ?? `.${entry.method ?? ''}`,
        path,
        artifactsOnly: entry.artifactsOnly === true,
      });
      // Paths may name globals of other cells: resolved here, for the calls that matched.
      if (loader) io.loads.push(access(loader, resolver.pathOf(cell, call, loader.path)));
      if (writer) io.writes.push(access(writer, resolver.pathOf(cell, call, writer.path)));
      if (opener) {
        const mode = resolver.argumentExpr(cell, call, modeArgument(opener));
        const value = mode === undefined ? 'r' : resolver.evaluate(cell, mode);
        if (value === undefined || WRITE_MODE.test(value)) io.writes.push(access(opener, resolver.pathOf(cell, call, opener.path)));
      }
    }
  }
  return io;
}

/** A cell's calls that load, write or open files (with their table entries), and its shell lines. */
interface CellIo {
  calls: { call: Call; loader?: ArtifactCall; writer?: ArtifactCall; opener?: ArtifactCall }[];
  shellLines: string[];
}

/** Which calls of a cell are loads, writes and opens: they depend on the cell and `PathResolver.matchKey` alone. */
const cellIo = perCell(({ cell, facts }, resolver: PathResolver): CellIo => {
  const calls: CellIo['calls'] = [];
  for (const call of facts.calls) {
    const loader = resolver.firstMatch(ARTIFACT_LOADERS, call);
    const writer = resolver.firstMatch(ARTIFACT_WRITERS, call);
    const opener = resolver.firstMatch(FILE_OPENERS, call);
    if (loader || writer || opener) calls.push({ call, ...(loader ? { loader } : {}), ...(writer ? { writer } : {}), ...(opener ? { opener } : {}) });
  }
  return { calls, shellLines: shellLines(cell.source) };
});

/** Positions of a table's entries by qualified name (`api`) and by method name. */
interface TableIndex {
  api: Map<string, number[]>;
  method: Map<string, number[]>;
}

const tableIndexes = new WeakMap<readonly ArtifactCall[], TableIndex>();

function tableIndex(table: readonly ArtifactCall[]): TableIndex {
  let index = tableIndexes.get(table);
  if (index === undefined) {
    const built: TableIndex = { api: new Map(), method: new Map() };
    table.forEach((entry, position) => {
      const [map, key] = entry.api !== undefined ? [built.api, entry.api] : [built.method, entry.method ?? ''];
      map.set(key, [...(map.get(key) ?? []), position]);
    });
    tableIndexes.set(table, (index = built));
  }
  return index;
}

/** Resolves callees through imports and path expressions to strings. */
class PathResolver {
  private readonly imports = new Map<string, string>();
  private readonly resolving = new Set<string>();
  private readonly qualifiedCache = new Map<string, string | undefined>();

  constructor(private readonly analysed: AnalysedNotebook) {
    for (const cell of analysed.cells) {
      for (const fact of cell.facts?.imports ?? []) {
        if (fact.boundName !== '*') this.imports.set(fact.boundName, importTarget(fact));
      }
    }
  }

  /**
   * Everything outside a call that `matches` reads: the imports, and which of the tables' plain
   * names (builtins such as `open`) the notebook rebinds.
   */
  get matchKey(): string {
    const rebound = [ARTIFACT_LOADERS, ARTIFACT_WRITERS, FILE_OPENERS].flatMap((table) =>
      table.flatMap((e) => (e.api !== undefined && this.analysed.graph.definitions.has(e.api) ? [e.api] : [])),
    );
    return digest(`${[...this.imports].map(([name, target]) => `${name}=${target}`).join(';')}|${rebound.join(';')}`);
  }

  /** The callee with its root replaced by what the notebook imported under that name. */
  qualified(callee: string): string | undefined {
    if (this.qualifiedCache.has(callee)) return this.qualifiedCache.get(callee);
    const qualified = this.qualify(callee);
    this.qualifiedCache.set(callee, qualified);
    return qualified;
  }

  private qualify(callee: string): string | undefined {
    const [root, ...rest] = callee.split('.');
    if (root === undefined || !/^[A-Za-z_]\w*$/.test(root)) return undefined;
    const target = this.imports.get(root);
    return target === undefined ? undefined : [target, ...rest].join('.');
  }

  /**
   * The first entry of `table` that the call is (what `table.find` with `matches` gives), looking
   * only at the entries for its qualified name, its callee and its method name.
   */
  firstMatch(table: readonly ArtifactCall[], call: Call): ArtifactCall | undefined {
    const index = tableIndex(table);
    const qualified = this.qualified(call.callee);
    const candidates = [index.api.get(qualified ?? call.callee), call.method === undefined ? undefined : index.method.get(call.method)];
    let first: number | undefined;
    for (const positions of candidates) {
      for (const position of positions ?? []) {
        if ((first === undefined || position < first) && this.matches(call, table[position]!)) first = position;
      }
    }
    return first === undefined ? undefined : table[first];
  }

  /** Whether a call is the table entry: by qualified name, or by method on a non-module receiver. */
  matches(call: Call, entry: ArtifactCall): boolean {
    if (entry.api !== undefined) {
      const qualified = this.qualified(call.callee);
      if (qualified !== undefined) return qualified === entry.api;
      // Builtins such as `open` need no import.
      return call.callee === entry.api && !this.analysed.graph.definitions.has(entry.api);
    }
    if (call.method !== entry.method || !call.callee.endsWith(`.${entry.method}`)) return false;
    return call.root === undefined || !this.imports.has(call.root);
  }

  /**
   * The expression of the call's argument at `where` (for `via: 'receiver'` the object the method
   * is called on), if it is passed and the cell's flow view holds it.
   */
  argumentExpr(cell: AnalysedCell, call: Call, where: PathArgument): FlowExpr | undefined {
    const python = cell.python ?? '';
    const flow = cell.facts?.flow ?? [];
    const at = (range: Call['range']): FlowExpr | undefined => expressionAt(flow, offsetAt(python, range.start), offsetAt(python, range.end));
    if (where.via === 'receiver') {
      const callee = at(call.calleeRange);
      return callee?.kind === 'attribute' ? callee.object : undefined;
    }
    let argument = call.args.find((a) => a.keyword === where.keyword);
    if (argument === undefined) {
      const positional = call.args.filter((a) => a.keyword === undefined);
      if (positional.slice(0, where.index + 1).some((a) => a.unpack !== undefined)) return undefined;
      argument = positional[where.index];
    }
    return argument === undefined ? undefined : at(argument.range);
  }

  /** The normalized path a call reads or writes at `where`, or undefined when not resolvable. */
  pathOf(cell: AnalysedCell, call: Call, where: PathArgument): string | undefined {
    const argument = this.argumentExpr(cell, call, where);
    if (argument === undefined) return undefined;
    const raw = where.via === 'file' ? this.openedPath(cell, argument) : this.evaluate(cell, argument);
    return raw === undefined ? undefined : normalizePath(raw);
  }

  /**
   * The path behind a file object: `open(p, "rb")` inline, or the name bound by the nearest
   * `with open(p) as f` / `f = open(p)` before the use in the same cell.
   */
  private openedPath(cell: AnalysedCell, argument: FlowExpr): string | undefined {
    const python = cell.python ?? '';
    const calls = cell.facts?.calls ?? [];
    const openerOf = (call: Call): ArtifactCall | undefined => this.firstMatch(FILE_OPENERS, call);
    const inline = calls.find((c) => offsetAt(python, c.range.start) === argument.start && openerOf(c) !== undefined);
    if (inline !== undefined) return this.pathOf(cell, inline, (openerOf(inline) as ArtifactCall).path);
    if (argument.kind !== 'name') return undefined;
    const name = argument.name;
    // Where `name` is bound to a value: `f = open(p)`, and `with open(p) as f` (an assignment in the flow view).
    const boundValues = new Set<number>();
    for (const statement of assignmentsByStart(cell.facts?.flow ?? []).values()) {
      if (statement.targets.some((t) => t.kind === 'name' && t.name === name)) boundValues.add(statement.value.start);
    }
    const bound = calls
      .filter((c) => offsetAt(python, c.range.end) <= argument.start && openerOf(c) !== undefined && boundValues.has(offsetAt(python, c.range.start)))
      .at(-1);
    return bound === undefined ? undefined : this.pathOf(cell, bound, (openerOf(bound) as ArtifactCall).path);
  }

  /** The string value of an expression of a cell, or undefined when it is not a path we can resolve. */
  evaluate(cell: AnalysedCell, expr: FlowExpr): string | undefined {
    switch (expr.kind) {
      case 'string': {
        const literal = (cell.python ?? '').slice(expr.start, expr.end);
        return isFString(literal) ? this.fString(cell, expr.start, literal) : stringValue(literal);
      }
      case 'other': {
        // Adjacent literals concatenate: `"models/" "m.pkl"`.
        if (expr.type !== 'concatenated_string') return undefined;
        const parts = expr.parts.map((part) => this.evaluate(cell, part));
        return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
      }
      case 'operator': {
        const [left, right, ...more] = expr.operands;
        if ((expr.operator !== '/' && expr.operator !== '+') || left === undefined || right === undefined || more.length > 0) return undefined;
        const a = this.evaluate(cell, left);
        const b = a === undefined ? undefined : this.evaluate(cell, right);
        return a === undefined || b === undefined ? undefined : expr.operator === '/' ? `${a}/${b}` : a + b;
      }
      case 'name':
        return this.global(cell, expr.start, expr.name);
      case 'call': {
        const dotted = dottedParts(expr.callee)?.join('.');
        if (dotted === undefined) return undefined;
        const callee = this.qualified(dotted) ?? dotted;
        const values: string[] = [];
        for (const argument of expr.args) {
          const value = argument.keyword === undefined && argument.unpack === undefined ? this.evaluate(cell, argument.value) : undefined;
          if (value === undefined) return undefined;
          values.push(value);
        }
        if (JOINERS.has(callee)) return values.length === 0 ? '.' : values.join('/');
        if (PASS_THROUGH.has(callee) && values.length === 1) return values[0];
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** `f"{MODEL_DIR}/m.pkl"` with plain global names inside the braces. */
  private fString(cell: AnalysedCell, offset: number, literal: string): string | undefined {
    const quote = literal.search(/['"]/);
    const closer = literal.startsWith(literal[quote]?.repeat(3) ?? '', quote) ? 3 : 1;
    const body = literal.slice(quote + closer, literal.length - closer);
    let result = '';
    const pattern = /\{\{|\}\}|\{([^{}]*)\}|([^{}]+)/g;
    for (let match = pattern.exec(body); match !== null; match = pattern.exec(body)) {
      if (match[0] === '{{' || match[0] === '}}') result += match[0][0];
      else if (match[2] !== undefined) result += match[2];
      else {
        const name = /^\s*([A-Za-z_]\w*)\s*$/.exec(match[1] ?? '');
        if (name === null) return undefined;
        const at = offset + quote + closer + match.index + match[0].indexOf(name[1] as string);
        const value = this.global(cell, at, name[1] as string);
        if (value === undefined) return undefined;
        result += value;
      }
    }
    return /[\\{}]/.test(body.replace(/\{\{|\}\}|\{[^{}]*\}/g, '')) ? undefined : result;
  }

  /** The string a global holds when every binding of it resolves to the same string. */
  private global(cell: AnalysedCell, offset: number, name: string): string | undefined {
    // Only a read that resolves to the notebook's globals (not a function local) can be looked up.
    if (!(cell.facts?.uses ?? []).some((u) => u.name === name && u.offset === offset)) return undefined;
    const definitions = this.analysed.graph.definitions.get(name) ?? [];
    if (definitions.length === 0 || this.resolving.has(name)) return undefined;
    this.resolving.add(name);
    try {
      const values = definitions.map((d) => {
        const value = assignedValue(this.analysed, d);
        const home = this.analysed.cells[d.cell];
        return value === undefined || home === undefined ? undefined : this.evaluate(home, value.expr);
      });
      const [first] = values;
      return first !== undefined && values.every((v) => v === first) ? first : undefined;
    } finally {
      this.resolving.delete(name);
    }
  }
}

/** `./models//m.pkl` and `models/m.pkl` are the same file; Windows separators become `/`. */
export function normalizePath(path: string): string {
  return posix.normalize(path.replace(/\\/g, '/'));
}

/** Shell escapes and magics (`!wget ...`, `%%bash`), whose writes cannot be parsed. */
function shellLines(source: string): string[] {
  if (/^\s*%%/.test(source)) return [source];
  return source.split(/\r\n|\r|\n/).filter((line) => /^\s*[!%]/.test(line) || /=\s*!/.test(line));
}
