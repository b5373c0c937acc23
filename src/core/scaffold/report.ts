/**
 * Where each cell went, and what the analysis found that training fixes mechanically versus
 * what a person must review. Feeds the CLI output, the extension's preview and the README.
 */
import { cellLabel, cellNumber } from '../notebook/model';
import type { Diagnostic } from '../diagnostic';
import type { ConfigSetting } from './config-values';
import type { ModelSpec } from './model-spec';
import type { NotebookIndex } from './notebook-index';
import { isExploration, isIngestion, roleOfRest, type StatementRole } from './roles';
import { statementText } from './statements';
import type { Statement } from './statements';
import type { CellPlacement } from './types';

const FILES: Record<StatementRole, string[]> = {
  setup: [],
  config: ['src/utils/config.py'],
  ingestion: ['src/data/ingestion.py'],
  preprocessing: ['src/data/preprocessing.py'],
  training: ['src/model/train.py'],
  evaluation: ['src/model/evaluate.py'],
  prediction: ['src/model/predict.py'],
  exploration: [],
  'other-model': [],
  unused: [],
};
// When a cell mixes roles, the more important one names it.
const PRIORITY: StatementRole[] = [
  'training',
  'preprocessing',
  'ingestion',
  'evaluation',
  'prediction',
  'config',
  'setup',
  'other-model',
  'exploration',
  'unused',
];
// Roles whose statements are not in the project (imports are: each module imports what it reads).
const LEFT_OUT: ReadonlySet<StatementRole> = new Set(['exploration', 'other-model', 'unused']);

/** The role of every statement, by statement order. */
export function statementRoles(
  index: NotebookIndex,
  spec: ModelSpec | undefined,
  placed: ReadonlyMap<number, 'ingestion' | 'preprocessing'>,
  settings: ReadonlyMap<string, ConfigSetting>,
): Map<number, StatementRole> {
  const chain = new Set<number>();
  if (spec) {
    chain.add(spec.fit.order);
    chain.add(spec.model.statement.order);
    if (spec.split) chain.add(spec.split.statement.order);
    if (spec.x) chain.add(spec.x.statement.order);
    if (spec.target) chain.add(spec.target.statement.order);
    for (const t of spec.transformers) chain.add(t.statement.order).add(t.constructor.statement.order);
    for (const s of spec.definitions) chain.add(s.order);
  }
  const roles = new Map<number, StatementRole>();
  const others = otherModelStatements(index, spec, chain);
  for (const s of index.statements) {
    const placedRole = placed.get(s.order);
    if (placedRole) roles.set(s.order, placedRole);
    else if (others.has(s.order)) roles.set(s.order, 'other-model');
    else if (s.defs.length > 0 && s.defs.every((d) => settings.has(d))) roles.set(s.order, 'config');
    else if (chain.has(s.order)) roles.set(s.order, spec?.transformers.some((t) => t.constructor.statement === s) ? 'preprocessing' : 'training');
    else if ((s.flow?.kind === 'def' || s.flow?.kind === 'class') && placed.size > 0) roles.set(s.order, 'preprocessing');
    else if (spec === undefined && !isExploration(index, s) && s.imports.length === 0)
      roles.set(s.order, isIngestion(index, s) ? 'ingestion' : 'preprocessing');
    else roles.set(s.order, roleOfRest(index, s, spec?.modelVariable));
  }
  return roles;
}

/**
 * The statements of the models the project does not train: the other estimators' constructor
 * and fit statements, and statements outside the modelling chain that read their variables
 * (`print(mae(y_test, baseline.predict(X_test)))`).
 */
function otherModelStatements(index: NotebookIndex, spec: ModelSpec | undefined, chain: ReadonlySet<number>): Set<number> {
  const found = new Set<number>();
  if (spec === undefined) return found;
  const variables = new Set<string>();
  for (const model of spec.allModels) {
    if (model === spec.model || chain.has(model.statement.order)) continue;
    found.add(model.statement.order);
    model.statement.defs.forEach((d) => variables.add(d));
  }
  for (const s of index.statements) {
    if (!chain.has(s.order) && s.uses.some((u) => variables.has(u.name))) found.add(s.order);
  }
  return found;
}

/**
 * One placement per code cell, named by its most important statement role. A cell whose code is
 * partly placed carries its left-out statements itself, so no cell is both placed and in the
 * Left-out list.
 */
export function describeCells(
  index: NotebookIndex,
  spec: ModelSpec | undefined,
  placed: ReadonlyMap<number, 'ingestion' | 'preprocessing'>,
  settings: ReadonlyMap<string, ConfigSetting>,
): CellPlacement[] {
  const roles = statementRoles(index, spec, placed, settings);
  const byCell = new Map<number, Set<StatementRole>>();
  const leftOut = new Map<number, string[]>();
  for (const s of index.statements) {
    const set = byCell.get(s.cell) ?? new Set<StatementRole>();
    const role = roles.get(s.order) ?? 'unused';
    set.add(role);
    byCell.set(s.cell, set);
    if (LEFT_OUT.has(role)) leftOut.set(s.cell, [...(leftOut.get(s.cell) ?? []), firstLine(s)]);
  }
  return [...byCell.entries()].map(([cell, set]) => {
    const role = PRIORITY.find((r) => set.has(r)) ?? 'unused';
    const placedIn = [...new Set([...set].flatMap((r) => FILES[r]))].sort();
    return { cell, role, placedIn, leftOut: placedIn.length > 0 ? (leftOut.get(cell) ?? []) : [] };
  });
}

/** A statement's first line of code, shortened, in backticks. */
function firstLine(s: Statement): string {
  const first =
    statementText(s)
      .text.split('\n')
      .find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  const shown = first.length > 60 ? `${first.slice(0, 59)}…` : first;
  return `\`${shown.trim()}\``;
}

/**
 * Leakage and production findings: fixed by the generated Pipeline, or to review. Findings in
 * cells none of whose code is in the project (exploration, a model left out) are not about the
 * project and are dropped; `inProject` says which cells have placed code.
 */
export function leakageReport(
  diagnostics: readonly Diagnostic[],
  spec: ModelSpec,
  inProject: (cell: number) => boolean = () => true,
): { fixed: string[]; review: string[] } {
  const fixed: string[] = [];
  const review: string[] = [];
  const pipelineClasses = new Set(spec.transformers.flatMap((t) => [t.constructor.className, ...(t.inner ?? [])]));
  const written = new Set(spec.transformers.flatMap((t) => (t.written ? [t.written.replaces] : [])));
  // Whether `api` is an estimator the saved Pipeline builds in `cell`: training seeds those the notebook left unseeded.
  const inPipeline = (cell: number, api: unknown): boolean => {
    const className = typeof api === 'string' ? api.split('.').pop() : undefined;
    const built = [
      { cell: spec.model.statement.cell, text: spec.model.text },
      ...[...spec.definitions, ...spec.transformers.map((t) => t.constructor.statement)].map((s) => ({ cell: s.cell, text: s.python.slice(s.start, s.end) })),
    ];
    return className !== undefined && built.some((b) => b.cell === cell && b.text.includes(`${className}(`));
  };
  for (const d of diagnostics) {
    if (!/^(LK|PR|NB10[126]|NB11[01])/.test(d.code) || !inProject(d.cell)) continue;
    const source = typeof d.data['source'] === 'string' ? d.data['source'] : '';
    // A rule that could not tell a transformer's class names it `Unknown`; the README says what it knows.
    const message = d.message.replace(/(\bthe )?`Unknown(\.\w+)?`/g, (_m, the: string | undefined, method: string | undefined) =>
      method ? `${the ?? ''}\`${method.slice(1)}\` of a transformer whose class nb2prod could not tell` : 'a transformer whose class nb2prod could not tell',
    );
    const where = `${cellLabel(d.cell)}, ${d.code} ${d.name}: ${message}`;
    if (d.code === 'LK201' && written.has(source)) {
      fixed.push(`${where} Training now does it inside the Pipeline, on the training split only.`);
    } else if (d.code === 'LK201' && pipelineClasses.has(source.split('.')[0] ?? '')) {
      fixed.push(`${where} Training now fits \`${source.split('.')[0]}\` inside the Pipeline, on the training split only.`);
    } else if (d.code === 'PR301' || d.code === 'PR302' || d.code === 'PR303' || d.code === 'PR304') {
      fixed.push(`${where} The whole fitted Pipeline is one artifact that inference loads and never refits.`);
    } else if (d.code === 'NB101' || d.code === 'NB103' || d.code === 'NB104' || d.code === 'NB105') {
      fixed.push(`${where} The project runs the code in dependency order, with settings in config.py.`);
    } else if (d.code === 'NB111' && d.data['argument'] === 'random_state' && inPipeline(d.cell, d.data['api'])) {
      fixed.push(
        `${where} Training gives every estimator of the saved Pipeline that the notebook left unseeded \`random_state=RANDOM_SEED\`, so two trainings give the same model.`,
      );
    } else if (d.code === 'NB111') {
      review.push(`${where} Training seeds the split with \`RANDOM_SEED\`; seed other randomness in the extracted code.`);
    } else if (d.code !== 'NB102' && d.code !== 'NB106') {
      review.push(where);
    }
  }
  return { fixed, review };
}

/**
 * Cells left out of the project entirely, by why: exploration, a model the project does not
 * train, code the model does not need. Cells partly placed list their left-out statements in
 * their own placement instead (`CellPlacement.leftOut`).
 */
export function leftOutStatements(index: NotebookIndex, roles: ReadonlyMap<number, StatementRole>): string[] {
  const lines: string[] = [];
  const placedCells = new Set(index.statements.filter((s) => FILES[roles.get(s.order) ?? 'unused'].length > 0).map((s) => s.cell));
  for (const kind of ['exploration', 'other-model', 'unused'] as const) {
    const byCell = new Map<number, string[]>();
    for (const s of index.statements) {
      if (roles.get(s.order) !== kind || placedCells.has(s.cell)) continue;
      byCell.set(s.cell, [...(byCell.get(s.cell) ?? []), firstLine(s)]);
    }
    const why =
      kind === 'exploration'
        ? 'exploration (prints, plots, displays)'
        : kind === 'other-model'
          ? 'a model the project does not train'
          : 'not needed by the model';
    for (const [cell, texts] of byCell) lines.push(`Cell ${cellNumber(cell)}, ${why}: ${texts.join(', ')}.`);
  }
  return lines;
}
