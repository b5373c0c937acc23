/**
 * Masks IPython syntax (magics, shell escapes, help) out of a cell so that tree-sitter sees
 * plain Python, while keeping every offset: the masked text has the same UTF-16 length and the
 * same line breaks as the original, so every position the parser reports is a position in
 * the cell's source. Each masked span becomes a valid no-op (`0`, `0;`, spaces) at the same
 * indentation, so that magics inside blocks still parse.
 */
import type { Range } from '../diagnostic';

/** A name that a magic brings into the namespace without a Python assignment. */
export interface MagicDefinition {
  /** The name defined, or `*` when the magic may define anything (`%run`, `%store -r`). */
  name: string;
  /** Where the name (or the whole magic, for `*`) is in the cell source. */
  range: Range;
  /** `store`: `%store -r`; `run`: `%run`; `assign`: `x = !cmd`, `x = %magic`, `%%capture x`. */
  kind: 'store' | 'run' | 'assign';
}

/** One IPython construct found in a cell. */
export interface Magic {
  /** `%name` for line magics, `%%name` for cell magics, `!`/`!!` for shell escapes, `?`/`??` for help. */
  name: string;
  /** The masked span in the cell source (continuation lines included). */
  range: Range;
}

/** A cell with its IPython syntax masked. */
export interface MaskedCell {
  /** The Python to parse, same length and line breaks as the source; null when the body is not Python. */
  python: string | null;
  /** Names defined by magics. */
  magicDefinitions: MagicDefinition[];
  /** Every magic found, in order. */
  magics: Magic[];
  /**
   * Python that `%timeit`/`%%timeit` runs inside a function of its own (IPython compiles setup and
   * statement into `def inner(...)`): what it binds stays local to that run and never reaches the
   * notebook's globals. The `%%timeit` setup (the rest of its line) is part of the same span.
   */
  ownNamespace: Range[];
}

/** Cell magics whose body is Python run in the kernel's namespace. */
const PYTHON_BODY_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug']);

/** Line magics followed by a Python statement that runs in the namespace, with their valued options. */
const STATEMENT_MAGICS = new Map<string, Set<string>>([
  ['time', new Set()],
  ['timeit', new Set(['-n', '-r', '-p'])],
  ['prun', new Set(['-l', '-s', '-T', '-D'])],
]);

interface Line {
  text: string;
  /** The line break after the text ('' for the last line). */
  brk: string;
}

function splitLines(source: string): Line[] {
  const parts = source.split(/(\r\n|\r|\n)/);
  const lines: Line[] = [];
  for (let i = 0; i < parts.length; i += 2) lines.push({ text: parts[i] ?? '', brk: parts[i + 1] ?? '' });
  return lines;
}

/** `lead` followed by spaces, as long as `text`. */
function blank(text: string, lead = ''): string {
  return lead + ' '.repeat(Math.max(0, text.length - lead.length));
}

const range = (line: number, start: number, endLine: number, end: number): Range => ({
  start: { line, character: start },
  end: { line: endLine, character: end },
});

/** Masks a cell's IPython syntax; see MaskedCell. */
export function maskMagics(source: string): MaskedCell {
  const lines = splitLines(source);
  const out = lines.map((line) => line.text);
  const magics: Magic[] = [];
  const magicDefinitions: MagicDefinition[] = [];
  const ownNamespace: Range[] = [];

  // A cell magic must be the first non-blank line, unindented, as IPython requires.
  let first = lines.findIndex((line) => line.text.trim() !== '');
  // IPython accepts spaces between `%%` and the name (`%% time`), as it does for line magics.
  const cellMagic = first >= 0 ? /^%%[ \t]*([\w.-]+)/.exec(lines[first]?.text ?? '') : null;
  if (cellMagic) {
    const name = cellMagic[1] ?? '';
    const text = lines[first]?.text ?? '';
    magics.push({ name: `%%${name}`, range: range(first, 0, first, cellMagic[0].length) });
    if (name === 'cython') return cythonCell(lines, first, magics);
    // Unknown cell magics may run anything in another language: not Python, to be safe.
    if (!PYTHON_BODY_CELL_MAGICS.has(name)) return { python: null, magicDefinitions, magics, ownNamespace };
    if (name === 'capture') {
      const target = /^(.*\s)([A-Za-z_]\w*)\s*$/.exec(text);
      if (target) {
        const at = (target[1] ?? '').length;
        magicDefinitions.push({ name: target[2] ?? '', range: range(first, at, first, at + (target[2] ?? '').length), kind: 'assign' });
      }
    }
    out[first] = blank(text, '0');
    if (name === 'timeit') {
      // `%%timeit -n 10 x = make()`: the rest of the line is the setup statement, run before the body.
      const setup = timeitOptionsEnd(text, cellMagic[0].length);
      if (setup !== undefined) {
        if (setup < text.trimEnd().length) out[first] = blank(text.slice(0, setup), '0;') + text.slice(setup);
        ownNamespace.push(range(first, 0, lines.length - 1, lines[lines.length - 1]?.text.length ?? 0));
      } else {
        // An option IPython does not know (`-s`): a UsageError, nothing in the cell runs.
        return { python: blankAll(lines), magicDefinitions, magics, ownNamespace };
      }
    }
    first += 1;
  } else {
    first = 0;
  }

  const state: ScanState = { depth: 0, string: null, continued: false };
  let magicContinues = false;
  for (let i = first; i < lines.length; i++) {
    const text = lines[i]?.text ?? '';
    if (magicContinues) {
      out[i] = blank(text);
      magicContinues = text.endsWith('\\');
      const last = magics[magics.length - 1];
      if (last) last.range.end = { line: i, character: text.length };
      continue;
    }
    let scanFrom = 0;
    if (state.depth === 0 && state.string === null && !state.continued) {
      const masked = maskLine(text, i);
      if (masked) {
        out[i] = masked.text;
        magics.push(masked.magic);
        magicDefinitions.push(...masked.definitions);
        if (masked.ownNamespace) ownNamespace.push(masked.ownNamespace);
        if (masked.pythonFrom === undefined) {
          magicContinues = text.endsWith('\\');
          continue;
        }
        scanFrom = masked.pythonFrom;
      }
    }
    scanPython(text, scanFrom, state);
  }
  const python = out.map((text, i) => text + (lines[i]?.brk ?? '')).join('');
  return { python, magicDefinitions, magics, ownNamespace };
}

/** Every line as spaces (the first non-blank one as `0`): a cell that binds and reads nothing. */
function blankAll(lines: Line[]): string {
  let zero = false;
  return lines
    .map((line) => {
      const text = !zero && line.text.trim() !== '' ? blank(line.text, '0') : blank(line.text);
      if (line.text.trim() !== '') zero = true;
      return text + line.brk;
    })
    .join('');
}

/**
 * `%%cython`: the body is Cython, compiled into a module whose public names IPython pushes into
 * the namespace. Its module-level `def`, `cpdef` functions and (`cdef`) classes are what later
 * cells call; `cdef` functions are C-only and not exported.
 */
function cythonCell(lines: Line[], first: number, magics: Magic[]): MaskedCell {
  const magicDefinitions: MagicDefinition[] = [];
  for (let i = first + 1; i < lines.length; i++) {
    const text = lines[i]?.text ?? '';
    const m = /^(?:(?:cpdef|def)\b[^(=]*?\b([A-Za-z_]\w*)\s*\(|(?:cdef\s+(?:public\s+|api\s+)*)?class\s+([A-Za-z_]\w*))/.exec(text);
    const name = m?.[1] ?? m?.[2];
    if (m === null || name === undefined) continue;
    const at = m[0].lastIndexOf(name, m[1] !== undefined ? m[0].length - 1 : undefined);
    magicDefinitions.push({ name, range: range(i, at, i, at + name.length), kind: 'assign' });
  }
  return { python: blankAll(lines), magicDefinitions, magics, ownNamespace: [] };
}

/** `%timeit`'s options (IPython: `-n N -r N -t -c -p N -q -o`), for the letters that take a value. */
const TIMEIT_OPTIONS = /^-(?:[tcqo]*[nrp](\S*)|[tcqo]+)$/;

/**
 * Where the statement after `%timeit`/`%%timeit` and its options starts, from `end` (the end of
 * the magic's name); undefined when an option is not one IPython knows (it raises UsageError).
 */
function timeitOptionsEnd(text: string, end: number): number | undefined {
  const token = /\s+(\S+)/y;
  let at = end;
  for (;;) {
    token.lastIndex = at;
    const m = token.exec(text);
    const word = m?.[1] ?? '';
    if (!m || !word.startsWith('-')) break;
    const option = TIMEIT_OPTIONS.exec(word);
    if (option === null) return undefined;
    at = token.lastIndex;
    // `-n 10` takes the next word; `-n10` has its value attached.
    if (option[1] === '') {
      token.lastIndex = at;
      if (token.exec(text)) at = token.lastIndex;
    }
  }
  return at + (/^\s*/.exec(text.slice(at))?.[0].length ?? 0);
}

interface MaskedLine {
  text: string;
  magic: Magic;
  definitions: MagicDefinition[];
  /** Column from which the rest of the line is Python (`%time expr`); undefined when none is. */
  pythonFrom?: number;
  /** The statement of `%timeit stmt`, which runs in a namespace of its own. */
  ownNamespace?: Range;
}

/** Masks the IPython construct at the start of a logical line, if there is one. */
function maskLine(text: string, line: number): MaskedLine | undefined {
  const indent = /^[ \t]*/.exec(text)?.[0].length ?? 0;
  const rest = text.slice(indent);
  const head = text.slice(0, indent);
  const whole = (name: string, definitions: MagicDefinition[] = []): MaskedLine => ({
    text: head + blank(rest, '0'),
    magic: { name, range: range(line, indent, line, text.length) },
    definitions,
  });

  if (rest.startsWith('!')) return whole(rest.startsWith('!!') ? '!!' : '!');

  // IPython's autocall escapes: `/f a` is `f(a)`, `,f a b` is `f("a", "b")`, `;f a b` is
  // `f("a b")`, and a lone `;` (a plot cell's last line, to hide its output) is `("")`. No logical
  // line of Python starts with one of these, so the mask is safe.
  if (/^[;,/]/.test(rest)) return whole(rest[0]!);

  // `% matplotlib inline`: IPython allows spaces after the escape; a line starting with `%` is
  // never Python, so the mask is safe.
  const magic = /^(%%?)[ \t]*([A-Za-z_][\w.]*)/.exec(rest);
  if (magic) {
    const name = `${magic[1]}${magic[2]}`;
    const bare = magic[2] ?? '';
    const end = indent + magic[0].length;
    // `%time?` asks for help about the magic: the help rule below handles it.
    if (!/^\s*\?/.test(text.slice(end))) {
      if (magic[1] === '%' && STATEMENT_MAGICS.has(bare)) return maskStatementMagic(text, line, indent, end, name, bare);
      if (magic[1] === '%' && bare === 'run') {
        const all = whole(name);
        return { ...all, definitions: [{ name: '*', range: all.magic.range, kind: 'run' }] };
      }
      if (magic[1] === '%' && bare === 'store') return whole(name, storeDefinitions(text, line, end));
      return whole(name);
    }
  }

  const prefixHelp = /^(\?\??)(.*)$/.exec(rest);
  if (prefixHelp) {
    const marks = prefixHelp[1] ?? '';
    const target = prefixHelp[2] ?? '';
    // `??obj` -> `0;obj` and `?obj` -> `+obj`: obj stays a parsed read at its column.
    if (/^[A-Za-z_][\w.]*\s*$/.test(target)) {
      return {
        text: head + (marks === '??' ? '0;' : '+') + target,
        magic: { name: marks, range: range(line, indent, line, text.length) },
        definitions: [],
      };
    }
    return whole(marks);
  }

  const suffixHelp = /^(%{0,2}[A-Za-z_*][\w*]*(?:\.[A-Za-z_*][\w*]*)*)(\?\??)(\s*)$/.exec(rest);
  if (suffixHelp) {
    const target = suffixHelp[1] ?? '';
    const marks = suffixHelp[2] ?? '';
    if (/[%*]/.test(target)) return whole(marks);
    return {
      text: head + target + blank(marks) + (suffixHelp[3] ?? ''),
      magic: { name: marks, range: range(line, indent, line, text.length) },
      definitions: [],
    };
  }

  const automagic = automagicLine(rest);
  if (automagic !== undefined) {
    const masked = whole(`%${automagic}`);
    return automagic === 'run' ? { ...masked, definitions: [{ name: '*', range: masked.magic.range, kind: 'run' }] } : masked;
  }

  const assign = /^([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)(\s*=\s*)(!!?|%%?[A-Za-z_][\w.]*)/.exec(rest);
  if (assign) {
    const lhs = assign[1] ?? '';
    const rhsStart = indent + lhs.length + (assign[2] ?? '').length;
    const definitions: MagicDefinition[] = [];
    for (const m of lhs.matchAll(/[A-Za-z_][\w.]*/g)) {
      if (m[0].includes('.')) continue;
      const at = indent + (m.index ?? 0);
      definitions.push({ name: m[0], range: range(line, at, line, at + m[0].length), kind: 'assign' });
    }
    const magicName = assign[3] ?? '';
    return {
      text: text.slice(0, rhsStart) + blank(text.slice(rhsStart), '0'),
      magic: { name: magicName, range: range(line, rhsStart, line, text.length) },
      definitions,
    };
  }
  return undefined;
}

/**
 * IPython's default shell aliases and the line magics notebooks call without `%` (automagic is on
 * by default). Statement magics (`time`, `timeit`, `prun`) are left out: their argument is
 * Python that the `%` form keeps.
 */
const AUTOMAGICS = new Set([
  'cat',
  'clear',
  'cp',
  'ldir',
  'less',
  'lf',
  'lk',
  'll',
  'ls',
  'lx',
  'man',
  'mkdir',
  'more',
  'mv',
  'rm',
  'rmdir',
  'cd',
  'pwd',
  'pip',
  'conda',
  'env',
  'matplotlib',
  'pylab',
  'load_ext',
  'reload_ext',
  'autoreload',
  'reset',
  'who',
  'whos',
  'history',
  'run',
  'alias',
  'bookmark',
]);

/** Whether IPython runs `name` as a magic or shell alias when it is typed alone and not defined. */
export function isAutomagic(name: string): boolean {
  return AUTOMAGICS.has(name);
}

/** Python keywords that may follow an expression, so `name keyword ...` can be valid Python. */
const INFIX_KEYWORDS = new Set(['if', 'else', 'in', 'is', 'and', 'or', 'not', 'for', 'async', 'as']);

/**
 * The automagic a line calls (`ls ../input`, `pip install x`, `matplotlib inline`), or
 * undefined. Only lines that are not Python as they stand, or whose argument is clearly a path
 * or a flag, count: `ls` alone, `ls(x)`, `ls = 1`, `ls.sort()`, `ll - 1` and `cat, dog = x` stay
 * Python. `ls -la` (Python: `ls - la`) and `cd /data` (`cd / data`) are taken as the shell
 * commands they clearly are.
 */
function automagicLine(rest: string): string | undefined {
  const m = /^([A-Za-z_]\w*)([ \t]+)(\S.*)$/.exec(rest);
  if (!m) return undefined;
  const name = m[1] ?? '';
  const argument = m[3] ?? '';
  if (!AUTOMAGICS.has(name)) return undefined;
  // `name word`: juxtaposed operands are never Python, unless the word is an infix keyword.
  const word = /^[A-Za-z_]\w*/.exec(argument)?.[0];
  if (word !== undefined) return INFIX_KEYWORDS.has(word) ? undefined : name;
  // A number or a string right after a name is not Python either (`ls 2`, `cat 'a b.txt'`).
  if (/^[\d'"]/.test(argument)) return name;
  // Paths and flags: `../input`, `./x`, `.`, `~/data`, `/tmp`, `-la`, `--help`, `*.csv`, `-`, `$HOME`.
  if (/^(?:\.\.?(?:[/\s]|$)|~|\/\S|-[\w-]|-$|\*\S|\$)/.test(argument)) return name;
  return undefined;
}

/** `%time expr`, `%timeit -n 10 expr`: mask the magic and options, keep `expr` at its column. */
function maskStatementMagic(text: string, line: number, indent: number, end: number, name: string, bare: string): MaskedLine {
  const valued = STATEMENT_MAGICS.get(bare) ?? new Set<string>();
  const token = /\s+(\S+)/y;
  let at = end;
  if (bare === 'timeit') {
    const from = timeitOptionsEnd(text, end);
    // An option IPython does not know (`%timeit -s "x = 1" x + 1`) is a UsageError: nothing runs.
    if (from === undefined)
      return { text: text.slice(0, indent) + blank(text.slice(indent), '0'), magic: { name, range: range(line, indent, line, text.length) }, definitions: [] };
    at = from;
  }
  for (; bare !== 'timeit'; ) {
    token.lastIndex = at;
    const m = token.exec(text);
    if (!m || !(m[1] ?? '').startsWith('-')) break;
    at = token.lastIndex;
    if (valued.has(m[1] ?? '')) {
      token.lastIndex = at;
      if (token.exec(text)) at = token.lastIndex;
    }
  }
  const exprStart = at + (/^\s*/.exec(text.slice(at))?.[0].length ?? 0);
  const magic = { name, range: range(line, indent, line, exprStart) };
  if (exprStart >= text.length || text.slice(exprStart).trim() === '') {
    return { text: text.slice(0, indent) + blank(text.slice(indent), '0'), magic: { name, range: range(line, indent, line, text.length) }, definitions: [] };
  }
  const masked = {
    text: text.slice(0, indent) + blank(text.slice(indent, exprStart), '0;') + text.slice(exprStart),
    magic,
    definitions: [],
    pythonFrom: exprStart,
  };
  return bare === 'timeit' ? { ...masked, ownNamespace: range(line, exprStart, line, text.length) } : masked;
}

/** `%store -r x y` restores x and y; `%store -r` alone restores everything stored. */
function storeDefinitions(text: string, line: number, end: number): MagicDefinition[] {
  const tokens = [...text.slice(end).matchAll(/\S+/g)].map((m) => ({ word: m[0], at: end + (m.index ?? 0) }));
  if (tokens[0]?.word !== '-r') return [];
  const names = tokens.slice(1).filter((t) => /^[A-Za-z_]\w*$/.test(t.word));
  if (names.length === 0) return [{ name: '*', range: range(line, end - '%store'.length, line, text.trimEnd().length), kind: 'store' }];
  return names.map((t) => ({ name: t.word, range: range(line, t.at, line, t.at + t.word.length), kind: 'store' }));
}

interface ScanState {
  /** Open brackets: a line inside brackets continues the logical line. */
  depth: number;
  /** The open string's quote (`'`, `"""`...) when a string spans lines. */
  string: string | null;
  /** Whether the line ended with a backslash continuation. */
  continued: boolean;
}

/** Tracks strings, brackets and continuations so magics are only seen at logical line starts. */
function scanPython(text: string, from: number, state: ScanState): void {
  state.continued = false;
  let j = from;
  while (j < text.length) {
    const ch = text[j] as string;
    if (state.string !== null) {
      if (ch === '\\') {
        j += 2;
        continue;
      }
      if (text.startsWith(state.string, j)) {
        j += state.string.length;
        state.string = null;
        continue;
      }
      j++;
      continue;
    }
    if (ch === '#') break;
    if (ch === '"' || ch === "'") {
      const triple = text.startsWith(ch.repeat(3), j);
      state.string = triple ? ch.repeat(3) : ch;
      j += triple ? 3 : 1;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') state.depth++;
    else if (ch === ')' || ch === ']' || ch === '}') state.depth = Math.max(0, state.depth - 1);
    else if (ch === '\\' && j === text.length - 1) state.continued = true;
    j++;
  }
  // A one-quote string continues only after a backslash; otherwise it is a syntax error that
  // should not hide the magics of the following lines.
  if (state.string !== null && state.string.length === 1 && !text.endsWith('\\')) state.string = null;
}
