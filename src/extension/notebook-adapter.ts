/**
 * The one place that converts between VS Code objects and nb2prod's core data: a live
 * `NotebookDocument` (or a percent-format `.py` text document) becomes a core `Notebook`, and
 * core diagnostics (cell index + 0-based line / UTF-16 character within the cell's source)
 * become `vscode.Diagnostic`s on the right cell document or file. VS Code counts columns in
 * UTF-16 code units too, so positions carry over without re-encoding.
 */
import * as vscode from 'vscode';
import type { Diagnostic as CoreDiagnostic, Range as CoreRange, Severity } from '../core/diagnostic';
import type { Cell, CellKind, Notebook } from '../core/notebook/model';
// Both are light (string scanning, no parser) and safe to load at activation. The adapter only
// ever parses `.py` text (live notebooks come from VS Code), so it skips the `.ipynb` reader.
import { isPercentFormat, parsePyNotebook } from '../core/notebook/percent';
import { cellToFile } from '../core/notebook/positions';

/** The notebook type VS Code's Jupyter support registers for `.ipynb` files. */
export const JUPYTER_NOTEBOOK_TYPE = 'jupyter-notebook';

/** Diagnostics to publish, grouped by the document they belong to. */
export interface Publication {
  uri: vscode.Uri;
  diagnostics: vscode.Diagnostic[];
}

/** Whether nb2prod analyses this notebook: Jupyter notebooks only. */
export function isAnalysableNotebook(notebook: vscode.NotebookDocument): boolean {
  return notebook.notebookType === JUPYTER_NOTEBOOK_TYPE;
}

/**
 * Whether a text document is a percent-format Python script on disk (or unsaved). Cell
 * documents of open notebooks are Python text documents too; their scheme tells them apart.
 */
export function isPercentScript(document: vscode.TextDocument): boolean {
  return document.languageId === 'python' && (document.uri.scheme === 'file' || document.uri.scheme === 'untitled') && isPercentFormat(document.getText());
}

/** The open notebook and cell a cell document (`vscode-notebook-cell` URI) belongs to, if any. */
export function cellOfDocument(document: vscode.TextDocument): { notebook: vscode.NotebookDocument; cell: vscode.NotebookCell } | undefined {
  if (document.uri.scheme !== 'vscode-notebook-cell') return undefined;
  for (const notebook of vscode.workspace.notebookDocuments) {
    // Cell URIs carry the notebook's path; comparing it first skips the other notebooks' cells.
    if (notebook.uri.path !== document.uri.path) continue;
    const cell = notebook.getCells().find((c) => c.document === document);
    if (cell) return { notebook, cell };
  }
  return undefined;
}

/** Converts a live notebook into the core model. Cells that are not Python are passed as raw. */
export function toCoreNotebook(notebook: vscode.NotebookDocument): Notebook {
  const metadata = (notebook.metadata ?? {}) as Record<string, unknown>;
  const major = metadata['nbformat'];
  const minor = metadata['nbformat_minor'];
  return {
    path: notebook.uri.toString(),
    format: 'ipynb',
    ...(typeof major === 'number' && typeof minor === 'number' ? { nbformatVersion: `${major}.${minor}` } : {}),
    language: 'python',
    cells: notebook.getCells().map(toCoreCell),
  };
}

function toCoreCell(cell: vscode.NotebookCell): Cell {
  const summary = cell.executionSummary;
  const id = (cell.metadata as Record<string, unknown> | undefined)?.['id'];
  return {
    index: cell.index,
    kind: cellKind(cell),
    source: cell.document.getText(),
    executionCount: summary?.executionOrder ?? null,
    outputCount: cell.outputs.length,
    ...(typeof id === 'string' ? { id } : {}),
    ...(summary?.success !== undefined ? { executionSuccess: summary.success } : {}),
  };
}

function cellKind(cell: vscode.NotebookCell): CellKind {
  if (cell.kind === vscode.NotebookCellKind.Markup) return 'markdown';
  // Raw cells, `%%sql` cells switched to another language and the like are not Python: the core
  // keeps their index (diagnostic cell numbers stay aligned) but does not parse them.
  return cell.document.languageId === 'python' ? 'code' : 'raw';
}

/**
 * Converts core diagnostics on a live notebook into one publication per cell document.
 * Diagnostics whose cell no longer exists (the notebook changed while analysis ran) are dropped.
 */
export function notebookDiagnostics(notebook: vscode.NotebookDocument, diagnostics: readonly CoreDiagnostic[], extensionUri: vscode.Uri): Publication[] {
  const cellAt = (index: number): vscode.NotebookCell | undefined => (index >= 0 && index < notebook.cellCount ? notebook.cellAt(index) : undefined);
  const locate = (cell: number, range: CoreRange): vscode.Location | undefined => {
    const target = cellAt(cell);
    return target && new vscode.Location(target.document.uri, target.document.validateRange(toRange(range)));
  };
  return group(diagnostics, locate, extensionUri);
}

/** Parses a percent-format script into the core model (cells carry their file origin). */
export function toCoreScript(document: vscode.TextDocument): Notebook {
  return parsePyNotebook(document.uri.fsPath, document.getText());
}

/**
 * Converts core diagnostics on a percent-format script (parsed by `toCoreScript`) into a
 * publication on the file itself, mapping cell positions to file positions with `cellToFile`.
 */
export function scriptDiagnostics(
  document: vscode.TextDocument,
  notebook: Notebook,
  diagnostics: readonly CoreDiagnostic[],
  extensionUri: vscode.Uri,
): Publication[] {
  const locate = (index: number, range: CoreRange): vscode.Location | undefined => {
    const cell = notebook.cells[index];
    const start = cell && cellToFile(cell, range.start);
    const end = cell && cellToFile(cell, range.end);
    if (!start || !end) return undefined;
    return new vscode.Location(document.uri, document.validateRange(toRange({ start, end })));
  };
  return group(diagnostics, locate, extensionUri);
}

function group(
  diagnostics: readonly CoreDiagnostic[],
  locate: (cell: number, range: CoreRange) => vscode.Location | undefined,
  extensionUri: vscode.Uri,
): Publication[] {
  const byUri = new Map<string, Publication>();
  for (const diagnostic of diagnostics) {
    const location = locate(diagnostic.cell, diagnostic.range);
    if (!location) continue;
    const converted = toVscodeDiagnostic(diagnostic, location.range, locate, extensionUri);
    const key = location.uri.toString();
    const entry = byUri.get(key) ?? { uri: location.uri, diagnostics: [] };
    entry.diagnostics.push(converted);
    byUri.set(key, entry);
  }
  return [...byUri.values()];
}

function toVscodeDiagnostic(
  diagnostic: CoreDiagnostic,
  range: vscode.Range,
  locate: (cell: number, range: CoreRange) => vscode.Location | undefined,
  extensionUri: vscode.Uri,
): vscode.Diagnostic {
  const result = new vscode.Diagnostic(range, diagnostic.message, toSeverity(diagnostic.severity));
  result.source = 'nb2prod';
  // The code links to the rule's page shipped inside the extension (docs/rules/<CODE>.md).
  result.code = { value: diagnostic.code, target: ruleDocsUri(extensionUri, diagnostic.code) };
  const related = diagnostic.related.flatMap((r) => {
    const location = locate(r.cell, r.range);
    return location ? [new vscode.DiagnosticRelatedInformation(location, r.message)] : [];
  });
  if (related.length > 0) result.relatedInformation = related;
  return result;
}

/** The rule documentation page inside the installed extension. */
export function ruleDocsUri(extensionUri: vscode.Uri, code: string): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${code}.md`);
}

/** A core range inside one cell's source as a range in that cell's document (same numbers). */
export function toRange(range: CoreRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

function toSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'info':
      return vscode.DiagnosticSeverity.Information;
    case 'hint':
      return vscode.DiagnosticSeverity.Hint;
  }
}
