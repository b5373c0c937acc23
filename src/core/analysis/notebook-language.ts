/**
 * Decides whether a notebook is Python at all. The metadata decides when it names a language or
 * a kernel. Without metadata (stripped by a tool or a publisher), a notebook is still taken for
 * Python unless its code says otherwise beyond doubt: several cells that read like shell, Julia,
 * R or Sage, most of which do not parse as Python. Run as Python, such a notebook gets a syntax
 * error per shell line or an undefined name per Sage symbol, dozens of findings that all say one
 * thing; one notice replaces them (see `./python2.ts` for the Python 2 case).
 */
import type { Range } from '../diagnostic';
import type { KernelInfo, Notebook } from '../notebook/model';
import type { CellFacts } from '../python/facts';

/** Why a notebook is not analysed as Python 3, and where to say so. */
export interface OtherLanguageEvidence {
  /** The language the notebook is written in, as people write it: `Python 2`, `Julia`, `shell`, `Sage`. */
  language: string;
  /** The cell the notice goes on: the first code cell. */
  cell: number;
  range: Range;
  /** What shows it, as a clause with code in backticks: "... 8 read like Julia: `using`, `end`". */
  reason: string;
}

/** A cell as far as detection needs it. */
export interface LanguageCell {
  index: number;
  /** The cell's source with magics masked, or null for markdown and raw cells. */
  python: string | null;
  facts: CellFacts | null;
}

/**
 * Kernel names that say the language when `kernelspec.language` is missing: `ir` is IRkernel,
 * `julia-1.6` IJulia, `sagemath` SageMath.
 */
const KERNEL_LANGUAGES: ReadonlyArray<[RegExp, string]> = [
  [/^python/i, 'python'],
  [/^(ir|r)$/i, 'r'],
  [/^julia/i, 'julia'],
  [/^(bash|sh|zsh)$/i, 'bash'],
  [/^sage/i, 'sage'],
  [/scala|toree|spylon/i, 'scala'],
  [/^(ijavascript|javascript|tslab|deno)$/i, 'javascript'],
  [/^xcpp/i, 'c++'],
  [/^gophernotes$/i, 'go'],
];

/**
 * The language the metadata declares, lower-cased (`python`, `julia`), or undefined when it
 * names none. A kernel name alone counts: some tools write `kernelspec.name` without `language`.
 */
export function declaredLanguage(notebook: Notebook): string | undefined {
  if (notebook.format !== 'ipynb') return 'python';
  const kernel: KernelInfo | undefined = notebook.kernel;
  if (notebook.language.toLowerCase() !== 'python') return notebook.language.toLowerCase();
  if (kernel?.language !== undefined) return kernel.language.toLowerCase();
  for (const name of [kernel?.name, kernel?.displayName]) {
    const language = KERNEL_LANGUAGES.find(([pattern]) => pattern.test(name ?? ''))?.[1];
    if (name !== undefined && language !== undefined) return language;
  }
  // A Python version in `language_info` without its name is still a Python notebook.
  return kernel === undefined ? undefined : 'python';
}

/**
 * Shell commands a shell tutorial types; IPython runs a few of them without `!` (automagic), so
 * only a cell made of nothing else, next to others that do not parse, says "shell".
 */
const SHELL_COMMANDS = new Set([
  'git',
  'cd',
  'ls',
  'pwd',
  'echo',
  'cat',
  'mkdir',
  'rmdir',
  'rm',
  'cp',
  'mv',
  'touch',
  'head',
  'tail',
  'grep',
  'sed',
  'awk',
  'find',
  'chmod',
  'chown',
  'export',
  'source',
  'sudo',
  'apt-get',
  'wget',
  'curl',
  'tar',
  'unzip',
  'which',
  'wc',
  'sort',
  'uniq',
  'diff',
  'less',
  'ln',
  'ssh',
  'scp',
  'man',
  'du',
  'df',
]);

/** A language told by constructs Python does not have. */
interface MarkedLanguage {
  language: string;
  /** Each construct with its label for the reason. */
  markers: ReadonlyArray<[RegExp, string]>;
  /** How many cells must show a construct. */
  minMarked: number;
  /** How many cells must fail to parse as Python. */
  minBroken: number;
}

/**
 * Languages whose code looks like Python's: Julia's `using`, `end` and one-line functions
 * mostly fail to parse; R's `x <- 1` and `library(x)` mostly parse (as a comparison and a
 * call), so R needs more marked cells instead of broken ones.
 */
const MARKED_LANGUAGES: readonly MarkedLanguage[] = [
  {
    language: 'Julia',
    minMarked: 2,
    minBroken: 2,
    markers: [
      [/^\s*using\s+[A-Z][\w.]*(\s*,\s*[A-Z][\w.]*)*\s*;?\s*$/, '`using`'],
      [/^\s*end\s*;?\s*$/, '`end`'],
      [/^\s*function\s+[\w.!]+\s*\(/, '`function`'],
      [/\bprintln\(/, '`println`'],
      [/^\s*@[A-Za-z_][\w.]*[ \t]+[^\s#]/, 'macros'],
      [/\bPkg\.add\(/, '`Pkg.add`'],
      // `f(x, y) = x + y` defines a function; in Python a call cannot be assigned to.
      [/^\s*[A-Za-z_]\w*\([\w\s,;=]*\)\s*=[^=]/, 'one-line function definitions'],
    ],
  },
  {
    language: 'R',
    minMarked: 3,
    minBroken: 0,
    markers: [
      // `x <- 1` is a comparison statement in Python, which nobody writes on purpose.
      [/^\s*[A-Za-z_.][\w.]*(\$\w+)?\s*<-\s*\S/, '`<-`'],
      [/^\s*(library|require)\([\w.]+\)\s*;?\s*$/, '`library()`'],
      [/%>%|%in%/, '`%>%`'],
      [/\bfunction\s*\([^)]*\)\s*\{/, '`function() {`'],
    ],
  },
];

/** Names Sage predefines that Python has no builtin for. */
const SAGE_GLOBALS = new Set([
  'var',
  'find_root',
  'plot3d',
  'implicit_plot',
  'parametric_plot',
  'PolynomialRing',
  'QQ',
  'ZZ',
  'RR',
  'CC',
  'GF',
  'EllipticCurve',
  'sage_eval',
]);

/** `R.<x> = PolynomialRing(QQ)`: Sage's generator syntax. */
const SAGE_GENERATORS = /^\s*[A-Za-z_]\w*\.<[\w\s,]+>\s*=/;

/** `sin(x) ^ 2`, `x^2`: Sage's preparser makes `^` a power, Python's is exclusive or. */
const CARET_POWER = /[\w)]\s*\^\s*[\w(]/;

/**
 * The evidence that a notebook without language metadata is not Python, or undefined. Only
 * reads that no cell defines count for Sage (`undefinedNames`).
 */
export function otherLanguageEvidence(
  notebook: Notebook,
  cells: readonly LanguageCell[],
  undefinedNames: (name: string) => boolean,
): OtherLanguageEvidence | undefined {
  if (declaredLanguage(notebook) !== undefined) return undefined;
  const code = cells.filter((c) => c.python !== null && c.facts !== null && c.python.trim() !== '');
  const first = code[0];
  if (first === undefined || code.length < 3) return undefined;
  const broken = code.filter((c) => (c.facts?.syntaxErrors.length ?? 0) > 0);
  // Every language below shows as cells that do not parse or as reads of names no cell defines
  // (`library`, `var`, R's `x <- 1`): a notebook with neither, the usual case, needs no more
  // looking at (this runs at every analysis in the editor).
  if (broken.length === 0 && !code.some((c) => c.facts?.uses.some((u) => undefinedNames(u.name)))) return undefined;
  const at = { cell: first.index, range: firstLine(first.python ?? '') };
  const failing = `no metadata names its kernel; ${broken.length} of ${code.length} code cells do not parse as Python`;

  // Shell: most cells are nothing but commands, and several of them do not parse.
  const shell = code.filter((c) => isShellCell(notebook.cells[c.index]?.source ?? ''));
  const brokenShell = broken.filter((c) => shell.includes(c));
  if (shell.length >= 3 && brokenShell.length >= 2 && shell.length * 2 >= code.length && brokenShell.length * 2 >= broken.length) {
    const commands = distinct(shell.map((c) => firstWord(notebook.cells[c.index]?.source ?? '')));
    return { language: 'shell', ...at, reason: `${failing}, ${shell.length} are shell commands: ${commands}` };
  }

  // Julia, R: several cells with the language's constructs, most cells either those or broken.
  for (const { language, markers, minMarked, minBroken } of MARKED_LANGUAGES) {
    const marked = code.map((c) => markersIn(c.python ?? '', markers));
    const count = marked.filter((m) => m.length > 0).length;
    const suspect = code.filter((c, i) => (marked[i]?.length ?? 0) > 0 || broken.includes(c)).length;
    if (count >= minMarked && broken.length >= minBroken && suspect * 2 >= code.length) {
      return { language, ...at, reason: `${failing}, ${count} read like ${language}: ${distinct(marked.flat())}` };
    }
  }

  // Sage: its cells mostly parse, so it shows in what they read: Sage's own names and syntax.
  const sage = new Set<string>();
  for (const c of code) {
    for (const use of c.facts?.uses ?? []) if (SAGE_GLOBALS.has(use.name) && undefinedNames(use.name)) sage.add(`\`${use.name}\``);
    const lines = (c.python ?? '').split(/\r\n|\r|\n/);
    if (lines.some((l) => SAGE_GENERATORS.test(l))) sage.add('`R.<x> =` generators');
    const readsUndefined = c.facts?.uses.some((u) => undefinedNames(u.name)) ?? false;
    if (readsUndefined && lines.some((l) => CARET_POWER.test(stripComment(l)))) sage.add('`^` powers of undefined symbols');
  }
  if (sage.size >= 2) {
    return { language: 'Sage', ...at, reason: `no metadata names its kernel; its cells use Sage's own names and syntax: ${[...sage].slice(0, 4).join(', ')}` };
  }
  return undefined;
}

/** Whether every line of a cell (comments and blank lines aside) is a shell command. */
function isShellCell(source: string): boolean {
  const lines = source
    .split(/\r\n|\r|\n/)
    .map(stripComment)
    .filter((l) => l.trim() !== '');
  return lines.length > 0 && lines.every(isShellLine);
}

function isShellLine(line: string): boolean {
  const m = /^\s*([A-Za-z][\w-]*)(.*)$/.exec(line);
  if (!m || !SHELL_COMMANDS.has(m[1] ?? '')) return false;
  // `cat = 3`, `ls(x)`, `head.value`, `echo[0]` are Python that happens to use the name.
  return !/^\s*(=[^=]|\(|\.|\[|,|:)/.test(m[2] ?? '');
}

function markersIn(python: string, markers: ReadonlyArray<[RegExp, string]>): string[] {
  const lines = python.split(/\r\n|\r|\n/).map(stripComment);
  return markers.filter(([pattern]) => lines.some((l) => pattern.test(l))).map(([, label]) => label);
}

/** The line without a `#` comment; a `#` inside quotes is rare enough in these languages' commands. */
function stripComment(line: string): string {
  return /^\s*#/.test(line) ? '' : line;
}

function firstWord(source: string): string {
  const line =
    source
      .split(/\r\n|\r|\n/)
      .map(stripComment)
      .find((l) => l.trim() !== '') ?? '';
  return `\`${/^\s*(\S+)/.exec(line)?.[1] ?? ''}\``;
}

/** The first few distinct labels, comma-separated. */
function distinct(labels: readonly string[]): string {
  return [...new Set(labels)].slice(0, 4).join(', ');
}

function firstLine(python: string): Range {
  const text = python.split(/\r\n|\r|\n/)[0] ?? '';
  return { start: { line: 0, character: 0 }, end: { line: 0, character: text.length } };
}
