/**
 * Cross-file checks of a Python project (scaffolded or hand-written): which files train and
 * which predict, what each writes and loads. The rules PR303 and PR304 run on these facts
 * rather than on one notebook, so they have their own small interface.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Diagnostic, Severity } from '../diagnostic';
import type { RuleDocs } from '../rules/types';

/** One Python file of the project. */
export interface ProjectFile {
  /** Path relative to the project folder, with forward slashes. */
  path: string;
  text: string;
  /** `train` (fits and saves), `predict` (serves predictions), or `other`. */
  role: 'train' | 'predict' | 'other';
}

/** A rule over a whole project folder. */
export interface ProjectRule {
  code: string;
  name: string;
  severity: Severity;
  docs: RuleDocs;
  check(files: readonly ProjectFile[]): ProjectFinding[];
}

/** A finding in one file; `line`/`character` are 0-based. */
export interface ProjectFinding {
  path: string;
  line: number;
  character: number;
  length: number;
  message: string;
  data: Record<string, unknown>;
}

const SKIP = new Set(['node_modules', '.git', '.venv', 'venv', '__pycache__', 'build', 'dist']);

/** The role of a file from its name and content. */
export function roleOf(path: string, text: string): ProjectFile['role'] {
  const name = path.split('/').pop() ?? path;
  if (/^(predict|inference|infer|serve|serving|app|handler)\w*\.py$/.test(name)) return 'predict';
  if (/^(train|training|fit)\w*\.py$/.test(name)) return 'train';
  if (/\.fit\(/.test(text) && /(joblib|pickle)\.dump\(|\.save\(|SerializeToString/.test(text)) return 'train';
  return 'other';
}

/** Reads every .py file under a folder. */
export async function readProject(folder: string): Promise<ProjectFile[]> {
  const files: ProjectFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (SKIP.has(entry.name) || entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith('.py')) {
        const text = await readFile(full, 'utf8');
        const path = relative(folder, full).split(sep).join('/');
        files.push({ path, text, role: roleOf(path, text) });
      }
    }
  };
  await walk(folder);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** A match's 0-based line and character. */
export function positionOf(text: string, index: number): { line: number; character: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length - 1;
  return { line, character: index - (before.lastIndexOf('\n') + 1) };
}

/** Findings of project rules as check diagnostics (cell 0: a plain .py file is one cell). */
export function toDiagnostic(rule: ProjectRule, finding: ProjectFinding): Diagnostic {
  const start = { line: finding.line, character: finding.character };
  return {
    code: rule.code, name: rule.name, severity: rule.severity, message: finding.message, cell: 0,
    range: { start, end: { line: finding.line, character: finding.character + finding.length } }, related: [], data: finding.data,
  };
}
