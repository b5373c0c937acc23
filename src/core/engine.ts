/**
 * The one entry point both the CLI and the extension call: notebook in, diagnostics out.
 * Heavy work (the tree-sitter wasm) is loaded on the first call, never at import time.
 */
import type { Diagnostic, Severity } from './diagnostic';
import type { Notebook } from './notebook/model';
import { analyse, type AnalysedNotebook } from './analysis/analysed-notebook';
import { executionHistory } from './analysis/history';
import { VERDICT_CODES, verdictFrom, type Verdict, type VerdictInput } from './analysis/verdict';
import { NOTEBOOK_RULES, previewSelected, ruleSelected } from './rules/registry';
import type { RuleMeta } from './rules/types';
import { unusedSuppression } from './rules/unused-suppression';
import { findSuppressions } from './suppressions/directives';
import { applySuppressions, unusedSuppressions } from './suppressions/apply';

/** Which rules run and how severe their findings are. */
export interface AnalyzeOptions {
  /**
   * Codes or code prefixes to run (`NB`, `NB10`, `LK201`); all default-tier rules when empty. A
   * rule's preview tier runs only when its exact code or `PREVIEW` is listed.
   */
  select?: string[];
  /** Codes or code prefixes to skip; wins over `select` for the same code. */
  ignore?: string[];
  /** Per-code severity overrides; `off` disables the rule. */
  severity?: Record<string, Severity | 'off'>;
}

/** Everything one analysis produced: the findings, and the analysed notebook views are drawn from. */
export interface NotebookAnalysis {
  diagnostics: Diagnostic[];
  analysed: AnalysedNotebook;
  /**
   * Would Restart & Run All reproduce what is saved? Computed from the hidden-state rules
   * whatever the selection, so that the answer does not change with the findings a user chose.
   */
  verdict: Verdict;
  /** The hidden-state findings (VERDICT_CODES) the verdict was drawn from, whatever the selection. */
  hiddenState: VerdictInput[];
}

/** Analyses one notebook and returns its diagnostics sorted by cell and position. */
export async function analyzeNotebook(notebook: Notebook, options: AnalyzeOptions = {}): Promise<Diagnostic[]> {
  return (await analyzeNotebookFull(notebook, options)).diagnostics;
}

/**
 * Like `analyzeNotebook`, keeping the analysed notebook (graph, history) for views and verdicts.
 * Findings a `# nb2prod: ignore` directive silences are dropped (src/core/suppressions); the
 * verdict still counts them, since a silenced finding is still true of the notebook.
 */
export async function analyzeNotebookFull(notebook: Notebook, options: AnalyzeOptions = {}): Promise<NotebookAnalysis> {
  const analysed = await analyse(notebook);
  const suppressions = findSuppressions(analysed);
  const unusedWanted = suppressions.length > 0 && selectedRule(unusedSuppression, options);
  // NB900 selected on its own judges the directives against the default tier, run but not shown.
  const judgeDefaults = unusedWanted && (options.select ?? []).every((entry) => entry.trim().toUpperCase() === unusedSuppression.code);
  const diagnostics: Diagnostic[] = [];
  const judged: Diagnostic[] = [];
  const ran = new Set<string>();
  const hiddenState: VerdictInput[] = [];
  for (const rule of NOTEBOOK_RULES) {
    const override = options.severity?.[rule.code];
    const preview = previewSelected(rule.code, options.select);
    const shown = selectedRule(rule, options);
    const forJudging = judgeDefaults && rule.tier !== 'preview' && override !== 'off' && ruleSelected(rule.code, [], options.ignore);
    const forVerdict = VERDICT_CODES.includes(rule.code);
    if (!shown && !forVerdict && !forJudging) continue;
    const findings = rule.check(analysed);
    if (forVerdict) hiddenState.push(...findings.map((f) => ({ code: rule.code, cell: f.cell, data: f.data })));
    if (!shown && !forJudging) continue;
    ran.add(rule.code);
    for (const finding of findings) {
      if (finding.preview && !preview) continue;
      (shown ? diagnostics : judged).push({
        code: rule.code,
        name: rule.name,
        message: finding.message,
        severity: (override === 'off' ? undefined : override) ?? finding.severity ?? rule.severity,
        cell: finding.cell,
        range: finding.range,
        related: finding.related,
        data: finding.data,
        ...(finding.fixes ? { fixes: finding.fixes } : {}),
        ...(finding.preview ? { preview: true } : {}),
      });
    }
  }
  hiddenState.sort((a, b) => a.cell - b.cell || a.code.localeCompare(b.code));
  const verdict = verdictFrom(executionHistory(analysed), hiddenState);
  const { kept, used } = applySuppressions([...diagnostics, ...judged], suppressions);
  const onlyJudged = new Set(judged);
  const shownFindings = kept.filter((d) => !onlyJudged.has(d));
  if (unusedWanted) {
    const override = options.severity?.[unusedSuppression.code];
    const severity = override === 'off' ? undefined : override;
    const unused = unusedSuppressions(notebook, suppressions, used, ran);
    shownFindings.push(...unused.map((d) => (severity ? { ...d, severity } : d)));
  }
  return { diagnostics: shownFindings.sort(compareDiagnostics), analysed, verdict, hiddenState };
}

/** Whether a rule's findings are shown under `options`: selected, not off, and its tier on. */
function selectedRule(rule: RuleMeta, options: AnalyzeOptions): boolean {
  return (
    ruleSelected(rule.code, options.select, options.ignore) &&
    options.severity?.[rule.code] !== 'off' &&
    (rule.tier !== 'preview' || previewSelected(rule.code, options.select))
  );
}

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.cell - b.cell || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code);
}
