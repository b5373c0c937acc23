/**
 * From a project configuration and the user's own choices (CLI flags, VS Code settings) to the
 * options of one file's analysis. One precedence for both front ends:
 *  - a `select` given by the user replaces the file's `select` and `ignore` (it is the whole
 *    selection), except a `select` of `PREVIEW` alone, which adds the preview tier to the file's
 *    selection; an `ignore` given by the user adds to the file's;
 *  - a severity the user gives for a code wins over the file's for that code;
 *  - `per-file-ignores` and `exclude` always apply: a per-file code is turned `off`, which no
 *    selection, however specific, turns back on (as in ruff, where they apply after selection).
 */
import type { AnalyzeOptions } from '../engine';
import { PREVIEW_SELECTOR, RULES } from '../rules/registry';
import { globMatches } from './glob';
import type { ProjectConfig } from './load';

/** The options for `path` under `config` (if any), with the user's `overrides` applied. */
export function optionsFor(config: ProjectConfig | undefined, path: string, overrides: AnalyzeOptions = {}): AnalyzeOptions {
  // `PREVIEW` alone turns on a tier, it chooses no rules: it joins the file's selection.
  const userEntries = overrides.select ?? [];
  const userSelect = userEntries.some((entry) => entry.trim().toUpperCase() !== PREVIEW_SELECTOR);
  const select = userSelect ? userEntries : [...(config?.select ?? []), ...userEntries];
  const fileIgnores = userSelect ? [] : (config?.ignore ?? []);
  const perFile = config ? config.perFileIgnores.filter((p) => globMatches(p.glob, config.root, path)).flatMap((p) => p.codes) : [];
  const ignore = [...fileIgnores, ...(overrides.ignore ?? [])];
  const off = Object.fromEntries(RULES.filter((r) => perFile.some((p) => r.code.startsWith(p.toUpperCase()))).map((r) => [r.code, 'off' as const]));
  const severity = { ...config?.severity, ...overrides.severity, ...off };
  return {
    ...(select && select.length > 0 ? { select } : {}),
    ...(ignore.length > 0 ? { ignore } : {}),
    ...(Object.keys(severity).length > 0 ? { severity } : {}),
  };
}

/** Whether `config` excludes `path` (a file, or a folder being walked). */
export function isExcluded(config: ProjectConfig | undefined, path: string): boolean {
  return config?.exclude.some((glob) => globMatches(glob, config.root, path)) ?? false;
}
