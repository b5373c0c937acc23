/**
 * The values of Python string literals. The syntax tree says where each literal is (the facts'
 * `strings`, a flow expression's `string`); this module reads what one literal's text means:
 * its prefix and its value with the escapes people write in paths and names resolved.
 */

/** One string literal of a cell's Python. Offsets are UTF-16 code units into the cell source. */
export interface StringLiteral {
  /** Offset of the first prefix letter or quote. */
  start: number;
  /** Offset just after the closing quote. */
  end: number;
  /** The prefix letters, lower-cased (`r`, `b`, `u`, `f`, `rb`, ...). */
  prefix: string;
  /** The decoded value (escapes resolved for non-raw literals; f-string fields kept as written). */
  value: string;
}

const STRING_PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?(['"])/;

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

/**
 * The prefix and value of one literal's text, or undefined when it is not terminated. Escapes
 * nobody writes in paths and names (`\x`, `\u`, `\N{}`, octal) stay as written, as Python keeps
 * unknown escapes; `stringValue` refuses those rather than guess.
 */
export function decodeStringLiteral(literal: string): { prefix: string; value: string } | undefined {
  const match = STRING_PREFIX.exec(literal);
  if (match === null) return undefined;
  const prefix = match[0].slice(0, -1).toLowerCase();
  const quote = match[1] as string;
  const open = match[0].length - 1;
  const closer = literal.startsWith(quote.repeat(3), open) ? quote.repeat(3) : quote;
  if (!literal.endsWith(closer) || literal.length < open + 2 * closer.length) return undefined;
  const body = literal.slice(open + closer.length, literal.length - closer.length);
  if (prefix.includes('r')) return { prefix, value: body };
  let value = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\' && i + 1 < body.length) {
      const next = body[++i] as string;
      value += SIMPLE_ESCAPES[next] ?? c + next;
    } else {
      value += c;
    }
  }
  return { prefix, value };
}

/** The literal spanning `start`..`end` of `source`, decoded, or undefined when it is not terminated. */
export function stringLiteralAt(source: string, start: number, end: number): StringLiteral | undefined {
  const decoded = decodeStringLiteral(source.slice(start, end));
  return decoded === undefined ? undefined : { start, end, ...decoded };
}

/**
 * The decoded value of a plain string literal (`"a"`, `r'b'`), or undefined for byte strings,
 * f-strings and anything with escapes we do not decode.
 */
export function stringValue(literal: string): string | undefined {
  const decoded = decodeStringLiteral(literal);
  if (decoded === undefined || /[bf]/.test(decoded.prefix)) return undefined;
  if (!decoded.prefix.includes('r') && /\\[xuUN0-7]/.test(literal)) return undefined;
  return decoded.value;
}

/** Whether a string literal's text is an f-string. */
export function isFString(literal: string): boolean {
  return /^[rR]?[fF]|^[fF][rR]?/.test(literal) && STRING_PREFIX.test(literal);
}
