/** Runs the project rules (PR303, PR304) on folders given to `nb2prod check`. */
import { stat } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostic';
import { ruleSelected } from '../rules/registry';
import { artifactPathMismatch } from '../rules/artifact-path-mismatch';
import { predictImportsTrain } from '../rules/predict-imports-train';
import { readProject, toDiagnostic, type ProjectRule } from './project-files';
import { join } from 'node:path';

/** The project rules, sorted by code. */
export const PROJECT_RULES: readonly ProjectRule[] = [artifactPathMismatch, predictImportsTrain];

/** Codes of rules that are not notebook rules (project rules and PR305), for --select/--ignore. */
export const NON_NOTEBOOK_CODES: readonly string[] = ['PR303', 'PR304', 'PR305'];

/** Project-rule diagnostics per file for every folder among `paths`. */
export async function checkProjectFolders(paths: readonly string[], select?: readonly string[], ignore?: readonly string[]): Promise<{ path: string; diagnostics: Diagnostic[] }[]> {
  const out: { path: string; diagnostics: Diagnostic[] }[] = [];
  for (const folder of paths) {
    if (!(await stat(folder).catch(() => undefined))?.isDirectory()) continue;
    const files = await readProject(folder);
    const byFile = new Map<string, Diagnostic[]>();
    for (const rule of PROJECT_RULES.filter((r) => ruleSelected(r.code, select, ignore))) {
      for (const finding of rule.check(files)) {
        const path = join(folder, finding.path);
        byFile.set(path, [...(byFile.get(path) ?? []), toDiagnostic(rule, finding)]);
      }
    }
    for (const [path, diagnostics] of byFile) out.push({ path, diagnostics });
  }
  return out;
}
