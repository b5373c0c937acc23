/** `nb2prod check PATH...`: load every notebook, analyse it, and collect results per file. */
import type { Diagnostic } from '../core/diagnostic';
import { analyzeNotebookFull, type AnalyzeOptions } from '../core/engine';
import { reproducibilityVerdict, type Verdict } from '../core/analysis/verdict';
import type { Notebook } from '../core/notebook/model';
import { findNotebookFiles, loadNotebookFile, NotebookError } from '../core/notebook';

/** The result for one file: its diagnostics, or the one-line reason it could not be checked. */
export interface FileResult {
  path: string;
  notebook: Notebook | null;
  diagnostics: Diagnostic[];
  error: string | null;
  /** For `.ipynb` files: would Restart & Run All reproduce the saved outputs (text output only). */
  verdict?: Verdict;
}

/** Checks every notebook under `paths`; one bad file never stops the others. */
export async function checkPaths(paths: readonly string[], options: AnalyzeOptions): Promise<FileResult[]> {
  const { files, errors } = await findNotebookFiles([...paths]);
  const results: FileResult[] = errors.map((e) => ({ path: e.path, notebook: null, diagnostics: [], error: e.message }));
  for (const path of files) {
    try {
      const notebook = await loadNotebookFile(path);
      const { diagnostics, analysed } = await analyzeNotebookFull(notebook, options);
      const verdict = notebook.format === 'ipynb' ? { verdict: reproducibilityVerdict(analysed) } : {};
      results.push({ path, notebook, diagnostics, error: null, ...verdict });
    } catch (error) {
      results.push({ path, notebook: null, diagnostics: [], error: describe(error) });
    }
  }
  return results.sort((a, b) => a.path.localeCompare(b.path));
}

function describe(error: unknown): string {
  if (error instanceof NotebookError) return error.message;
  // Anything else is a bug in nb2prod, not in the notebook: still one line, never a stack.
  const message = error instanceof Error ? error.message : String(error);
  return `internal error while analysing this file (please report it): ${message.split('\n')[0]}`;
}
