/**
 * The slot values of every template for one notebook: config.py settings, the extracted
 * ingestion and preprocessing code with exactly the imports it reads, the model constructor,
 * pyproject dependencies and the README's account of the cells.
 */
import { cellLabel, cellNumber } from '../notebook/model';
import type { ImportFact } from '../python/facts';
import type { ConfigSetting } from './config-values';
import { cellsLabel, functionBody, type Extraction } from './extract';
import { fittedFeaturesCode } from './learned-statistics';
import { literalArgument, type ModelSpec } from './model-spec';
import { textOf, type NotebookIndex } from './notebook-index';
import { fixedText, renderTemplate, type SlotValues } from './render';
import type { Rewrite } from './rewrite';
import type { CellPlacement, ScaffoldReport } from './types';

/** Everything the files are rendered from. */
export interface ProjectInput {
  templates: Readonly<Record<string, string>>;
  index: NotebookIndex;
  spec: ModelSpec;
  task: 'classification' | 'regression';
  settings: Map<string, ConfigSetting>;
  extraction: Extraction;
  report: ScaffoldReport;
  notebookName: string;
  projectName: string;
  estimator: string;
}

const METRIC_NAMES: Record<string, string> = {
  accuracy_score: 'accuracy',
  balanced_accuracy_score: 'balanced_accuracy',
  f1_score: 'f1',
  precision_score: 'precision',
  recall_score: 'recall',
  roc_auc_score: 'roc_auc',
  log_loss: 'log_loss',
  mean_absolute_error: 'mae',
  mean_squared_error: 'mse',
  root_mean_squared_error: 'rmse',
  r2_score: 'r2',
  mean_absolute_percentage_error: 'mape',
};
const THIRD_PARTY: Record<string, string> = {
  sklearn: 'scikit-learn',
  xgboost: 'xgboost',
  lightgbm: 'lightgbm',
  catboost: 'catboost',
  imblearn: 'imbalanced-learn',
  category_encoders: 'category-encoders',
  scipy: 'scipy',
  statsmodels: 'statsmodels',
};

/**
 * The packages every generated project needs, at the oldest versions its code runs on
 * (`OneHotEncoder(sparse_output=...)` needs scikit-learn 1.2; these are also Debian 12's, which CI
 * trains with). Training writes the exact versions it ran with to artifacts/requirements.txt.
 */
const CORE_FLOORS: Record<string, string> = { numpy: '1.23', pandas: '1.5', 'scikit-learn': '1.2', joblib: '1.2' };

/** Renders every file of the project: path -> content. */
export function renderFiles(input: ProjectInput): Record<string, string> {
  const { spec, extraction, notebookName } = input;
  const imports = importLines(input.index);
  const usedModules = new Set<string>();
  const importBlock = (names: Iterable<string>, withConfig: boolean, extra: string[] = []): string => {
    const lines = new Set<string>(extra);
    for (const name of names) {
      const fact = imports.get(name);
      if (fact === undefined) continue;
      lines.add(importLine(fact));
      usedModules.add(fact.module.split('.')[0] ?? fact.module);
    }
    const sorted = [...lines].sort();
    return [...sorted, ...(withConfig ? ['', 'from src.utils import config'] : [])].join('\n').replace(/^\n/, '');
  };

  // Model: literal keyword arguments are hyperparameters in config.MODEL_PARAMS.
  const modelParams: string[] = [];
  let modelExpression = spec.model.text;
  const simple = spec.model.args.every((a) => a.unpack === undefined);
  if (simple && /^[A-Za-z_][\w.]*$/.test(spec.model.callee)) {
    const kept: string[] = [];
    for (const arg of spec.model.args) {
      const text = textOf(spec.model.statement, arg.value);
      if (arg.keyword !== undefined && literalArgument(arg)) modelParams.push(`    ${JSON.stringify(arg.keyword)}: ${text},`);
      else kept.push(arg.keyword === undefined ? rewriteNames(text, input.settings) : `${arg.keyword}=${rewriteNames(text, input.settings)}`);
    }
    modelExpression = `${spec.model.callee}(${[...kept, '**config.MODEL_PARAMS'].join(', ')})`;
  }
  // What the constructor reads (`model` in GridSearchCV(model, ...)) is rebuilt first, as written.
  const rewrite: Rewrite = { settings: input.settings, unresolved: extraction.unresolved, widened: extraction.widened, dataPaths: new Map() };
  // Literal settings are read from config.py instead.
  const copied = spec.definitions.filter(
    (s) => !(s.flow?.kind === 'assign' && s.flow.targets[0]?.kind === 'name' && input.settings.has(s.flow.targets[0].name)),
  );
  const definitionLines = functionBody(copied, rewrite);
  const buildModel = [
    'def build_model():',
    `    """The unfitted estimator of notebook ${cellLabel(spec.model.statement.cell)}, with its hyperparameters from config.MODEL_PARAMS."""`,
    ...definitionLines,
    `    return ${wrapTarget(modelExpression, spec)}`,
  ].join('\n');
  const modelNames = identifiers(buildModel);

  // Preprocessing steps: the notebook's transformers, in the order the data went through them.
  const stepNames = new Set<string>();
  const steps = spec.transformers.map((t) => {
    let name = (t.variable ?? t.constructor.className).toLowerCase();
    while (stepNames.has(name)) name += '_';
    stepNames.add(name);
    const where =
      t.written !== undefined
        ? `its \`${t.written.replaces}\` as a Pipeline step`
        : t.beforeSplit
          ? `fitted before the split in ${cellLabel(t.statement.cell)} (a leak); the Pipeline fits it on the training split only`
          : `fitted in ${cellLabel(t.statement.cell)}`;
    return {
      code: `        # Notebook ${cellLabel(t.constructor.statement.cell)}, ${where}.\n        (${JSON.stringify(name)}, ${rewriteNames(t.constructor.text, input.settings)}),`,
      names: identifiers(t.constructor.text),
    };
  });
  const features = extraction.features;
  const learning = features !== undefined && features.engineering.statistics.length > 0;
  // Features listed by name are selected after the engineering; features chosen by `drop` are what the drop leaves.
  const selection =
    spec.x?.features !== undefined ? { param: 'columns', value: 'list(config.FEATURES)' } : { param: 'drop', value: 'list(config.DROP_COLUMNS)' };
  if (features !== undefined) {
    const step = learning
      ? `FittedFeatures(${selection.param}=${selection.value})`
      : `FunctionTransformer(model_features, kw_args={"${selection.param}": ${selection.value}})`;
    const what = learning ? 'feature engineering with the statistics it learns from the training rows' : 'feature engineering row by row';
    steps.unshift({
      code: `        # Notebook ${cellsLabel(features.cells)}: ${what}, inside the model so that it scores raw rows.\n        ("features", ${step}),`,
      names: [],
    });
  }
  const buildSteps = [
    'def build_preprocessor_steps():',
    '    """The unfitted preprocessing steps, in the order the notebook applied them."""',
    steps.length === 0 ? '    return []' : ['    return [', ...steps.map((s) => s.code), '    ]'].join('\n'),
  ].join('\n');
  const keep = selection.param === 'columns' ? '[columns]' : '.drop(columns=drop, errors="ignore")';
  const modelFeatures = learning
    ? fittedFeaturesCode(selection.param, keep, features.engineering.statistics)
    : [
        `def model_features(frame, ${selection.param}):`,
        `    """The Pipeline's first step: engineers the features of raw input rows and ${selection.param === 'columns' ? "keeps the model's feature columns" : 'drops the columns the notebook dropped'}."""`,
        `    return engineer_features(frame)${keep}`,
      ].join('\n');

  const preprocessingCode = [
    ...extraction.definitions,
    ...(features ? [features.code, modelFeatures] : []),
    ...extraction.steps.map((s) => s.code),
    extraction.prepare,
    buildSteps,
  ].join('\n\n\n');
  const preprocessingUses = new Set([...extraction.importsUsed.preprocessing, ...steps.flatMap((s) => s.names)]);
  const featureImports = !features
    ? []
    : learning
      ? [
          'from sklearn.base import BaseEstimator, TransformerMixin',
          'import pandas as pd',
          ...(features.engineering.statistics.some((l) => l.kind === 'codes') ? ['from sklearn.preprocessing import LabelEncoder'] : []),
        ]
      : ['from sklearn.preprocessing import FunctionTransformer'];
  const stepImports = [...spec.transformers.flatMap((t) => t.written?.imports ?? []), ...featureImports];
  const preprocessingConfig = extraction.usesConfig.preprocessing || /\bconfig\./.test(preprocessingCode);
  const ingestionConfig = extraction.usesConfig.ingestion || /\bconfig\./.test(extraction.load.code);

  const values: Record<string, SlotValues> = {
    'src/utils/config.py': { notebook: notebookName, model_name: input.projectName, settings: configSettings(input, modelParams) },
    'src/data/ingestion.py': {
      notebook: notebookName,
      imports: importBlock(extraction.importsUsed.ingestion, ingestionConfig),
      functions: extraction.load.code,
    },
    'src/data/preprocessing.py': {
      notebook: notebookName,
      imports: importBlock(preprocessingUses, preprocessingConfig, stepImports),
      functions: preprocessingCode,
    },
    'src/model/train.py': {
      notebook: notebookName,
      model_imports: withoutLines(
        importBlock(modelNames, false, spec.target?.transform ? ['from sklearn.compose import TransformedTargetRegressor'] : []),
        input.templates['src/model/train.py'] ?? '',
      ),
      build_model: buildModel,
    },
  };
  const floors = Object.entries(CORE_FLOORS).map(([name, floor]) => `${name}>=${floor}`);
  const dependencies = [...floors, ...[...usedModules].map((m) => THIRD_PARTY[m]).filter((d): d is string => d !== undefined && !(d in CORE_FLOORS))];
  values['pyproject.toml'] = {
    notebook: notebookName,
    project_name: input.projectName,
    description: `Trains and serves the model of ${notebookName}.`,
    dependencies: [...new Set(dependencies)].map((d) => JSON.stringify(d)).join(', '),
  };
  values['README.md'] = readmeValues(input);

  const files: Record<string, string> = {};
  for (const [path, template] of Object.entries(input.templates)) files[path] = renderTemplate(path, template, values[path] ?? {});
  files['artifacts/.gitkeep'] = '';
  return files;
}

function configSettings(input: ProjectInput, modelParams: string[]): string {
  const { spec, settings, extraction, task } = input;
  const lines: string[] = [];
  const emit = (comment: string, line: string): void => {
    lines.push(`# ${comment}`, line);
  };
  const byName = (variable: string | undefined): ConfigSetting | undefined => (variable === undefined ? undefined : settings.get(variable));
  for (const file of extraction.dataFiles) emit(`Raw data (${file.origin}); relative paths are relative to the project root.`, `${file.name} = ${file.value}`);
  if (extraction.dataFiles.length === 0) emit('The notebook reads no data file nb2prod could name.', 'DATA_PATH = None');
  lines.push(`DATA_FILES = [${extraction.dataFiles.map((f) => f.name).join(', ')}]`);
  emit(`What the model predicts (${input.estimator}).`, `TASK = ${JSON.stringify(task)}`);
  const target = byName(spec.target?.variable);
  const targetCell = cellLabel(spec.target!.statement.cell);
  if (target === undefined) {
    const column = spec.target!.column;
    emit(
      typeof column === 'number'
        ? `Target column (notebook ${targetCell}), by position: an int is a position among the prepared frame's columns.`
        : `Target column (notebook ${targetCell}).`,
      `TARGET = ${JSON.stringify(column)}`,
    );
  }
  emit(
    `How the notebook recodes the target's values before training (notebook ${targetCell}); None: as they are.`,
    `TARGET_MAP = ${spec.target!.mapping ?? 'None'}`,
  );
  const features = byName(spec.x?.featuresVariable);
  if (features === undefined) {
    const list = spec.x?.features;
    const positions = spec.x?.positions;
    const listed = spec.x?.columnPositions;
    const value = list
      ? pythonList(list)
      : positions
        ? `slice(${positions.lower ?? 'None'}, ${positions.upper ?? 'None'})`
        : listed
          ? `[${listed.join(', ')}]`
          : 'None';
    emit(
      `Feature columns (notebook ${cellLabel(spec.x!.statement.cell)}); a slice or a list of ints: those positions among the prepared frame's columns; None: every column but the target and DROP_COLUMNS.`,
      `FEATURES = ${value}`,
    );
  }
  const engineering = extraction.features?.engineering;
  // Features chosen by `drop`: what the engineering drops itself is no input either.
  const dropped = [...(spec.x?.dropped ?? [])];
  if (spec.x?.features === undefined) for (const c of engineering?.dropped ?? []) if (!dropped.includes(c)) dropped.push(c);
  lines.push(`DROP_COLUMNS = ${pythonList(dropped)}`);
  emit(
    engineering === undefined || spec.x?.features === undefined
      ? `Raw columns the model takes when its first step engineers its features; None: ${engineering === undefined ? 'it takes the feature columns themselves' : 'every column but the target and the DROP_COLUMNS it does not read (ENGINEERED_FROM)'}.`
      : `Raw columns the model takes: its first step (engineer_features, ${cellsLabel(extraction.features!.cells)}) computes FEATURES from them.`,
    `INPUT_COLUMNS = ${engineering === undefined || spec.x?.features === undefined ? 'None' : pythonList(engineering.inputColumns)}`,
  );
  emit(
    'Input columns of free text (read with `.str`): accepted as any string, not as categories, and not monitored for drift.',
    `TEXT_INPUTS = ${pythonList(engineering?.textColumns ?? [])}`,
  );
  if (engineering !== undefined && spec.x?.features === undefined) {
    emit(
      'Columns the feature engineering reads: the model takes them raw, even those DROP_COLUMNS names (dropped after the engineering).',
      `ENGINEERED_FROM = ${pythonList(engineering.inputColumns)}`,
    );
  } else lines.push('ENGINEERED_FROM = []');
  for (const setting of settings.values()) {
    emit(`From ${setting.origin}.`, `${setting.name} = ${setting.value}`);
  }
  const splitArg = (name: string): string | undefined => {
    const arg = spec.split?.args.find((a) => a.keyword === name);
    return arg === undefined ? undefined : rewriteNames(textOf(spec.split!.statement, arg.value), settings);
  };
  const where = spec.split ? `the split in notebook ${cellLabel(spec.split.statement.cell)}` : "sklearn's default; the notebook does not split";
  const seed = splitArg('random_state');
  emit(
    `Seed of the split and of everything random in training (${seed ? where : 'the notebook did not seed its split; 0 is a fixed choice'}).`,
    `RANDOM_SEED = ${seed ?? '0'}`,
  );
  const trainSize = splitArg('train_size');
  emit(`Share of rows held out for evaluation (${where}).`, `TEST_SIZE = ${splitArg('test_size') ?? (trainSize ? `1 - ${trainSize}` : '0.25')}`);
  emit('Whether the split keeps class proportions (the notebook passed `stratify`).', `STRATIFY = ${splitArg('stratify') !== undefined ? 'True' : 'False'}`);
  emit(
    `Hyperparameters of the model (notebook ${cellLabel(spec.model.statement.cell)}).`,
    modelParams.length === 0 ? 'MODEL_PARAMS = {}' : ['MODEL_PARAMS = {', ...modelParams, '}'].join('\n'),
  );
  emit('Metrics computed on the held-out split (those the notebook computed).', `METRICS = ${pythonList(metricsOf(input))}`);
  const transform = spec.target?.transform;
  emit(
    transform === undefined
      ? 'The scale metrics are computed on: "original" (the target as the data has it) or "transformed" (the model\'s target function applied to the target and the predictions).'
      : `The scale metrics are computed on, as the notebook scored its predictions (${transform.inverted ? cellLabel(transform.inverted.statement.cell) : `never turned back with np.${transform.inverse}`}): "original" (the target as the data has it) or "transformed" (np.${transform.func} of the target and of the predictions).`,
    `METRIC_SCALE = ${JSON.stringify(transform?.scale === 'transformed' ? 'transformed' : 'original')}`,
  );
  for (const setting of extraction.unresolved.values()) {
    lines.push(`# REVIEW: \`${setting.variable}\` is ${setting.origin}; set its value before training.`, `${setting.name} = None`);
  }
  lines.push(`REQUIRED_SETTINGS = ${pythonList([...extraction.unresolved.values()].map((s) => s.name))}`);
  return lines.join('\n');
}

function metricsOf(input: ProjectInput): string[] {
  const found: string[] = [];
  for (const s of input.index.statements) {
    for (const call of s.calls) {
      const name = METRIC_NAMES[call.method ?? ''];
      if (name !== undefined && !found.includes(name)) found.push(name);
    }
  }
  const classification = new Set(['accuracy', 'balanced_accuracy', 'f1', 'precision', 'recall', 'roc_auc', 'log_loss']);
  const fitting = found.filter((m) => classification.has(m) === (input.task === 'classification'));
  if (fitting.length > 0) return fitting;
  return input.task === 'classification' ? ['accuracy'] : ['mae', 'rmse', 'r2'];
}

function readmeValues(input: ProjectInput): SlotValues {
  const { report, spec, notebookName } = input;
  const bullets = (items: string[], none: string): string => (items.length === 0 ? none : items.map((i) => `- ${i}`).join('\n'));
  const rows = report.cells.map((c) => `| ${cellNumber(c.cell)} | ${c.role} | ${placedText(c)} |`);
  const files = input.extraction.dataFiles.map((f) => f.origin.split(': ').slice(1).join(': '));
  return {
    title: `${input.projectName}: ${input.estimator} (${input.task})`,
    notebook: notebookName,
    data_setup:
      files.length > 0
        ? `# copy the training data to ${files.join(', ')} (relative to this folder)`
        : '# put the training data where src/data/ingestion.py reads it',
    feature_summary: spec.x?.features
      ? spec.x.features.map((f) => `\`${f}\``).join(', ')
      : spec.x?.positions
        ? `the prepared columns at positions \`${spec.x.positions.lower ?? ''}:${spec.x.positions.upper ?? ''}\``
        : spec.x?.columnPositions
          ? `the prepared columns at positions \`${spec.x.columnPositions.join(', ')}\``
          : input.extraction.features !== undefined
            ? 'the columns the first step engineers, less `DROP_COLUMNS`, from every prepared column but the target and the `DROP_COLUMNS` it does not read'
            : 'every prepared column but the target and `DROP_COLUMNS`',
    cell_roles: [
      'Cells are numbered from 1 among all cells, markdown included, as `nb2prod check` and the editor count them.',
      '',
      '| Cell | Role | Placed in |',
      '| ---: | --- | --- |',
      ...rows,
    ].join('\n'),
    left_out: bullets(report.leftOut, 'Nothing.'),
    review: [
      bullets(report.review, 'Nothing found that needs a person.'),
      ...(report.fixed.length > 0 ? ['', 'Fixed mechanically by the generated training:', '', bullets(report.fixed, '')] : []),
    ].join('\n'),
  };
}

/** Where a cell's code went, for the README table: files, and what of the cell was left out. */
function placedText(cell: CellPlacement): string {
  if (cell.placedIn.length === 0) return cell.role === 'setup' ? 'imports, in each module that reads them' : '(left out)';
  const files = cell.placedIn.map((p) => `\`${p}\``).join(', ');
  return cell.leftOut.length > 0 ? `${files}; left out: ${cell.leftOut.join(', ')}` : files;
}

function importLines(index: NotebookIndex): Map<string, ImportFact> {
  const map = new Map<string, ImportFact>();
  for (const s of index.statements) for (const fact of s.imports) if (fact.boundName !== '*') map.set(fact.boundName, fact);
  return map;
}

function importLine(fact: ImportFact): string {
  if (fact.member !== undefined) return `from ${fact.module} import ${fact.member}${fact.boundName !== fact.member ? ` as ${fact.boundName}` : ''}`;
  return fact.boundName === fact.module || fact.module.startsWith(`${fact.boundName}.`)
    ? `import ${fact.module}`
    : `import ${fact.module} as ${fact.boundName}`;
}

/**
 * The model as build_model returns it: for a target the notebook transformed (`np.log1p(y)`),
 * wrapped so that the saved model fits on that scale and predicts on the original one.
 */
function wrapTarget(model: string, spec: ModelSpec): string {
  const transform = spec.target?.transform;
  if (transform === undefined) return model;
  return `TransformedTargetRegressor(\n        regressor=${model},\n        # Notebook ${cellLabel(transform.statement.cell)} fits the model on \`${transform.text.replace(/\s+/g, ' ')}\`.\n        func=np.${transform.func},\n        inverse_func=np.${transform.inverse},\n    )`;
}

/** Replaces configuration variable names in a short expression with their config.py names. */
function rewriteNames(text: string, settings: ReadonlyMap<string, ConfigSetting>): string {
  return text.replace(/(?<![\w.'"])([A-Za-z_]\w*)(?![\w'"])/g, (name: string) => {
    const setting = settings.get(name);
    return setting === undefined ? name : `config.${setting.name}`;
  });
}

/** `block` without the lines the template has outside its slots (imports it makes itself). */
function withoutLines(block: string, template: string): string {
  const present = new Set(fixedText(template).split('\n'));
  return block
    .split('\n')
    .filter((line) => line === '' || !present.has(line))
    .join('\n');
}

function identifiers(text: string): string[] {
  return [...new Set(text.match(/(?<![\w.])[A-Za-z_]\w*/g) ?? [])];
}

function pythonList(values: string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
}
