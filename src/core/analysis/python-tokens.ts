/**
 * A small tokenizer for snippets of Python source that the cell facts point at (an assignment's
 * value, a parameter list, a call's argument). The facts keep ranges, not syntax trees, so the
 * few rules that must look inside an expression (what a global is bound to, which path a call
 * reads) tokenize just that span. Strings, comments and brackets are handled so that an `=` or
 * `,` inside them is never mistaken for a top-level one.
 */
import { LruCache } from '../python/cache';

/** The kinds of token the rules care about; everything else is an `op`. */
export type TokenKind = 'name' | 'number' | 'string' | 'op' | 'open' | 'close';

/** One token, with UTF-16 offsets into the text that was tokenized. */
export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
  /** Bracket depth before the token (an opening bracket has the depth outside it). */
  depth: number;
}

/** Operators longest first, so `**=` is never read as `**` then `=`. */
const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '...',
  '**', '//', '==', '!=', '<=', '>=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=', '->', ':=', '<<', '>>',
];

/** Assignment operators that update a target from its own value. */
export const AUGMENTED_OPERATORS: ReadonlySet<string> = new Set(['+=', '-=', '*=', '/=', '//=', '%=', '**=', '>>=', '<<=', '&=', '|=', '^=', '@=']);

const STRING_PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?(['"])/;

// Rules tokenize the same statements on every analysis; only edited cells bring new text.
const tokenCache = new LruCache<string, readonly Token[]>(20000);

/**
 * Tokenizes `text`; comments and line continuations are skipped, newlines are dropped.
 * Results are cached per text and shared: callers must not mutate them (they are frozen).
 */
export function tokenize(text: string): Token[] {
  let tokens = tokenCache.get(text);
  if (tokens === undefined) {
    tokens = Object.freeze(tokenizeUncached(text));
    tokenCache.set(text, tokens);
  }
  return tokens as Token[];
}

function tokenizeUncached(text: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  // Character codes, not regular expressions: this runs over every statement the rules inspect.
  while (i < text.length) {
    const code = text.charCodeAt(i);
    const c = text[i] as string;
    if (code === 32 || code === 9 || code === 10 || code === 13 || code === 92 || code === 12) {
      i++;
      continue;
    }
    if (code === 35 /* # */) {
      while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      continue;
    }
    const quoteAt = stringStart(text, i);
    if (quoteAt >= 0) {
      const end = stringEnd(text, quoteAt);
      tokens.push({ kind: 'string', text: text.slice(i, end), start: i, end, depth });
      i = end;
      continue;
    }
    if (isNameStart(code)) {
      let end = i + 1;
      while (end < text.length && (isNameStart(text.charCodeAt(end)) || isDigit(text.charCodeAt(end)))) end++;
      tokens.push({ kind: 'name', text: text.slice(i, end), start: i, end, depth });
      i = end;
      continue;
    }
    if (isDigit(code) || (code === 46 && isDigit(text.charCodeAt(i + 1)))) {
      let end = i + 1;
      while (end < text.length && (isNameStart(text.charCodeAt(end)) || isDigit(text.charCodeAt(end)) || text.charCodeAt(end) === 46)) end++;
      tokens.push({ kind: 'number', text: text.slice(i, end), start: i, end, depth });
      i = end;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      tokens.push({ kind: 'open', text: c, start: i, end: i + 1, depth });
      depth++;
      i++;
      continue;
    }
    if (c === ')' || c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
      tokens.push({ kind: 'close', text: c, start: i, end: i + 1, depth });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i)) ?? c;
    tokens.push({ kind: 'op', text: op, start: i, end: i + op.length, depth });
    i += op.length;
  }
  return tokens;
}

function isNameStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code >= 128;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The offset of the opening quote when a string literal (with its prefix) starts at `i`, else -1. */
function stringStart(text: string, i: number): number {
  for (let k = i; k < i + 3 && k < text.length; k++) {
    const c = text[k] as string;
    if (c === '"' || c === "'") return STRING_PREFIX.test(text.slice(i, k + 1)) ? k : -1;
    if (!'rRbBuUfF'.includes(c)) return -1;
  }
  return -1;
}

/** The offset just after the string literal whose opening quote is at `quoteAt`. */
function stringEnd(text: string, quoteAt: number): number {
  const quote = text[quoteAt] as string;
  const triple = text.startsWith(quote.repeat(3), quoteAt);
  const closer = triple ? quote.repeat(3) : quote;
  let i = quoteAt + closer.length;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (text.startsWith(closer, i)) return i + closer.length;
    else if (!triple && (c === '\n' || c === '\r')) return i;
    else i++;
  }
  return text.length;
}

/** Splits tokens at commas of depth `depth` (the top level of a snippet by default). */
export function splitAtCommas(tokens: readonly Token[], depth = 0): Token[][] {
  const parts: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'op' && token.text === ',' && token.depth === depth) parts.push([]);
    else parts[parts.length - 1]?.push(token);
  }
  return parts.filter((p) => p.length > 0);
}

/** The index of the bracket that closes the one at `open`, or -1 when it is not closed. */
export function matchingClose(tokens: readonly Token[], open: number): number {
  const depth = tokens[open]?.depth;
  for (let i = open + 1; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.kind === 'close' && token.depth === depth) return i;
  }
  return -1;
}

export { isFString, stringValue } from '../python/strings';
