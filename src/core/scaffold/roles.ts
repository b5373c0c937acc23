/**
 * What each top-level statement does, from its calls and from where it sits in the modelling
 * chain: never from markdown headings. Exploration (prints, plots, `head()`, `describe()`,
 * bare expressions that only display) is left out of the project and listed in its README.
 */
import type { FlowExpr } from '../python/flow';
import { callsIn } from './model-spec';
import { dotted, type NotebookIndex } from './notebook-index';
import type { Statement } from './statements';

/** The role of a statement (and, by majority, of a cell). */
export type StatementRole =
  | 'setup'
  | 'config'
  | 'ingestion'
  | 'preprocessing'
  | 'training'
  | 'evaluation'
  | 'prediction'
  | 'exploration'
  | 'other-model'
  | 'unused';

const EXPLORATION_METHODS = new Set([
  'print',
  'display',
  'head',
  'tail',
  'describe',
  'info',
  'plot',
  'hist',
  'show',
  'value_counts',
  'sample',
  'corr',
  'nunique',
  'isnull',
  'isna',
  'unique',
  'boxplot',
  'scatter',
  'heatmap',
  'pairplot',
  'countplot',
  'histplot',
  'barplot',
  'lineplot',
  'figure',
  'subplots',
  'title',
  'xlabel',
  'ylabel',
  'legend',
  'savefig',
  'imshow',
  'bar',
  'pie',
  'set_title',
  'tight_layout',
  'memory_usage',
  'pprint',
]);
const PLOTTING_MODULES = ['matplotlib', 'seaborn', 'plotly', 'IPython.display'];
const SOURCE_METHOD =
  /^(read_(csv|parquet|excel|json|table|feather|sql|pickle|orc|fwf)|load_[a-z_]+|fetch_[a-z_]+|make_(classification|regression|blobs|moons))$/;

/** Whether a statement only looks at data: prints, plots, displays. */
export function isExploration(index: NotebookIndex, statement: Statement): boolean {
  const flow = statement.flow;
  if (flow === undefined || statement.mutated.length > 0) return false;
  const calls = callsIn(statement);
  const plotting = (call: FlowExpr & { kind: 'call' }): boolean => {
    const qualified = index.qualified(call.callee, statement) ?? '';
    return PLOTTING_MODULES.some((m) => qualified === m || qualified.startsWith(`${m}.`));
  };
  if (flow.kind === 'expression') {
    const value = flow.value;
    if (value.kind === 'name' || value.kind === 'attribute' || value.kind === 'subscript' || value.kind === 'number' || value.kind === 'string') return true;
    if (value.kind === 'call') {
      const method = value.callee.kind === 'attribute' ? value.callee.attribute : dotted(value.callee);
      return EXPLORATION_METHODS.has(method ?? '') || plotting(value);
    }
    return false;
  }
  if (flow.kind === 'assign') return calls.length > 0 && calls.every(plotting);
  return false;
}

/** Whether a statement reads data from outside the notebook (`pd.read_csv`, `load_iris`). */
export function isIngestion(index: NotebookIndex, statement: Statement): boolean {
  return callsIn(statement).some((call) => isIngestionCall(index, statement, call));
}

/** Whether one call reads data from outside the notebook. */
export function isIngestionCall(index: NotebookIndex, statement: Statement, call: FlowExpr & { kind: 'call' }): boolean {
  const entry = index.library(call.callee, statement);
  if (entry?.kind === 'function') return entry.role.role === 'source';
  const method = call.callee.kind === 'attribute' ? call.callee.attribute : dotted(call.callee);
  return SOURCE_METHOD.test(method ?? '');
}

/** The role of a statement outside the data-preparation slice, from its calls. */
export function roleOfRest(index: NotebookIndex, statement: Statement, modelVariable: string | undefined): StatementRole {
  if (statement.imports.length > 0) return 'setup';
  const calls = callsIn(statement);
  if (
    calls.some((c) => {
      const e = index.library(c.callee, statement);
      return e?.kind === 'function' && e.role.role === 'metric';
    })
  )
    return 'evaluation';
  if (isExploration(index, statement)) return 'exploration';
  let role: StatementRole = 'unused';
  for (const call of calls) {
    const entry = index.library(call.callee, statement);
    const method = call.callee.kind === 'attribute' ? call.callee.attribute : undefined;
    if (entry?.kind === 'function' && entry.role.role === 'metric') return 'evaluation';
    if (method === 'score') return 'evaluation';
    if (method === 'predict' || method === 'predict_proba' || method === 'decision_function') {
      const argument = dotted(call.args[0]?.value ?? { kind: 'lambda', start: 0, end: 0 }) ?? '';
      role = /test|val|valid|holdout/i.test(argument) ? 'evaluation' : 'prediction';
      if (modelVariable === undefined || call.callee.kind !== 'attribute' || dotted(call.callee.object) === modelVariable) return role;
    }
    if (entry?.kind === 'function' && (entry.role.role === 'save' || entry.role.role === 'split')) role = 'training';
    if (method === 'fit' || method === 'fit_transform' || method === 'transform' || method === 'dump') role = 'training';
  }
  return role;
}
