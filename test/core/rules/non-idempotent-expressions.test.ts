// NB107 reads values and targets as expressions: brackets, spacing and quotes do not change what it sees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import { findings, notebook } from '../../helpers/notebooks';

const nb107 = (cells: string[]): Promise<string[]> => findings(cells, { select: ['NB107', 'PREVIEW'] });
const setup = 'import pandas as pd\ndf = pd.DataFrame({"a": [1.0]})\nother = df.copy()';

test('a value in parentheses is the chain inside them', async () => {
  assert.deepEqual(await nb107([setup, 'df = (df.\n      groupby("a").\n      sum())']), ['NB107 cell 1 0:0-2:12']);
  assert.deepEqual(await nb107([setup, 'df = (df.\n      fillna(0).\n      astype(int))']), []);
});

test('a tuple of columns replaced from all of themselves, not from one', async () => {
  const both = await analyzeNotebook(notebook([setup, 'df["a"], other["a"] = enc(df["a"], other["a"])']), { select: ['NB107', 'PREVIEW'] });
  assert.deepEqual(
    both.map((d) => d.message),
    Array(2).fill('Re-running this cell transforms `df["a"], other["a"]` again, because it is replaced by a value computed from itself.'),
  );
  assert.deepEqual(await nb107([setup, 'df["a"], other["a"] = enc(df["a"], 1)']), []);
});

test('the augmented operator and the target text come from the tree', async () => {
  const [d] = await analyzeNotebook(notebook([setup, 'df[ "a" ]  //=  2']), { select: ['NB107'] });
  assert.equal(
    d?.message,
    'Re-running this cell applies `df["a"] //=` again, and this cell did not create `df`, so its value depends on how many times the cell ran.',
  );
});
