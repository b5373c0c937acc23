/**
 * `# nb2prod: ignore[...]` comments, read from the parse tree's comments (never from raw text,
 * so a `#` inside a string literal is never a directive). Two scopes:
 *  - at the end of a line of code, it silences findings whose range starts on that line;
 *  - alone on a cell's first line, it silences findings anywhere in that cell.
 * A directive lists codes or prefixes (`ignore[NB104, LK2]`), or none (`ignore`: every code).
 */
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import type { Diagnostic, Range } from '../diagnostic';
import { LineIndex } from '../notebook/positions';

/** One directive found in a cell. */
export interface Suppression {
  /** 0-based index of the cell that holds the directive. */
  cell: number;
  /** `line`: findings starting on `line`; `cell`: every finding of the cell. */
  scope: 'line' | 'cell';
  /** 0-based line of the directive within the cell. */
  line: number;
  /** The codes or prefixes listed, upper-cased, in order; empty for a bare `ignore` (every code). */
  codes: string[];
  /** From the directive's `#` to its closing `]` (or the end of `ignore` when bare). */
  range: Range;
  /** The whole comment holding the directive (it may hold other text, as `# noqa # nb2prod: ignore`). */
  comment: Range;
  /** Whether code stands before the comment on its line (false: the comment is alone on its line). */
  trailing: boolean;
}

/**
 * The directive inside one comment's text. `nb2prod:` may follow other comment text after a
 * second `#`; `ignore` is followed by a bracketed list, or by nothing (bare), and any free text
 * after it is the author's reason and is kept.
 */
const DIRECTIVE = /#\s*nb2prod:\s*ignore(?:\[([^\]]*)\]|(?![\w[-]))/i;

/** Every directive of the notebook's analysed code cells, in cell and line order. */
export function findSuppressions(analysed: AnalysedNotebook): Suppression[] {
  const found: Suppression[] = [];
  for (const { cell, facts } of analysed.cells) {
    if (!facts || facts.comments.length === 0) continue;
    let lines: LineIndex | undefined;
    for (const comment of facts.comments) {
      const text = cell.source.slice(comment.start, comment.end);
      const match = DIRECTIVE.exec(text);
      if (!match) continue;
      const codes = match[1] === undefined ? [] : parseCodes(match[1]);
      // `ignore[]` names nothing: not a directive, rather than a silent "ignore everything".
      if (match[1] !== undefined && codes.length === 0) continue;
      lines ??= new LineIndex(cell.source);
      const start = comment.start + match.index;
      const range = lines.range(start, start + match[0].length);
      const lineStart = comment.start - lines.position(comment.start).character;
      const trailing = cell.source.slice(lineStart, comment.start).trim() !== '';
      const line = range.start.line;
      found.push({
        cell: cell.index,
        scope: !trailing && line === 0 ? 'cell' : 'line',
        line,
        codes,
        range,
        comment: lines.range(comment.start, comment.end),
        trailing,
      });
    }
  }
  return found;
}

/** The codes of a bracketed list: comma- or space-separated, upper-cased, duplicates dropped. */
export function parseCodes(list: string): string[] {
  const codes = list
    .split(/[\s,]+/)
    .map((c) => c.trim().toUpperCase())
    .filter((c) => c.length > 0);
  return [...new Set(codes)];
}

/** Whether `suppression` covers `code` with one of its entries; the entry's index, or -1. */
export function matchingEntry(suppression: Suppression, code: string): number {
  if (suppression.codes.length === 0) return 0;
  return suppression.codes.findIndex((prefix) => code.startsWith(prefix));
}

/** Whether `suppression` silences `diagnostic`. */
export function silences(suppression: Suppression, diagnostic: Diagnostic): boolean {
  if (suppression.cell !== diagnostic.cell) return false;
  if (suppression.scope === 'line' && suppression.line !== diagnostic.range.start.line) return false;
  return matchingEntry(suppression, diagnostic.code) >= 0;
}
