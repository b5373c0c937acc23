/**
 * The one place that converts between positions: UTF-16 offsets and line/character positions
 * within a cell's source, and cell positions to positions in the file as stored on disk.
 *
 * Line breaks are `\r\n`, `\n` and a lone `\r`, as both Python and VS Code count them.
 */
import type { Position, Range } from '../diagnostic';
import type { Cell, SourceSegment } from './model';

/** 0-based offsets where each line of `text` starts; always at least one entry. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/**
 * Line starts of the last few texts converted: analyses convert many positions of one cell in a
 * row, and offsetAt/positionAt would otherwise scan the whole cell for every one. Comparing a
 * text with the cached one costs nothing when it is the same string, and stops at the first
 * difference otherwise.
 */
const recentTexts: string[] = [];
const recentStarts: number[][] = [];
const RECENT = 4;

function cachedLineStarts(text: string): readonly number[] {
  for (let i = 0; i < recentTexts.length; i++) if (recentTexts[i] === text) return recentStarts[i]!;
  const starts = lineStarts(text);
  recentTexts.unshift(text);
  recentStarts.unshift(starts);
  if (recentTexts.length > RECENT) {
    recentTexts.pop();
    recentStarts.pop();
  }
  return starts;
}

/** The offset where a line's text ends, before its line break (or at the end of the text). */
function lineEnd(text: string, starts: readonly number[], line: number): number {
  const next = starts[line + 1];
  if (next === undefined) return text.length;
  // The break is one or two units long; step back over it.
  let end = next - 1;
  if (text.charCodeAt(end) === 10 && end > 0 && text.charCodeAt(end - 1) === 13) end--;
  return end;
}

/**
 * The UTF-16 offset of `pos` in `source`. Positions past a line's end clamp to that line's end
 * (before its break) and lines past the last clamp to the end of the text, so that callers
 * holding a stale range never get an offset outside the text.
 */
export function offsetAt(source: string, pos: Position): number {
  const starts = cachedLineStarts(source);
  if (pos.line < 0) return 0;
  const start = starts[pos.line];
  if (start === undefined) return source.length;
  const end = lineEnd(source, starts, pos.line);
  return Math.min(start + Math.max(0, pos.character), end);
}

/** The line/character position of a UTF-16 `offset` in `source` (clamped to the text). */
export function positionAt(source: string, offset: number): Position {
  return new LineIndex(source).position(offset);
}

/**
 * Offsets to positions for one source text, with its line starts computed once: what the
 * parser and the analyses use when they convert many offsets of the same cell.
 */
export class LineIndex {
  private readonly starts: readonly number[];

  constructor(readonly source: string) {
    this.starts = cachedLineStarts(source);
  }

  /** The position of `offset` (clamped to the text). */
  position(offset: number): Position {
    const starts = this.starts;
    const clamped = Math.max(0, Math.min(offset, this.source.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= clamped) lo = mid;
      else hi = mid - 1;
    }
    const start = starts[lo] ?? 0;
    // An offset between `\r` and `\n` belongs to the end of its line, not to a column past it.
    return { line: lo, character: Math.min(clamped, lineEnd(this.source, starts, lo)) - start };
  }

  /** The source text between two offsets. */
  slice(start: number, end: number): string {
    return this.source.slice(start, end);
  }

  /** The range between two offsets. */
  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
}

/**
 * Where a position in a cell's source is in the file as stored, 0-based line and UTF-16 column.
 *
 * For `.py` cells it is `firstLine + line` at the same column (plus the stripped `# ` of a
 * percent-format markdown line). For `.ipynb` cells it is the line of the JSON string literal
 * holding that text, and the column inside that literal after JSON escaping (`\"`, `\\`, `\n`,
 * `\uXXXX`...), so that SARIF regions land on the exact characters. Undefined when the cell
 * has no origin (a live notebook) or the line does not exist in the cell.
 */
export function cellToFile(cell: Cell, pos: Position): { line: number; character: number } | undefined {
  const origin = cell.origin;
  if (!origin) return undefined;
  const starts = lineStarts(cell.source);
  if (pos.line < 0 || pos.line >= starts.length) return undefined;
  if (origin.segments) {
    if (origin.segments.length === 0) return { line: origin.firstLine, character: 0 };
    const offset = offsetAt(cell.source, pos);
    const segment = segmentAt(origin.segments, offset);
    const width = segment.raw === undefined ? escapedLength(cell.source, segment.offset, offset) : rawLength(segment.raw, offset - segment.offset);
    return { line: segment.line, character: segment.character + width };
  }
  const lineLength = lineEnd(cell.source, starts, pos.line) - (starts[pos.line] ?? 0);
  const character = Math.max(0, Math.min(pos.character, lineLength)) + (origin.columnShift?.[pos.line] ?? 0);
  return { line: origin.firstLine + pos.line, character };
}

/** The last segment starting at or before `offset` (segments are sorted by offset). */
function segmentAt(segments: SourceSegment[], offset: number): SourceSegment {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((segments[mid]?.offset ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return segments[lo] as SourceSegment;
}

/**
 * How many UTF-16 units `text.slice(start, end)` takes inside a JSON string literal written by
 * JSON.stringify or Jupyter. The whole text is passed so that a surrogate pair cut by `end`
 * still counts as the pair it is on disk.
 */
export function escapedLength(text: string, start = 0, end = text.length): number {
  let width = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 92 || c === 8 || c === 9 || c === 10 || c === 12 || c === 13) width += 2;
    else if (c < 0x20) width += 6;
    else if (c >= 0xd800 && c <= 0xdfff) width += isPaired(text, i) ? 1 : 6;
    else width += 1;
  }
  return width;
}

/** Whether the surrogate at `i` is half of a well-formed pair (written as is; a lone one is \uXXXX). */
function isPaired(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    return next >= 0xdc00 && next <= 0xdfff;
  }
  const previous = text.charCodeAt(i - 1);
  return previous >= 0xd800 && previous <= 0xdbff;
}

/** How many raw units (after the opening quote) of a JSON literal encode its first `decodedUnits` units. */
function rawLength(raw: string, decodedUnits: number): number {
  let i = 1;
  for (let decoded = 0; decoded < decodedUnits && i < raw.length - 1; decoded++) {
    if (raw.charCodeAt(i) === 92) i += raw.charCodeAt(i + 1) === 117 /* u */ ? 6 : 2;
    else i += 1;
  }
  return i - 1;
}
