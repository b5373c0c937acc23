/**
 * The "Suppress NB104 on this line / in this cell" fixes: plain edits that add a directive, or
 * add the code to the directive already there, so that the editor only converts them.
 */
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import type { Diagnostic, Fix } from '../diagnostic';
import { LineIndex } from '../notebook/positions';
import { findSuppressions, matchingEntry, type Suppression } from './directives';

/** Both suppression fixes a finding can have; a place a comment cannot go gets none. */
export function suppressionFixes(analysed: AnalysedNotebook, diagnostic: Diagnostic): Fix[] {
  const cell = analysed.cells[diagnostic.cell];
  if (!cell?.facts) return [];
  const existing = findSuppressions(analysed).filter((s) => s.cell === diagnostic.cell);
  return [lineFix(cell.cell.source, cell.facts.strings, existing, diagnostic), cellFix(cell.cell.source, existing, diagnostic)].filter(
    (fix): fix is Fix => fix !== undefined,
  );
}

function lineFix(source: string, strings: readonly { start: number; end: number }[], existing: Suppression[], diagnostic: Diagnostic): Fix | undefined {
  const line = diagnostic.range.start.line;
  const title = `Suppress ${diagnostic.code} on this line`;
  const directive = existing.find((s) => s.scope === 'line' && s.line === line);
  if (directive) return merged(title, directive, diagnostic);
  const lineStart = offsetOfLine(source, line);
  if (lineStart === undefined) return undefined;
  let end = source.indexOf('\n', lineStart);
  if (end < 0) end = source.length;
  if (source[end - 1] === '\r') end--;
  const text = source.slice(lineStart, end);
  // A comment cannot follow a line continuation, nor stand inside a string that goes on below.
  if (text.trimEnd().endsWith('\\') || strings.some((s) => s.start < end && s.end > end)) return undefined;
  const at = new LineIndex(source).position(end);
  const gap = text.trim() === '' ? '' : '  ';
  return {
    title,
    safety: 'safe',
    edits: [{ cell: diagnostic.cell, range: { start: at, end: at }, newText: `${gap}# nb2prod: ignore[${diagnostic.code}]` }],
  };
}

function cellFix(source: string, existing: Suppression[], diagnostic: Diagnostic): Fix | undefined {
  const title = `Suppress ${diagnostic.code} in this cell`;
  const directive = existing.find((s) => s.scope === 'cell');
  if (directive) return merged(title, directive, diagnostic);
  // A cell magic must stay on the first line: such a cell cannot take a cell-wide directive.
  if (source.startsWith('%%')) return undefined;
  const start = { line: 0, character: 0 };
  return { title, safety: 'safe', edits: [{ cell: diagnostic.cell, range: { start, end: start }, newText: `# nb2prod: ignore[${diagnostic.code}]\n` }] };
}

/** The existing directive with the finding's code added; none when it already covers the code (bare). */
function merged(title: string, directive: Suppression, diagnostic: Diagnostic): Fix | undefined {
  if (matchingEntry(directive, diagnostic.code) >= 0) return undefined;
  return {
    title,
    safety: 'safe',
    edits: [{ cell: directive.cell, range: directive.range, newText: `# nb2prod: ignore[${[...directive.codes, diagnostic.code].join(', ')}]` }],
  };
}

/** The offset where 0-based `line` starts, or undefined past the end. */
function offsetOfLine(source: string, line: number): number | undefined {
  let offset = 0;
  for (let i = 0; i < line; i++) {
    const next = source.indexOf('\n', offset);
    if (next < 0) return undefined;
    offset = next + 1;
  }
  return offset;
}
