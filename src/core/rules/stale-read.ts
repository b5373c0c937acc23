import type { DefUseEdge } from '../analysis/graph';
import { cellLabel } from '../notebook/model';
import { ambiguityNote, executionHistory } from '../analysis/history';
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import type { Finding, Rule } from './types';

/** Why a cell's saved outputs are stale; the first reason found for a cell is kept for its dependents. */
interface Staleness {
  /** The cell whose (re-)run made the chain stale, 0-based. */
  root: number;
  /** The cell at the head of the chain, stale for a direct reason, 0-based. */
  direct: number;
  /** A clause for messages about `direct`, which it calls "it": "cell 2 was re-run after it". */
  because: string;
}

/**
 * Where a cell's stale result shows: its saved outputs when it kept any; else only the state it
 * left (Kaggle and many exported notebooks keep counts but no outputs).
 */
function keptOutputs(analysed: AnalysedNotebook, cell: number): boolean {
  return (analysed.notebook.cells[cell]?.outputCount ?? 0) > 0;
}

/**
 * NB104: a cell's saved outputs were computed from a value that is not the one it reads when
 * the notebook runs top to bottom: the defining cell was re-run after it, a later cell had
 * overwritten the value when it ran, or (transitively) a cell it reads from is itself stale.
 * Imported names never count: re-running `import numpy as np` binds the same module again, so a
 * cell that only imports or sets options (`pd.set_option`, `%matplotlib inline`) makes nothing stale.
 */
export const staleRead: Rule = {
  code: 'NB104',
  name: 'stale-read',
  severity: 'warning',
  tier: 'preview',
  docs: {
    tierReason:
      'Right 12 times in 20 in the audits of public notebooks: the re-run cell usually recomputes the same value (a re-read file, a literal, a seeded split), so the saved output still holds.',
    summary: "A cell's saved outputs were computed before the cell that defines what it reads was (re-)run, or from a value another cell had overwritten.",
    why:
      'The author changed a parameter and re-ran its cell, but not the cells that use it. The outputs below still show ' +
      'results for the old value, and nothing on screen says so: the numbers in the notebook are not the ones its code ' +
      'produces. Everything downstream of such a cell is stale too. (The `# In[n]:` markers below carry the execution ' +
      'counts, as `jupyter nbconvert --to script` writes them.)',
    example: [
      '# In[1]:',
      'import pandas as pd',
      'df = pd.read_csv("data/churn.csv")',
      '',
      '# In[4]:',
      'threshold = 0.8',
      '',
      '# In[3]:',
      'churned = df[df.churn_probability > threshold]',
      'print(len(churned))',
    ].join('\n'),
    useInstead: [
      '# In[1]:',
      'import pandas as pd',
      'df = pd.read_csv("data/churn.csv")',
      '',
      '# In[2]:',
      'threshold = 0.8',
      '',
      '# In[3]:',
      'churned = df[df.churn_probability > threshold]',
      'print(len(churned))',
    ].join('\n'),
    fixSafety: 'No automatic fix: re-run the stale cells (or Restart & Run All) and check the new outputs.',
    preview:
      'Transitive staleness (a cell reads from a cell that is itself stale) is a preview pattern: one re-run makes ' +
      'every cell downstream stale, which gave dozens of findings for one root cause on public notebooks (over half ' +
      'of all NB104 findings), while the direct finding on the first stale reader already names the re-run cell.',
  },
  check(analysed) {
    const history = executionHistory(analysed);
    // Counts from two kernel sessions cannot be compared; NB103 already says the order is unknown.
    if (history.order.length === 0 || history.ambiguities.some((a) => a.kind === 'duplicate-counts')) return [];
    const counts = new Map(history.order.map((e) => [e.cell, e.count]));
    const stale = new Map<number, Staleness>();
    const findings: Finding[] = [];
    const reported = new Set<string>();
    const report = (edge: DefUseEdge, message: string, extra: Record<string, unknown>, preview = false): void => {
      const { use, definition } = edge;
      reported.add(`${use.cell}\u0000${use.name}`);
      const note = ambiguityNote(history, [use.cell, definition.cell]);
      findings.push({
        message: message + note,
        cell: use.cell,
        range: use.range,
        related: [
          {
            cell: definition.cell,
            range: definition.range,
            message: `\`${use.name}\` is defined here (execution count ${counts.get(definition.cell)})`,
          },
        ],
        data: { name: use.name, dependsOn: [definition.cell], count: counts.get(use.cell), ...extra },
        ...(preview ? { preview: true } : {}),
      });
    };
    const { uses, documentDefinitions, executionDefinitions } = analysed.graph;
    // Document edges between two executed cells.
    const candidates: DefUseEdge[] = [];
    for (let i = 0; i < uses.length; i++) {
      const use = uses[i]!;
      const definition = documentDefinitions[i];
      if (definition === undefined || definition.cell === use.cell || !counts.has(use.cell) || !counts.has(definition.cell)) continue;
      if (definition.kind === 'import') continue;
      const edge: DefUseEdge = { definition, use };
      candidates.push(edge);
      if (reported.has(`${use.cell}\u0000${use.name}`)) continue;
      const readerCount = counts.get(use.cell) as number;
      const definitionCount = counts.get(definition.cell) as number;
      const name = `\`${use.name}\``;
      const outputs = keptOutputs(analysed, use.cell);
      if (definitionCount > readerCount) {
        const because = `${cellLabel(definition.cell)} was re-run after it (execution count ${definitionCount} after ${readerCount})`;
        if (!stale.has(use.cell)) stale.set(use.cell, { root: definition.cell, direct: use.cell, because });
        report(
          edge,
          `${name} comes from ${cellLabel(definition.cell)}, which ran after this cell (execution count ${definitionCount} after ${readerCount}): ` +
            (outputs ? `the saved outputs here were computed from an older value of ${name}.` : `this cell last ran with an older value of ${name}.`),
          { reason: 'rerun', definitionCount },
        );
        continue;
      }
      // What the read saw in the stored history, when that was another cell than top to bottom.
      const seen = executionDefinitions[i];
      if (seen && seen.cell !== definition.cell && seen.cell !== use.cell) {
        const otherCount = counts.get(seen.cell) as number;
        const because = `it read \`${use.name}\` as ${cellLabel(seen.cell)} had left it`;
        if (!stale.has(use.cell)) stale.set(use.cell, { root: seen.cell, direct: use.cell, because });
        report(
          edge,
          `${name} was read as ${cellLabel(seen.cell)} had set it (execution count ${otherCount}, before this cell's ${readerCount}), ` +
            `but top to bottom it comes from ${cellLabel(definition.cell)}: ` +
            (outputs
              ? 'the saved outputs here used a value Restart & Run All does not produce.'
              : 'this cell last ran with a value Restart & Run All does not produce.'),
          { reason: 'overwritten', definitionCount, readFrom: seen.cell },
        );
      }
    }

    // Document edges point upwards, so one pass in document order sees every source's
    // staleness before its readers: a chain 2 -> 3 -> 4 marks 3 and then 4.
    for (const edge of candidates) {
      const { use, definition } = edge;
      const source = stale.get(definition.cell);
      if (!source || reported.has(`${use.cell}\u0000${use.name}`)) continue;
      const name = `\`${use.name}\``;
      if (!stale.has(use.cell)) stale.set(use.cell, source);
      const chain =
        source.direct !== definition.cell
          ? `which depends on stale ${cellLabel(source.direct)}`
          : keptOutputs(analysed, definition.cell)
            ? `whose saved outputs are stale`
            : `whose last run used a stale value`;
      const outputs = keptOutputs(analysed, use.cell);
      report(
        edge,
        `${name} comes from ${cellLabel(definition.cell)}, ${chain}: ${source.because.replace(/\bit\b/, cellLabel(source.direct))}. ` +
          (outputs ? 'The saved outputs here may be stale too.' : 'What this cell computed when it last ran may be stale too.'),
        { reason: 'transitive', staleVia: source.root },
        // One re-run makes a whole chain stale; the direct finding already names its root.
        true,
      );
    }
    return findings.sort((a, b) => a.cell - b.cell || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  },
};
