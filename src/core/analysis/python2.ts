/**
 * Recognises Python 2 notebooks. nb2prod parses Python 3 only: run on Python 2 code, every
 * `print x` statement is a syntax error and every `xrange` an undefined name, dozens of
 * findings that all say one thing. The analysis stops at one piece of evidence instead.
 */
import type { Range } from '../diagnostic';
import type { Notebook } from '../notebook/model';
import type { CellFacts } from '../python/facts';

/** Why a notebook is taken to be Python 2, and where to say so. */
export interface Python2Evidence {
  /** The cell the finding goes on: the first code cell for metadata, else the cell with the evidence. */
  cell: number;
  range: Range;
  /** What shows it, as a clause with code in backticks: "its kernel is `python2`". */
  reason: string;
}

/** Builtins Python 3 removed: reading one that no cell defines means Python 2 code. */
// Names a Python 3 notebook could plausibly read by mistake (`file`, `reduce`, `long`) are left out.
const PYTHON2_BUILTINS = new Set(['xrange', 'raw_input', 'unicode', 'basestring', 'unichr', 'execfile']);

/** The other builtins Python 3 removed: evidence only in a notebook whose kernel is Python 2. */
const DECLARED_PYTHON2_BUILTINS = new Set(['reduce', 'file', 'long', 'cmp', 'reload', 'apply', 'buffer', 'intern', 'coerce']);

/**
 * Statements that are syntax errors in Python 3 and were the norm in Python 2, matched at the
 * start of a line because the parser reads them as something else: `except E, e:`,
 * `raise E, "message"`. The parser itself reports the print and exec statements.
 */
const PYTHON2_STATEMENTS: ReadonlyArray<[RegExp, string]> = [
  [/^\s*(except)\s+[\w.]+\s*,\s*[A-Za-z_]\w*\s*:/, '`except E, e:` clause'],
  [/^\s*(raise)\s+[\w.]+\s*,/, '`raise E, message` statement'],
];

/** A cell as far as detection needs it. */
export interface Python2Cell {
  index: number;
  python: string | null;
  facts: CellFacts | null;
}

/**
 * The evidence that `notebook` is Python 2, or undefined. `undefinedNames` tells which reads no
 * cell defines (only those count: a notebook may define its own `file` or `reduce`).
 */
export function python2Evidence(notebook: Notebook, cells: readonly Python2Cell[], undefinedNames: (name: string) => boolean): Python2Evidence | undefined {
  const code = cells.filter((c) => c.python !== null && c.facts !== null);
  const kernel = notebook.kernel;
  const declared = /^python2(\b|$)/i.test(kernel?.name ?? '')
    ? `its kernel is \`${kernel?.name}\``
    : /^2(\.|$)/.test(kernel?.languageVersion ?? '')
      ? `its metadata says Python \`${kernel?.languageVersion}\``
      : undefined;
  // Metadata that says Python 3 outweighs a read of `unicode` or `xrange`: such reads usually sit
  // under a `sys.version_info` guard. Only Python 2 statements count then.
  const python3 = /^python3/i.test(kernel?.name ?? '') || /^3(\.|$)/.test(kernel?.languageVersion ?? '');
  const evidence = codeEvidence(code, python3 ? () => false : undefinedNames);
  if (declared === undefined) return evidence;
  // A Python 2 kernel whose code is also valid Python 3 (print() calls, no xrange) is analysed as
  // it is: its findings stay right. The kernel explains Python 2 code or a cell that does not parse.
  const first = code[0];
  const broken = code.some((c) => (c.facts?.syntaxErrors.length ?? 0) > 0);
  const oldBuiltin = code.some((c) => c.facts?.uses.some((u) => DECLARED_PYTHON2_BUILTINS.has(u.name) && undefinedNames(u.name)));
  if (first === undefined || (evidence === undefined && !broken && !oldBuiltin)) return undefined;
  return { cell: first.index, range: firstLine(first.python ?? ''), reason: declared };
}

/** Python 2 statements or builtins in the code itself. */
function codeEvidence(code: readonly Python2Cell[], undefinedNames: (name: string) => boolean): Python2Evidence | undefined {
  for (const cell of code) {
    const statement = cell.facts?.python2Statements?.[0];
    if (statement) return { cell: cell.index, range: statement.range, reason: `it has a Python 2 ${statement.message}` };
  }
  for (const cell of code) {
    const lines = (cell.python ?? '').split(/\r\n|\r|\n/);
    for (let line = 0; line < lines.length; line++) {
      const text = lines[line] ?? '';
      for (const [pattern, what] of PYTHON2_STATEMENTS) {
        const match = pattern.exec(text);
        if (!match) continue;
        const start = text.indexOf(match[1] ?? '');
        return {
          cell: cell.index,
          range: { start: { line, character: start }, end: { line, character: text.trimEnd().length } },
          reason: `it has a Python 2 ${what}`,
        };
      }
    }
  }
  for (const cell of code) {
    const use = cell.facts?.uses.find((u) => PYTHON2_BUILTINS.has(u.name) && undefinedNames(u.name));
    if (use) return { cell: cell.index, range: use.range, reason: `it reads \`${use.name}\`, a Python 2 builtin` };
  }
  return undefined;
}

function firstLine(python: string): Range {
  const text = python.split(/\r\n|\r|\n/)[0] ?? '';
  return { start: { line: 0, character: 0 }, end: { line: 0, character: text.length } };
}
