import type { Range } from '../diagnostic';
import { assignedValueInCell } from '../analysis/assigned-values';
import { perCell } from '../analysis/memo';
import { globalKinds } from '../analysis/global-kinds';
import { loopCarried } from '../analysis/loops';
import { executionHistory } from '../analysis/history';
import { callArguments, growsFromItself, isIdempotentCall, rebuildsFromItself, targetUpdate } from '../analysis/self-updates';
import { assignmentsByStart } from '../python/expressions';
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import { cellLabel } from '../notebook/model';
import { offsetAt, positionAt } from '../notebook/positions';
import type { Definition } from '../python/facts';
import type { Finding, Rule } from './types';

/** Container methods that change their receiver differently on every call (`add`, `sort` and `clear` do not). */
const ACCUMULATING_METHODS: ReadonlySet<string> = new Set(['append', 'extend', 'insert', 'update', 'setdefault', 'pop', 'remove', 'reverse']);

/** What a statement does that a second run repeats; `data.kind` of the finding. */
type EffectKind = 'augmented-assignment' | 'self-rebinding' | 'inplace' | 'mutating-method' | 'del' | 'column-from-itself';

interface Effect {
  name: string;
  kind: EffectKind;
  range: Range;
  offset: number;
  message: string;
  /** Reported only when the notebook binds the name to data (`data`) or binds it at all (`bound`). */
  requires?: 'data' | 'bound';
  /**
   * A second run silently changes the value again (`x += 1`, `rows.append(...)`, `np.log` of a
   * column, a concat that grows): reported by default even when the counts do not show a re-run.
   */
  harmful: boolean;
}

/** What the saved execution counts say about a cell having run more than once. */
type RerunEvidence =
  /** A cell below that reads the name ran before this cell's last run. */
  | { kind: 'reader'; cell: number; readerCount: number; count: number; range: Range }
  /** The count just below this cell's belongs to no cell: the classic trace of running it twice in a row. */
  | { kind: 'gap'; count: number };

/** Kinds that stay in the default tier without evidence only when `harmful`; these always do. */
const ALWAYS_HARMFUL: ReadonlySet<EffectKind> = new Set(['augmented-assignment', 'mutating-method']);

/**
 * NB107: running the cell a second time changes state again, because it updates a value that it
 * did not create itself. One finding per (cell, name), at the first such statement.
 */
export const nonIdempotentCell: Rule = {
  code: 'NB107',
  name: 'non-idempotent-cell',
  severity: 'warning',
  tier: 'preview',
  docs: {
    tierReason:
      'Right 9 times in 20 in the audits of public notebooks: most cells that would change on a second run fail loudly instead (`KeyError`, a column that already exists), and saved counts are weak evidence of a re-run.',
    summary: 'Running the cell twice gives a different state than running it once.',
    why:
      'Cells get re-run all the time: after a tweak, after an error halfway through, by Run All Above. A cell that ' +
      'updates a value created elsewhere (`x += 1`, `df = df.drop(...)`, `df["price"] = np.log(df["price"])`, ' +
      '`inplace=True`, `results.append(...)`, `del`) applies its change once per run, so the kernel state depends ' +
      'on how many times it ran: the column is logged twice, the list holds duplicates, the second run raises ' +
      '`KeyError`. Nothing in the saved notebook shows how many times that was. Creating the value in the same ' +
      'cell, or writing the result to a new name, makes the cell safe to re-run. Calls that give the same result ' +
      'when repeated (`astype`, `fillna`, `dropna`, `replace`, `rename`, `pd.to_datetime`, `reset_index(drop=True)`, ...) ' +
      'and row filters on fixed conditions (`df = df[df.a > 0]`, `df[df.city.isin(cities)]`) are not reported. When ' +
      'the saved execution counts show that the cell did run again (a cell below that reads the value ran before its ' +
      'last run, or the count just below its own belongs to no cell), the message says so.',
    example: [
      '# %%',
      'import numpy as np',
      'import pandas as pd',
      '',
      '# %%',
      'sales = pd.DataFrame({"price": [10.0, 20.0], "tmp": [0, 1]})',
      '',
      '# %%',
      'sales["price"] = np.log(sales["price"])',
      'sales = sales.drop(columns=["tmp"])',
    ].join('\n'),
    useInstead: [
      '# %%',
      'import numpy as np',
      'import pandas as pd',
      '',
      '# %%',
      'sales = pd.DataFrame({"price": [10.0, 20.0], "tmp": [0, 1]})',
      '',
      '# %%',
      'features = sales.drop(columns=["tmp"])',
      'features["log_price"] = np.log(sales["price"])',
    ].join('\n'),
    fixSafety: 'No automatic fix: renaming the result changes every cell that reads it.',
    preview:
      'By default NB107 reports a cell when the saved execution counts show it ran more than once, or when a second ' +
      'run silently changes the value again: `x += 1`, `.append(...)` and the like on a value from another cell, a ' +
      'column replaced by arithmetic or `np.log` of itself, a `concat` that grows the value. Other updates with no such ' +
      'evidence (`df = df.drop(...)`, `inplace=True`, `del`, `df["c"] = df["c"].map(...)`) are a preview pattern: ' +
      'a hand audit of public notebooks found the plain "re-running would change it" finding right about half the ' +
      'time, and most of these fail loudly on a second run (`KeyError`) rather than give wrong numbers.',
  },
  check(analysed) {
    const kinds = globalKinds(analysed);
    const evidence = rerunEvidence(analysed);
    // What each effect needs to hold of its name in this notebook (see Effect.requires).
    const applies = (effect: Effect): boolean =>
      effect.requires === undefined || (effect.requires === 'data' ? kinds.holdsValue(effect.name) : kinds.kindOf(effect.name) !== undefined);
    return analysed.cells.flatMap((cell) => {
      if (cell.facts === null || cell.python === null || cell.facts.syntaxErrors.length > 0) return [];
      const reported = new Set<string>();
      return (cellEffects(cell, '') ?? []).flatMap((effect): Finding[] => {
        if (reported.has(effect.name) || !applies(effect)) return [];
        reported.add(effect.name);
        const index = cell.cell.index;
        const seen = evidence(index, effect.name);
        const data = { name: effect.name, kind: effect.kind, ...(seen ? { rerun: seen.kind } : {}) };
        if (seen?.kind === 'reader') {
          return [
            {
              message: `${effect.message} The saved counts show it ran after ${cellLabel(seen.cell)}, which stands below it and reads \`${effect.name}\` (execution count ${seen.count} after ${seen.readerCount}).`,
              cell: index,
              range: effect.range,
              related: [{ cell: seen.cell, range: seen.range, message: `\`${effect.name}\` is read here (execution count ${seen.readerCount})` }],
              data,
            },
          ];
        }
        if (seen?.kind === 'gap') {
          const message = `${effect.message} The saved counts suggest it did run more than once: execution count ${seen.count - 1}, just before its ${seen.count}, belongs to no cell.`;
          return [{ message, cell: index, range: effect.range, related: [], data }];
        }
        const preview = !effect.harmful && !ALWAYS_HARMFUL.has(effect.kind);
        return [{ message: effect.message, cell: index, range: effect.range, related: [], data, ...(preview ? { preview: true } : {}) }];
      });
    });
  },
};

/**
 * What the stored counts show of re-runs, per cell and name; nothing when the counts mix
 * kernel sessions (duplicates), since then neither gaps nor order mean anything.
 */
function rerunEvidence(analysed: AnalysedNotebook): (cell: number, name: string) => RerunEvidence | undefined {
  const history = executionHistory(analysed);
  if (history.order.length === 0 || history.ambiguities.some((a) => a.kind === 'duplicate-counts')) return () => undefined;
  const counts = new Map(history.order.map((e) => [e.cell, e.count]));
  const taken = new Set(counts.values());
  const { uses } = analysed.graph;
  return (cell, name) => {
    const count = counts.get(cell);
    if (count === undefined) return undefined;
    for (const use of uses) {
      const readerCount = counts.get(use.cell);
      if (use.cell <= cell || use.name !== name || use.deferred || readerCount === undefined || readerCount >= count) continue;
      return { kind: 'reader', cell: use.cell, readerCount, count, range: use.range };
    }
    return count > 1 && !taken.has(count - 1) ? { kind: 'gap', count } : undefined;
  };
}

/**
 * Every statement of a cell that a second run would repeat on a value the cell did not create,
 * in source order. It reads the cell alone (kept per cell across analyses); whether the name
 * holds data in this notebook is left to `requires`.
 */
const cellEffects = perCell(({ python, facts }): Effect[] => {
  // Each rebinding from itself, and whether it grows the value (a concat) rather than only changing it.
  const rebinds = new Map<Definition, boolean>();
  for (const d of facts.defs) {
    const value = assignedValueInCell(python, facts, d);
    if (value !== undefined && rebuildsFromItself(value.expr, d.name)) rebinds.set(d, growsFromItself(value.expr, d.name));
  }
  // Re-running recreates what the cell itself binds from scratch before the statement.
  // So does a loop around the statement that binds the name afresh on its first iteration.
  const createdBefore = (name: string, offset: number): boolean =>
    facts.defs.some((d) => d.name === name && !d.deferred && d.kind !== 'augassign' && !rebinds.has(d) && (d.bindOffset ?? 0) <= offset) ||
    loopCarried(python, facts, name, offset);
  const assignments = assignmentsByStart(facts.flow ?? []);
  const found: Effect[] = [];
  const add = (name: string, kind: EffectKind, range: Range, message: string, requires?: Effect['requires'], harmful = false): void => {
    const offset = offsetAt(python, range.start);
    if (!createdBefore(name, offset)) found.push({ name, kind, range, offset, message, harmful, ...(requires ? { requires } : {}) });
  };
  for (const [d, grows] of rebinds) {
    const range = { start: d.range.start, end: positionAt(python, d.bindOffset ?? offsetAt(python, d.range.end)) };
    add(
      d.name,
      'self-rebinding',
      range,
      `Re-running this cell rebuilds \`${d.name}\` from the value the previous run already changed, because it is assigned from itself here.`,
      undefined,
      grows,
    );
  }
  for (const m of facts.mutations) {
    if (m.deferred) continue;
    const text = python.slice(offsetAt(python, m.range.start), offsetAt(python, m.range.end));
    const said = `this cell did not create \`${m.name}\``;
    switch (m.kind) {
      case 'augassign': {
        const operator = assignments.get(offsetAt(python, m.range.start))?.operator ?? '+=';
        add(
          m.name,
          'augmented-assignment',
          m.range,
          `Re-running this cell applies \`${m.name} ${operator}\` again, and ${said}, so its value depends on how many times the cell ran.`,
        );
        break;
      }
      case 'inplace-kwarg': {
        const call = facts.calls.find((c) => sameRange(c.range, m.range));
        if (m.method !== undefined && !isIdempotentCall(m.method, callArguments(call?.args ?? [], m.name), m.name)) {
          add(
            m.name,
            'inplace',
            m.range,
            `Re-running this cell applies \`${m.method}(..., inplace=True)\` to the already changed \`${m.name}\`, and ${said}.`,
            'data',
          );
        }
        break;
      }
      case 'method-call':
        // `new = frame.append(rows)` is pandas' append, which returns a new frame (list.append returns None).
        if (m.method === 'append' && facts.calls.some((c) => c.assignedTo.length > 0 && sameRange(c.range, m.range))) break;
        if (m.method !== undefined && ACCUMULATING_METHODS.has(m.method)) {
          add(
            m.name,
            'mutating-method',
            m.range,
            `Re-running this cell calls \`${m.name}.${m.method}(...)\` again, and ${said}, so it changes once more on every run.`,
            'data',
          );
        }
        break;
      case 'del': {
        const what = text.trim() === `del ${m.name}` ? `\`${m.name}\`` : `from \`${m.name}\``;
        add(
          m.name,
          'del',
          m.range,
          `Re-running this cell fails or removes something else: \`${text.trim()}\` deletes ${what}, which this cell did not create.`,
          'bound',
        );
        break;
      }
      case 'subscript-assign':
      case 'attribute-assign': {
        const statement = assignments.get(offsetAt(python, m.range.start));
        const update = statement === undefined ? undefined : targetUpdate(statement, python, facts.strings);
        if (update?.kind === 'augmented') {
          add(
            m.name,
            'augmented-assignment',
            m.range,
            `Re-running this cell applies \`${update.target} ${update.operator}\` again, and ${said}, so its value depends on how many times the cell ran.`,
          );
        } else if (update?.kind === 'from-itself') {
          add(
            m.name,
            'column-from-itself',
            m.range,
            `Re-running this cell transforms \`${update.target}\` again, because it is replaced by a value computed from itself.`,
            undefined,
            update.harmful,
          );
        }
        break;
      }
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
});

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
