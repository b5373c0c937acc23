/**
 * Applies a plan to disk atomically: every planned file is first written into a temporary
 * folder next to the target (same file system, so moves are renames), then moved into place.
 * If anything fails before the moves, the temporary folder is removed and the target is as it
 * was; files that exist and differ are never replaced without `force`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FileChange } from './types';

/** Files of a plan that would replace different content on disk. */
export function conflicts(changes: readonly FileChange[]): FileChange[] {
  return changes.filter((c) => c.kind === 'overwrite');
}

/** Reads what a target folder already holds at the planned paths (for `plan`'s `existing`). */
export function readExisting(target: string, paths: Iterable<string>): Map<string, string> {
  const found = new Map<string, string>();
  for (const path of paths) {
    const full = join(target, path);
    if (existsSync(full) && statSync(full).isFile()) found.set(path, readFileSync(full, 'utf8'));
  }
  return found;
}

/** Thrown when a write would replace existing files without `force`. */
export class ScaffoldConflictError extends Error {
  constructor(readonly paths: string[]) {
    super(`refusing to overwrite ${paths.length} existing file${paths.length === 1 ? '' : 's'} that differ (use --force): ${paths.join(', ')}`);
  }
}

/** Writes the plan; returns the paths written (unchanged files are skipped). */
export function writePlan(target: string, changes: readonly FileChange[], options: { force?: boolean } = {}): string[] {
  const blocked = conflicts(changes).map((c) => c.path);
  if (blocked.length > 0 && !options.force) throw new ScaffoldConflictError(blocked);
  const toWrite = changes.filter((c) => c.kind !== 'unchanged');
  if (toWrite.length === 0) return [];
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(target)}.nb2prod-`));
  try {
    for (const change of toWrite) {
      const file = join(staging, change.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, change.content, 'utf8');
    }
    mkdirSync(target, { recursive: true });
    for (const change of toWrite) {
      const destination = join(target, change.path);
      mkdirSync(dirname(destination), { recursive: true });
      renameSync(join(staging, change.path), destination);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return toWrite.map((c) => c.path);
}
