/**
 * nb2prod's quick fixes as code actions, in notebook cells and in percent-format scripts. The
 * fixes come with the core diagnostics of the last published analysis; a `vscode.Diagnostic`
 * the editor hands back is matched to its core diagnostic by document, code, message and range,
 * which is everything the adapter derived it from.
 *
 * Safe fixes are preferred quick fixes (the editor's "auto fix" may apply them). Unsafe fixes
 * say so in their title and are never preferred, and nb2prod offers no `source.fixAll`: a fix
 * that can change results is applied only by someone who picked it. Every finding also offers
 * "Suppress NBxxx on this line / in this cell", listed last.
 */
import * as vscode from 'vscode';
import type { Diagnostic as CoreDiagnostic, Fix } from '../core/diagnostic';
import type { AnalysisResult, NotebookDiagnostics } from './diagnostics';
import { suppressionFixes } from '../core/suppressions/insert';
import { notebookFixEdit, scriptFixEdit } from './fix-edits';
import { cellOfDocument, isPercentScript, notebookDiagnostics, scriptDiagnostics } from './notebook-adapter';

/** NB900's code: its findings are about directives, and suppressing one would be circular. */
const UNUSED_SUPPRESSION = 'NB900';

/** Appended to the titles of fixes that can change what the notebook computes. */
export const UNSAFE_SUFFIX = ' (unsafe: changes results)';

/** Where code actions are offered: Python cells of notebooks, and Python files (scripts are checked per document). */
const SELECTOR: vscode.DocumentSelector = [
  { scheme: 'vscode-notebook-cell', language: 'python' },
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
];

/** Registers the quick-fix provider. */
export function registerCodeActions(diagnostics: NotebookDiagnostics, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const provider = new FixProvider(diagnostics, extensionUri, log);
  return [vscode.languages.registerCodeActionsProvider(SELECTOR, provider, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] })];
}

class FixProvider implements vscode.CodeActionProvider {
  /** Core diagnostics (each can at least be suppressed), by the key of the `vscode.Diagnostic` made from them. */
  private readonly indexes = new WeakMap<AnalysisResult, Map<string, CoreDiagnostic[]>>();

  constructor(
    private readonly diagnostics: NotebookDiagnostics,
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    // A request for source actions (fix all, organise imports) gets nothing: no bulk fixes.
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const ours = context.diagnostics.filter((d) => d.source === 'nb2prod');
    if (ours.length === 0) return [];
    const result = this.analysisOf(document);
    // Fix positions hold only for the version that was analysed; a newer analysis is on its way.
    if (!result || result.target.document.version !== result.version) return [];
    const index = this.index(result);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      for (const core of index.get(keyOf(document.uri, diagnostic)) ?? []) {
        for (const fix of core.fixes ?? []) {
          const action = this.action(result, fix, diagnostic);
          if (action) actions.push(action);
        }
        const blockedBy = core.data['fixBlockedBy'];
        if (typeof blockedBy === 'string') actions.push(blocked(core, blockedBy, diagnostic));
      }
    }
    // Preferred (safe) fixes first, so that the lightbulb's first entry is the safe one.
    actions.sort((a, b) => Number(b.isPreferred ?? false) - Number(a.isPreferred ?? false));
    for (const diagnostic of ours) {
      for (const core of index.get(keyOf(document.uri, diagnostic)) ?? []) {
        if (core.code === UNUSED_SUPPRESSION) continue;
        for (const fix of suppressionFixes(result.analysed, core)) {
          // Silencing a finding is never the preferred answer to it.
          const action = this.action(result, fix, diagnostic, false);
          if (action) actions.push(action);
        }
      }
    }
    return actions;
  }

  /** The analysis a document belongs to: its notebook's (for a cell) or its own (for a script). */
  private analysisOf(document: vscode.TextDocument): AnalysisResult | undefined {
    const owner = cellOfDocument(document);
    if (owner) return this.diagnostics.latest(owner.notebook.uri);
    return isPercentScript(document) ? this.diagnostics.latest(document.uri) : undefined;
  }

  /** Converts the fixable core diagnostics the way they were published, once per analysis. */
  private index(result: AnalysisResult): Map<string, CoreDiagnostic[]> {
    let index = this.indexes.get(result);
    if (index) return index;
    index = new Map();
    for (const core of result.diagnostics) {
      const { target } = result;
      const publications =
        target.kind === 'notebook'
          ? notebookDiagnostics(target.document, [core], this.extensionUri)
          : scriptDiagnostics(target.document, result.notebook, [core], this.extensionUri);
      for (const { uri, diagnostics } of publications) {
        for (const published of diagnostics) {
          const key = keyOf(uri, published);
          index.set(key, [...(index.get(key) ?? []), core]);
        }
      }
    }
    this.indexes.set(result, index);
    return index;
  }

  /** The code action of one fix; safe fixes are preferred unless `preferred` says otherwise (a suppression never is). */
  private action(result: AnalysisResult, fix: Fix, diagnostic: vscode.Diagnostic, preferred = fix.safety === 'safe'): vscode.CodeAction | undefined {
    let edit: vscode.WorkspaceEdit;
    try {
      const { target } = result;
      edit = target.kind === 'notebook' ? notebookFixEdit(target.document, fix) : scriptFixEdit(target.document, result.notebook, fix);
    } catch (error) {
      // A fix that does not fit the document is a core bug; say so in the log, offer nothing.
      this.log.error(`quick fix "${fix.title}" could not be converted:`, error instanceof Error ? error.message : String(error));
      return undefined;
    }
    const safe = fix.safety === 'safe';
    const action = new vscode.CodeAction(safe ? fix.title : fix.title + UNSAFE_SUFFIX, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.isPreferred = preferred;
    action.edit = edit;
    return action;
  }
}

/** A greyed-out entry saying why a finding that usually has a fix has none here. */
function blocked(core: CoreDiagnostic, reason: string, diagnostic: vscode.Diagnostic): vscode.CodeAction {
  const action = new vscode.CodeAction(`No automatic fix for ${core.code}`, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.disabled = { reason: reason.charAt(0).toUpperCase() + reason.slice(1) };
  return action;
}

function keyOf(uri: vscode.Uri, diagnostic: vscode.Diagnostic): string {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  const { start, end } = diagnostic.range;
  return `${uri.toString()}\u0000${String(code)}\u0000${start.line}:${start.character}-${end.line}:${end.character}\u0000${diagnostic.message}`;
}
