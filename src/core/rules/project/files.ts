/**
 * What the project rules (PR303, PR304) see of a Python project, scaffolded or hand-written:
 * its files, which of them train and which predict. Reading the folder is the engine's job
 * (src/core/project.ts); this module only describes the facts, so rules do no I/O.
 */

/** One Python file of the project. */
export interface ProjectFile {
  /** Path relative to the project folder, with forward slashes. */
  path: string;
  text: string;
  /** `train` (fits and saves), `predict` (serves predictions), or `other`. */
  role: 'train' | 'predict' | 'other';
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

/** The role of a file from its name and content. */
export function roleOf(path: string, text: string): ProjectFile['role'] {
  const name = path.split('/').pop() ?? path;
  if (/^(predict|inference|infer|serve|serving|app|handler)\w*\.py$/.test(name)) return 'predict';
  if (/^(train|training|fit)\w*\.py$/.test(name)) return 'train';
  if (/\.fit\(/.test(text) && /(joblib|pickle)\.dump\(|\.save\(|SerializeToString/.test(text)) return 'train';
  return 'other';
}

/** A match's 0-based line and character. */
export function positionOf(text: string, index: number): { line: number; character: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length - 1;
  return { line, character: index - (before.lastIndexOf('\n') + 1) };
}
