/**
 * The reproducibility verdict of the active notebook in the status bar: would Restart & Run All
 * reproduce what the notebook shows? It is drawn from the analysis the diagnostics already ran
 * (the core's `reproducibilityVerdict` on the same analysed notebook), so it follows every edit
 * and every live run of a cell without a second analysis.
 */
import * as vscode from 'vscode';
import type { Verdict } from '../core/analysis/verdict';
import type { AnalysisResult, NotebookDiagnostics } from './diagnostics';
import { isAnalysableNotebook, isPercentScript } from './notebook-adapter';

/** The command the status bar item runs; it also returns what the item shows (a test hook). */
export const SHOW_VERDICT_COMMAND = 'nb2prod.showReproducibilityVerdict';

/** What the status bar shows for one notebook. */
export interface VerdictStatus extends Verdict {
  /** The status bar text, codicon included. */
  text: string;
  /** The tooltip, as markdown. */
  tooltip: string;
}

const TEXT: Record<Verdict['reproducible'], string> = {
  yes: '$(check) Reproducible',
  no: '$(warning) Not reproducible',
  unknown: '$(question) Reproducibility unknown',
};

/** How many reasons the tooltip lists before "and N more". */
const TOOLTIP_REASONS = 8;

/** Creates the status bar item and the command behind it. */
export function registerVerdictStatus(diagnostics: NotebookDiagnostics, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('nb2prod.reproducibility', vscode.StatusBarAlignment.Left, 50);
  item.name = 'nb2prod Reproducibility';
  item.command = SHOW_VERDICT_COMMAND;
  const verdicts = new WeakMap<AnalysisResult, VerdictStatus>();
  const statusOf = (result: AnalysisResult): VerdictStatus => {
    let status = verdicts.get(result);
    if (!status) {
      status = describe(result.verdict);
      verdicts.set(result, status);
    }
    return status;
  };
  const current = (): VerdictStatus | undefined => {
    const uri = activeUri();
    const result = uri && diagnostics.latest(uri);
    // A plain `# %%` script has no execution counts at all: saying "unknown" on every one is noise.
    if (!result || (result.target.kind === 'script' && result.notebook.cells.every((c) => c.executionCount === null))) return undefined;
    return statusOf(result);
  };
  const update = (): void => {
    const status = current();
    if (!status) {
      item.hide();
      return;
    }
    item.text = status.text;
    item.tooltip = new vscode.MarkdownString(status.tooltip, true);
    item.backgroundColor = status.reproducible === 'no' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  const showVerdict = (options?: { quiet?: boolean }): VerdictStatus | undefined => {
    const status = current();
    if (!options?.quiet) {
      if (!status) void vscode.window.showInformationMessage('nb2prod: open an analysed Jupyter notebook to see whether it is reproducible.');
      else {
        log.info(`Reproducibility: ${status.reproducible}${status.reasons.map((r) => `\n  - ${r}`).join('')}`);
        const summary = status.text.replace(/^\$\([\w-]+\)\s*/, '');
        void vscode.window.showInformationMessage(`nb2prod: ${summary}${status.reasons.length > 0 ? `: ${status.reasons.join('; ')}.` : '.'}`);
      }
    }
    return status;
  };
  return [
    item,
    vscode.commands.registerCommand(SHOW_VERDICT_COMMAND, showVerdict),
    diagnostics.onDidAnalyze((result) => {
      if (result.target.document.uri.toString() === activeUri()?.toString()) update();
    }),
    diagnostics.onDidForget(update),
    vscode.window.onDidChangeActiveNotebookEditor(update),
    vscode.window.onDidChangeActiveTextEditor(update),
  ];
}

/** The notebook (or percent script) whose verdict the status bar shows. */
function activeUri(): vscode.Uri | undefined {
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  if (notebook && isAnalysableNotebook(notebook)) return notebook.uri;
  const text = vscode.window.activeTextEditor?.document;
  return text && isPercentScript(text) ? text.uri : undefined;
}

/** The status bar text and tooltip for a verdict. */
export function describe(verdict: Verdict): VerdictStatus {
  const question = '**Would Restart & Run All reproduce what this notebook shows?**';
  const answer = {
    yes: 'Yes: the execution counts follow document order and nothing reads stale state.',
    no: 'No, because:',
    unknown: 'Cannot tell, because:',
  }[verdict.reproducible];
  const shown = verdict.reasons.slice(0, TOOLTIP_REASONS).map((reason) => `- ${escapeMarkdown(reason)}`);
  const more = verdict.reasons.length - shown.length;
  if (more > 0) shown.push(`- and ${more} more (see the Problems panel)`);
  const tooltip = [`$(beaker) nb2prod`, '', question, '', answer, ...(shown.length > 0 ? ['', ...shown] : [])].join('\n');
  return { ...verdict, text: TEXT[verdict.reproducible], tooltip };
}

/**
 * Reasons quote code in backticks, which markdown renders as code; characters with a markdown
 * meaning are escaped outside those spans only (inside a code span a backslash would show).
 */
function escapeMarkdown(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/([\\*_[\]<>#])/g, '\\$1')))
    .join('');
}
