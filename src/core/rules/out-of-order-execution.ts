import type { RelatedLocation } from '../diagnostic';
import { cellLabel, cellNumber } from '../notebook/model';
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import {
  ambiguityNote,
  cellHeadRange,
  cellList,
  executionHistory,
  type ExecutionHistory,
  type HistoryEntry,
  type OutOfOrderCell,
  RELATED_LIMIT,
} from '../analysis/history';
import type { Finding, Rule } from './types';

/**
 * NB103: the stored execution counts contradict document order. Flags the minimal set of
 * cells that ran out of place (the complement of a longest increasing run of counts), among
 * them only those that share a name with a cell they ran out of order with, or, when
 * a restart left duplicate counts behind, says that the order cannot be reconstructed.
 */
export const outOfOrderExecution: Rule = {
  code: 'NB103',
  name: 'out-of-order-execution',
  severity: 'warning',
  tier: 'preview',
  docs: {
    tierReason:
      'Right 7 times in 20 in the audits of public notebooks: most stored-order contradictions are harmless, as cells from separate sessions that share no value, or read-only displays.',
    summary: 'The stored execution counts show that cells ran in a different order than they stand in the notebook.',
    why:
      'Every saved output was computed from the kernel state at the moment its cell ran. When a cell ran after cells ' +
      'that stand below it, those outputs saw a state that Restart & Run All, a colleague or the exported script never ' +
      'produces: the notebook "works" only in the order its author happened to click. Studies of public notebooks find ' +
      'this in about a third of them. By default only cells whose order matters are reported: the out-of-place cell ' +
      'and a cell it ran out of order with share a name (one writes what the other reads or writes). (The `# In[n]:` markers below carry the execution counts, as ' +
      '`jupyter nbconvert --to script` writes them.)',
    example: [
      '# In[1]:',
      'import pandas as pd',
      'df = pd.read_csv("data/churn.csv")',
      '',
      '# In[3]:',
      'df = df[df.churn == 1]',
      '',
      '# In[2]:',
      'print(len(df))',
    ].join('\n'),
    useInstead: [
      '# In[1]:',
      'import pandas as pd',
      'df = pd.read_csv("data/churn.csv")',
      '',
      '# In[2]:',
      'df = df[df.churn == 1]',
      '',
      '# In[3]:',
      'print(len(df))',
    ].join('\n'),
    fixSafety: 'No automatic fix: restart the kernel and run all cells, then check that the outputs still hold.',
    preview:
      'A cell that ran out of order only with cells it shares no name with (a re-run import, a plot drawn after an ' +
      'unrelated cell) is a preview pattern: its order changes no output Restart & Run All would give, and the hand ' +
      'audit found these findings wrong more often than right.',
  },
  check(analysed) {
    const history = executionHistory(analysed);
    const duplicates = history.ambiguities.filter((a) => a.kind === 'duplicate-counts');
    // After a partial re-run following a restart, counts from two sessions mix: rather than
    // guess an order, say once per duplicated count that the order is unknown.
    if (duplicates.length > 0) {
      return duplicates.map((ambiguity): Finding => {
        const cell = ambiguity.cells.at(-1) as number;
        return {
          message: `${ambiguity.message} Restart the kernel and run all cells to get outputs you can trust.`,
          cell,
          range: cellHeadRange(analysed.notebook.cells[cell]?.source ?? ''),
          related: ambiguity.cells.filter((c) => c !== cell).map((c) => related(analysed, c, countOf(history, c))),
          data: { history: historyData(history), ambiguous: true, sameCount: ambiguity.cells },
        };
      });
    }
    // One shared object: every finding carries the same history, and a reversed 1,000-cell
    // notebook must not build it a thousand times.
    const shared = historyData(history);
    const state = cellState(analysed);
    return history.outOfOrder.map((entry) => {
      const dependent = sharingOnly(entry, history, state);
      return dependent ? finding(analysed, history, dependent, shared) : { ...finding(analysed, history, entry, shared), preview: true };
    });
  },
};

/** The global names a cell reads and writes when it runs (imports left out: re-importing binds the same module). */
interface CellState {
  reads: Set<string>;
  writes: Set<string>;
  /** `%run` and the like bind names nobody can list: such a cell shares state with every cell. */
  unknown: boolean;
}

function cellState(analysed: AnalysedNotebook): Map<number, CellState> {
  const states = new Map<number, CellState>();
  for (const { cell, facts, magicDefinitions } of analysed.cells) {
    if (facts === null) continue;
    const writes = new Set<string>();
    for (const d of facts.defs) if (!d.deferred && d.kind !== 'import' && d.kind !== 'star-import') writes.add(d.name);
    for (const m of facts.mutations) if (!m.deferred) writes.add(m.name);
    for (const m of magicDefinitions) writes.add(m.name);
    const reads = new Set(facts.uses.filter((u) => !u.deferred).map((u) => u.name));
    states.set(cell.index, { reads, writes, unknown: writes.has('*') && magicDefinitions.some((m) => m.name === '*') });
  }
  return states;
}

/** Whether running one of the two cells first can change what the other computes. */
function shareState(a: CellState | undefined, b: CellState | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  if (a.unknown || b.unknown) return true;
  for (const name of a.writes) if (b.reads.has(name) || b.writes.has(name)) return true;
  for (const name of b.writes) if (a.reads.has(name)) return true;
  return false;
}

/**
 * The out-of-order cell restricted to the cells whose order relative to it matters: those it
 * shares a name with (one writes what the other reads or writes). Undefined when there are none:
 * `import pandas as pd` re-run at the end, or a plot drawn after an unrelated cell below it,
 * leaves every output as Restart & Run All would, so that finding is only a preview pattern.
 */
function sharingOnly(entry: OutOfOrderCell, history: ExecutionHistory, states: Map<number, CellState>): OutOfOrderCell | undefined {
  const own = states.get(entry.cell);
  // Nearest first, as the history lists them.
  const after = history.order
    .filter((o) => o.cell > entry.cell && o.count < entry.count && shareState(own, states.get(o.cell)))
    .sort((a, b) => a.cell - b.cell);
  const before = history.order
    .filter((o) => o.cell < entry.cell && o.count > entry.count && shareState(own, states.get(o.cell)))
    .sort((a, b) => b.cell - a.cell);
  if (after.length === 0 && before.length === 0) return undefined;
  return {
    cell: entry.cell,
    count: entry.count,
    ranAfter: after.slice(0, RELATED_LIMIT),
    ranAfterTotal: after.length,
    ranBefore: before.slice(0, RELATED_LIMIT),
    ranBeforeTotal: before.length,
  };
}

function finding(analysed: AnalysedNotebook, history: ExecutionHistory, entry: OutOfOrderCell, shared: Record<string, unknown>): Finding {
  const after = entry.ranAfter.length > 0;
  // Nearest first in the history; messages read better in document order.
  const others = [...(after ? entry.ranAfter : entry.ranBefore)].sort((a, b) => a.cell - b.cell);
  const total = after ? entry.ranAfterTotal : entry.ranBeforeTotal;
  const cells = others.map((o) => o.cell);
  const counts = joinWords(
    others.map((o) => String(o.count)),
    5,
    total,
  );
  const where = total === 1 ? (after ? 'which stands below it' : 'which stands above it') : after ? 'which stand below it' : 'which stand above it';
  const head = after
    ? `Cell ${cellNumber(entry.cell)} ran after ${cellList(cells, 5, total)} (execution count ${entry.count} after ${counts}), ${where}`
    : `Cell ${cellNumber(entry.cell)} ran before ${cellList(cells, 5, total)} (execution count ${entry.count} before ${counts}), ${where}`;
  const consequence = after
    ? `top to bottom it runs before ${total === 1 ? 'that cell' : 'them'}`
    : `top to bottom it runs after ${total === 1 ? 'that cell' : 'them'}`;
  return {
    message: `${head}: ${consequence}, so the saved outputs may not be what Restart & Run All produces.${ambiguityNote(history, [entry.cell, ...cells])}`,
    cell: entry.cell,
    range: cellHeadRange(analysed.notebook.cells[entry.cell]?.source ?? ''),
    related: others.map((o) => related(analysed, o.cell, o.count)),
    data: {
      count: entry.count,
      ranAfter: entry.ranAfter,
      ranBefore: entry.ranBefore,
      ranAfterTotal: entry.ranAfterTotal,
      ranBeforeTotal: entry.ranBeforeTotal,
      history: shared,
      ...(history.ambiguous ? { ambiguous: true } : {}),
    },
  };
}

/** The part of the history every NB103 finding carries: the order and the gaps. */
function historyData(history: ExecutionHistory): Record<string, unknown> {
  return {
    order: history.order,
    gaps: history.gaps.map(({ from, to, explanations }) => ({ from, to, explanations })),
  };
}

function related(analysed: AnalysedNotebook, cell: number, count: number | undefined): RelatedLocation {
  return {
    cell,
    range: cellHeadRange(analysed.notebook.cells[cell]?.source ?? ''),
    message: count === undefined ? cellLabel(cell) : `${cellLabel(cell)} ran with execution count ${count}`,
  };
}

function countOf(history: ExecutionHistory, cell: number): number | undefined {
  return history.order.find((e: HistoryEntry) => e.cell === cell)?.count;
}

/** `4`, `4 and 3`, `4, 3 and 2`, shortened like `cellList`. */
function joinWords(words: readonly string[], limit = 5, total = words.length): string {
  const shown = words.slice(0, limit);
  if (total > shown.length) return `${shown.join(', ')} and ${total - shown.length} more`;
  if (shown.length === 1) return shown[0] as string;
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}
