/**
 * `plan()`: an analysed notebook in, the files of a production project out, with a report of
 * where every cell went. No I/O: templates are embedded and what exists in the target folder
 * is passed in, so the CLI's `--dry-run`, the extension's preview and the writer share one plan.
 */
import { cellLabel, cellNumber } from '../notebook/model';
import type { Diagnostic } from '../diagnostic';
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import { configLiterals, type ConfigSetting } from './config-values';
import { extractData, type Extraction } from './extract';
import { estimatorClassName, recogniseModel, type ModelSpec } from './model-spec';
import { describeUndefinedRead, undefinedReads, type UndefinedRead } from './name-check';
import { NotebookIndex } from './notebook-index';
import { renderFiles } from './project-files';
import { inPlaceTransform, transformSentence } from './target-shapes';
import { describeCells, leakageReport, leftOutStatements, statementRoles } from './report';
import { TEMPLATES } from '../templates/generated';
import type { FileChange, ScaffoldOptions, ScaffoldPlan, ScaffoldReport } from './types';

/** The analysis a plan is made from (what `analyzeNotebookFull` returns). */
export interface ScaffoldInput {
  analysed: AnalysedNotebook;
  diagnostics: readonly Diagnostic[];
}

/** Plans the project for a notebook. Never throws for bad notebooks: `ok` is false and `report.problems` says why. */
export function plan(input: ScaffoldInput, options: ScaffoldOptions = {}): ScaffoldPlan {
  const { analysed } = input;
  const report: ScaffoldReport = { cells: [], leftOut: [], fixed: [], review: [], problems: [] };
  const codeCells = analysed.cells.filter((c) => c.cell.kind === 'code' && c.cell.source.trim() !== '');
  if (codeCells.length === 0) {
    report.problems.push('The notebook has no code (only markdown or empty cells): there is nothing to place in a project.');
    return { ok: false, changes: [], report };
  }
  for (const { cell, facts } of codeCells) {
    if (facts === null) report.problems.push(`Cell ${cellNumber(cell.index)} is not Python (the kernel language is ${analysed.notebook.language}).`);
    for (const error of facts?.syntaxErrors ?? []) {
      report.problems.push(
        `Cell ${cellNumber(cell.index)} has a syntax error at line ${error.range.start.line + 1}: ${error.message}. Fix it first: nb2prod does not move code it cannot parse.`,
      );
    }
  }
  if (report.problems.length > 0) return { ok: false, changes: [], report };

  const index = new NotebookIndex(analysed);
  const spec = recogniseModel(index);
  const headings = markdownHeadings(analysed);
  if (spec === undefined) {
    report.problems.push(
      'No model is trained: no cell calls `.fit` on an estimator (e.g. `LogisticRegression().fit(X, y)`), so there is no training or inference to generate.',
    );
    report.cells = describeCells(index, undefined, new Map(), new Map());
    report.problems.push(...placeable(report));
    return { ok: false, changes: [], report };
  }
  const task = spec.task;
  if (spec.unsupported !== undefined) {
    report.problems.push(spec.unsupported);
    report.cells = describeCells(index, spec, new Map(), new Map());
    return { ok: false, changes: [], report };
  }
  if (spec.x === undefined || spec.target === undefined) {
    report.problems.push(
      `The model \`${spec.model.text}\` (${cellLabel(spec.fit.cell)}) could not be traced back to a frame, its feature columns and its target column:`,
    );
    report.problems.push(...spec.gaps.map((g) => `  ${g}`));
    report.cells = describeCells(index, spec, new Map(), new Map());
    report.problems.push(...placeable(report));
    return { ok: false, changes: [], report };
  }
  const transform = spec.target.transform;
  if (transform?.scale === 'unrecognised') {
    report.problems.push(transformSentence(transform, spec.target.column), 'Nothing was written.');
    report.cells = describeCells(index, spec, new Map(), new Map());
    return { ok: false, changes: [], report };
  }
  if (spec.allModels.length > 1) {
    const others = spec.allModels.filter((m) => m !== spec.model);
    report.leftOut.push(
      `The notebook trains ${spec.allModels.length} models; the project trains \`${spec.model.text}\` (${cellLabel(spec.model.statement.cell)}), the one ${CHOSEN_BECAUSE[spec.chosenBecause]}. Left out: ${others.map((m) => `\`${m.text}\` (${cellLabel(m.statement.cell)})`).join(', ')}.`,
    );
  }

  const settings = configLiterals(index);
  renameSetting(settings, spec.x.featuresVariable, 'FEATURES');
  renameSetting(settings, spec.target.variable, 'TARGET');
  const extraction = extractData(index, spec, settings, headings);
  report.cells = describeCells(index, spec, extraction.placed, settings);
  if (extraction.refusal !== undefined) {
    report.problems.push(...extraction.refusal, 'Nothing was written.');
    return { ok: false, changes: [], report };
  }
  const inProject = new Set(report.cells.filter((c) => c.placedIn.length > 0).map((c) => c.cell));
  const leaks = leakageReport(input.diagnostics, spec, (cell) => inProject.has(cell));
  report.fixed.push(...leaks.fixed);
  report.review.push(...extraction.review, ...leaks.review, ...spec.gaps, ...spec.notes);
  if (spec.target.mapping !== undefined) {
    report.review.push(
      `The notebook recodes the target with \`.map(${spec.target.mapping})\` (${cellLabel(spec.target.statement.cell)}); training applies \`TARGET_MAP\` in \`src/utils/config.py\` to the target column and refuses labels it does not map, so predictions are the recoded values.`,
    );
  }
  if (transform !== undefined) report.review.push(transformSentence(transform, spec.target.column));
  const replaced =
    spec.task === 'regression' && typeof spec.target.column === 'string'
      ? inPlaceTransform(index, spec.x.frame, spec.target.column, spec.target.statement)
      : undefined;
  if (replaced !== undefined) {
    const column = spec.target.column as string;
    const text = replaced.statement.python.slice(replaced.statement.start, replaced.statement.end).split('\n')[0]!.trim();
    report.review.push(
      `\`${text}\` (${cellLabel(replaced.statement.cell)}) replaces the target column with its \`np.${replaced.func}\`: training keeps that step in \`prepare_frame\`, so the saved model and \`predict\` answer on the \`np.${replaced.func}\` scale, not in \`${column}\` as the data has it. To serve the original scale, leave the column as it is and fit on \`np.${replaced.func}(...)\` of it (\`y = np.${replaced.func}(${spec.x.frame}["${column}"])\`): training then saves a \`TransformedTargetRegressor\`.`,
    );
  }
  if (!spec.split) report.review.push('The notebook never splits its data before training: the project holds out `TEST_SIZE` of the rows for evaluation.');
  report.leftOut.push(...leftOutStatements(index, statementRoles(index, spec, extraction.placed, settings)));

  const notebookName = options.notebookName ?? analysed.notebook.path.split(/[\\/]/).pop() ?? 'notebook.ipynb';
  const files = renderFiles({
    templates: options.templates ?? TEMPLATES,
    index,
    spec,
    task,
    settings,
    extraction,
    report,
    notebookName,
    projectName: options.projectName ?? projectNameOf(notebookName),
    estimator: estimatorClassName(spec.model, spec.definitions),
  });
  const undefinedNames = undefinedReads(files);
  if (undefinedNames.length > 0) {
    report.problems.push('The generated project would read names that nothing in it defines, so training would stop with `NameError`:');
    report.problems.push(...undefinedNames.map((read) => `  ${describeUndefinedRead(read)}${cellHint(read, extraction, spec)}`));
    report.problems.push('Nothing was written.');
    return { ok: false, changes: [], report };
  }
  const existing = options.existing ?? new Map<string, string>();
  const changes: FileChange[] = Object.keys(files)
    .sort()
    .map((path) => {
      const content = files[path]!;
      const previous = existing.get(path);
      if (previous === undefined) return { path, kind: 'create', content };
      return { path, kind: previous === content ? 'unchanged' : 'overwrite', content, previous };
    });
  return { ok: true, changes, report };
}

const CHOSEN_BECAUSE: Record<ModelSpec['chosenBecause'], string> = {
  saved: 'the notebook saves',
  evaluated: 'the notebook evaluates last',
  refit: 'the notebook refits after evaluating it',
  last: 'fitted last',
};

/** For a read inside code extracted from notebook cells: which cells, and the edit that fixes it. */
function cellHint(read: UndefinedRead, extraction: Extraction, spec: ModelSpec): string {
  if (read.path === 'src/model/train.py' && read.function === 'build_model') {
    return ` It comes from the model of notebook ${cellLabel(spec.model.statement.cell)}: write \`${read.name}\` as a literal in the notebook (it then becomes a setting in config.py), or compute it inside the model's constructor call.`;
  }
  const fn = [extraction.load, ...extraction.steps].find((f) => f.name === read.function);
  if (fn === undefined || fn.cells.length === 0) return '';
  const cells = [...new Set(fn.cells)].map((c) => cellNumber(c));
  return ` It comes from notebook cell ${cells.join(', ')}: bind \`${read.name}\` in a cell at or above it with code that does not depend on a loop or a later cell, or delete the read.`;
}

function renameSetting(settings: Map<string, ConfigSetting>, variable: string | undefined, name: string): void {
  const setting = variable === undefined ? undefined : settings.get(variable);
  if (setting !== undefined) setting.name = name;
}

/** The nearest markdown heading above each code cell (for naming extracted functions). */
function markdownHeadings(analysed: AnalysedNotebook): Map<number, string> {
  const headings = new Map<number, string>();
  let current: string | undefined;
  for (const { cell } of analysed.cells) {
    if (cell.kind === 'markdown') {
      const heading = /^#{1,6}\s+(.+)$/m.exec(cell.source);
      if (heading?.[1]) current = heading[1];
    } else if (current !== undefined) headings.set(cell.index, current);
  }
  return headings;
}

/** For a notebook that cannot be scaffolded: what could still have been placed. */
function placeable(report: ScaffoldReport): string[] {
  const lines = report.cells
    .filter((c) => c.role !== 'exploration' && c.role !== 'unused' && c.role !== 'setup')
    .map((c) => `  ${cellLabel(c.cell)}: ${c.role}`);
  return lines.length > 0 ? ['What could be placed:', ...lines, 'Nothing was written.'] : ['Nothing was written.'];
}

/** A Python distribution name from the notebook's file name. */
export function projectNameOf(notebookName: string): string {
  const stem = notebookName
    .replace(/\.(ipynb|py)$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return stem === '' ? 'model' : /^[0-9]/.test(stem) ? `model-${stem}` : stem;
}
