/**
 * Reads an `.ipynb` file's text into a Notebook: JSON syntax errors with their line:column,
 * nbformat version checks, schema validation with JSON paths, and for each cell where its
 * source lines are in the file (see source-locations.ts).
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { Cell, CellOrigin, KernelInfo, Notebook, SourceSegment } from './model';
import { NotebookError } from './errors';
import { notebookSchema, type CellContent } from './ipynb-schema';
import { LineCounter, locateSources, type SourceLiterals } from './source-locations';
import { lineStarts } from './positions';

/**
 * Parses an nbformat 4 notebook. Throws a NotebookError (one line) for invalid JSON, other
 * nbformat versions and schema violations.
 */
export function parseIpynb(path: string, text: string): Notebook {
  if (text.trim() === '') throw new NotebookError(path, 'empty file, expected a notebook');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw jsonSyntaxError(path, text, error);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new NotebookError(path, 'expected a notebook object', '(root)');
  }
  checkVersion(path, json as Record<string, unknown>);

  const result = notebookSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const issuePath = issue?.path ?? [];
    throw new NotebookError(path, describeIssue(issue, valueAt(json, issuePath)), formatJsonPath(issuePath));
  }
  const content = result.data;
  const locations = locateSources(text);
  const counter = new LineCounter(text);
  const cells = content.cells.map((cell, index) => toCell(cell, index, locations.get(index), counter));
  return {
    path,
    format: 'ipynb',
    nbformatVersion: `${content.nbformat}.${content.nbformat_minor}`,
    language: notebookLanguage(content.metadata),
    ...kernelInfo(content.metadata),
    cells,
  };
}

/** The kernel's name, language and language version, as far as the metadata gives them. */
function kernelInfo(metadata: Record<string, unknown>): { kernel?: KernelInfo } {
  const object = (holder: unknown, key: string): Record<string, unknown> | undefined => {
    const value = typeof holder === 'object' && holder !== null ? (holder as Record<string, unknown>)[key] : undefined;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  };
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
  const spec = object(metadata, 'kernelspec');
  const info = object(metadata, 'language_info');
  const kernel: KernelInfo = {};
  const name = text(spec?.['name']);
  const displayName = text(spec?.['display_name']);
  const languageVersion = text(info?.['version']) ?? text(object(info, 'codemirror_mode')?.['version']);
  if (name !== undefined) kernel.name = name;
  if (displayName !== undefined) kernel.displayName = displayName;
  if (languageVersion !== undefined) kernel.languageVersion = languageVersion;
  const language = text(spec?.['language']) ?? text(info?.['name']);
  if (language !== undefined) kernel.language = language.toLowerCase();
  return Object.keys(kernel).length > 0 ? { kernel } : {};
}

/** Rejects nbformat 3 and older, and future majors, before the schema would give a vaguer error. */
function checkVersion(path: string, json: Record<string, unknown>): void {
  const major = json['nbformat'];
  if (major === undefined) {
    throw new NotebookError(path, 'not a Jupyter notebook: it has no "nbformat" version');
  }
  if (typeof major !== 'number') throw new NotebookError(path, `not a Jupyter notebook: its "nbformat" is ${JSON.stringify(major)}, not a version number`);
  if (major < 4) {
    throw new NotebookError(path, `nbformat ${major} is not supported, only nbformat 4 is (convert it with \`jupyter nbconvert --to notebook --nbformat 4\`)`);
  }
  if (major > 4) throw new NotebookError(path, `nbformat ${major} is not supported, only nbformat 4 is`);
}

function toCell(content: CellContent, index: number, location: SourceLiterals | undefined, counter: LineCounter): Cell {
  const pieces = typeof content.source === 'string' ? [content.source] : content.source;
  const source = pieces.join('');
  const cell: Cell = {
    index,
    kind: content.cell_type,
    source,
    executionCount: content.cell_type === 'code' ? content.execution_count : null,
    outputCount: content.cell_type === 'code' ? content.outputs.length : 0,
  };
  if (content.id !== undefined) cell.id = content.id;
  if (content.cell_type === 'code') {
    // An error output is definite; a count without one means the last run completed.
    if (content.outputs.some((o) => o.output_type === 'error')) cell.executionSuccess = false;
    else if (content.execution_count !== null) cell.executionSuccess = true;
    const compileError = content.outputs.find(isCompileError);
    if (compileError?.output_type === 'error') cell.savedSyntaxError = `${compileError.ename}: ${compileError.evalue}`;
  }
  const origin = location && cellOrigin(source, pieces, location, counter);
  if (origin) cell.origin = origin;
  return cell;
}

/** Maps each literal to a segment and each cell line to the file line of the literal holding its start. */
function cellOrigin(source: string, pieces: string[], location: SourceLiterals, counter: LineCounter): CellOrigin | undefined {
  const literals = location.literals;
  if (literals.length !== pieces.length) return undefined;
  const valueStart = counter.at(location.valueStart);
  const segments: SourceSegment[] = [];
  let offset = 0;
  literals.forEach(([start, end], k) => {
    const piece = pieces[k] ?? '';
    const at = counter.at(start);
    const segment: SourceSegment = { offset, line: at.line, character: at.character + 1 };
    const raw = counter.text.slice(start, end);
    if (raw !== JSON.stringify(piece)) segment.raw = raw;
    segments.push(segment);
    offset += piece.length;
  });
  // Line starts and segments are both sorted by offset: one forward walk pairs them.
  let k = -1;
  const lineMap = lineStarts(source).map((lineOffset) => {
    while (k + 1 < segments.length && (segments[k + 1]?.offset ?? Infinity) <= lineOffset) k++;
    return segments[k]?.line ?? valueStart.line;
  });
  return { firstLine: lineMap[0] ?? valueStart.line, lineMap, segments };
}

/** The kernel language: kernelspec.language, then language_info.name, then python. */
function notebookLanguage(metadata: Record<string, unknown>): string {
  const field = (objectKey: string, key: string): string | undefined => {
    const holder = metadata[objectKey];
    if (typeof holder !== 'object' || holder === null) return undefined;
    const value = (holder as Record<string, unknown>)[key];
    return typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : undefined;
  };
  return field('kernelspec', 'language') ?? field('language_info', 'name') ?? 'python';
}

/** Human words for jsonc-parser's error codes. */
const JSON_PROBLEMS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected content after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'control character in string',
};

/**
 * JSON.parse's message differs across node versions and has no line:column, so the text is
 * re-parsed with jsonc-parser in strict mode to find the first error's offset.
 */
function jsonSyntaxError(path: string, text: string, cause: unknown): NotebookError {
  // A web page saved under the notebook's name (a browser's "Save as" on a notebook viewer) is
  // common in public repositories; say what it is rather than where its JSON breaks.
  if (/^\s*(<!doctype html|<html)/i.test(text))
    return new NotebookError(path, 'not a notebook: the file is an HTML page (a web page saved under a .ipynb name)');
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  let offset: number | undefined = first?.offset;
  let problem = first ? (JSON_PROBLEMS[printParseErrorCode(first.error)] ?? 'syntax error') : undefined;
  if (first && first.offset >= text.length) problem = `unexpected end of file (${problem})`;
  if (offset === undefined) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const match = /position (\d+)/.exec(message);
    offset = match ? Number(match[1]) : text.length;
    problem = 'syntax error';
  }
  const at = new LineCounter(text).at(Math.min(offset, text.length));
  return new NotebookError(path, `invalid JSON: ${problem}`, `${at.line + 1}:${at.character + 1}`);
}

type Issue = { code: string; message: string; expected?: string; values?: unknown[]; options?: unknown[] } | undefined;

function describeIssue(issue: Issue, value: unknown): string {
  if (!issue) return 'invalid notebook';
  const received = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  const quoteAll = (values: unknown[]): string => values.map((v) => JSON.stringify(v)).join(', ');
  if (issue.code === 'invalid_union' && issue.options) return `expected one of ${quoteAll(issue.options)}`;
  if (issue.code === 'invalid_value' && issue.values) return `expected one of ${quoteAll(issue.values)}`;
  if (issue.code === 'invalid_type') {
    const expected = issue.expected === 'int' ? 'integer' : (issue.expected ?? 'a value');
    if (value === undefined) return `missing required property (expected ${expected})`;
    return `expected ${expected}, got ${received}`;
  }
  if (issue.code === 'too_small') return `expected a non-negative number, got ${JSON.stringify(value)}`;
  return issue.message;
}

/** The value at a zod issue path, to say what was found instead. */
function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let current = json;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** `cells[3].outputs[0].text`, the JSON path readers know from jq and JavaScript. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * An error output of Python compiling the cell: a syntax error class, shown by IPython without a
 * call stack. A `SyntaxError` raised while the cell ran (`exec`, `ast.parse`, an import) has one
 * (`Traceback (most recent call last)`, `---->` lines).
 */
function isCompileError(output: { output_type: string; ename?: string; traceback?: string[] }): boolean {
  if (output.output_type !== 'error' || !['SyntaxError', 'IndentationError', 'TabError'].includes(output.ename ?? '')) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes in saved tracebacks
  const text = (output.traceback ?? []).join('\n').replace(/\x1b\[[0-9;]*m/g, '');
  return !/most recent call last|---->/.test(text);
}
