/**
 * Module extraction: the statements the model's data depends on (a backward slice over the
 * def-use graph from the statement that selects the features), placed into functions whose
 * parameters are the names they read that earlier steps define and whose returns are the
 * names later steps use. Configuration literals become `config.NAME`, notebook functions that
 * read notebook globals get those globals as parameters.
 */
import { provenanceOf, type FitEvent } from '../analysis/provenance';
import { cellLabel, cellNumber } from '../notebook/model';
import { offsetAt } from '../notebook/positions';
import { isBuiltinName } from '../python/builtins';
import { subExpressions } from '../python/expressions';
import type { FlowExpr } from '../python/flow';
import type { ConfigSetting } from './config-values';
import type { ModelSpec } from './model-spec';
import type { NotebookIndex } from './notebook-index';
import { callsIn } from './model-spec';
import { stringList, textOf } from './notebook-index';
import { isExploration, isIngestion, isIngestionCall } from './roles';
import { rewriteStatement, type Rewrite } from './rewrite';
import { frameLoop, isFeature, rowWiseTail, type FeatureEngineering, type FrameLoop, type LearnedStatistic, type RowWiseContext } from './row-wise';
import { readBeforeBound, type Statement } from './statements';

/** One generated function. */
export interface ExtractedFunction {
  name: string;
  params: string[];
  returns: string[];
  /** Python source of the whole definition. */
  code: string;
  cells: number[];
}

/** What extraction produced. */
export interface Extraction {
  /** Statements placed in the project, by order, with the module they went to. */
  placed: Map<number, 'ingestion' | 'preprocessing'>;
  /** Data files read by ingestion, as settings (`DATA_PATH`, ...). */
  dataFiles: ConfigSetting[];
  /** Notebook `def`/`class` statements copied as they are (rewritten). */
  definitions: string[];
  /** `load_data()`: the ingestion statements. */
  load: ExtractedFunction;
  /** One step per cell of data preparation, in order. */
  steps: ExtractedFunction[];
  /** `prepare_frame(raw)`: runs the steps and returns the frame the model's data come from. */
  prepare: string;
  /**
   * The row-wise feature engineering at the end of data preparation, when there is some: it runs
   * inside the saved Pipeline (first step), so the model takes raw columns.
   */
  features?: FeatureStep;
  /** Names read that nothing defines (deleted cells, kernel state): required settings. */
  unresolved: Map<string, ConfigSetting>;
  /** Functions that now take globals as parameters: name -> added parameters. */
  widened: Map<string, string[]>;
  /** Import-bound names the code of each module reads. */
  importsUsed: { ingestion: Set<string>; preprocessing: Set<string> };
  /** Whether each module reads config. */
  usesConfig: { ingestion: boolean; preprocessing: boolean };
  /** Review sentences. */
  review: string[];
  /**
   * Why the project cannot be written: an encoding learned from every row (`LabelEncoder().fit_transform`,
   * `pd.get_dummies`) that stays in `prepare_frame`, so the model would take encoded columns no raw row has.
   */
  refusal?: string[];
}

/** Row-wise feature engineering as generated code. */
export interface FeatureStep {
  /** `def engineer_features(frame): ...`, the notebook's statements on a copy of one frame. */
  code: string;
  engineering: FeatureEngineering;
  cells: number[];
}

/** Extracts data loading and preparation for the recognised model. */
export function extractData(index: NotebookIndex, spec: ModelSpec, settings: Map<string, ConfigSetting>, headings: Map<number, string>): Extraction {
  const review: string[] = [];
  const importNames = new Set(index.statements.filter((s) => s.imports.length > 0).flatMap((s) => s.defs));
  const definitionStatements = new Map<string, Statement>();
  for (const s of index.statements) if (s.flow?.kind === 'def' || s.flow?.kind === 'class') for (const d of s.defs) definitionStatements.set(d, s);
  const terminal = spec.x;
  const unresolved = new Map<string, ConfigSetting>();
  const taken = new Set([...settings.values()].map((s) => s.name));

  // Backward slice in document order from the feature selection.
  const included = new Set<number>();
  const loops = new Map<number, FrameLoop>();
  /** The features' selection and the changes made to them before the split (`selectedThenEngineered`). */
  const afterSelection: number[] = [];
  const neededDefinitions = new Set<string>();
  if (terminal !== undefined) {
    let needed = new Set([terminal.frame]);
    for (let i = terminal.statement.order - 1; i >= 0; i--) {
      const s = index.statements[i]!;
      if (s.imports.length > 0 || s.flow?.kind === 'def' || s.flow?.kind === 'class' || isExploration(index, s)) continue;
      if (s.defs.every((d) => settings.has(d)) && s.defs.length > 0) continue;
      // `for dataset in [train, test]:` changes the frames it loops over: the model's data needs
      // the loop for the frames it needs, and only those (the generated loop runs over them).
      const loop = frameLoop(index, s);
      if (loop !== undefined) {
        const hit = loop.frames.filter((f) => needed.has(f));
        if (hit.length === 0) continue;
        loops.set(s.order, { ...loop, needed: hit });
        for (const f of hit) if (!s.mutated.includes(f)) s.mutated.push(f);
        included.add(s.order);
        const skipped = new Set([...loop.frames.filter((f) => !hit.includes(f)), ...(loop.listName ? [loop.listName] : [])]);
        needed = new Set([...needed, ...s.uses.map((u) => u.name).filter((n) => !skipped.has(n))]);
        continue;
      }
      if (![...s.defs, ...s.mutated].some((n) => needed.has(n))) continue;
      included.add(s.order);
      needed = new Set([...needed, ...s.uses.map((u) => u.name)]);
    }
    afterSelection.push(...selectedThenEngineered(index, spec));
    for (const o of afterSelection) included.add(o);
    if (terminal.features === undefined) moveDummiesIntoPipeline(index, spec, included);
    // What moved into the Pipeline as a OneHotEncoder is no change left to place; the selection alone needs no engineering.
    afterSelection.splice(0, afterSelection.length, ...afterSelection.filter((o) => included.has(o)));
    if (afterSelection.length === 1) included.delete(afterSelection.pop()!);
    // Functions and classes the slice calls, and what they read in turn.
    const queue = [...included].flatMap((o) => index.statements[o]!.uses.map((u) => u.name)).filter((n) => definitionStatements.has(n));
    while (queue.length > 0) {
      const name = queue.pop()!;
      if (neededDefinitions.has(name)) continue;
      neededDefinitions.add(name);
      const s = definitionStatements.get(name)!;
      for (const u of s.deferredUses) if (definitionStatements.has(u.name)) queue.push(u.name);
    }
  }

  const defined = new Set<string>();
  for (const o of included) for (const n of [...index.statements[o]!.defs, ...index.statements[o]!.mutated]) defined.add(n);
  const known = (name: string): boolean =>
    settings.has(name) || importNames.has(name) || definitionStatements.has(name) || defined.has(name) || isBuiltinName(name);
  const noteUnresolved = (name: string, cell: number): void => {
    if (known(name) || unresolved.has(name)) return;
    if ((index.analysed.graph.definitions.get(name)?.length ?? 0) > 0) {
      review.push(
        `Cell ${cellNumber(cell)} reads \`${name}\`, which is bound only by code nb2prod did not place (a loop, a later cell or a statement it could not follow); check \`src/data/preprocessing.py\`.`,
      );
    }
    const setting: ConfigSetting = { variable: name, name: '', value: 'None', origin: `read by notebook ${cellLabel(cell)}, defined by no cell` };
    setting.name = settingNameFor(name, taken);
    unresolved.set(name, setting);
    review.push(
      `Cell ${cellNumber(cell)} reads \`${name}\`, which no cell defines (a deleted cell, or state that only lived in the kernel): set \`${setting.name}\` in \`src/utils/config.py\`; training refuses to run until it is set.`,
    );
  };

  // Notebook functions: globals holding data become parameters; config literals become config reads.
  const widened = new Map<string, string[]>();
  for (const name of neededDefinitions) {
    const s = definitionStatements.get(name)!;
    const fn = s.functions.find((f) => f.name === name);
    if (fn === undefined) continue;
    const extra = [...new Set(fn.globalReads.map((r) => r.name))].filter(
      (n) => !settings.has(n) && !importNames.has(n) && !definitionStatements.has(n) && !isBuiltinName(n),
    );
    if (extra.length > 0) {
      widened.set(name, extra);
      review.push(
        `\`${name}\` (${cellLabel(s.cell)}) read the notebook global${extra.length > 1 ? 's' : ''} ${extra.map((e) => `\`${e}\``).join(', ')}; it now takes ${extra.length > 1 ? 'them' : 'it'} as parameter${extra.length > 1 ? 's' : ''}, passed explicitly at every call. Check whether a statistic it computes from ${extra.length > 1 ? 'them' : 'it'} should be learned on the training split only.`,
      );
    }
  }
  const loopSkipped = (o: number, name: string): boolean => {
    const loop = loops.get(o);
    return loop !== undefined && (name === loop.listName || (loop.frames.includes(name) && !loop.needed.includes(name)));
  };
  for (const o of included) for (const u of index.statements[o]!.uses) if (!loopSkipped(o, u.name)) noteUnresolved(u.name, index.statements[o]!.cell);
  for (const name of neededDefinitions)
    for (const u of definitionStatements.get(name)!.deferredUses)
      if (!(widened.get(name) ?? []).includes(u.name)) noteUnresolved(u.name, definitionStatements.get(name)!.cell);

  const replacements = new Map<string, string>();
  for (const [order, loop] of loops) {
    const s = index.statements[order]!;
    if (loop.listName !== undefined || loop.needed.length < loop.frames.length)
      replacements.set(`${s.cell}:${loop.iterable.start}:${loop.iterable.end}`, `[${loop.needed.join(', ')}]`);
  }
  const rewrite: Rewrite = { settings, unresolved, widened, dataPaths: new Map(), replacements };
  const importsUsed = { ingestion: new Set<string>(), preprocessing: new Set<string>() };
  const usesConfig = { ingestion: false, preprocessing: false };
  const note = (module: 'ingestion' | 'preprocessing', s: Statement, deferred: boolean): void => {
    for (const u of deferred ? [...s.uses, ...s.deferredUses] : s.uses) {
      if (importNames.has(u.name)) importsUsed[module].add(u.name);
      if (settings.has(u.name) || unresolved.has(u.name)) usesConfig[module] = true;
    }
  };

  const definitions = [...neededDefinitions]
    .map((n) => definitionStatements.get(n)!)
    .filter((s, i, all) => all.indexOf(s) === i)
    .sort((a, b) => a.order - b.order)
    .map((s) => {
      note('preprocessing', s, true);
      return `# From notebook ${cellLabel(s.cell)}.\n${rewriteStatement(s, rewrite)}`;
    });

  // Ingestion: statements that read external data and depend on nothing else prepared.
  const placed = new Map<number, 'ingestion' | 'preprocessing'>();
  const ordered = [...included].sort((a, b) => a - b).map((o) => index.statements[o]!);
  const ingestionDefined = new Set<string>();
  for (const s of ordered) {
    const readsPrepared = s.uses.some((u) => defined.has(u.name) && !ingestionDefined.has(u.name));
    if (isIngestion(index, s) && !readsPrepared) {
      placed.set(s.order, 'ingestion');
      s.defs.forEach((d) => ingestionDefined.add(d));
    } else placed.set(s.order, 'preprocessing');
  }
  const ingestion = ordered.filter((s) => placed.get(s.order) === 'ingestion');
  const preparation = ordered.filter((s) => placed.get(s.order) === 'preprocessing');
  const dataFiles: ConfigSetting[] = [];
  for (const s of ingestion) {
    note('ingestion', s, false);
    for (const call of callsIn(s)) {
      const path = call.args[0]?.keyword === undefined ? call.args[0]?.value : undefined;
      if (!isIngestionCall(index, s, call) || path?.kind !== 'string') continue;
      const name = dataFiles.length === 0 ? 'DATA_PATH' : `DATA_PATH_${dataFiles.length + 1}`;
      const absolute = /^([A-Za-z]:[\\/]|[\\/]|~)/.test(path.value);
      const value = absolute ? JSON.stringify(path.value) : `str(PROJECT_ROOT / ${JSON.stringify(path.value)})`;
      dataFiles.push({ name, value, origin: `notebook ${cellLabel(s.cell)}: ${textOf(s, path)}`, statement: s });
      rewrite.dataPaths.set(`${s.cell}:${path.start}:${path.end}`, name);
      usesConfig.ingestion = true;
      if (absolute)
        review.push(
          `Cell ${cellNumber(s.cell)} reads data from the absolute path ${textOf(s, path)}; \`DATA_PATH\` in \`src/utils/config.py\` keeps it, change it to a path inside the project.`,
        );
    }
  }
  preparation.forEach((s) => note('preprocessing', s, false));

  const usedLater = (from: number, name: string): boolean =>
    name === terminal?.frame || ordered.some((s) => s.order > from && s.uses.some((u) => u.name === name));
  const loadReturns = [...new Set(ingestion.flatMap((s) => [...s.defs, ...s.mutated]))].filter((n) => usedLater(ingestion.at(-1)?.order ?? -1, n));
  const load = makeFunction('load_data', [], loadReturns, ingestion, rewrite, 'Reads the raw data the notebook trains on.');

  const blockedBy: { text?: string; edit?: string } = {};
  const features = featureStep(
    index,
    spec,
    { settings, importNames, definitions: definitionStatements, loops },
    preparation,
    defined,
    rewrite,
    review,
    blockedBy,
  );
  const prepared = features === undefined ? preparation : preparation.filter((s) => !features.engineering.statements.includes(s));
  const refusal = learnedEncodings(index, spec, prepared, blockedBy);
  const unplaced = afterSelection.filter((o) => !features?.engineering.statements.some((s) => s.order === o));
  if (unplaced.length > 0 && terminal !== undefined) {
    const s = index.statements[unplaced.at(-1)!]!;
    const text = s.python.slice(s.start, s.end).split('\n')[0]!.trim();
    const selected = textOf(terminal.statement, (terminal.statement.flow as { targets: FlowExpr[] }).targets[0]!);
    refusal.push(
      `\`${text}\` (${cellLabel(s.cell)}) changes \`${selected}\`, the model's features, after ${cellLabel(terminal.statement.cell)} selects them from \`${terminal.frame}\`, and ${blockedBy.text ?? 'nb2prod could not follow that code as row-wise engineering'}, so it cannot run inside the saved Pipeline. Make those changes on \`${terminal.frame}\` before the features are selected, with code that computes each row from the same row (or a statistic such as \`mean()\`), or inside a Pipeline fitted after the split.`,
    );
  }

  const steps: ExtractedFunction[] = [];
  const groups: Statement[][] = [];
  for (const s of prepared) {
    const last = groups.at(-1);
    if (last !== undefined && last[0]!.cell === s.cell) last.push(s);
    else groups.push([s]);
  }
  const loopVariables = new Set([...loops.values()].map((l) => l.variable));
  const stepNames = new Set<string>();
  for (const group of groups) {
    const cell = group[0]!.cell;
    const params = readBeforeBound(group).filter((n) => defined.has(n));
    // A loop over frames changes the frames; its variable is rebound by the next such loop, not passed on.
    const returns = [...new Set(group.flatMap((s) => [...s.defs, ...s.mutated]))].filter((n) => usedLater(group.at(-1)!.order, n) && !loopVariables.has(n));
    let name = `${slug(headings.get(cell) ?? 'prepare')}_cell${cellNumber(cell)}`;
    while (stepNames.has(name)) name += '_';
    stepNames.add(name);
    steps.push(makeFunction(name, params, returns, group, rewrite, `Data preparation from notebook ${cellLabel(cell)}.`));
  }

  const prepareLines = [
    'def prepare_frame(raw):',
    '    """Runs the notebook\'s data preparation on what `load_data()` returned; returns the frame features and target come from."""',
  ];
  prepareLines.push(
    loadReturns.length === 1
      ? `    ${loadReturns[0]} = raw`
      : loadReturns.length === 0
        ? '    del raw  # the notebook prepared no loaded data'
        : `    ${loadReturns.join(', ')} = raw`,
  );
  for (const step of steps) {
    const call = `${step.name}(${step.params.join(', ')})`;
    prepareLines.push(step.returns.length === 0 ? `    ${call}` : `    ${step.returns.join(', ')} = ${call}`);
  }
  prepareLines.push(`    return ${features?.engineering.input ?? terminal?.frame ?? 'raw'}`);
  return {
    placed,
    dataFiles,
    definitions,
    load,
    steps,
    prepare: prepareLines.join('\n'),
    ...(features ? { features } : {}),
    unresolved,
    widened,
    importsUsed,
    usesConfig,
    review,
    ...(refusal.length > 0 ? { refusal } : {}),
  };
}

/** The column `frame["c"]` or `frame.c` names; undefined for anything else. */
function columnName(expr: FlowExpr): string | undefined {
  if (expr.kind === 'subscript' && expr.index.length === 1 && expr.index[0]!.kind === 'string') return expr.index[0]!.value;
  return expr.kind === 'attribute' ? expr.attribute : undefined;
}

/**
 * `inputs = df.drop("t", axis="columns")` followed by code that changes `inputs` before the split
 * (`inputs.Sex = inputs.Sex.map({...})`, `inputs = pd.concat([inputs, dummies], axis="columns")`):
 * the model's features are `inputs` as changed. The orders of the selection and of those changes
 * (with what they need after the selection), or none when nothing changes the selected frame.
 */
function selectedThenEngineered(index: NotebookIndex, spec: ModelSpec): number[] {
  const terminal = spec.x;
  const flow = terminal?.statement.flow;
  if (terminal === undefined || flow?.kind !== 'assign' || flow.targets.length !== 1 || flow.targets[0]!.kind !== 'name') return [];
  const name = flow.targets[0].name;
  if (name === terminal.frame) return [];
  const end = Math.min(spec.split?.statement.order ?? Number.POSITIVE_INFINITY, spec.fit.order);
  const found: number[] = [];
  let needed = new Set([name]);
  for (let i = end - 1; i > terminal.statement.order; i--) {
    const s = index.statements[i]!;
    if (s.imports.length > 0 || s.flow?.kind === 'def' || s.flow?.kind === 'class' || isExploration(index, s)) continue;
    if (![...s.defs, ...s.mutated].some((n) => needed.has(n))) continue;
    found.unshift(i);
    needed = new Set([...needed, ...s.uses.map((u) => u.name)]);
  }
  return found.length === 0 ? [] : [terminal.statement.order, ...found];
}

/**
 * Statements left in `prepare_frame` that encode a feature column with categories learned from
 * every row: the model would take the encoded columns, which no raw row has. Each gets a sentence
 * naming the cell and the edit that lets nb2prod run it inside the saved Pipeline.
 */
function learnedEncodings(index: NotebookIndex, spec: ModelSpec, prepared: readonly Statement[], blockedBy: { text?: string; edit?: string }): string[] {
  const target = spec.target?.column;
  const encoders = new Set(
    index.statements
      .filter(
        (s) => s.flow?.kind === 'assign' && s.flow.value.kind === 'call' && index.qualified(s.flow.value.callee, s) === 'sklearn.preprocessing.LabelEncoder',
      )
      .flatMap((s) => s.defs),
  );
  const sentences: string[] = [];
  const encodingInFunction = encodingsInFunctions(index);
  for (const s of prepared) {
    const found = callsIn(s).find((call) => {
      if (index.qualified(call.callee, s) === 'pandas.get_dummies') return true;
      const callee = call.callee;
      if (callee.kind !== 'attribute' || callee.attribute !== 'fit_transform') return false;
      const encoder =
        (callee.object.kind === 'name' && encoders.has(callee.object.name)) ||
        (callee.object.kind === 'call' && index.qualified(callee.object.callee, s) === 'sklearn.preprocessing.LabelEncoder');
      const arg = call.args[0]?.value;
      const column = arg?.kind === 'subscript' && arg.index[0]?.kind === 'string' ? arg.index[0].value : arg?.kind === 'attribute' ? arg.attribute : undefined;
      // A column the model does not take (listed features without it, or dropped), nor writes into one, needs no encoding at inference.
      const choice = {
        target: typeof target === 'string' ? target : '',
        ...(spec.x?.features ? { features: spec.x.features } : {}),
        ...(spec.x?.dropped ? { dropped: spec.x.dropped } : {}),
      };
      const written = s.flow?.kind === 'assign' ? s.flow.targets.map(columnName) : [];
      const feature = column === undefined || [column, ...written].some((c) => c !== undefined && isFeature(choice, c));
      return encoder && column !== target && feature;
    });
    if (found === undefined) {
      const helper = encodingInFunction(s);
      if (helper !== undefined)
        sentences.push(
          `\`${s.python.slice(s.start, s.end).split('\n')[0]!.trim()}\` (${cellLabel(s.cell)}) calls \`${helper.inFunction}\`, which encodes columns of the features with categories learned from every row (\`${helper.api}\`, ${cellLabel(helper.location.cell)}); nb2prod does not run a notebook function's encodings inside the saved Pipeline, so the model would take encoded columns no raw row has. Write the encoding in the cell itself (\`df[c] = LabelEncoder().fit_transform(df[c])\` for each named column), or encode inside the model: \`OneHotEncoder(handle_unknown="ignore")\` or \`OrdinalEncoder\` in a Pipeline fitted after the split.`,
        );
      continue;
    }
    const text = textOf(s, found);
    const why =
      blockedBy.text !== undefined
        ? `it cannot run inside the saved Pipeline because ${blockedBy.text}`
        : 'nb2prod could not follow the code between it and the features as row-wise engineering';
    const edit = blockedBy.edit ?? 'Move that code above the encoding, or after the split.';
    sentences.push(
      `\`${text}\` (${cellLabel(s.cell)}) encodes a feature with categories learned from every row, and ${why}; the model would take encoded columns no raw row has. ${edit.replace(/\.$/, '')} (or encode inside the model: \`OneHotEncoder(handle_unknown="ignore")\` or \`OrdinalEncoder\` in a Pipeline fitted after the split).`,
    );
  }
  return sentences;
}

/**
 * For a statement, an encoding learned inside a notebook function it calls (`df = Encoder(df)`,
 * whose body label-encodes every object column), when what it learned reaches the features of a
 * model the notebook trains (not only its target).
 */
function encodingsInFunctions(index: NotebookIndex): (s: Statement) => FitEvent | undefined {
  const provenance = provenanceOf(index.analysed);
  const features = new Set(provenance.fits.filter((f) => f.kind === 'estimator' && !f.speculative).flatMap((f) => f.learnedIn));
  const candidates = provenance.fits.filter(
    (f) => f.inFunction !== undefined && f.callSite !== undefined && f.pattern === 'encoding' && !f.speculative && features.has(f),
  );
  return (s) =>
    candidates.find((f) => {
      if (f.callSite?.cell !== s.cell) return false;
      const at = offsetAt(s.python, f.callSite.range.start);
      return at >= s.start && at < s.end;
    });
}

/**
 * The row-wise tail of data preparation as `engineer_features(frame)`, which training runs
 * inside the Pipeline; undefined when the model's features are not listed by name, or when no
 * feature column is computed row by row at the end of preparation.
 */
function featureStep(
  index: NotebookIndex,
  spec: ModelSpec,
  known: Pick<RowWiseContext, 'settings' | 'importNames' | 'definitions' | 'loops'>,
  preparation: readonly Statement[],
  defined: ReadonlySet<string>,
  rewrite: Rewrite,
  review: string[],
  blockedBy: { text?: string; edit?: string },
): FeatureStep | undefined {
  const featureList = spec.x?.features;
  const dropped = spec.x?.dropped;
  const positions = spec.x?.positions;
  // A target given by position (`df.iloc[:, 0]`) is resolved at training time; its name is unknown here.
  const column = spec.target?.column;
  if ((featureList === undefined && dropped === undefined && positions === undefined) || preparation.length === 0) return undefined;
  if (typeof column !== 'string' && positions === undefined) return undefined;
  // Features by position (`df.iloc[:, :-1]`), the target maybe too: the engineering may only rewrite
  // columns in place (checked below), so that the positions are the same before and after it.
  const target = typeof column === 'string' ? column : '';
  const choice = featureList !== undefined ? { features: featureList } : { dropped: dropped ?? [] };
  const tail = rowWiseTail({ index, ...known, target, ...choice, statistics: statisticSites(index) }, preparation, defined);
  const { blocked } = tail;
  let found = tail.found;
  if (found !== undefined && positions !== undefined && featureList === undefined && dropped === undefined) {
    const inPlace = found.written.every((c) => found!.inputColumns.includes(c)) && found.dropped.length === 0 && found.drops.length === 0;
    if (!inPlace) {
      blockedBy.text = `the features are chosen by position (\`${textOf(spec.x!.statement, spec.x!.statement.flow?.kind === 'assign' ? spec.x!.statement.flow.value : spec.x!.statement.flow!)}\`, ${cellLabel(spec.x!.statement.cell)}) and the engineering adds or removes columns, which moves them`;
      blockedBy.edit = 'Select the features by name instead (`X = df.drop(columns=["target"])` or a list of columns).';
      found = undefined;
    }
  }
  if (blocked !== undefined) {
    const text = blocked.statement.python.slice(blocked.statement.start, blocked.statement.end).split('\n')[0]!.trim();
    blockedBy.text = `\`${text}\` (${cellLabel(blocked.statement.cell)}) is not row-wise (${blocked.why})`;
  }
  if (blocked !== undefined && (found !== undefined || blocked.statistic)) {
    const text = blocked.statement.python.slice(blocked.statement.start, blocked.statement.end).split('\n')[0]!.trim();
    const fix = blocked.statistic
      ? '; a statistic of the data (a median, a maximum, bin edges) belongs in a fitted Pipeline step, learned on the training split only'
      : '';
    review.push(
      `\`${text}\` (${cellLabel(blocked.statement.cell)}) is not row-wise feature engineering (${blocked.why}): it stays in \`prepare_frame\`, run on every row before the split, and \`predict\` needs the columns it computes as inputs${fix}.`,
    );
  }
  if (found === undefined) return undefined;
  const { input, output } = found;
  const cells = [...new Set(found.statements.map((s) => s.cell))];
  const where = cellsLabel(cells);
  const learning = found.statistics.length > 0;
  const encodings = found.statistics.filter((l) => l.kind === 'codes' || l.kind === 'dummies');
  const values = found.statistics.filter((l) => l.kind === 'value' || l.kind === 'group');
  const encodes = encodings.length > 0;
  const unseenDoc = !encodes
    ? ''
    : `; a category training never saw ${encodings.some((l) => l.kind === 'codes') ? 'is coded -1' : 'gets zeros in every dummy column'}`;
  const lines = [
    `def engineer_features(${input}${learning ? ', statistics' : ''}):`,
    learning
      ? `    """The notebook's feature engineering (${where}) on a copy of raw rows, with the ${encodes ? 'categories it encodes' : 'statistics of the data it computes'} read from \`statistics\` (learned from the training rows by \`FittedFeatures.fit\`${unseenDoc})."""`
      : `    """The notebook's row-wise feature engineering (${where}) on a copy of raw rows: the saved Pipeline's first step runs it in training and inference."""`,
    `    ${input} = ${input}.copy()`,
    ...functionBody(found.statements, withSkipped(withDrops(learning ? withStatistics(rewrite, found.statistics) : rewrite, found.drops), found.skipped)),
    `    return ${output}`,
  ];
  const written = found.written.filter((c) => isFeature({ target, ...choice }, c));
  const inputs =
    featureList !== undefined
      ? `the raw columns ${found.inputColumns.map((c) => `\`${c}\``).join(', ')}`
      : dropped === undefined
        ? `the raw columns at the notebook's positions (it rewrites ${found.inputColumns.map((c) => `\`${c}\``).join(', ')} in place)`
        : `every raw column but the target and the dropped columns it does not read (it reads ${found.inputColumns.map((c) => `\`${c}\``).join(', ')})`;
  spec.notes.push(
    `${where.replace(/^c/, 'C')} compute${cells.length > 1 ? '' : 's'} ${written.map((c) => (c.startsWith('dummies of ') ? `the dummy columns of \`${c.slice(11)}\`` : `\`${c}\``)).join(', ')} row by row: training runs that code inside the saved Pipeline (\`engineer_features\` in \`src/data/preprocessing.py\`), so the model takes ${inputs} and inference computes the features as training did.`,
  );
  if (values.length > 0) {
    const list = values.map((l) => `\`${l.text}\` (${cellLabel(l.statement.cell)})`).join(', ');
    spec.notes.push(
      `The notebook learned ${list} from every row before the split; the Pipeline's first step (\`FittedFeatures\`) learns ${values.length > 1 ? 'them' : 'it'} from the training split only, when it is fitted, and applies the learned value${values.length > 1 ? 's' : ''} to the rows it scores, so raw rows with missing values score through \`predict\`.`,
    );
  }
  if (encodes) {
    const codes = encodings.some((l) => l.kind === 'codes');
    const dummies = encodings.some((l) => l.kind === 'dummies');
    const unseen = [
      ...(codes ? ['a category training never saw is coded -1'] : []),
      ...(dummies ? ["every batch gets exactly the training's dummy columns, and a category training never saw gets zeros in all of them"] : []),
    ]
      .map((t) => `; ${t}`)
      .join('');
    const list = encodings.map((l) => `\`${l.text}\` (${cellLabel(l.statement.cell)})`).join(', ');
    spec.notes.push(
      `The notebook encoded categories with ${list}, learned from every row before the split; the Pipeline's first step (\`FittedFeatures\`) learns each column's categories from the training split only and encodes the rows it scores with them, so \`predict\` takes the raw values as the data file has them${unseen}.`,
    );
  }
  return { code: lines.join('\n'), engineering: found, cells };
}

/** `cell:start:end` of every call the provenance analysis saw compute a statistic of data, with the statistic's method. */
function statisticSites(index: NotebookIndex): Map<string, string> {
  const sites = new Map<string, string>();
  for (const fit of provenanceOf(index.analysed).fits) {
    if (fit.kind !== 'statistic') continue;
    const python = index.analysed.cells[fit.location.cell]?.python;
    if (python === null || python === undefined) continue;
    sites.set(`${fit.location.cell}:${offsetAt(python, fit.location.range.start)}:${offsetAt(python, fit.location.range.end)}`, fit.method);
  }
  return sites;
}

/**
 * The rewrite of the engineering with its statistics read from `statistics`: `x.median()` becomes
 * `statistics.value("x.median()", lambda: x.median())` (computed while fitting, the learned value
 * afterwards), `frame.groupby(k)["c"].transform("mean")` becomes
 * `statistics.per_group(..., frame, k, lambda: frame.groupby(k)["c"].agg("mean"))`.
 */
function withStatistics(rewrite: Rewrite, statistics: readonly LearnedStatistic[]): Rewrite {
  const replacements = new Map(rewrite.replacements ?? []);
  const insert = (cell: number, at: number, text: string, before: boolean): void => {
    const key = `${cell}:${at}:${at}`;
    const existing = replacements.get(key);
    replacements.set(key, existing === undefined ? text : before ? text + existing : existing + text);
  };
  const keys = new Map<string, number>();
  for (const l of statistics) {
    const seen = keys.get(l.text) ?? 0;
    keys.set(l.text, seen + 1);
    const key = pythonString(seen === 0 ? l.text : `${l.text} #${seen + 1}`);
    const cell = l.statement.cell;
    if (l.kind === 'codes' || l.kind === 'dummies') {
      // `LabelEncoder().fit_transform(frame["c"])` -> `statistics.codes(key, frame["c"])`; `pd.get_dummies(x, ...)` -> `statistics.dummies(key, x, ...)`.
      if (l.data !== undefined) replacements.set(`${cell}:${l.start}:${l.data}`, `statistics.${l.kind}(${key}, `);
      else replacements.set(`${cell}:${l.start}:${l.end}`, `lambda column: statistics.codes(${key}, column)`);
      continue;
    }
    if (l.group !== undefined) {
      insert(cell, l.start, `statistics.per_group(${key}, ${l.group.frame}, ${l.group.by}, lambda: `, false);
      replacements.set(`${cell}:${l.group.method.start}:${l.group.method.end}`, 'agg');
    } else insert(cell, l.start, `statistics.value(${key}, lambda: `, false);
    insert(cell, l.end, ')', true);
  }
  return { ...rewrite, replacements };
}

/** The engineering's `drop(...)` calls with `errors="ignore"`: the raw rows it runs on lack the columns it dropped (they are no model input). */
function withDrops(rewrite: Rewrite, drops: FeatureEngineering['drops']): Rewrite {
  if (drops.length === 0) return rewrite;
  const replacements = new Map(rewrite.replacements ?? []);
  for (const d of drops) {
    const key = `${d.statement.cell}:${d.close}:${d.close}`;
    replacements.set(key, `${replacements.get(key) ?? ''}, errors="ignore"`);
  }
  return { ...rewrite, replacements };
}

/** The engineering's statements it does not run (`FeatureEngineering.skipped`), as comments saying why. */
function withSkipped(rewrite: Rewrite, skipped: FeatureEngineering['skipped']): Rewrite {
  if (skipped.length === 0) return rewrite;
  const replacements = new Map(rewrite.replacements ?? []);
  for (const { statement: s, why } of skipped) {
    const text = s.python.slice(s.start, s.end).replace(/\s*\n\s*/g, ' ');
    replacements.set(`${s.cell}:${s.start}:${s.end}`, `# nb2prod: \`${text}\` is not run: ${why}.`);
  }
  return { ...rewrite, replacements };
}

/** A Python string literal for `text`, single-quoted when that needs no escapes. */
function pythonString(text: string): string {
  return !text.includes("'") && !text.includes('\\') && !text.includes('\n') ? `'${text}'` : JSON.stringify(text);
}

/**
 * `df = pd.get_dummies(df, columns=[...])` in the data preparation learns the categories from
 * every row, and makes inference depend on dummy columns the caller would have to build. When
 * the model takes every column but some (`df.drop(columns=[...])`) and what runs after the
 * statement reads only named columns of the encoded frame that are not the encoded ones nor their
 * dummies (`df["ratio"] = df["a"] / df["b"]`), the statement leaves the slice and training one-hot encodes
 * inside the Pipeline instead: the frame keeps its raw columns, and inference encodes them as
 * training did (unseen categories as all zeros).
 */
function moveDummiesIntoPipeline(index: NotebookIndex, spec: ModelSpec, included: Set<number>): void {
  const orders = [...included].sort((a, b) => a - b);
  for (const order of orders) {
    const s = index.statements[order]!;
    const flow = s.flow;
    if (flow?.kind !== 'assign' || flow.operator !== undefined || flow.targets.length !== 1) continue;
    const target = flow.targets[0]!;
    const call = flow.value;
    if (target.kind !== 'name' || call.kind !== 'call' || index.qualified(call.callee, s) !== 'pandas.get_dummies') continue;
    const [frame, ...options] = call.args;
    if (frame === undefined || frame.keyword !== undefined || frame.unpack !== undefined || frame.value.kind !== 'name' || frame.value.name !== target.name)
      continue;
    let columns: string[] | undefined;
    let dropFirst = false;
    const understood = options.every((a) => {
      if (a.keyword === 'columns') {
        columns = stringList(a.value);
        return columns !== undefined;
      }
      if (a.keyword === 'drop_first' && a.value.kind === 'constant') {
        dropFirst = a.value.value === 'True';
        return true;
      }
      return a.keyword === 'dtype';
    });
    // Later code may read the frame's other columns (`df["ratio"] = df["a"] / df["b"]`), not its dummy columns nor the frame as a whole.
    const encoded = (column: string): boolean => (columns === undefined ? false : columns.some((c) => column === c || column.startsWith(`${c}_`)));
    const later = orders.filter((o) => o > order && index.statements[o]!.uses.some((u) => u.name === target.name));
    if (!understood || later.some((o) => !readsNamedColumns(index.statements[o]!, target.name, (c) => columns === undefined || encoded(c)))) continue;
    included.delete(order);
    const encoder = `OneHotEncoder(handle_unknown="ignore", sparse_output=False${dropFirst ? ', drop="first"' : ''})`;
    const selected =
      columns !== undefined ? `[${columns.map((c) => JSON.stringify(c)).join(', ')}]` : 'make_column_selector(dtype_include=["object", "category"])';
    const text = `ColumnTransformer([("onehot", ${encoder}, ${selected})], remainder="passthrough")`;
    const imports = [
      'from sklearn.compose import ColumnTransformer',
      'from sklearn.preprocessing import OneHotEncoder',
      ...(columns === undefined ? ['from sklearn.compose import make_column_selector'] : []),
    ];
    const replaces = textOf(s, call.callee);
    spec.transformers.unshift({
      constructor: {
        callee: 'ColumnTransformer',
        qualified: 'sklearn.compose.ColumnTransformer',
        className: 'ColumnTransformer',
        text,
        args: [],
        statement: s,
      },
      beforeSplit: true,
      statement: s,
      written: { replaces, imports },
    });
    const which = columns !== undefined ? columns.map((c) => `\`${c}\``).join(', ') : 'text and category columns';
    spec.notes.push(
      `\`${replaces}\` (${cellLabel(s.cell)}) one-hot encoded ${which} before the model, with categories learned from every row; training does it inside the Pipeline with \`${encoder}\`, so inference takes the raw columns and encodes them as training did.`,
    );
  }
}

/**
 * Whether a statement touches `frame` only through literal column names (`frame["a"]`,
 * `frame[["a", "b"]]`, `frame["new"] = ...`), none of them `excluded`: then it reads the same
 * values whether or not columns it does not name were one-hot encoded before it.
 */
function readsNamedColumns(statement: Statement, frame: string, excluded: (column: string) => boolean): boolean {
  const flow = statement.flow;
  if (flow?.kind !== 'assign' && flow?.kind !== 'expression') return false;
  let ok = true;
  const visit = (expr: FlowExpr | undefined): void => {
    if (expr === undefined || !ok) return;
    switch (expr.kind) {
      case 'name':
        if (expr.name === frame) ok = false;
        return;
      case 'subscript': {
        if (expr.object.kind === 'name' && expr.object.name === frame) {
          const [key] = expr.index;
          const names = key?.kind === 'string' ? [key.value] : key !== undefined ? stringList(key) : undefined;
          if (expr.index.length !== 1 || names === undefined || names.some(excluded)) ok = false;
          return;
        }
        visit(expr.object);
        expr.index.forEach(visit);
        return;
      }
      default:
        subExpressions(expr).forEach(visit);
        return;
    }
  };
  if (flow.kind === 'assign') flow.targets.forEach(visit);
  visit(flow.value);
  return ok;
}

/** Statements as the body of a function: rewritten, indented, each cell's first one under a comment naming it. */
export function functionBody(statements: readonly Statement[], rewrite: Rewrite): string[] {
  const lines: string[] = [];
  let cell = -1;
  for (const s of statements) {
    if (s.cell !== cell) {
      lines.push(`    # From notebook ${cellLabel(s.cell)}.`);
      cell = s.cell;
    }
    lines.push(
      ...rewriteStatement(s, rewrite)
        .split('\n')
        .map((l) => (l.trim() === '' ? '' : `    ${l}`)),
    );
  }
  return lines;
}

function makeFunction(name: string, params: string[], returns: string[], statements: Statement[], rewrite: Rewrite, doc: string): ExtractedFunction {
  const lines = [`def ${name}(${params.join(', ')}):`, `    """${doc}"""`, ...functionBody(statements, rewrite)];
  if (returns.length > 0) lines.push(`    return ${returns.join(', ')}`);
  else if (statements.length === 0) lines.push('    return None');
  return { name, params, returns, code: lines.join('\n'), cells: [...new Set(statements.map((s) => s.cell))] };
}

function slug(text: string): string {
  const words = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .slice(0, 4);
  const joined = words.join('_') || 'prepare';
  return /^[0-9]/.test(joined) ? `step_${joined}` : joined;
}

function settingNameFor(variable: string, taken: Set<string>): string {
  let name = variable
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, '_');
  while (taken.has(name)) name = `NB_${name}`;
  taken.add(name);
  return name;
}

/** `cell 5` or `cells 5, 6`, numbered as the report numbers cells. */
export function cellsLabel(cells: readonly number[]): string {
  return cells.length === 1 ? cellLabel(cells[0]!) : `cells ${cells.map((c) => cellNumber(c)).join(', ')}`;
}
