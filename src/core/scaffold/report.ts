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
  unused: [],
};
// When a cell mixes roles, the more important one names it.
const PRIORITY: StatementRole[] = ['training', 'preprocessing', 'ingestion', 'evaluation', 'prediction', 'config', 'setup', 'exploration', 'unused'];

/** The role of every statement, by statement order. */
export function statementRoles(index: NotebookIndex, spec: ModelSpec | undefined, placed: ReadonlyMap<number, 'ingestion' | 'preprocessing'>, settings: ReadonlyMap<string, ConfigSetting>): Map<number, StatementRole> {
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
  for (const s of index.statements) {
    const placedRole = placed.get(s.order);
    if (placedRole) roles.set(s.order, placedRole);
    else if (s.defs.length > 0 && s.defs.every((d) => settings.has(d))) roles.set(s.order, 'config');
    else if (chain.has(s.order)) roles.set(s.order, spec?.transformers.some((t) => t.constructor.statement === s) ? 'preprocessing' : 'training');
    else if ((s.flow?.kind === 'def' || s.flow?.kind === 'class') && placed.size > 0) roles.set(s.order, 'preprocessing');
    else if (spec === undefined && !isExploration(index, s) && s.imports.length === 0) roles.set(s.order, isIngestion(index, s) ? 'ingestion' : 'preprocessing');
    else roles.set(s.order, roleOfRest(index, s, spec?.modelVariable));
  }
  return roles;
}

/** One placement per code cell, named by its most important statement role. */
export function describeCells(index: NotebookIndex, spec: ModelSpec | undefined, placed: ReadonlyMap<number, 'ingestion' | 'preprocessing'>, settings: ReadonlyMap<string, ConfigSetting>): CellPlacement[] {
  const roles = statementRoles(index, spec, placed, settings);
  const byCell = new Map<number, Set<StatementRole>>();
  for (const s of index.statements) {
    const set = byCell.get(s.cell) ?? new Set<StatementRole>();
    set.add(roles.get(s.order) ?? 'unused');
    byCell.set(s.cell, set);
  }
  return [...byCell.entries()].map(([cell, set]) => {
    const role = PRIORITY.find((r) => set.has(r)) ?? 'unused';
    const placedIn = [...new Set([...set].flatMap((r) => FILES[r]))].sort();
    return { cell, role, placedIn };
  });
}

/** Leakage and production findings: fixed by the generated Pipeline, or to review. */
export function leakageReport(diagnostics: readonly Diagnostic[], spec: ModelSpec): { fixed: string[]; review: string[] } {
  const fixed: string[] = [];
  const review: string[] = [];
  const pipelineClasses = new Set(spec.transformers.map((t) => t.constructor.className));
  const written = new Set(spec.transformers.flatMap((t) => (t.written ? [t.written.replaces] : [])));
  for (const d of diagnostics) {
    if (!/^(LK|PR|NB10[126]|NB11[01])/.test(d.code)) continue;
    const source = typeof d.data['source'] === 'string' ? d.data['source'] : '';
    const where = `${cellLabel(d.cell)}, ${d.code} ${d.name}: ${d.message}`;
    if (d.code === 'LK201' && written.has(source)) {
      fixed.push(`${where} Training now does it inside the Pipeline, on the training split only.`);
    } else if (d.code === 'LK201' && pipelineClasses.has(source.split('.')[0] ?? '')) {
      fixed.push(`${where} Training now fits \`${source.split('.')[0]}\` inside the Pipeline, on the training split only.`);
    } else if (d.code === 'PR301' || d.code === 'PR302' || d.code === 'PR303' || d.code === 'PR304') {
      fixed.push(`${where} The whole fitted Pipeline is one artifact that inference loads and never refits.`);
    } else if (d.code === 'NB101' || d.code === 'NB103' || d.code === 'NB104' || d.code === 'NB105') {
      fixed.push(`${where} The project runs the code in dependency order, with settings in config.py.`);
    } else if (d.code === 'NB111') {
      review.push(`${where} Training seeds the split with \`RANDOM_SEED\`; seed other randomness in the extracted code.`);
    } else if (d.code !== 'NB102' && d.code !== 'NB106') {
      review.push(where);
    }
  }
  return { fixed, review };
}

/** Statements left out of the project, per cell: exploration, and code the model does not need. */
export function leftOutStatements(index: NotebookIndex, roles: ReadonlyMap<number, StatementRole>): string[] {
  const lines: string[] = [];
  for (const kind of ['exploration', 'unused'] as const) {
    const byCell = new Map<number, string[]>();
    for (const s of index.statements) {
      if (roles.get(s.order) !== kind) continue;
      const first = statementText(s).text.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
      const shown = first.length > 60 ? `${first.slice(0, 59)}…` : first;
      byCell.set(s.cell, [...(byCell.get(s.cell) ?? []), `\`${shown.trim()}\``]);
    }
    const why = kind === 'exploration' ? 'exploration (prints, plots, displays)' : 'not needed by the model';
    for (const [cell, texts] of byCell) lines.push(`Cell ${cellNumber(cell)}, ${why}: ${texts.join(', ')}.`);
  }
  return lines;
}
