/**
 * Absolute file paths written into a notebook as string literals (NB110): which strings count
 * as paths, which calls take them, and which of those calls accept `pathlib.Path` objects as
 * well as strings (so that the literal can become `DATA_DIR / "file.csv"` without changing
 * behaviour).
 */
import type { Call } from '../python/facts';
import { offsetAt } from '../notebook/positions';
import type { AnalysedNotebook } from './analysed-notebook';
import { perCell } from './memo';
import type { NameResolver } from './qualified-names';
import { stringLiteralAt, type StringLiteral } from '../python/strings';

/** How a path is anchored. */
export type PathStyle = 'posix' | 'home' | 'windows' | 'unc';

/**
 * Top-level folders that only ever hold a user's or a machine's files. Outside calls known to
 * take paths, a string must start with one of these to count as a path: `"/api/v1/users"` or a
 * route passed to a web framework is not one.
 */
const MACHINE_ROOTS: ReadonlySet<string> = new Set([
  'home',
  'Users',
  'tmp',
  'mnt',
  'media',
  'Volumes',
  'data',
  'datasets',
  'content',
  'kaggle',
  'opt',
  'srv',
  'var',
  'root',
  'workspace',
  'scratch',
  'dbfs',
  'gpfs',
  'nfs',
  'net',
  'shared',
  'projects',
]);

/**
 * Absolute folders that are the same on every machine where the notebook can run, so a path
 * under them does not tie it to one person's disk: the system temp folder (where tutorials
 * download datasets), Kaggle's fixed `/kaggle/input` and `/kaggle/working`, and Colab's
 * `/content` working folder, each also as the bare folder (`Path("/kaggle/input")`, then `/ "x.csv"`).
 * Colab's `/content/drive` is where every Colab machine mounts Google Drive (`drive.mount("/content/drive")`),
 * but a path inside it is one user's Drive, and
 * `/data`, `/mnt`, ... are whatever one machine mounted there: both stay reported.
 */
const SHARED_LAYOUT = /^\/(?:tmp|var\/tmp|kaggle\/(?:input|working|temp)|content(?:\/drive$|(?!\/drive\/)))(?:\/|$)/;

/** Qualified functions that accept `os.PathLike` wherever they take a path. */
const PATH_LIKE_FUNCTIONS: ReadonlySet<string> = new Set([
  'open',
  'pathlib.Path',
  'joblib.dump',
  'joblib.load',
  'numpy.load',
  'numpy.save',
  'numpy.savez',
  'numpy.loadtxt',
  'numpy.savetxt',
  'numpy.genfromtxt',
  'os.listdir',
  'os.makedirs',
  'os.mkdir',
  'os.remove',
  'os.path.exists',
  'os.path.isfile',
  'os.path.isdir',
  'os.path.join',
  'shutil.copy',
  'shutil.copyfile',
  'shutil.move',
  'shutil.rmtree',
  'torch.save',
  'torch.load',
  'matplotlib.pyplot.savefig',
  'PIL.Image.open',
  'sqlite3.connect',
]);

/** Methods on any object that accept `os.PathLike` (pandas writers, `Figure.savefig`). */
const PATH_LIKE_METHODS: ReadonlySet<string> = new Set([
  'to_csv',
  'to_parquet',
  'to_pickle',
  'to_json',
  'to_excel',
  'to_feather',
  'to_hdf',
  'to_stata',
  'savefig',
]);

/** Where an absolute path literal stands. */
export type PathContext = { kind: 'argument'; call: Call; pathLike: boolean } | { kind: 'assignment'; name: string };

/** One absolute path literal. */
export interface AbsolutePath {
  cell: number;
  literal: StringLiteral;
  /** The literal as written (quotes and prefix included). */
  text: string;
  style: PathStyle;
  context: PathContext;
}

/**
 * The style of an absolute path, or undefined when `value` is not one. `known` says whether the
 * string goes to a call known to take a path, where any absolute path counts; elsewhere a POSIX
 * path must start with a machine-specific folder. URLs, device files (`/dev/null`), patterns,
 * templates and paths under folders every machine of a platform shares (SHARED_LAYOUT) are
 * never reported.
 */
export function absolutePathStyle(value: string, known: boolean): PathStyle | undefined {
  if (value.includes('://') || /[\n\r\t^$()[\]{}|+?]/.test(value)) return undefined;
  if (/^[A-Za-z]:[\\/][^\\/]/.test(value)) return 'windows';
  if (/^\\\\[^\\]+\\[^\\]+/.test(value)) return 'unc';
  // Backslash classes (`\d`, `\w`) in a POSIX-looking string make it a regular expression.
  if (/\\[dwsbDWSB]/.test(value)) return undefined;
  if (/^~[\\/][^\\/]/.test(value)) return 'home';
  const posix = /^\/([^/\s][^/]*)\/[^/]/.exec(value);
  if (posix === null || ['dev', 'proc', 'sys'].includes(posix[1] ?? '') || SHARED_LAYOUT.test(value)) return undefined;
  return known || MACHINE_ROOTS.has(posix[1] ?? '') ? 'posix' : undefined;
}

/** Whether a call accepts path-like objects for its path arguments. */
export function takesPathLike(call: Call, qualified: string | undefined, openIsBuiltin: boolean): boolean {
  if (qualified !== undefined) return PATH_LIKE_FUNCTIONS.has(qualified) || qualified.startsWith('pandas.read_');
  if (call.callee === 'open') return openIsBuiltin;
  return call.method !== undefined && call.callee !== call.method && PATH_LIKE_METHODS.has(call.method);
}

/**
 * Every absolute path literal that is a whole call argument or the whole value of a module-level
 * assignment `name = "..."`, in document order.
 */
export function absolutePaths(analysed: AnalysedNotebook, resolver: NameResolver): AbsolutePath[] {
  // What a cell's paths depend on outside the cell: the imports, and whether `open` is the builtin.
  const openIsBuiltin = !analysed.graph.definitions.has('open');
  const context = `${openIsBuiltin}|${resolver.key}`;
  return analysed.cells.flatMap((cell) => cellPaths(cell, context, resolver, openIsBuiltin) ?? []);
}

const cellPaths = perCell(({ cell, python, facts }, resolver: NameResolver, openIsBuiltin: boolean): AbsolutePath[] => {
  const literals = facts.strings.flatMap((s) => {
    const literal = stringLiteralAt(python, s.start, s.end);
    return literal === undefined || /[bf]/.test(literal.prefix) ? [] : [literal];
  });
  if (literals.length === 0) return [];
  const found: AbsolutePath[] = [];
  const byStart = new Map(literals.map((l) => [l.start, l]));
  const seen = new Set<number>();
  for (const call of facts.calls) {
    for (const arg of call.args) {
      const start = offsetAt(python, arg.range.start);
      const literal = byStart.get(start);
      if (literal === undefined || offsetAt(python, arg.range.end) !== literal.end || seen.has(start)) continue;
      const pathLike = takesPathLike(call, resolver.callee(call, cell.index, python), openIsBuiltin);
      const known = pathLike || /^(read_|to_|load|save|dump)/.test(call.method ?? '');
      const style = absolutePathStyle(literal.value, known);
      if (style === undefined) continue;
      seen.add(start);
      found.push({ cell: cell.index, literal, text: python.slice(literal.start, literal.end), style, context: { kind: 'argument', call, pathLike } });
    }
  }
  for (const def of facts.defs) {
    if (def.kind !== 'assign' || def.deferred || def.statementStart === undefined) continue;
    const statement = python.slice(def.statementStart);
    const head = /^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*/.exec(statement);
    if (head === null || head[1] !== def.name) continue;
    const literal = byStart.get(def.statementStart + head[0].length);
    if (literal === undefined || seen.has(literal.start)) continue;
    if (!/^[ \t]*(?:[#;\r\n]|$)/.test(python.slice(literal.end))) continue;
    const style = absolutePathStyle(literal.value, false);
    if (style === undefined) continue;
    seen.add(literal.start);
    found.push({ cell: cell.index, literal, text: python.slice(literal.start, literal.end), style, context: { kind: 'assignment', name: def.name } });
  }
  return found.sort((a, b) => a.literal.start - b.literal.start);
});

/** Splits a path into its folder and last part, at the last separator of its own style. */
export function splitPath(value: string, style: PathStyle): { directory: string; base: string } {
  const separator = style === 'windows' || style === 'unc' ? /[\\/]/ : /\//;
  let cut = -1;
  for (let i = value.length - 1; i >= 0; i--) {
    if (separator.test(value[i] ?? '')) {
      cut = i;
      break;
    }
  }
  const directory = value.slice(0, cut);
  // Keep the root's separator: `C:\` and `/`, not `C:` and ``.
  const rooted = directory === '' || /^[A-Za-z]:$/.test(directory) ? value.slice(0, cut + 1) : directory;
  return { directory: rooted, base: value.slice(cut + 1) };
}

/** A Python string literal for `value`, double-quoted, with backslashes and quotes escaped. */
export function pythonString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
