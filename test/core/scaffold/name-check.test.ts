// The planner refuses a project whose rendered Python reads a name nothing in its module defines:
// one line per name with the file, the function and the name, and nothing planned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebookFull } from '../../../src/core/engine';
import { SCAFFOLD_ANALYSIS } from '../../../src/core/scaffold/from-notebook';
import { plan } from '../../../src/core/scaffold';
import { describeUndefinedRead, undefinedReads } from '../../../src/core/scaffold/name-check';
import { loadPythonParser } from '../../../src/core/python';
import { notebook } from '../../helpers/notebooks';

const MODULE = [
  'import json',
  'from pathlib import Path',
  '',
  'ROOT = Path(__file__).parent',
  'log = json.dumps(limit)',
  '',
  '',
  'class Model:',
  '    size = 3',
  '',
  '    def fit(self, rows):',
  '        return [r * scale for r in rows if len(r) < self.size]',
  '',
  '',
  'def prepare(frame):',
  '    def inner():',
  '        return frame[missing_column]',
  '',
  '    return inner() + print(ROOT, log, Model, [x for x in range(3)])',
  '',
].join('\n');

test('undefinedReads names the file, the innermost function and each name nothing defines', async () => {
  const parser = await loadPythonParser();
  const reads = undefinedReads({ 'src/data/preprocessing.py': MODULE, 'README.md': 'limit' }, parser);
  assert.deepEqual(reads.map(describeUndefinedRead), [
    'src/data/preprocessing.py:5: module-level code reads `limit`, which nothing in the generated file defines or imports.',
    'src/data/preprocessing.py:12: `Model.fit` reads `scale`, which nothing in the generated file defines or imports.',
    'src/data/preprocessing.py:17: `inner` reads `missing_column`, which nothing in the generated file defines or imports.',
  ]);
});

test('undefinedReads: imports, builtins, module dunders, parameters and comprehension variables are defined; a star import is not checked', async () => {
  const parser = await loadPythonParser();
  const clean =
    'import os\nfrom math import *\n\n\ndef f(a, *rest, **options):\n    return [os.sep, a, rest, options, __name__, __file__, len([b for b in rest])]\n';
  assert.deepEqual(undefinedReads({ 'a.py': clean.replace('from math import *\n', '') }, parser), []);
  assert.deepEqual(undefinedReads({ 'b.py': `${clean}\nx = sqrt(y)\n` }, parser), []);
});

test('a loop target read in the loop body is a local of the extracted step, not a parameter nothing passes', async () => {
  // Before, `col` became a parameter of the step and prepare_frame passed an undefined `col`;
  // the name check refused the plan (plan.test.ts has a refusal that still stands: `weights`).
  const source = notebook([
    'import pandas as pd\nfrom sklearn.linear_model import LogisticRegression',
    'df = pd.read_csv("data/train.csv")\nfor col in ["a", "b"]:\n    last = col',
    'df[last] = df[last] * 2',
    'X = df[["a", "b"]]\ny = df["t"]\nmodel = LogisticRegression().fit(X, y)',
  ]);
  const result = plan(await analyzeNotebookFull(source, SCAFFOLD_ANALYSIS));
  assert.ok(result.ok, result.report.problems.join('\n'));
  const preprocessing = result.changes.find((c) => c.path === 'src/data/preprocessing.py')!.content;
  assert.match(preprocessing, /^def prepare_cell2\(\):$/m);
  assert.match(preprocessing, /^ {4}last = prepare_cell2\(\)$/m);
  assert.deepEqual(undefinedReads(Object.fromEntries(result.changes.map((c) => [c.path, c.content]))), []);
});

test('a name assigned in a loop body and read after it in the same body is a local of the step', async () => {
  const source = notebook([
    'import pandas as pd\nfrom sklearn.linear_model import LogisticRegression',
    'df = pd.read_csv("data/train.csv")',
    'for col in ["a", "b"]:\n    scaled = (df[col] - df[col].mean()) / df[col].std()\n    df[col] = scaled.clip(-3, 3)',
    'X = df[["a", "b"]]\ny = df["t"]\nmodel = LogisticRegression().fit(X, y)',
  ]);
  const result = plan(await analyzeNotebookFull(source, SCAFFOLD_ANALYSIS));
  assert.ok(result.ok, result.report.problems.join('\n'));
  const preprocessing = result.changes.find((c) => c.path === 'src/data/preprocessing.py')!.content;
  assert.match(preprocessing, /^def prepare_cell3\(df\):$/m);
  assert.match(preprocessing, /^ {4}df = prepare_cell3\(df\)$/m);
});
