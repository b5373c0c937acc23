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
} from '../analysis/history';
import type { Finding, Rule } from './types';

/**
 * NB103: the stored execution counts contradict document order. Flags the minimal set of
 * cells that ran out of place (the complement of a longest increasing run of counts), or, when
 * a restart left duplicate counts behind, says that the order cannot be reconstructed.
 */
export const outOfOrderExecution: Rule = {
  code: 'NB103',
  name: 'out-of-order-execution',
  severity: 'warning',
  docs: {
    summary: 'The stored execution counts show that cells ran in a different order than they stand in the notebook.',
    why:
      'Every saved output was computed from the kernel state at the moment its cell ran. When a cell ran after cells ' +
      'that stand below it, those outputs saw a state that Restart & Run All, a colleague or the exported script never ' +
      'produces: the notebook "works" only in the order its author happened to click. Studies of public notebooks find ' +
      'this in about a third of them. (The `# In[n]:` markers below carry the execution counts, as ' +
      '`jupyter nbconvert --to script` writes them.)',
    example: [
      '# In[1]:',
      'import pandas as pd',
      'df = pd.read_csv("data/churn.csv")',
      '',
      '# In[3]:',
      'churned = df[df.churn == 1]',
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
      'churned = df[df.churn == 1]',
      '',
      '# In[3]:',
      'print(len(df))',
    ].join('\n'),
    fixSafety: 'No automatic fix: restart the kernel and run all cells, then check that the outputs still hold.',
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
    return history.outOfOrder.map((entry) => finding(analysed, history, entry, shared));
  },
};

function finding(analysed: AnalysedNotebook, history: ExecutionHistory, entry: OutOfOrderCell, shared: Record<string, unknown>): Finding {
  const after = entry.ranAfter.length > 0;
  // Nearest first in the history; messages read better in document order.
  const others = [...(after ? entry.ranAfter : entry.ranBefore)].sort((a, b) => a.cell - b.cell);
  const total = after ? entry.ranAfterTotal : entry.ranBeforeTotal;
  const cells = others.map((o) => o.cell);
  const counts = joinWords(others.map((o) => String(o.count)), 5, total);
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
