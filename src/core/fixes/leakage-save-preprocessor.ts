/**
 * PR301's fix: save the fitted transformer next to the model, with the call the notebook already
 * uses for the model, into the same folder, under the transformer's variable name:
 *
 *     joblib.dump(model, "models/churn.joblib")
 *     joblib.dump(scaler, "models/scaler.joblib")          (added)
 *
 * `with open(path, "wb") as f: pickle.dump(model, f)` is copied the same way. Unsafe: it writes
 * a new file (which may overwrite one of that name), and inference code still has to load it.
 */
import type { Fix } from '../diagnostic';
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import type { ObjectState, SaveEvent } from '../analysis/provenance';
import type { FlowExpr } from '../python/flow';
import {
  assignedName,
  before,
  callOf,
  insertAfter,
  methodCall,
  nameOf,
  ownsLines,
  spanOf,
  statementAt,
  textOf,
  type CallExpr,
  type TopStatement,
} from './leakage-statements';

/** The fix that saves `transformer` next to what `save` writes, or why there is none. */
export function savePreprocessorFix(analysed: AnalysedNotebook, save: SaveEvent, transformer: ObjectState): { fix: Fix } | { blockedBy: string } {
  const name = heldBy(analysed, transformer);
  if (typeof name !== 'string') return name;
  const at = statementAt(analysed, save.location);
  if (at === undefined) return { blockedBy: 'the model is not saved by a module-level statement' };
  const dump = dumpCall(at.top, at.start, at.end);
  if ('blockedBy' in dump) return dump;
  const definition = analysed.graph.definitions.get(name)?.[0];
  if (definition === undefined || !before({ cell: definition.cell, offset: definition.bindOffset }, spanOf(at.top).start)) {
    return { blockedBy: `\`${name}\` is not defined before the model is saved` };
  }
  const { python, statement } = at.top;
  const literal = dump.path;
  const quoted = /^([rRuU]?)("|')(.*)\2$/s.exec(textOf(python, literal));
  if (quoted === null || quoted[3]?.startsWith(quoted[2] ?? '') === true) return { blockedBy: 'the model path is not a plain string literal' };
  const [, prefix = '', quote = '"', body = ''] = quoted;
  const slash = Math.max(body.lastIndexOf('/'), body.lastIndexOf('\\'));
  const base = body.slice(slash + 1);
  const dot = base.lastIndexOf('.');
  const extension = dot > 0 ? base.slice(dot) : dump.callee.includes('joblib') ? '.joblib' : '.pkl';
  const newBase = `${name}${extension}`;
  if (newBase === base) return { blockedBy: `the model is already saved as \`${base}\`` };
  const replacements = [
    { start: dump.model.start, end: dump.model.end, text: name },
    { start: literal.start, end: literal.end, text: `${prefix}${quote}${body.slice(0, slash + 1)}${newBase}${quote}` },
  ].sort((a, b) => b.start - a.start);
  let text = python.slice(statement.start, statement.end);
  for (const r of replacements) text = text.slice(0, r.start - statement.start) + r.text + text.slice(r.end - statement.start);
  return { fix: { title: `Save the fitted \`${name}\` next to the model`, safety: 'unsafe', edits: [insertAfter(at.top, [text])] } };
}

/** The one module-level name that holds the transformer from its construction on. */
function heldBy(analysed: AnalysedNotebook, transformer: ObjectState): string | { blockedBy: string } {
  const className = transformer.className ?? 'transformer';
  const created = transformer.created === undefined ? undefined : statementAt(analysed, transformer.created);
  const name = created === undefined ? undefined : assignedName(created.top.statement);
  const value = created?.top.statement.kind === 'assign' ? callOf(created.top.statement.value) : undefined;
  // `scaler = StandardScaler()`, or `scaler = StandardScaler().fit(X)` (fit returns the transformer).
  const fitted = value === undefined ? undefined : methodCall(value);
  const direct = value !== undefined && created !== undefined && value.start === created.start && value.end === created.end;
  const chained = fitted?.method === 'fit' && fitted.object.kind === 'call' && fitted.object.start === created?.start && fitted.object.end === created.end;
  if (name === undefined || (!direct && !chained)) return { blockedBy: `the fitted \`${className}\` is not held by a name of its own` };
  if ((analysed.graph.definitions.get(name) ?? []).length !== 1) return { blockedBy: `\`${name}\` is bound more than once` };
  return name;
}

/** The dump call of a save statement: its callee, the model argument and the path literal. */
function dumpCall(top: TopStatement, start: number, end: number): { callee: string; model: FlowExpr; path: FlowExpr } | { blockedBy: string } {
  const { statement, python } = top;
  if (!ownsLines(top)) return { blockedBy: 'the save shares its line with another statement' };
  const inner = statement.kind === 'expression' ? [statement] : statement.kind === 'block' && statement.type === 'with_statement' ? statement.body : [];
  const call = inner.map((s) => (s.kind === 'expression' ? callOf(s.value) : undefined)).find((c) => c?.start === start && c.end === end);
  if (call === undefined) return { blockedBy: 'the model is not saved by a plain `dump(model, path)` statement' };
  const callee = textOf(python, call.callee);
  const method = call.callee.kind === 'attribute' ? call.callee.attribute : nameOf(call.callee);
  const positional = call.args.filter((a) => a.keyword === undefined && a.unpack === undefined).map((a) => a.value);
  const model = positional[0];
  const target = positional[1] ?? call.args.find((a) => a.keyword === 'filename' || a.keyword === 'file')?.value;
  if (method !== 'dump' || model === undefined || target === undefined || call.args.some((a) => a.unpack !== undefined)) {
    return { blockedBy: `\`${callee}\` is not a \`dump(model, path)\` call` };
  }
  let path = pathLiteral(target);
  if (statement.kind === 'block') {
    // `with open(path, "wb") as f:` with the dump as its only statement, writing to `f`.
    const [opened, only, ...rest] = statement.body;
    const open = opened?.kind === 'assign' ? callOf(opened.value) : undefined;
    if (
      rest.length > 0 ||
      only?.kind !== 'expression' ||
      open === undefined ||
      nameOf(open.callee) !== 'open' ||
      opened === undefined ||
      nameOf(target) !== assignedName(opened)
    ) {
      return { blockedBy: 'the `with` block around the save does more than open the file and dump the model' };
    }
    path = pathLiteral(open.args[0]?.value);
  }
  if (path === undefined) return { blockedBy: 'the model path is not written as a string in the save' };
  return { callee, model, path };
}

/** The string literal that names the file: the path itself, the last part of `a / "b"`, or the last argument of `os.path.join(...)`/`Path(...)`. */
function pathLiteral(expr: FlowExpr | undefined): Extract<FlowExpr, { kind: 'string' }> | undefined {
  if (expr === undefined) return undefined;
  if (expr.kind === 'string') return expr;
  if (expr.kind === 'operator' && expr.operator === '/') return pathLiteral(expr.operands.at(-1));
  if (expr.kind === 'call') {
    const call: CallExpr = expr;
    const last = call.args.at(-1);
    return last === undefined || last.keyword !== undefined || last.unpack !== undefined ? undefined : pathLiteral(last.value);
  }
  return undefined;
}
