import { unresolvedReads } from '../analysis/unresolved';
import type { Rule } from './types';

/** NB101: a name read in a cell is defined only in a later cell (or later in the same cell). */
export const useBeforeDefine: Rule = {
  code: 'NB101',
  name: 'use-before-define',
  severity: 'error',
  docs: {
    summary: 'A cell reads a name that is only defined by a cell further down the notebook.',
    why:
      'The notebook worked because its author ran the defining cell first, out of order. Restart & Run All, ' +
      'a colleague, a CI job or the exported script runs cells top to bottom and stops with `NameError` at this ' +
      'cell. Worse, if an older value of the name is still in the kernel, the cell silently computes with it.',
    example: [
      '# %%',
      'import pandas as pd',
      '',
      '# %%',
      'df = pd.read_csv(DATA_PATH)',
      '',
      '# %%',
      'DATA_PATH = "data/churn.csv"',
    ].join('\n'),
    useInstead: [
      '# %%',
      'import pandas as pd',
      '',
      'DATA_PATH = "data/churn.csv"',
      '',
      '# %%',
      'df = pd.read_csv(DATA_PATH)',
    ].join('\n'),
    fixSafety: 'No automatic fix yet. Moving the defining cell above its first reader is safe when that cell reads nothing defined in between.',
  },
  check(analysed) {
    return unresolvedReads(analysed).flatMap(({ use, laterDefinition }) => {
      if (!laterDefinition) return [];
      const where =
        laterDefinition.cell === use.cell ? 'further down in this cell' : `in cell ${laterDefinition.cell + 1}, which comes later`;
      return [
        {
          message: `\`${use.name}\` is read before it is defined: it is only defined ${where}, so running the notebook top to bottom raises \`NameError\`.`,
          cell: use.cell,
          range: use.range,
          related: [{ cell: laterDefinition.cell, range: laterDefinition.range, message: `\`${use.name}\` is defined here` }],
          data: { name: use.name, definedIn: laterDefinition.cell },
        },
      ];
    });
  },
};
