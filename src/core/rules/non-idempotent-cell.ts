import type { Range } from '../diagnostic';
import { assignedValueInCell } from '../analysis/assigned-values';
import { perCell } from '../analysis/memo';
import { globalKinds } from '../analysis/global-kinds';
import { loopCarried } from '../analysis/loops';
import { IDEMPOTENT_METHODS, rebuildsFromItself, targetUpdate } from '../analysis/self-updates';
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
}

/**
 * NB107: running the cell a second time changes state again, because it updates a value that it
 * did not create itself. One finding per (cell, name), at the first such statement.
 */
export const nonIdempotentCell: Rule = {
  code: 'NB107',
  name: 'non-idempotent-cell',
  severity: 'warning',
  docs: {
    summary: 'Running the cell twice gives a different state than running it once.',
    why:
      'Cells get re-run all the time: after a tweak, after an error halfway through, by Run All Above. A cell that ' +
      'updates a value created elsewhere (`x += 1`, `df = df.drop(...)`, `df["price"] = np.log(df["price"])`, ' +
      '`inplace=True`, `results.append(...)`, `del`) applies its change once per run, so the kernel state depends ' +
      'on how many times it ran: the column is logged twice, the list holds duplicates, the second run raises ' +
      '`KeyError`. Nothing in the saved notebook shows how many times that was. Creating the value in the same ' +
      'cell, or writing the result to a new name, makes the cell safe to re-run. Calls that give the same result ' +
      'when repeated (`astype`, `fillna`, `dropna`, `copy`, ...) are not reported.',
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
  },
  check(analysed) {
    const kinds = globalKinds(analysed);
    // What each effect needs to hold of its name in this notebook (see Effect.requires).
    const applies = (effect: Effect): boolean =>
      effect.requires === undefined || (effect.requires === 'data' ? kinds.holdsData(effect.name) : kinds.kindOf(effect.name) !== undefined);
    return analysed.cells.flatMap((cell) => {
      if (cell.facts === null || cell.python === null || cell.facts.syntaxErrors.length > 0) return [];
      const reported = new Set<string>();
      return (cellEffects(cell, '') ?? []).flatMap((effect): Finding[] => {
        if (reported.has(effect.name) || !applies(effect)) return [];
        reported.add(effect.name);
        return [{ message: effect.message, cell: cell.cell.index, range: effect.range, related: [], data: { name: effect.name, kind: effect.kind } }];
      });
    });
  },
};

/**
 * Every statement of a cell that a second run would repeat on a value the cell did not create,
 * in source order. It reads the cell alone (kept per cell across analyses); whether the name
 * holds data in this notebook is left to `requires`.
 */
const cellEffects = perCell(({ python, facts }): Effect[] => {
  const rebinds = new Set<Definition>();
  for (const d of facts.defs) {
    const value = assignedValueInCell(python, facts, { ...d, bindOffset: d.bindOffset ?? offsetAt(python, d.range.end) });
    if (value !== undefined && rebuildsFromItself(value.tokens, d.name)) rebinds.add(d);
  }
  // Re-running recreates what the cell itself binds from scratch before the statement.
  // So does a loop around the statement that binds the name afresh on its first iteration.
  const createdBefore = (name: string, offset: number): boolean =>
    facts.defs.some((d) => d.name === name && !d.deferred && d.kind !== 'augassign' && !rebinds.has(d) && (d.bindOffset ?? 0) <= offset) ||
    loopCarried(python, facts, name, offset);
  const found: Effect[] = [];
  const add = (name: string, kind: EffectKind, range: Range, message: string, requires?: Effect['requires']): void => {
    const offset = offsetAt(python, range.start);
    if (!createdBefore(name, offset)) found.push({ name, kind, range, offset, message, ...(requires ? { requires } : {}) });
  };
  for (const d of rebinds) {
    const range = { start: d.range.start, end: positionAt(python, d.bindOffset ?? offsetAt(python, d.range.end)) };
    add(d.name, 'self-rebinding', range, `Re-running this cell rebuilds \`${d.name}\` from the value the previous run already changed, because it is assigned from itself here.`);
  }
  for (const m of facts.mutations) {
    if (m.deferred) continue;
    const text = python.slice(offsetAt(python, m.range.start), offsetAt(python, m.range.end));
    const said = `this cell did not create \`${m.name}\``;
    switch (m.kind) {
      case 'augassign': {
        const operator = /^[^=]*?([-+*/%@&|^<>]+=)/.exec(text)?.[1] ?? '+=';
        add(m.name, 'augmented-assignment', m.range, `Re-running this cell applies \`${m.name} ${operator}\` again, and ${said}, so its value depends on how many times the cell ran.`);
        break;
      }
      case 'inplace-kwarg':
        if (m.method !== undefined && !IDEMPOTENT_METHODS.has(m.method)) {
          add(m.name, 'inplace', m.range, `Re-running this cell applies \`${m.method}(..., inplace=True)\` to the already changed \`${m.name}\`, and ${said}.`, 'data');
        }
        break;
      case 'method-call':
        if (m.method !== undefined && ACCUMULATING_METHODS.has(m.method)) {
          add(m.name, 'mutating-method', m.range, `Re-running this cell calls \`${m.name}.${m.method}(...)\` again, and ${said}, so it changes once more on every run.`, 'data');
        }
        break;
      case 'del':
        const what = text.trim() === `del ${m.name}` ? `\`${m.name}\`` : `from \`${m.name}\``;
        add(m.name, 'del', m.range, `Re-running this cell fails or removes something else: \`${text.trim()}\` deletes ${what}, which this cell did not create.`, 'bound');
        break;
      case 'subscript-assign':
      case 'attribute-assign': {
        const update = targetUpdate(text);
        if (update?.kind === 'augmented') {
          add(m.name, 'augmented-assignment', m.range, `Re-running this cell applies \`${update.target} ${update.operator}\` again, and ${said}, so its value depends on how many times the cell ran.`);
        } else if (update?.kind === 'from-itself') {
          add(m.name, 'column-from-itself', m.range, `Re-running this cell transforms \`${update.target}\` again, because it is replaced by a value computed from itself.`);
        }
        break;
      }
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
});
