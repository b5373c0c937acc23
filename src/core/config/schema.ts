/**
 * The keys of `[tool.nb2prod]` in `pyproject.toml`, or of a whole `nb2prod.toml`: the one
 * definition the loader validates against. Keys are kebab-case, as ruff's.
 */
import { z } from 'zod';
import { RULES, unknownCodes } from '../rules/registry';

const code = z.string().refine((c) => unknownCodes([c]).length === 0, { message: 'is not a rule code or prefix' });
const codes = z.array(code);
const severity = z.enum(['error', 'warning', 'info', 'hint', 'off']);

/** A rule code or prefix as a table key (`severity`'s keys). */
const codeKey = z.string().refine((c) => RULES.some((r) => r.code.startsWith(c.trim().toUpperCase())), { message: 'is not a rule code or prefix' });

export const configSchema = z.strictObject({
  /** Codes or prefixes to run, as `--select`. */
  select: codes.optional(),
  /** Codes or prefixes to skip, as `--ignore`. */
  ignore: codes.optional(),
  /** Glob (relative to the file's folder) to codes or prefixes skipped in the files it matches. */
  'per-file-ignores': z.record(z.string(), codes).optional(),
  /** Code or prefix to severity; `off` disables. A code wins over a prefix that covers it. */
  severity: z.record(codeKey, severity).optional(),
  /** Globs of files and folders never checked; replaces the default list. */
  exclude: z.array(z.string()).optional(),
  /** Globs added to `exclude` (or to the default list). */
  'extend-exclude': z.array(z.string()).optional(),
});

/** A configuration as written in the file, validated. */
export type ConfigFile = z.infer<typeof configSchema>;

/** What is never checked unless `exclude` says otherwise: the folders the walker always skipped. */
export const DEFAULT_EXCLUDE: readonly string[] = ['.*', 'node_modules', '__pycache__', 'venv', '.venv', '.ipynb_checkpoints'];
