/** Analyses a notebook and plans its project: the one call the CLI and the extension make. */
import { analyzeNotebookFull, type AnalyzeOptions } from '../engine';
import { PREVIEW_SELECTOR } from '../rules/registry';
import type { Notebook } from '../notebook/model';
import { plan } from './plan';
import type { ScaffoldOptions, ScaffoldPlan } from './types';

/**
 * The analysis a plan reads: every rule and pattern, preview tier included, because the project's
 * README says which leaks and hidden-state problems the generated training fixes, whatever a user
 * chose to see in the editor.
 */
export const SCAFFOLD_ANALYSIS: AnalyzeOptions = { select: [PREVIEW_SELECTOR] };

/**
 * Plans twice when needed: first without knowing the target's content (to learn the paths),
 * then with what `readExisting` found at those paths, so kinds are exact.
 */
export async function planNotebook(
  notebook: Notebook,
  options: Omit<ScaffoldOptions, 'existing'>,
  readExisting?: (paths: string[]) => ReadonlyMap<string, string>,
): Promise<ScaffoldPlan> {
  const analysis = await analyzeNotebookFull(notebook, SCAFFOLD_ANALYSIS);
  const first = plan(analysis, options);
  if (!first.ok || readExisting === undefined) return first;
  return plan(analysis, { ...options, existing: readExisting(first.changes.map((c) => c.path)) });
}
