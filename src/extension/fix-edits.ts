/**
 * The one place that turns a core `Fix` (plain text edits by cell index, plus cell moves) into a
 * `vscode.WorkspaceEdit`, for a live notebook or for a percent-format `.py` file. Positions
 * follow notebook-adapter.ts: core ranges are cell-relative and carry over to cell documents
 * unchanged, and map to file positions in scripts through `cellToFile`.
 *
 * Moves are written as ONE replacement of the smallest run of cells whose order changes: the
 * public API has no "move cell" edit, and a single replacement cannot be misread the way a
 * delete plus an insert whose indexes refer to different states could. The cells in that run
 * are recreated from their data (source, outputs, metadata, execution summary), with the fix's
 * text edits for them already applied; cells outside it get ordinary text edits.
 */
import * as vscode from 'vscode';
import type { CellTextEdit, Fix } from '../core/diagnostic';
import { applyFixToSources } from '../core/fixes/apply';
import type { Notebook } from '../core/notebook/model';
import { isPercentFormat } from '../core/notebook/percent';
import { cellToFile } from '../core/notebook/positions';
import { toRange } from './notebook-adapter';

/**
 * The fix as an edit of a live notebook whose cells are exactly those the fix was computed on.
 * Throws when the fix does not fit them (overlapping edits, a move to an unknown cell).
 */
export function notebookFixEdit(notebook: vscode.NotebookDocument, fix: Fix): vscode.WorkspaceEdit {
  const cells = notebook.getCells();
  const { sources, order } = applyFixToSources(
    cells.map((c) => c.document.getText()),
    fix,
  );
  const span = changedSpan(order);
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) {
    if (span && e.cell >= span.from && e.cell <= span.to) continue;
    const cell = cells[e.cell];
    if (!cell) throw new Error(`fix edits cell ${e.cell}, which does not exist`);
    edit.replace(cell.document.uri, toRange(e.range), e.newText);
  }
  if (span) {
    const replacement = order.slice(span.from, span.to + 1).map((from, k) => cellData(cells[from] as vscode.NotebookCell, sources[span.from + k] ?? ''));
    edit.set(notebook.uri, [vscode.NotebookEdit.replaceCells(new vscode.NotebookRange(span.from, span.to + 1), replacement)]);
  }
  return edit;
}

/** A copy of a cell with a new source, keeping what the user would lose otherwise. */
function cellData(cell: vscode.NotebookCell, source: string): vscode.NotebookCellData {
  const data = new vscode.NotebookCellData(cell.kind, source, cell.document.languageId);
  data.outputs = [...cell.outputs];
  data.metadata = cell.metadata;
  if (cell.executionSummary) data.executionSummary = cell.executionSummary;
  return data;
}

/**
 * The fix as an edit of a percent-format script, given the core notebook it was computed on
 * (`toCoreScript` of the same document version). A moved cell takes its whole block with it:
 * its `# %%` marker line, its body and the blank lines up to the next marker.
 */
export function scriptFixEdit(document: vscode.TextDocument, parsed: Notebook, fix: Fix): vscode.WorkspaceEdit {
  const { order } = applyFixToSources(
    parsed.cells.map((c) => c.source),
    fix,
  );
  const span = changedSpan(order);
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) {
    if (span && e.cell >= span.from && e.cell <= span.to) continue;
    edit.replace(document.uri, fileRange(parsed, e), e.newText);
  }
  if (span) {
    const starts = parsed.cells.map((_, i) => blockStart(document, parsed, i));
    const blockRange = (i: number): vscode.Range => {
      const next = starts[i + 1];
      const end = next === undefined ? document.lineAt(document.lineCount - 1).range.end : new vscode.Position(next, 0);
      return new vscode.Range(starts[i] as number, 0, end.line, end.character);
    };
    const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    let text = '';
    for (const from of order.slice(span.from, span.to + 1)) {
      const block = blockRange(from);
      const base = document.offsetAt(block.start);
      const local = fix.edits
        .filter((e) => e.cell === from)
        .map((e) => {
          const range = fileRange(parsed, e);
          return { start: document.offsetAt(range.start) - base, end: document.offsetAt(range.end) - base, text: e.newText };
        });
      const blockText = spliceAll(document.getText(block), local);
      // The last block of a file may lack a final line break; moved elsewhere it needs one.
      text += /\r?\n$/.test(blockText) ? blockText : blockText + eol;
    }
    const region = new vscode.Range(blockRange(span.from).start, blockRange(span.to).end);
    if (!/\r?\n$/.test(document.getText(region))) text = text.replace(/\r?\n$/, '');
    edit.replace(document.uri, region, text);
  }
  return edit;
}

/** The smallest run of positions whose cell changes, or undefined when nothing moves. */
function changedSpan(order: readonly number[]): { from: number; to: number } | undefined {
  const from = order.findIndex((cell, i) => cell !== i);
  if (from < 0) return undefined;
  let to = order.length - 1;
  while (order[to] === to) to--;
  return { from, to };
}

/** A core edit's range in the file, through the cell's origin. */
function fileRange(parsed: Notebook, e: CellTextEdit): vscode.Range {
  const cell = parsed.cells[e.cell];
  const start = cell && cellToFile(cell, e.range.start);
  const end = cell && cellToFile(cell, e.range.end);
  if (!start || !end) throw new Error(`fix edits cell ${e.cell} outside its text`);
  return toRange({ start, end });
}

/**
 * The first file line of a cell's block: its marker, found by stepping up from the cell's first
 * line over the blank lines the parser trimmed. Text before the first marker has no marker and
 * starts the file.
 */
function blockStart(document: vscode.TextDocument, parsed: Notebook, index: number): number {
  const firstLine = parsed.cells[index]?.origin?.firstLine ?? 0;
  let line = firstLine - 1;
  while (line >= 0 && document.lineAt(line).isEmptyOrWhitespace) line--;
  if (line >= 0 && isPercentFormat(document.lineAt(line).text)) return line;
  return index === 0 ? 0 : firstLine;
}

/** Applies non-overlapping offset edits to a text, last first so earlier offsets stay valid. */
function spliceAll(text: string, edits: Array<{ start: number; end: number; text: string }>): string {
  let result = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, e.start) + e.text + result.slice(e.end);
  return result;
}
