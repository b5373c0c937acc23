/**
 * Rewrites one notebook statement for its place in the project: configuration variables become
 * `config.NAME`, data paths become `config.DATA_PATH`, and functions that used to read notebook
 * globals receive them as parameters (at their definition and at every call). Edits are made
 * by offsets from the parse, never by searching text, so strings and comments stay untouched.
 */
import type { ConfigSetting } from './config-values';
import { statementText, type Statement } from './statements';

/** What a rewrite replaces. */
export interface Rewrite {
  /** Configuration variables by notebook name. */
  settings: ReadonlyMap<string, ConfigSetting>;
  /** Names nothing defines, read from config instead. */
  unresolved: ReadonlyMap<string, ConfigSetting>;
  /** Functions given extra parameters: name -> the globals they now take. */
  widened: ReadonlyMap<string, string[]>;
  /** Data path literals by `cell:start:end` -> setting name. */
  dataPaths: Map<string, string>;
  /** Other expressions replaced by `cell:start:end` -> text (`[train]` for a loop over `[train, test]`). */
  replacements?: Map<string, string>;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The statement's text with the rewrites applied. */
export function rewriteStatement(statement: Statement, rewrite: Rewrite): string {
  const { text, offset } = statementText(statement);
  const edits: Edit[] = [];
  for (const use of [...statement.uses, ...statement.deferredUses]) {
    const setting = rewrite.settings.get(use.name) ?? rewrite.unresolved.get(use.name);
    if (setting !== undefined && !isWidenedParameter(statement, use.name, rewrite))
      edits.push({ start: use.offset, end: use.offset + use.name.length, text: `config.${setting.name}` });
  }
  for (const [key, name] of rewrite.dataPaths) {
    const [cell, start, end] = key.split(':').map(Number);
    if (cell === statement.cell && start! >= statement.start && end! <= statement.end) edits.push({ start: start!, end: end!, text: `config.${name}` });
  }
  for (const [key, replacement] of rewrite.replacements ?? []) {
    const [cell, start, end] = key.split(':').map(Number);
    if (cell === statement.cell && start! >= statement.start && end! <= statement.end) edits.push({ start: start!, end: end!, text: replacement });
  }
  // Calls of widened functions pass the globals the function used to read, by keyword.
  for (const call of statement.functions.length > 0 ? [] : statement.calls) {
    const extra = rewrite.widened.get(call.callee);
    if (extra === undefined) continue;
    const close = callCloseOffset(statement.python, call.range, statement);
    if (close === undefined) continue;
    const argumentText = extra.map((name) => `${name}=${name}`).join(', ');
    edits.push({ start: close, end: close, text: call.args.length > 0 ? `, ${argumentText}` : argumentText });
  }
  // The definition of a widened function gains the parameters.
  const flow = statement.flow;
  if (flow?.kind === 'def' && rewrite.widened.has(flow.name)) {
    const extra = rewrite.widened.get(flow.name)!;
    const close = parameterListClose(statement.python, flow.start);
    if (close !== undefined) edits.push({ start: close, end: close, text: `${flow.params.length > 0 ? ', ' : ''}${extra.join(', ')}` });
  }
  edits.sort((a, b) => b.start - a.start);
  let out = text;
  for (const edit of edits) {
    const start = edit.start - offset;
    const end = edit.end - offset;
    if (start < 0 || end > out.length) continue;
    out = out.slice(0, start) + edit.text + out.slice(end);
  }
  return out;
}

/** Inside a widened function, a global that became a parameter is read as the parameter. */
function isWidenedParameter(statement: Statement, name: string, rewrite: Rewrite): boolean {
  const flow = statement.flow;
  return flow?.kind === 'def' && (rewrite.widened.get(flow.name) ?? []).includes(name);
}

function callCloseOffset(python: string, range: { end: { line: number; character: number } }, statement: Statement): number | undefined {
  const lineStart = nthLineStart(python, range.end.line);
  const end = lineStart + range.end.character;
  const close = python.lastIndexOf(')', end - 1);
  return close >= statement.start ? close : undefined;
}

function nthLineStart(text: string, line: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) offset = text.indexOf('\n', offset) + 1;
  return offset;
}

/** The offset of the `)` closing a def's parameter list (parentheses and strings counted). */
function parameterListClose(python: string, defStart: number): number | undefined {
  const open = python.indexOf('(', defStart);
  if (open < 0) return undefined;
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < python.length; i++) {
    const c = python[i]!;
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return undefined;
}
