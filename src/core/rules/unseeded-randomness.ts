import type { CellTextEdit, Fix, Range } from '../diagnostic';
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import { perCell } from '../analysis/memo';
import { nameResolver, type NameResolver } from '../analysis/qualified-names';
import { displayOnly, notebookTrains } from '../analysis/random-reach';
import { GENERATORS, randomApi, seedingApi, type GlobalGenerator, type KeywordCondition, type RandomApi } from '../analysis/randomness';
import { insertionEdit, insertionPoint } from '../fixes/insert-constant';
import { offsetAt, positionAt } from '../notebook/positions';
import type { Call } from '../python/facts';
import type { Finding, Rule } from './types';

/** NB111: random numbers drawn without a seed. */
export const unseededRandomness: Rule = {
  code: 'NB111',
  name: 'unseeded-randomness',
  severity: 'warning',
  tier: 'preview',
  docs: {
    tierReason:
      'Right 15 times in 20 in the audits of public notebooks: estimators built only to show their parameters and samples drawn only for display are the usual noise.',
    summary:
      'A split, estimator or draw uses random numbers without a seed: `random_state` missing (or `None`), or `np.random`, ' +
      '`random` or `torch` drawing before any seeding call.',
    why:
      'Every run then splits, initialises and samples differently: the metrics in the saved outputs cannot be ' +
      'reproduced, a model retrained for production is not the one that was evaluated, and a difference between two ' +
      'experiments may be nothing but noise. A seed kept in one constant makes runs repeatable and lets the training ' +
      'code record it in the artifact manifest. A draw from a global generator counts as seeded when a seeding call ' +
      '(`np.random.seed(0)`, `random.seed`, `torch.manual_seed`, `seed_everything`) comes before it in document order; ' +
      'one finding per generator names the first unseeded draw and lists the others as related locations, and calls ' +
      'with `**kwargs` are not judged.',
    preview:
      'Unseeded draws from a global generator, and `df.sample(...)`, are preview findings when their numbers cannot ' +
      'reach a model: the notebook trains nothing (no `fit`, `train`, `backward`, `step`, split or cross-validation ' +
      'call), or the drawn values only feed plots and displays (an argument of a matplotlib, seaborn or `print` call, ' +
      'a statement whose value is shown or dropped such as `df.sample(5)` on the last line, or names whose every ' +
      'read is such a use, followed through assignments). So are decision trees without `splitter` or `max_features` ' +
      'and gradient boosting without `subsample` or `max_features`: their seed only breaks ties between equally good ' +
      'splits, so runs almost always agree. Other splits and estimators without a seed are always reported.',
    example: [
      '# %%',
      'import pandas as pd',
      'from sklearn.ensemble import RandomForestClassifier',
      'from sklearn.model_selection import train_test_split',
      '',
      '# %%',
      'df = pd.read_csv("data/churn.csv")',
      'X_train, X_test, y_train, y_test = train_test_split(df[["tenure"]], df["churn"], test_size=0.2)',
      'model = RandomForestClassifier(n_estimators=200).fit(X_train, y_train)',
    ].join('\n'),
    useInstead: [
      '# %%',
      'import pandas as pd',
      'from sklearn.ensemble import RandomForestClassifier',
      'from sklearn.model_selection import train_test_split',
      '',
      'SEED = 42',
      '',
      '# %%',
      'df = pd.read_csv("data/churn.csv")',
      'X_train, X_test, y_train, y_test = train_test_split(df[["tenure"]], df["churn"], test_size=0.2, random_state=SEED)',
      'model = RandomForestClassifier(n_estimators=200, random_state=SEED).fit(X_train, y_train)',
    ].join('\n'),
    fixSafety:
      'Unsafe: seeding changes the numbers drawn, so results change (once). For an API with a seed argument the fix ' +
      'adds `random_state=SEED` (or sets the seed argument where it is `None`), reusing an ALL_CAPS seed constant ' +
      '(`SEED`, `RANDOM_SEED`, `RANDOM_STATE`, ...) defined before the call, or inserting `SEED = 42` after the ' +
      'imports of the first code cell. For a draw from a global generator it inserts `np.random.seed(SEED)` ' +
      '(`random.seed`, `torch.manual_seed`) right before the statement that draws first, written with the module ' +
      'as the notebook imported it; when the module itself was never imported (only `from numpy.random import rand`), ' +
      'no fix is offered.',
  },
  check(analysed) {
    const resolver = nameResolver(analysed);
    const findings: Finding[] = [];
    const cells = analysed.cells.map((cell) => cellRandomness(cell, resolver.key, resolver));
    // Where each global generator is seeded: eager calls at their place, calls in functions anywhere.
    const seeds = new Map<GlobalGenerator, Place[]>();
    for (const cell of cells) {
      for (const { generator, place } of cell?.seeds ?? []) seeds.set(generator, [...(seeds.get(generator) ?? []), place]);
    }
    const trains = notebookTrains(analysed);
    // Unseeded global draws, grouped per generator and tier: one finding names the first, with the others related.
    const groups = new Map<string, { call: Call; where: Place }[]>();
    for (const cell of cells) {
      for (const { call, qualified, entry, where } of cell?.draws ?? []) {
        const preview = (): boolean => !trains || displayOnly(analysed, where.cell, call, qualified);
        if (entry.generator !== undefined) {
          if (isSeeded(seeds.get(entry.generator) ?? [], where)) continue;
          const key = `${entry.generator}|${preview()}`;
          groups.set(key, [...(groups.get(key) ?? []), { call, where }]);
        } else if (entry.argument !== undefined && isUnseeded(call, entry)) {
          const finding = missingArgument(analysed, call, entry, qualified ?? entry.api, where);
          const tiesOnly = entry.randomWith !== undefined && !call.args.some((a) => a.keyword !== undefined && entry.randomWith?.includes(a.keyword));
          findings.push(tiesOnly || (entry.api === '.sample' && preview()) ? { ...finding, preview: true } : finding);
        }
      }
    }
    for (const [key, draws] of groups) {
      const [generator, preview] = key.split('|') as [GlobalGenerator, string];
      findings.push(globalDraws(analysed, resolver, draws, generator, preview === 'true'));
    }
    return findings;
  },
};

/** The calls of one cell that draw random numbers, and the calls that seed a global generator. */
interface CellRandomness {
  draws: { call: Call; qualified: string | undefined; entry: RandomApi; where: Place }[];
  seeds: { generator: GlobalGenerator; place: Place }[];
}

/** A cell's draws and seeding calls: they depend on the cell and the notebook's imports alone. */
const cellRandomness = perCell(({ cell, python, facts }, resolver: NameResolver): CellRandomness => {
  const result: CellRandomness = { draws: [], seeds: [] };
  for (const call of facts.calls) {
    const qualified = resolver.callee(call, cell.index, python);
    const where = (): Place => ({ cell: cell.index, offset: offsetAt(python, call.range.start), deferred: call.deferred });
    const entry = qualified !== undefined ? randomApi(qualified) : methodEntry(call, qualified);
    if (entry !== undefined && draws(call, entry)) result.draws.push({ call, qualified, entry, where: where() });
    const seeding = qualified === undefined ? undefined : seedingApi(qualified);
    if (seeding === undefined || call.args.length === 0 || call.args[0]?.text === 'None') continue;
    for (const generator of seeding.generators) result.seeds.push({ generator, place: where() });
  }
  return result;
});

interface Place {
  cell: number;
  offset: number;
  deferred: boolean;
}

/** `df.sample(...)`: a method entry applies to receivers that are not imported modules. */
function methodEntry(call: Call, qualified: string | undefined): RandomApi | undefined {
  if (qualified !== undefined || call.method === undefined || call.callee === call.method) return undefined;
  return randomApi(`.${call.method}`);
}

function keywordIn(call: Call, condition: KeywordCondition): boolean {
  const arg = call.args.find((a) => a.keyword === condition.keyword);
  return arg !== undefined && condition.values.includes(arg.text);
}

function draws(call: Call, entry: RandomApi): boolean {
  if (call.args.some((a) => a.unpack === '**')) return false; // the seed may be in there: no false certainty
  if (entry.when !== undefined && !keywordIn(call, entry.when)) return false;
  return !(entry.unless !== undefined && keywordIn(call, entry.unless));
}

function seedArgument(call: Call, entry: RandomApi): Call['args'][number] | undefined {
  const byKeyword = call.args.find((a) => a.keyword === entry.argument);
  if (byKeyword !== undefined || entry.position === undefined) return byKeyword;
  return call.args.filter((a) => a.keyword === undefined && a.unpack === undefined)[entry.position];
}

function isUnseeded(call: Call, entry: RandomApi): boolean {
  if (entry.position !== undefined && call.args.some((a) => a.unpack === '*')) return false;
  const arg = seedArgument(call, entry);
  return arg === undefined || arg.text === 'None';
}

/**
 * Whether a draw happens after a seeding call in document order. A draw inside a function runs
 * when called, which nb2prod cannot place, so any seeding call anywhere counts for it; a seeding
 * call inside a function counts from where the function is defined, for the same reason.
 */
function isSeeded(seeds: readonly Place[], draw: Place): boolean {
  if (draw.deferred) return seeds.length > 0;
  return seeds.some((s) => s.cell < draw.cell || (s.cell === draw.cell && s.offset < draw.offset));
}

function globalDraws(
  analysed: AnalysedNotebook,
  resolver: NameResolver,
  draws: readonly { call: Call; where: Place }[],
  generator: GlobalGenerator,
  preview: boolean,
): Finding {
  const [{ call, where }, ...others] = draws as [{ call: Call; where: Place }, ...{ call: Call; where: Place }[]];
  const { label, module, seedFunction } = GENERATORS[generator];
  const more = others.length === 0 ? '' : ` (and ${others.length} more unseeded draw${others.length === 1 ? '' : 's'})`;
  const finding: Finding = {
    message: `\`${call.callee}\` draws from ${label}${more}, which nothing seeds before this call, so each run gives different results that cannot be reproduced.`,
    cell: where.cell,
    range: call.calleeRange,
    related: others.map((o) => ({ cell: o.where.cell, range: o.call.calleeRange, message: `\`${o.call.callee}\` draws unseeded too` })),
    data: { api: call.callee, generator, draws: draws.length },
    ...(preview ? { preview: true } : {}),
  };
  const python = analysed.cells[where.cell]?.python ?? '';
  const calleeOffset = offsetAt(python, call.calleeRange.start);
  const statementStart = analysed.graph.uses.find((u) => u.cell === where.cell && u.offset === calleeOffset)?.statementStart ?? calleeOffset;
  const expression = resolver.expressionFor(module, where.cell, statementStart);
  if (expression === undefined) {
    finding.data['fixBlockedBy'] = `\`${module}\` is not imported as a module before this call, so there is nothing to call \`${seedFunction}\` on`;
    return finding;
  }
  const seed = seedConstant(analysed, where);
  const at = positionAt(python, statementStart);
  const edits: CellTextEdit[] = [...seed.edits, { cell: where.cell, range: { start: at, end: at }, newText: `${expression}.${seedFunction}(${seed.name})\n` }];
  finding.fixes = [{ title: `Seed with \`${expression}.${seedFunction}(${seed.name})\` before this statement`, safety: 'unsafe', edits }];
  return finding;
}

function missingArgument(analysed: AnalysedNotebook, call: Call, entry: RandomApi, api: string, where: Place): Finding {
  const argument = entry.argument ?? 'random_state';
  const seed = seedConstant(analysed, where);
  const existing = seedArgument(call, entry);
  const python = analysed.cells[where.cell]?.python ?? '';
  let edit: CellTextEdit;
  let title: string;
  if (existing !== undefined) {
    edit = { cell: where.cell, range: existing.range, newText: seed.name };
    title = `Set \`${argument}=${seed.name}\``;
  } else {
    const last = call.args.at(-1);
    const text = entry.position === 0 && last === undefined ? seed.name : `${argument}=${seed.name}`;
    const at: Range['start'] = last !== undefined ? last.range.end : positionAt(python, offsetAt(python, call.range.end) - 1);
    edit = { cell: where.cell, range: { start: at, end: at }, newText: last !== undefined ? `, ${text}` : text };
    title = text === seed.name ? `Seed it with \`${seed.name}\`` : `Add \`${text}\``;
  }
  const fix: Fix = { title, safety: 'unsafe', edits: [...seed.edits, edit] };
  return {
    message: `\`${call.callee}\` is called without a seed (\`${argument}\`), so each run gives different results that cannot be reproduced.`,
    cell: where.cell,
    range: call.calleeRange,
    related: [],
    data: { api, argument },
    fixes: [fix],
  };
}

const SEED_NAMES = ['SEED', 'RANDOM_SEED', 'RANDOM_STATE'];

/** An ALL_CAPS seed constant bound before `where`, or `SEED` inserted after the imports. */
function seedConstant(analysed: AnalysedNotebook, where: Place): { name: string; edits: CellTextEdit[] } {
  const candidates: string[] = [];
  for (const [name, definitions] of analysed.graph.definitions) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name) || !(name.includes('SEED') || name === 'RANDOM_STATE')) continue;
    const before = definitions.some(
      (d) => d.kind === 'assign' && !d.deferred && (d.cell < where.cell || (d.cell === where.cell && d.bindOffset <= where.offset)),
    );
    if (before) candidates.push(name);
  }
  candidates.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  if (candidates[0] !== undefined) return { name: candidates[0], edits: [] };
  const name = SEED_NAMES.find((n) => !analysed.graph.definitions.has(n)) ?? 'NB2PROD_SEED';
  const at = insertionPoint(analysed);
  return { name, edits: at ? [insertionEdit(analysed, at, [], [`${name} = 42`])] : [] };
}

function rank(name: string): number {
  const index = SEED_NAMES.indexOf(name);
  return index < 0 ? SEED_NAMES.length : index;
}
