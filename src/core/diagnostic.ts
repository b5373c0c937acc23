/**
 * Plain-data diagnostics in editor terms: cell index plus a 0-based line and UTF-16 character
 * within that cell's source. The CLI reporters and the VS Code adapter both convert from these.
 */

/** A 0-based position inside one cell's source; `character` counts UTF-16 code units. */
export interface Position {
  line: number;
  character: number;
}

/** A half-open range inside one cell's source. */
export interface Range {
  start: Position;
  end: Position;
}

/** How loud a finding is; `hint` is for the editor's faintest marker (SARIF `note`, as `info`). */
export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Another place that explains a diagnostic (for NB101: the cell that defines the name). */
export interface RelatedLocation {
  cell: number;
  range: Range;
  message: string;
}

/** One text replacement inside one cell. */
export interface CellTextEdit {
  cell: number;
  range: Range;
  newText: string;
}

/** Moving one cell so that it stands right before another (by their indexes before the fix). */
export interface CellMove {
  /** Index of the cell to move. */
  cell: number;
  /** Index of the cell it will stand before; the cell count moves it to the end. */
  before: number;
}

/** A quick fix, as plain edits. Text edits refer to cell indexes before any move. */
export interface Fix {
  /** Imperative title: "Move cell 4 above cell 2". */
  title: string;
  /** Safe fixes keep behaviour; unsafe ones can change results and are never applied in bulk. */
  safety: 'safe' | 'unsafe';
  edits: CellTextEdit[];
  /** Cell moves, applied after the text edits. */
  moves?: CellMove[];
}

/** One finding, in the exact shape of `check --format json` (DESIGN.md), plus optional fixes. */
export interface Diagnostic {
  code: string;
  name: string;
  severity: Severity;
  message: string;
  cell: number;
  range: Range;
  related: RelatedLocation[];
  data: Record<string, unknown>;
  fixes?: Fix[];
  /** Set on a finding of one of the rule's preview patterns (shown only when selected by exact code or `PREVIEW`). */
  preview?: true;
}

export function range(startLine: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}
