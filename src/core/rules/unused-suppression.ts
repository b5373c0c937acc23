import type { SuppressionRule } from './types';

/**
 * NB900's metadata and docs. The engine judges it after every other rule ran, in
 * src/core/suppressions/apply.ts, as ruff's RUF100 judges `# noqa` comments.
 */
export const unusedSuppression: SuppressionRule = {
  scope: 'suppression',
  code: 'NB900',
  name: 'unused-suppression',
  severity: 'info',
  tier: 'preview',
  docs: {
    summary: 'A `# nb2prod: ignore` comment, or one of its codes, silences no finding.',
    why:
      'A suppression outlives the finding it was written for: the code is fixed or moved, and the comment stays, ' +
      'silently hiding the next real finding on that line. Listing the ones that silence nothing keeps them honest. ' +
      'A code is judged only when a rule it names ran (select the rules too, or select NB900 alone to judge against ' +
      'the default tier); a code that names no rule at all is always reported.',
    example: ['# %%', 'import pandas as pd', '', '# %%', 'df = pd.read_csv("train.csv")  # nb2prod: ignore[NB102]'].join('\n'),
    useInstead: ['# %%', 'import pandas as pd', '', '# %%', 'df = pd.read_csv("train.csv")'].join('\n'),
    fixSafety:
      'Safe: the fix removes the unused codes from the comment, or the whole directive when none is left ' +
      '(with the line, when the comment stood alone on it). Nothing the notebook computes changes.',
    tierReason: 'It reports on your comments, not on your code, so it runs only when asked for, as ruff does with RUF100.',
  },
};
