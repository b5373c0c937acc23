/**
 * Plain string literals in a cell's (magic-masked) Python, found by a small lexer: the Python
 * facts keep call arguments' text but not literal values, and NB110 needs the value, the exact
 * range and whether the literal is the whole value of an assignment.
 */

/** One string literal. Offsets are UTF-16 code units into the cell's Python. */
export interface StringLiteral {
  /** Offset of the first prefix letter or quote. */
  start: number;
  /** Offset just after the closing quote. */
  end: number;
  /** The prefix letters, lower-cased (`r`, `b`, `u`, `f`, `rb`, ...). */
  prefix: string;
  /** The decoded value (escape sequences resolved for non-raw literals; f-string fields kept as written). */
  value: string;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** Every string literal outside comments, in order. Unterminated literals are left out. */
export function stringLiterals(python: string): StringLiteral[] {
  const found: StringLiteral[] = [];
  let i = 0;
  while (i < python.length) {
    const c = python[i] ?? '';
    if (c === '#') {
      while (i < python.length && python[i] !== '\n' && python[i] !== '\r') i++;
      continue;
    }
    if (/[A-Za-z_0-9]/.test(c)) {
      const word = /^[A-Za-z_0-9]+/.exec(python.slice(i, i + 64))?.[0] ?? c;
      const quote = python[i + word.length];
      if ((quote === '"' || quote === "'") && /^(?:[rRuUbBfF]|[rR][bBfF]|[bBfF][rR])$/.test(word)) {
        const literal = readLiteral(python, i, word.length);
        if (literal === undefined) return found;
        found.push(literal);
        i = literal.end;
      } else {
        i += word.length;
      }
      continue;
    }
    if (c === '"' || c === "'") {
      const literal = readLiteral(python, i, 0);
      if (literal === undefined) return found;
      found.push(literal);
      i = literal.end;
      continue;
    }
    i++;
  }
  return found;
}

function readLiteral(python: string, start: number, prefixLength: number): StringLiteral | undefined {
  const prefix = python.slice(start, start + prefixLength).toLowerCase();
  const open = start + prefixLength;
  const quoteChar = python[open] ?? '"';
  const triple = python.startsWith(quoteChar.repeat(3), open);
  const quote = triple ? quoteChar.repeat(3) : quoteChar;
  const raw = prefix.includes('r');
  let value = '';
  let i = open + quote.length;
  while (i < python.length) {
    if (python.startsWith(quote, i)) return { start, end: i + quote.length, prefix, value };
    const c = python[i] ?? '';
    if (!triple && (c === '\n' || c === '\r')) return undefined;
    if (c === '\\' && i + 1 < python.length) {
      const next = python[i + 1] ?? '';
      // A raw literal keeps the backslash but still cannot end at an escaped quote.
      value += raw ? c + next : (SIMPLE_ESCAPES[next] ?? c + next);
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  return undefined;
}
