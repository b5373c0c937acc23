import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import { isExerciseBlank } from '../analysis/exercise-blanks';
import { readOnFirstIteration } from '../analysis/loops';
import { unresolvedReads, type UnresolvedRead } from '../analysis/unresolved';
import { offsetAt } from '../notebook/positions';
import { cellLabel } from '../notebook/model';
import { moveDefiningCell } from '../fixes/move-cell';
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
    example: ['# %%', 'import pandas as pd', '', '# %%', 'df = pd.read_csv(DATA_PATH)', '', '# %%', 'DATA_PATH = "data/churn.csv"'].join('\n'),
    useInstead: ['# %%', 'import pandas as pd', '', 'DATA_PATH = "data/churn.csv"', '', '# %%', 'df = pd.read_csv(DATA_PATH)'].join('\n'),
    preview:
      'A read under a condition (`if`, `else`, `except`, `x if c else y`) inside a module-level `for` or `while` ' +
      'loop, of a name the same loop defines further down, is preview: in real notebooks such a read is nearly ' +
      'always guarded so that the first iteration takes the branch that defines the name (`if i > 0: pred = pred + p` ' +
      '/ `else: pred = p`), which nb2prod cannot tell from a missing initialisation. A read that runs on the first ' +
      'iteration before the loop binds the name raises `NameError` for certain and is reported by default. A read in an ' +
      "exercise template's cell is preview too: a cell with a deliberate blank for the student (`# YOUR CODE HERE`, a " +
      '`____` name, `...` as a value, `raise NotImplementedError` in a function) does not run as it stands, and the fifth ' +
      'blind audit judged its findings NOISE.',
    fixSafety:
      'The fix moves the defining cell above the first cell that reads the name too early. It is safe, and offered, ' +
      'only when the move keeps every other def-use edge: the moved cell reads nothing defined by the cells it ' +
      'jumps over, none of those cells reads or changes a name the moved cell defines or changes in place, and none ' +
      'of them defines such a name too. Otherwise no fix is offered and `data.fixBlockedBy` says which read stops ' +
      'it; a name defined further down in the same cell also gets no fix (reorder the statements instead).',
  },
  check(analysed) {
    const reads = unresolvedReads(analysed);
    return reads.flatMap((read) => {
      const { use, laterDefinition } = read;
      if (!laterDefinition) return [];
      const move = moveDefiningCell(analysed, read, reads);
      const where = laterDefinition.cell === use.cell ? 'further down in this cell' : `in ${cellLabel(laterDefinition.cell)}, which comes later`;
      return [
        {
          ...(loopCarried(analysed, read) || inExerciseBlank(analysed, use.cell) ? { preview: true } : {}),
          message: `\`${use.name}\` is read before it is defined: it is only defined ${where}, so running the notebook top to bottom raises \`NameError\`.`,
          cell: use.cell,
          range: use.range,
          related: [{ cell: laterDefinition.cell, range: laterDefinition.range, message: `\`${use.name}\` is defined here` }],
          data: { name: use.name, definedIn: laterDefinition.cell, ...('blockedBy' in move ? { fixBlockedBy: move.blockedBy } : {}) },
          ...('fix' in move ? { fixes: [move.fix] } : {}),
        },
      ];
    });
  },
};

/**
 * The read and its later definition are in the same module-level loop, and a condition guards
 * the read: the value may come from an earlier iteration. A read that runs on the first
 * iteration, before the loop binds the name, fails for certain and stays in the default tier.
 */
function loopCarried(analysed: AnalysedNotebook, { use, laterDefinition }: UnresolvedRead): boolean {
  if (laterDefinition === undefined || laterDefinition.cell !== use.cell || use.statementStart === undefined || use.statementEnd === undefined) return false;
  if (laterDefinition.bindOffset > use.statementEnd) return false;
  const python = analysed.cells[use.cell]?.python ?? '';
  if (!/^(?:async\s+)?(?:for|while)\b/.test(python.slice(use.statementStart, use.statementEnd))) return false;
  return !readOnFirstIteration(python, use.offset, offsetAt(python, laterDefinition.range.start));
}

/** The cell has a deliberate blank for a student to fill in (see exercise-blanks.ts). */
export function inExerciseBlank(analysed: AnalysedNotebook, cell: number): boolean {
  const analysedCell = analysed.cells[cell];
  return analysedCell !== undefined && isExerciseBlank(analysedCell);
}
