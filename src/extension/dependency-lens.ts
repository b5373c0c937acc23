/**
 * The dependency lens: above each code cell, "depends on cells 2, 5 · used by cell 7" (1-based,
 * as the rest of nb2prod numbers cells), from the def-use graph of the last analysis. Clicking
 * it reveals the cell, or lets the user pick one when there are several. The reveal command is
 * shared with the dependency graph view, whose nodes link to it.
 */
import * as vscode from 'vscode';
import type { CellDependencies, CellLink } from '../core/analysis/dependencies';
import { cellLabel, cellNumber, type Cell } from '../core/notebook/model';
import { cellToFile } from '../core/notebook/positions';
import type { AnalysisResult, NotebookDiagnostics } from './diagnostics';
import { cellOfDocument, isPercentScript, toCoreScript } from './notebook-adapter';

/** Reveals a cell of a notebook or script: arguments `(uri: string, links: CellLink[], title?: string)`. */
export const REVEAL_CELL_COMMAND = 'nb2prod.revealCell';

/** How many cell numbers a lens lists before "and N more". */
const LISTED = 6;

const SELECTOR: vscode.DocumentSelector = [
  { scheme: 'vscode-notebook-cell', language: 'python' },
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
];

/** Cell dependencies of each analysis, computed once and shared by the lens and the graph. */
const computed = new WeakMap<AnalysisResult, Map<number, CellDependencies>>();

/** The dependencies of every code cell in an analysis, by cell index. */
export function dependenciesOf(result: AnalysisResult): Map<number, CellDependencies> {
  let byCell = computed.get(result);
  if (!byCell) {
    const { cellDependencies } = require('../core/analysis/dependencies') as typeof import('../core/analysis/dependencies');
    byCell = new Map(cellDependencies(result.analysed).map((d) => [d.cell, d]));
    computed.set(result, byCell);
  }
  return byCell;
}

/** Registers the CodeLens provider and the reveal command. */
export function registerDependencyLens(diagnostics: NotebookDiagnostics): vscode.Disposable[] {
  const provider = new DependencyLens(diagnostics);
  return [
    vscode.languages.registerCodeLensProvider(SELECTOR, provider),
    vscode.commands.registerCommand(REVEAL_CELL_COMMAND, revealCell),
    diagnostics.onDidAnalyze(() => provider.refresh()),
    diagnostics.onDidForget(() => provider.refresh()),
    provider,
  ];
}

class DependencyLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly diagnostics: NotebookDiagnostics) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const owner = cellOfDocument(document);
    if (owner) {
      const result = this.diagnostics.latest(owner.notebook.uri);
      // After cells were added or removed the indexes of the last analysis no longer line up;
      // the lens comes back with the next analysis, a moment later.
      if (!result || result.notebook.cells.length !== owner.notebook.cellCount) return [];
      const dependencies = dependenciesOf(result).get(owner.cell.index);
      return dependencies ? lenses(owner.notebook.uri, dependencies, new vscode.Range(0, 0, 0, 0)) : [];
    }
    if (!isPercentScript(document)) return [];
    const result = this.diagnostics.latest(document.uri);
    if (!result || result.version !== document.version) return [];
    return [...dependenciesOf(result).values()].flatMap((dependencies) => {
      const line = firstLine(result.notebook.cells[dependencies.cell]);
      return line === undefined ? [] : lenses(document.uri, dependencies, new vscode.Range(line, 0, line, 0));
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function firstLine(cell: Cell | undefined): number | undefined {
  return cell && cellToFile(cell, { line: 0, character: 0 })?.line;
}

/** One lens per cell with links; none for a cell that neither reads from nor feeds another. */
function lenses(uri: vscode.Uri, dependencies: CellDependencies, range: vscode.Range): vscode.CodeLens[] {
  const { dependsOn, usedBy } = dependencies;
  if (dependsOn.length === 0 && usedBy.length === 0) return [];
  const title = lensTitle(dependencies);
  const links = [...dependsOn, ...usedBy];
  const tooltip = [
    ...dependsOn.map((l) => `reads ${l.names.join(', ')} from ${cellLabel(l.cell)}`),
    ...usedBy.map((l) => `${cellLabel(l.cell)} reads ${l.names.join(', ')}`),
  ].join('\n');
  return [new vscode.CodeLens(range, { title, tooltip, command: REVEAL_CELL_COMMAND, arguments: [uri.toString(), links, title] })];
}

/** "depends on cells 2, 5 · used by cell 7" (1-based). */
export function lensTitle({ dependsOn, usedBy }: Pick<CellDependencies, 'dependsOn' | 'usedBy'>): string {
  const parts: string[] = [];
  if (dependsOn.length > 0) parts.push(`depends on ${cells(dependsOn)}`);
  if (usedBy.length > 0) parts.push(`used by ${cells(usedBy)}`);
  return parts.join(' · ');
}

function cells(links: readonly CellLink[]): string {
  const numbers = links.slice(0, LISTED).map((l) => String(l.cell + 1));
  const more = links.length > LISTED ? ` and ${links.length - LISTED} more` : '';
  return `${links.length === 1 ? 'cell' : 'cells'} ${numbers.join(', ')}${more}`;
}

/**
 * Shows one of `links`' cells in its notebook (or script): the only one directly, otherwise the
 * one the user picks. Resolves to the 0-based index revealed, or undefined.
 */
async function revealCell(uri: unknown, links: unknown, title?: unknown): Promise<number | undefined> {
  if (typeof uri !== 'string' || !Array.isArray(links)) return undefined;
  const valid = links.filter((l): l is CellLink => typeof (l as CellLink | undefined)?.cell === 'number');
  let cell = valid.length === 1 ? valid[0]?.cell : undefined;
  if (valid.length > 1) {
    const pick = await vscode.window.showQuickPick(
      valid.map((l) => ({ label: `Cell ${cellNumber(l.cell)}`, description: l.names.join(', '), cell: l.cell })),
      { title: typeof title === 'string' ? title : 'Reveal cell', placeHolder: 'Cell to reveal' },
    );
    cell = pick?.cell;
  }
  if (cell === undefined) return undefined;
  const target = vscode.Uri.parse(uri);
  const notebook = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === uri);
  if (notebook) {
    if (cell >= notebook.cellCount) return undefined;
    const range = new vscode.NotebookRange(cell, cell + 1);
    // Show it in the column it is already open in (the graph may be open beside it).
    const column = vscode.window.visibleNotebookEditors.find((e) => e.notebook === notebook)?.viewColumn;
    const editor = await vscode.window.showNotebookDocument(notebook, { selections: [range], ...(column ? { viewColumn: column } : {}) });
    editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
    return cell;
  }
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri) ?? (await vscode.workspace.openTextDocument(target));
  const line = firstLine(toCoreScript(document).cells[cell]);
  if (line === undefined) return undefined;
  const position = new vscode.Position(line, 0);
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position) });
  return cell;
}
