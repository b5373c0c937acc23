/** `nb2prod check PATH...`: load every notebook, analyse it, and collect results per file. */
import type { Diagnostic } from '../core/diagnostic';
import { analyzeNotebookFull, type AnalyzeOptions } from '../core/engine';
import type { Verdict } from '../core/analysis/verdict';
import type { Notebook } from '../core/notebook/model';
import { findNotebookFiles, loadNotebookFile, NotebookError } from '../core/notebook';
import { scanPickleFile, type PickleScan } from '../core/artifacts/pickle-scan';
import { checkProjectFolders } from '../core/project';
import { ruleSelected } from '../core/rules/registry';
import { unsafePickle } from '../core/rules/unsafe-pickle';

/** The result for one file: its diagnostics, or the one-line reason it could not be checked. */
export interface FileResult {
  path: string;
  notebook: Notebook | null;
  diagnostics: Diagnostic[];
  error: string | null;
  /** For `.ipynb` files: would Restart & Run All reproduce the saved outputs (text output only). */
  verdict?: Verdict;
}

/**
 * Checks every notebook under `paths`; one bad file never stops the others. Folders are projects
 * too: the project rules (PR303, PR304) add their findings per `.py` file, and PR305 scans the
 * pickle/joblib files a folder holds, statically.
 */
export async function checkPaths(paths: readonly string[], options: AnalyzeOptions): Promise<FileResult[]> {
  const results = await checkNotebooks(paths, options);
  const project = await checkProjectFolders(paths, options);
  const add = (path: string, diagnostics: Diagnostic[]): void => {
    const result = results.find((r) => r.path === path);
    if (result) result.diagnostics.push(...diagnostics);
    else results.push({ path, notebook: null, diagnostics, error: null });
  };
  for (const file of project.diagnostics) add(file.path, file.diagnostics);
  const severity = options.severity?.[unsafePickle.code];
  if (ruleSelected(unsafePickle.code, options.select, options.ignore) && severity !== 'off') {
    for (const path of project.pickles) {
      const found = unsafePickleFindings(await scanPickleFile(path), severity ?? unsafePickle.severity);
      if (found.length > 0) add(path, found);
    }
  }
  return results.sort((a, b) => a.path.localeCompare(b.path));
}

/** PR305 findings of one scan: one per global outside the allowlist, or one for an incomplete scan. */
function unsafePickleFindings(scan: PickleScan, severity: Diagnostic['severity']): Diagnostic[] {
  const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const finding = (message: string, data: Record<string, unknown>): Diagnostic => ({
    code: unsafePickle.code,
    name: unsafePickle.name,
    severity,
    message,
    cell: 0,
    range: at,
    related: [],
    data,
  });
  const found = scan.unsafe.map((global) =>
    finding(`Loading this file imports and can call \`${global}\`, which is outside the allowlist of sklearn, numpy and joblib globals.`, { global }),
  );
  if (!scan.complete)
    found.push(finding(`The static scan could not read the whole file (${scan.error ?? 'unknown reason'}), so it is treated as unsafe.`, { incomplete: true }));
  return found;
}

async function checkNotebooks(paths: readonly string[], options: AnalyzeOptions): Promise<FileResult[]> {
  const { files, errors } = await findNotebookFiles([...paths]);
  const results: FileResult[] = errors.map((e) => ({ path: e.path, notebook: null, diagnostics: [], error: e.message }));
  for (const path of files) {
    try {
      const notebook = await loadNotebookFile(path);
      const analysis = await analyzeNotebookFull(notebook, options);
      const diagnostics = analysis.diagnostics;
      const verdict = notebook.format === 'ipynb' ? { verdict: analysis.verdict } : {};
      results.push({ path, notebook, diagnostics, error: null, ...verdict });
    } catch (error) {
      results.push({ path, notebook: null, diagnostics: [], error: describe(error) });
    }
  }
  return results;
}

function describe(error: unknown): string {
  if (error instanceof NotebookError) return error.message;
  // Anything else is a bug in nb2prod, not in the notebook: still one line, never a stack.
  const message = error instanceof Error ? error.message : String(error);
  return `internal error while analysing this file (please report it): ${message.split('\n')[0]}`;
}
