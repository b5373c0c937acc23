/**
 * The project's own modules a pickle may import. A scaffolded model whose first Pipeline step is
 * the notebook's feature engineering pickles a reference to `src.data.preprocessing.model_features`;
 * training lists the modules such references name in the manifest (`project_modules`), and the
 * static scan (PR305) admits their globals on top of PICKLE_ALLOWLIST. Only modules of the
 * project's `src` package whose file exists in the project are admitted, and only undotted
 * public names that are not denied: a manifest cannot widen the allowlist to `os.system`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalGlobal, PICKLE_ALLOWLIST } from './pickle-allowlist';
import type { PickleScan } from './pickle-scan';

/** Whether `module` names a module of the scaffolded package (`src.data.preprocessing`). */
export function isProjectModuleName(module: string): boolean {
  return /^src(\.[A-Za-z][A-Za-z0-9_]*)+$/.test(module);
}

/** The manifest's project modules that are modules of the project under `root` (a `.py` file there). */
export function projectModulesIn(root: string, modules: readonly string[] | undefined): string[] {
  return (modules ?? []).filter((m) => isProjectModuleName(m) && existsSync(`${join(root, ...m.split('.'))}.py`));
}

/** Whether `global` (`module.name`) is a public function or class of one of `modules`. */
export function isProjectGlobal(global: string, modules: readonly string[]): boolean {
  const canonical = canonicalGlobal(global);
  const dot = canonical.lastIndexOf('.');
  const module = canonical.slice(0, dot);
  const name = canonical.slice(dot + 1);
  return modules.includes(module) && /^[A-Za-z][A-Za-z0-9_]*$/.test(name) && !(PICKLE_ALLOWLIST.deniedNames as readonly string[]).includes(name);
}

/** The scan with the globals of the project's modules allowed. */
export function admitProjectGlobals(scan: PickleScan, modules: readonly string[]): PickleScan {
  if (modules.length === 0) return scan;
  const globals = scan.globals.map((g) => (!g.allowed && isProjectGlobal(g.global, modules) ? { ...g, allowed: true } : g));
  return { ...scan, globals, unsafe: scan.unsafe.filter((name) => !isProjectGlobal(name, modules)) };
}
