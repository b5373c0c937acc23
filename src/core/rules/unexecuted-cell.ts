import type { DefUseEdge, GlobalDefinition } from '../analysis/graph';
import { cellNumber } from '../notebook/model';
import { ambiguityNote, cellHeadRange, cellList, executionHistory } from '../analysis/history';
import type { Finding, Rule } from './types';

/**
 * NB105: a code cell that never ran (no count, no outputs) although cells below it did, so
 * their saved outputs were produced without it. Empty and comment-only cells never fire.
 */
export const unexecutedCell: Rule = {
  code: 'NB105',
  name: 'unexecuted-cell',
  severity: 'warning',
  docs: {
    summary: 'A code cell was never run, although cells below it were.',
    why:
      'The outputs below this cell were produced in a kernel where it had not run, so whatever it defines or changes ' +
      'played no part in them. Restart & Run All runs it, and the saved results may change or fail; a reader of the ' +
      'notebook takes the outputs as the result of the code they see. (The `# In[n]:` markers below carry the ' +
      'execution counts, as `jupyter nbconvert --to script` writes them; `# In[ ]:` is a cell that never ran.)',
    example: [
      '# In[1]:',
      'import pandas as pd',
      'df = pd.read_csv("data/churn.csv")',
      '',
      '# In[ ]:',
      'clean = df.dropna()',
      '',
      '# In[2]:',
      'print(clean.describe())',
    ].join('\n'),
    useInstead: [
      '# In[1]:',
      'import pandas as pd',
      'df = pd.read_csv("data/churn.csv")',
      '',
      '# In[2]:',
      'clean = df.dropna()',
      '',
      '# In[3]:',
      'print(clean.describe())',
    ].join('\n'),
    fixSafety: 'No automatic fix: run the cell (or Restart & Run All) and check the outputs below it.',
  },
  check(analysed) {
    const history = executionHistory(analysed);
    const executed = new Set(history.order.map((e) => e.cell));
    const unexecuted = new Set(history.unexecuted);
    // Top to bottom, these executed reads would see an unexecuted cell's definitions.
    const edgesByCell = new Map<number, DefUseEdge[]>();
    for (const edge of analysed.graph.documentEdges) {
      const cell = edge.definition.cell;
      if (!unexecuted.has(cell) || edge.use.cell === cell || !executed.has(edge.use.cell)) continue;
      const list = edgesByCell.get(cell);
      if (list) list.push(edge);
      else edgesByCell.set(cell, [edge]);
    }
    return history.unexecuted.map((cell): Finding => {
      const edges = edgesByCell.get(cell) ?? [];
      const firstDefinition = new Map<string, GlobalDefinition>();
      for (const { definition } of edges) {
        const known = firstDefinition.get(definition.name);
        if (!known || definition.bindOffset < known.bindOffset) firstDefinition.set(definition.name, definition);
      }
      const definitions = [...firstDefinition.values()].sort((a, b) => a.bindOffset - b.bindOffset);
      const names = definitions.map((d) => `\`${d.name}\``);
      const readers = [...new Set(edges.map((e) => e.use.cell))].sort((a, b) => a - b);
      const lead = `Cell ${cellNumber(cell)} was never run, although cells below it were`;
      const message =
        names.length > 0
          ? `${lead}: its ${names.length === 1 ? 'definition' : 'definitions'} of ${joinNames(names)} ${names.length === 1 ? 'was' : 'were'} ` +
            `not available to the outputs below it (read by ${cellList(readers)}).`
          : `${lead}: their saved outputs were produced without it, and Restart & Run All will run it.`;
      const source = analysed.notebook.cells[cell]?.source ?? '';
      return {
        message: message + ambiguityNote(history, [cell]),
        cell,
        range: definitions[0]?.range ?? cellHeadRange(source),
        related: edges
          .filter((e, i) => edges.findIndex((o) => o.use.cell === e.use.cell) === i)
          .map((e) => ({ cell: e.use.cell, range: e.use.range, message: `\`${e.use.name}\` is read here` })),
        data: { defines: definitions.map((d) => d.name), usedBy: readers },
      };
    });
  },
};

function joinNames(names: readonly string[]): string {
  if (names.length === 1) return names[0] as string;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
