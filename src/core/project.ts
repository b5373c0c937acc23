/**
 * The engine's entry point for folders given to `nb2prod check`: reads the Python files of each
 * folder once and runs the project rules (PR303, PR304) over them, with the same selection, tiers
 * and severity overrides as the notebook rules. It also lists the pickle/joblib files a folder
 * holds, which the CLI hands to the static scanner for PR305.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Diagnostic } from './diagnostic';
import type { AnalyzeOptions } from './engine';
import { roleOf, type ProjectFile, type ProjectFinding } from './rules/project/files';
import { PROJECT_RULES, previewSelected, ruleSelected } from './rules/registry';
import type { ProjectRule } from './rules/types';

const SKIP = new Set(['node_modules', '.git', '.venv', 'venv', '__pycache__', 'build', 'dist']);

/** File endings of pickle-based artifacts (PR305 scans them; nothing here loads them). */
const PICKLE_ENDINGS = ['.pkl', '.pickle', '.joblib', '.sav'];

/** What a folder holds for the cross-file rules. */
export interface ProjectFolder {
  /** Every `.py` file, with its role. */
  files: ProjectFile[];
  /** Pickle-based artifacts, as paths relative to the folder with forward slashes. */
  pickles: string[];
}

/** Reads every `.py` file under a folder and lists its pickle-based artifacts. */
export async function readProject(folder: string): Promise<ProjectFolder> {
  const files: ProjectFile[] = [];
  const pickles: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (SKIP.has(entry.name) || entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      const path = relative(folder, full).split(sep).join('/');
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith('.py')) {
        const text = await readFile(full, 'utf8');
        files.push({ path, text, role: roleOf(path, text) });
      } else if (PICKLE_ENDINGS.some((ending) => entry.name.endsWith(ending))) pickles.push(path);
    }
  };
  await walk(folder);
  return { files: files.sort((a, b) => a.path.localeCompare(b.path)), pickles: pickles.sort() };
}

/** Project-rule diagnostics per file, and the pickle artifacts, for every folder among `paths`. */
export async function checkProjectFolders(
  paths: readonly string[],
  options: AnalyzeOptions = {},
): Promise<{ diagnostics: { path: string; diagnostics: Diagnostic[] }[]; pickles: string[] }> {
  const diagnostics: { path: string; diagnostics: Diagnostic[] }[] = [];
  const pickles: string[] = [];
  for (const folder of paths) {
    if (!(await stat(folder).catch(() => undefined))?.isDirectory()) continue;
    const project = await readProject(folder);
    pickles.push(...project.pickles.map((p) => join(folder, p)));
    const byFile = new Map<string, Diagnostic[]>();
    for (const rule of PROJECT_RULES) {
      const severity = options.severity?.[rule.code];
      if (!ruleSelected(rule.code, options.select, options.ignore) || severity === 'off') continue;
      if (rule.tier === 'preview' && !previewSelected(rule.code, options.select)) continue;
      for (const finding of rule.check(project.files)) {
        const path = join(folder, finding.path);
        byFile.set(path, [...(byFile.get(path) ?? []), toDiagnostic(rule, finding, severity)]);
      }
    }
    for (const [path, found] of byFile) diagnostics.push({ path, diagnostics: found });
  }
  return { diagnostics, pickles };
}

/** A project finding as a check diagnostic (cell 0: a plain .py file is one cell). */
function toDiagnostic(rule: ProjectRule, finding: ProjectFinding, severity: Diagnostic['severity'] | undefined): Diagnostic {
  const start = { line: finding.line, character: finding.character };
  return {
    code: rule.code,
    name: rule.name,
    severity: severity ?? rule.severity,
    message: finding.message,
    cell: 0,
    range: { start, end: { line: finding.line, character: finding.character + finding.length } },
    related: [],
    data: finding.data,
  };
}
