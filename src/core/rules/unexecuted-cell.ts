import type { DefUseEdge, GlobalDefinition } from '../analysis/graph';
import { cellNumber } from '../notebook/model';
import { ambiguityNote, cellHeadRange, cellList, executionHistory, hasCode } from '../analysis/history';
import type { Finding, Rule } from './types';

/**
 * NB105: code cells that never ran (no count, no outputs) although cells below them did, so
 * what those cells computed was computed without them. Empty and comment-only cells never fire.
 * The evidence must be clear: at least half of the cells with code ran (a stray count in a
 * cleared notebook says nothing), and one block of unexecuted cells with no executed cell
 * between them is one finding. A block that defines something an executed cell below reads is
 * reported by default; a block nobody below reads from is a preview pattern.
 */
export const unexecutedCell: Rule = {
  code: 'NB105',
  name: 'unexecuted-cell',
  severity: 'warning',
  tier: 'preview',
  docs: {
    tierReason:
      'Right 3 times in 6 in the audits of public notebooks: a missing execution count inside a one-number gap usually means the cell ran and lost its count.',
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
    preview:
      "Reported by default only when the evidence is clear: at least half of the notebook's cells with code have an " +
      'execution count (a single stray count in a cleared notebook, common on Kaggle, says nothing about the cells above ' +
      'it), and an executed cell below reads a name the unexecuted cells define. Consecutive unexecuted cells (no executed ' +
      'cell between them) are one finding, on the first definition read below, with the other cells as related locations. ' +
      'Unexecuted cells that define nothing read below (a plot, a print, a line tried out) are a preview pattern: their ' +
      'skipped run rarely changes the outputs below.',
  },
  check(analysed) {
    const history = executionHistory(analysed);
    const executed = new Set(history.order.map((e) => e.cell));
    const unexecuted = new Set(history.unexecuted);
    // A stray count or two in a cleared notebook (one cell run to try something) says nothing
    // about the cells above it: the evidence is clear only when most cells with code ran.
    const withCode = analysed.notebook.cells.filter((c) => c.kind === 'code' && hasCode(c.source)).length;
    if (executed.size * 2 < withCode) return [];
    // Top to bottom, these executed reads would see an unexecuted cell's definitions.
    const edgesByCell = new Map<number, DefUseEdge[]>();
    for (const edge of analysed.graph.documentEdges) {
      const cell = edge.definition.cell;
      if (!unexecuted.has(cell) || edge.use.cell === cell || !executed.has(edge.use.cell)) continue;
      const list = edgesByCell.get(cell);
      if (list) list.push(edge);
      else edgesByCell.set(cell, [edge]);
    }
    return blocks(history.unexecuted, executed).map((block): Finding => {
      const edges = block.flatMap((cell) => edgesByCell.get(cell) ?? []);
      const firstDefinition = new Map<string, GlobalDefinition>();
      for (const { definition } of edges) {
        const known = firstDefinition.get(definition.name);
        if (!known || definition.cell < known.cell || (definition.cell === known.cell && definition.bindOffset < known.bindOffset)) {
          firstDefinition.set(definition.name, definition);
        }
      }
      const definitions = [...firstDefinition.values()].sort((a, b) => a.cell - b.cell || a.bindOffset - b.bindOffset);
      const names = definitions.map((d) => `\`${d.name}\``);
      const readers = [...new Set(edges.map((e) => e.use.cell))].sort((a, b) => a - b);
      const cell = definitions[0]?.cell ?? (block[0] as number);
      const one = block.length === 1;
      const lead = one
        ? `Cell ${cellNumber(cell)} was never run, although cells below it were`
        : `${capitalize(cellList(block))} were never run, although cells below them were`;
      // Kaggle and many exported notebooks keep counts but no outputs: then only the runs can be blamed.
      const outputs = readers.some((r) => (analysed.notebook.cells[r]?.outputCount ?? 0) > 0);
      const message =
        names.length > 0
          ? `${lead}: ${one ? 'its' : 'their'} ${names.length === 1 ? 'definition' : 'definitions'} of ${joinNames(names)} ${names.length === 1 ? 'was' : 'were'} ` +
            `not available ${outputs ? `to the outputs below ${one ? 'it' : 'them'}` : `when the cells below ${one ? 'it' : 'them'} ran`} (read by ${cellList(readers)}).`
          : `${lead}, so ${one ? 'it' : 'they'} played no part in what those cells computed, and Restart & Run All will run ${one ? 'it' : 'them'}.`;
      const source = analysed.notebook.cells[cell]?.source ?? '';
      const others = block
        .filter((c) => c !== cell)
        .map((c) => ({
          cell: c,
          range: cellHeadRange(analysed.notebook.cells[c]?.source ?? ''),
          message: `cell ${cellNumber(c)} never ran either`,
        }));
      return {
        message: message + ambiguityNote(history, block),
        cell,
        range: definitions[0]?.range ?? cellHeadRange(source),
        related: [
          ...edges
            .filter((e, i) => edges.findIndex((o) => o.use.cell === e.use.cell) === i)
            .sort((a, b) => a.use.cell - b.use.cell)
            .map((e) => ({ cell: e.use.cell, range: e.use.range, message: `\`${e.use.name}\` is read here` })),
          ...others,
        ],
        data: { defines: definitions.map((d) => d.name), usedBy: readers, ...(one ? {} : { cells: block }) },
        // Without a reader below, nothing shows that the outputs depend on the cell (a plot, a
        // print, a tried-out line): right too seldom to be on by default.
        ...(names.length === 0 ? { preview: true } : {}),
      };
    });
  },
};

/**
 * Unexecuted cells grouped by the executed cells between them: a block the author skipped (or
 * ran only the cells below) is one root cause, so it gives one finding.
 */
function blocks(unexecuted: readonly number[], executed: ReadonlySet<number>): number[][] {
  const groups: number[][] = [];
  let previous = -1;
  for (const cell of unexecuted) {
    let between = false;
    for (let c = previous + 1; c < cell && !between && previous >= 0; c++) between = executed.has(c);
    const last = groups.at(-1);
    if (last && !between) last.push(cell);
    else groups.push([cell]);
    previous = cell;
  }
  return groups;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function joinNames(names: readonly string[]): string {
  if (names.length === 1) return names[0] as string;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
