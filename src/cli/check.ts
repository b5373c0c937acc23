/** `nb2prod check PATH...`: load every notebook, analyse it, and collect results per file. */
import type { Diagnostic } from '../core/diagnostic';
import { analyzeNotebookFull, type AnalyzeOptions } from '../core/engine';
import type { Verdict } from '../core/analysis/verdict';
import type { Notebook } from '../core/notebook/model';
import { findNotebookFiles, loadNotebookFile, NotebookError } from '../core/notebook';
import type { ExcludeRule } from '../core/notebook/load';
import { ConfigError, ConfigLoader, isExcluded, optionsFor, type ProjectConfig } from '../core/config';
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
 * pickle/joblib files a folder holds, statically. Each file is checked with the project
 * configuration nearest to it, `overrides` (the command-line flags) on top; a configuration that
 * cannot be read is reported once, as the result of its own path, and its files are not checked.
 */
export async function checkPaths(paths: readonly string[], overrides: AnalyzeOptions, loader = new ConfigLoader()): Promise<FileResult[]> {
  const broken = new Map<string, FileResult>();
  const configOf = (path: string, isFolder = false): ProjectConfig | undefined | null => {
    try {
      return loader.configFor(path, isFolder);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      broken.set(error.message, { path: error.path, notebook: null, diagnostics: [], error: error.message });
      return null;
    }
  };
  const exclude = (path: string): boolean | undefined => {
    const config = configOf(path);
    return config ? isExcluded(config, path) : undefined;
  };
  const results = await checkNotebooks(paths, exclude, (path) => {
    const config = configOf(path);
    return config === null ? null : optionsFor(config, path, overrides);
  });
  // Folder-level findings land on files of their own: those files' exclude and per-file-ignores apply too.
  const add = (path: string, found: Diagnostic[]): void => {
    const config = configOf(path);
    if (config === null || isExcluded(config, path)) return;
    const severity = optionsFor(config, path, overrides).severity ?? {};
    const diagnostics = found.filter((d) => severity[d.code] !== 'off');
    if (diagnostics.length === 0) return;
    const result = results.find((r) => r.path === path);
    if (result) result.diagnostics.push(...diagnostics);
    else results.push({ path, notebook: null, diagnostics, error: null });
  };
  for (const folder of paths) {
    const config = configOf(folder, true);
    if (config === null) continue;
    const options = optionsFor(config, folder, overrides);
    const project = await checkProjectFolders([folder], options);
    for (const file of project.diagnostics) add(file.path, file.diagnostics);
    const severity = options.severity?.[unsafePickle.code];
    if (!ruleSelected(unsafePickle.code, options.select, options.ignore) || severity === 'off') continue;
    for (const path of project.pickles) {
      const found = unsafePickleFindings(await scanPickleFile(path), severity ?? unsafePickle.severity);
      if (found.length > 0) add(path, found);
    }
  }
  return [...results, ...broken.values()].sort((a, b) => a.path.localeCompare(b.path));
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

/** Checks each notebook file with its own options; a file whose options are null (broken configuration) is skipped. */
async function checkNotebooks(paths: readonly string[], exclude: ExcludeRule, optionsOf: (path: string) => AnalyzeOptions | null): Promise<FileResult[]> {
  const { files, errors } = await findNotebookFiles([...paths], exclude);
  const results: FileResult[] = errors.map((e) => ({ path: e.path, notebook: null, diagnostics: [], error: e.message }));
  for (const path of files) {
    const options = optionsOf(path);
    if (options === null) continue;
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
