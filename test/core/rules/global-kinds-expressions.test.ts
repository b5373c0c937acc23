// NB106's global kinds read values as expressions: keyword names are not reads, chains after a call start anew.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import { notebook } from '../../helpers/notebooks';

/** The kind NB106 gives each finding, with the globals it names. */
async function kinds(cells: string[]): Promise<string[]> {
  const found = await analyzeNotebook(notebook(cells), { select: ['NB106'] });
  return found.map((d) => `${String(d.data['kind'])}: ${(d.data['globals'] as string[]).join(', ')}`);
}

test('a builder called with keywords is configuration; with data in an argument it is data', async () => {
  const setup = 'import pandas as pd\ndf = pd.DataFrame({"a": [1]})';
  assert.deepEqual(await kinds([setup, 'params = dict(lr=0.1, depth=3)', 'def f():\n    return params']), ['config: params']);
  assert.deepEqual(await kinds([setup, 'params = dict(lr=0.1, rows=df)', 'def f():\n    return params']), ['data: params']);
});

test('sizes whatever they are read from; attributes of call results are data', async () => {
  const setup = 'import numpy as np\nX = np.zeros((3, 2))';
  assert.deepEqual(await kinds([setup, 'n = (X.shape[0] - 1) // 2', 'def f():\n    return n']), ['config: n']);
  assert.deepEqual(await kinds([setup, 'm = np.zeros(3).mean()', 'def f():\n    return m']), ['data: m']);
});
