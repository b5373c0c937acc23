/**
 * Finds where each cell's `source` string literals are in an `.ipynb` file's text, without
 * building a syntax tree: notebooks can be tens of megabytes of outputs, and everything outside
 * `cells[i].source` is skipped string by string with `indexOf`, which runs at memory speed.
 *
 * The text must already be valid JSON (JSON.parse accepted it), so the scanner does not
 * validate anything; it only tracks nesting, the current key and the current array index.
 */

/** Offsets in the file text of one cell's `source` value. */
export interface SourceLiterals {
  /** Offset of the value itself: the opening quote of a string or the `[` of an array. */
  valueStart: number;
  /** [start, end) offsets of each string literal, quotes included, in order. */
  literals: Array<[number, number]>;
}

enum Role {
  Other,
  Root,
  Cells,
  Cell,
  Source,
}

interface Frame {
  role: Role;
  isObject: boolean;
  /** The key whose value comes next (objects only). */
  key: string | undefined;
  /** Objects: true until the `:` after a key. */
  expectingKey: boolean;
  /** Arrays: index of the current element. */
  index: number;
  /** The cell index for Cell and Source frames. */
  cell: number;
}

/** The end offset (after the closing quote) of the string literal starting at `start`. */
function stringEnd(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  while (quote !== -1) {
    let backslashes = 0;
    for (let k = quote - 1; text.charCodeAt(k) === 92; k--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
  return text.length;
}

/** The role of a value that starts inside `parent`. */
function childRole(parent: Frame | undefined): Role {
  if (!parent) return Role.Root;
  if (parent.role === Role.Root && parent.key === 'cells') return Role.Cells;
  if (parent.role === Role.Cells) return Role.Cell;
  if (parent.role === Role.Cell && parent.key === 'source') return Role.Source;
  return Role.Other;
}

/** For each cell index, where its `source` value and string literals are in `text`. */
export function locateSources(text: string): Map<number, SourceLiterals> {
  const found = new Map<number, SourceLiterals>();
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (top?.isObject && top.expectingKey) {
        // Only keys of the few frames we care about are decoded.
        if (top.role !== Role.Other) top.key = JSON.parse(text.slice(i, end)) as string;
      } else if (top) {
        const role = childRole(top);
        if (role === Role.Source) found.set(top.cell, { valueStart: i, literals: [[i, end]] });
        else if (top.role === Role.Source) found.get(top.cell)?.literals.push([i, end]);
      }
      i = end - 1;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      const parent = stack[stack.length - 1];
      const role = childRole(parent);
      const cell = role === Role.Cell ? (parent?.index ?? 0) : (parent?.cell ?? 0);
      if (role === Role.Source) found.set(cell, { valueStart: i, literals: [] });
      stack.push({ role, isObject: c === 123, key: undefined, expectingKey: c === 123, index: 0, cell });
      if (role === Role.Other) i = skipContainer(text, i, stack);
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
    } else if (c === 44 /* , */) {
      const top = stack[stack.length - 1];
      if (top?.isObject) top.expectingKey = true;
      else if (top) top.index++;
    } else if (c === 58 /* : */) {
      const top = stack[stack.length - 1];
      if (top) top.expectingKey = false;
    }
  }
  return found;
}

/**
 * Skips a container we don't care about (outputs, metadata) and pops its frame. Returns the
 * offset of its closing bracket.
 */
function skipContainer(text: string, open: number, stack: Frame[]): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) i = stringEnd(text, i) - 1;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) {
        stack.pop();
        return i;
      }
    }
  }
  stack.pop();
  return text.length;
}

/**
 * Converts ascending offsets to 0-based lines and UTF-16 columns in one forward pass, treating
 * `\r\n`, `\n` and a lone `\r` as line breaks (as positions.ts does).
 */
export class LineCounter {
  private line = 0;
  private lineStart = 0;
  private cursor = 0;
  /** The next `\n` and `\r` at or after the cursor (-1: none left), cached so that a file
   * without `\r` is not searched to its end on every call. */
  private nextLf = -2;
  private nextCr = -2;

  /** @param text the whole file text the offsets refer to. */
  constructor(readonly text: string) {}

  /** The position of `offset`; offsets must not decrease between calls. */
  at(offset: number): { line: number; character: number } {
    const text = this.text;
    while (this.cursor < offset) {
      if (this.nextLf !== -1 && this.nextLf < this.cursor) this.nextLf = text.indexOf('\n', this.cursor);
      if (this.nextCr !== -1 && this.nextCr < this.cursor) this.nextCr = text.indexOf('\r', this.cursor);
      const lf = this.nextLf;
      const cr = this.nextCr;
      let brk = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (brk === -1 || brk >= offset) {
        this.cursor = offset;
        break;
      }
      if (text.charCodeAt(brk) === 13 && text.charCodeAt(brk + 1) === 10) brk++;
      this.line++;
      this.lineStart = brk + 1;
      this.cursor = brk + 1;
    }
    return { line: this.line, character: offset - this.lineStart };
  }
}
