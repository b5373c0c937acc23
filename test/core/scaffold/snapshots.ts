/**
 * The golden notebooks of the scaffold tests and how their expected trees are stored:
 * test/fixtures/scaffold/expected/<name>/<path>, with `.gitignore` kept as `_gitignore` so that
 * the snapshot does not act as a real ignore file inside this repository.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNotebookFull } from '../../../src/core/engine';
import { SCAFFOLD_ANALYSIS } from '../../../src/core/scaffold/from-notebook';
import { loadNotebookFile } from '../../../src/core/notebook';
import { plan, type ScaffoldPlan } from '../../../src/core/scaffold';
import { repoRoot } from '../../helpers/paths';

/** Notebooks whose generated trees are snapshotted: name -> path from the repository root. */
export const GOLDEN: Record<string, string> = {
  churn: 'examples/churn.ipynb',
  house_prices: 'test/fixtures/scaffold/house_prices.ipynb',
  iris_percent: 'test/fixtures/scaffold/iris_percent.py',
  two_models: 'test/fixtures/scaffold/two_models.py',
  plan_search: 'test/fixtures/scaffold/plan_search.ipynb',
  passengers: 'test/fixtures/scaffold/passengers.ipynb',
  log_target: 'test/fixtures/scaffold/log_target.ipynb',
  travellers: 'test/fixtures/scaffold/travellers.ipynb',
  encoded: 'test/fixtures/scaffold/encoded.ipynb',
  onehot: 'test/fixtures/scaffold/onehot.ipynb',
  selected: 'test/fixtures/scaffold/selected.ipynb',
};

/** Where a generated file's snapshot lives. */
export function snapshotPath(name: string, path: string): string {
  return join(repoRoot, 'test', 'fixtures', 'scaffold', 'expected', name, path.replace(/(^|\/)\.gitignore$/, '$1_gitignore'));
}

/** Plans a golden notebook (optionally with templates read from disk instead of the embedded ones). */
export async function planGolden(name: string, templates?: Record<string, string>): Promise<ScaffoldPlan> {
  const path = join(repoRoot, GOLDEN[name]!);
  const notebook = await loadNotebookFile(path);
  const analysis = await analyzeNotebookFull(notebook, SCAFFOLD_ANALYSIS);
  return plan(analysis, { notebookName: path.split('/').pop()!, ...(templates ? { templates } : {}) });
}

/** A snapshot's content, or undefined when it does not exist. */
export function readSnapshot(name: string, path: string): string | undefined {
  try {
    return readFileSync(snapshotPath(name, path), 'utf8');
  } catch {
    return undefined;
  }
}
