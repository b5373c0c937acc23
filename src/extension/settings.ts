/**
 * The `nb2prod.*` settings, read defensively: a hand-edited settings.json can hold any JSON, and
 * a wrong type must degrade to the default rather than break analysis.
 */
import * as vscode from 'vscode';
import type { AnalyzeOptions } from '../core/engine';

/** What the extension reads from `nb2prod.*` before each analysis. */
export interface Settings {
  /** `nb2prod.enable`: when false, nothing is analysed and published diagnostics are cleared. */
  enable: boolean;
  /** `nb2prod.analyzeDelay`: debounce, in milliseconds, after an edit or an execution. */
  analyzeDelay: number;
  /**
   * `nb2prod.select` / `nb2prod.ignore` / `nb2prod.severity`: the user's overrides of the project
   * configuration file (src/core/config/options.ts says how they combine).
   */
  options: AnalyzeOptions;
}

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);

/** Reads the current settings (for the workspace; nb2prod has no per-folder behaviour yet). */
export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('nb2prod');
  const delay = config.get<unknown>('analyzeDelay');
  return {
    enable: config.get<unknown>('enable') !== false,
    analyzeDelay: typeof delay === 'number' && Number.isFinite(delay) && delay >= 0 ? delay : 300,
    options: {
      select: stringList(config.get<unknown>('select')),
      ignore: stringList(config.get<unknown>('ignore')),
      severity: severityMap(config.get<unknown>('severity')),
    },
  };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

function severityMap(value: unknown): NonNullable<AnalyzeOptions['severity']> {
  const result: NonNullable<AnalyzeOptions['severity']> = {};
  if (typeof value !== 'object' || value === null) return result;
  for (const [code, level] of Object.entries(value)) {
    if (typeof level === 'string' && SEVERITIES.has(level)) {
      result[code.trim().toUpperCase()] = level as 'error' | 'warning' | 'info' | 'hint' | 'off';
    }
  }
  return result;
}
