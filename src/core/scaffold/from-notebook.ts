/** Analyses a notebook and plans its project: the one call the CLI and the extension make. */
import { analyzeNotebookFull } from '../engine';
import type { Notebook } from '../notebook/model';
import { plan } from './plan';
import type { ScaffoldOptions, ScaffoldPlan } from './types';

/**
 * Plans twice when needed: first without knowing the target's content (to learn the paths),
 * then with what `readExisting` found at those paths, so kinds are exact.
 */
export async function planNotebook(
  notebook: Notebook,
  options: Omit<ScaffoldOptions, 'existing'>,
  readExisting?: (paths: string[]) => ReadonlyMap<string, string>,
): Promise<ScaffoldPlan> {
  const analysis = await analyzeNotebookFull(notebook);
  const first = plan(analysis, options);
  if (!first.ok || readExisting === undefined) return first;
  return plan(analysis, { ...options, existing: readExisting(first.changes.map((c) => c.path)) });
}
