/**
 * The glob patterns of `exclude`, `extend-exclude` and `per-file-ignores`, as ruff reads them:
 * a pattern with a `/` is matched against the path relative to the configuration file's folder;
 * one without is matched against each name along that path (`legacy`, `*.py`). The patterns are
 * picomatch's: `*` and `?` stay within one name, `**` spans folders, `{a,b}` is either, `[abc]` one of.
 */
import { relative, sep } from 'node:path';
import picomatch from 'picomatch';

/** A compiled pattern. */
export interface Glob {
  pattern: string;
  regex: RegExp;
  /** No `/`: matched against every name along the path rather than the whole path. */
  anyName: boolean;
}

export function compileGlob(pattern: string): Glob {
  const trimmed = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  return { pattern, regex: picomatch.makeRe(trimmed, { dot: true }), anyName: !trimmed.includes('/') };
}

/** Whether `glob` matches `path` (absolute) or one of its folders, relative to `root`. */
export function globMatches(glob: Glob, root: string, path: string): boolean {
  const rel = relative(root, path).split(sep).join('/');
  if (rel.startsWith('../') || rel === '..') return false;
  const parts = rel.split('/');
  if (glob.anyName) return parts.some((part) => glob.regex.test(part));
  // A pattern naming a folder covers everything inside it.
  for (let i = parts.length; i > 0; i--) if (glob.regex.test(parts.slice(0, i).join('/'))) return true;
  return false;
}
