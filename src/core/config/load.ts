/**
 * Finding and reading the project configuration that governs a file: the nearest folder upward
 * with a `nb2prod.toml`, or a `pyproject.toml` holding `[tool.nb2prod]` (a `pyproject.toml`
 * without that table is passed over). In one folder `nb2prod.toml` wins. The nearest file is
 * the whole configuration: files further up are not merged in.
 *
 * The CLI and the extension read configurations only through this module.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type { z } from 'zod';
import type { Severity } from '../diagnostic';
import { RULES } from '../rules/registry';
import { compileGlob, type Glob } from './glob';
import { configSchema, DEFAULT_EXCLUDE } from './schema';

/** A validated configuration, ready to apply to the files below its folder. */
export interface ProjectConfig {
  /** The file it was read from. */
  path: string;
  /** The folder its globs are relative to: the file's own. */
  root: string;
  select?: string[];
  ignore?: string[];
  /** Per glob, the codes or prefixes skipped in the files it matches. */
  perFileIgnores: { glob: Glob; codes: string[] }[];
  /** Severity per exact rule code (prefix keys expanded; a longer key wins over a shorter one). */
  severity: Record<string, Severity | 'off'>;
  /** `exclude` (or the default list) plus `extend-exclude`. */
  exclude: Glob[];
}

/** A configuration file that cannot be used; the message is one line naming the file and the key. */
export class ConfigError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** The names looked for in each folder, in order of preference. */
export const CONFIG_FILES = ['nb2prod.toml', 'pyproject.toml'] as const;

/**
 * Finds and reads configurations, remembering what each folder resolved to. One instance per
 * CLI run; the extension makes one per analysis, so an edited file always shows.
 */
export class ConfigLoader {
  private readonly byFolder = new Map<string, ProjectConfig | null>();
  private readonly byFile = new Map<string, ProjectConfig | null | ConfigError>();

  /** The configuration governing `path` (a file or a folder), or undefined. Throws ConfigError. */
  configFor(path: string, isFolder = false): ProjectConfig | undefined {
    return this.inFolder(isFolder ? path : dirname(path)) ?? undefined;
  }

  private inFolder(folder: string): ProjectConfig | null {
    const known = this.byFolder.get(folder);
    if (known !== undefined) return known;
    let found: ProjectConfig | null = null;
    for (const name of CONFIG_FILES) {
      found = this.read(join(folder, name));
      if (found) break;
    }
    const parent = dirname(folder);
    if (!found && parent !== folder) found = this.inFolder(parent);
    this.byFolder.set(folder, found);
    return found;
  }

  private read(path: string): ProjectConfig | null {
    const known = this.byFile.get(path);
    if (known instanceof ConfigError) throw known;
    if (known !== undefined) return known;
    let result: ProjectConfig | null | ConfigError;
    try {
      result = readConfigFile(path);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      result = error;
    }
    this.byFile.set(path, result);
    if (result instanceof ConfigError) throw result;
    return result;
  }
}

/** Reads one candidate file: null when it does not exist or (a pyproject.toml) has no `[tool.nb2prod]`. */
export function readConfigFile(path: string): ProjectConfig | null {
  if (!isFile(path)) return null;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, `cannot read (${error instanceof Error ? error.message : String(error)})`);
  }
  const isPyproject = path.endsWith('pyproject.toml');
  // A pyproject.toml that never mentions nb2prod is none of our business, even if it is broken.
  if (isPyproject && !text.includes('nb2prod')) return null;
  let data: Record<string, unknown>;
  try {
    data = parse(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) throw new ConfigError(`${path}:${error.line}:${error.column}`, `invalid TOML (${firstLine(error.message)})`);
    throw error;
  }
  const tool = isPyproject ? (data['tool'] as Record<string, unknown> | undefined)?.['nb2prod'] : data;
  if (tool === undefined) return null;
  const prefix = isPyproject ? 'tool.nb2prod' : '';
  const parsed = configSchema.safeParse(tool);
  if (!parsed.success) throw new ConfigError(path, describeIssue(parsed.error.issues[0], prefix));
  const config = parsed.data;
  const root = dirname(path);
  return {
    path,
    root,
    ...(config.select ? { select: config.select } : {}),
    ...(config.ignore ? { ignore: config.ignore } : {}),
    perFileIgnores: Object.entries(config['per-file-ignores'] ?? {}).map(([pattern, codes]) => ({ glob: compileGlob(pattern), codes })),
    severity: expandSeverity(config.severity ?? {}),
    exclude: [...(config.exclude ?? DEFAULT_EXCLUDE), ...(config['extend-exclude'] ?? [])].map(compileGlob),
  };
}

/** `severity = { NB1 = "info", NB104 = "error" }` as one entry per rule code, the longest key winning. */
function expandSeverity(table: Record<string, Severity | 'off'>): Record<string, Severity | 'off'> {
  const entries = Object.entries(table)
    .map(([key, level]) => [key.trim().toUpperCase(), level] as const)
    .sort((a, b) => a[0].length - b[0].length);
  const result: Record<string, Severity | 'off'> = {};
  for (const [key, level] of entries) for (const rule of RULES) if (rule.code.startsWith(key)) result[rule.code] = level;
  return result;
}

/** `key \`tool.nb2prod.severity.NB101\`: expected one of ...`, from zod's first issue. */
function describeIssue(issue: z.core.$ZodIssue | undefined, prefix: string): string {
  if (!issue) return 'invalid configuration';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `\`${[prefix, ...issue.path.map(String), k].filter((p) => p !== '').join('.')}\``);
    return `unknown key ${keys.join(', ')} (known: ${Object.keys(configSchema.shape).join(', ')})`;
  }
  const key = [prefix, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))]
    .filter((p) => p !== '')
    .join('.')
    .replace(/\.\[/g, '[');
  return `key \`${key}\`: ${issue.message}`;
}

function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    // ENOTDIR and the like: a folder that is not one holds no configuration.
    return false;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
