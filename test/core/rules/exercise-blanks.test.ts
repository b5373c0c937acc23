// Fifth blind audit (issue 16): parser and cell-magic false alarms of NB000, NB101 and NB102.
// Each pattern has a notebook that must stay silent and a true twin that must still fire.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook, type AnalyzeOptions } from '../../../src/core/engine';
import { findings as allFindings, notebook, type CellSpec } from '../../helpers/notebooks';

const NAME_RULES = ['NB000', 'NB101', 'NB102'];
const findings = (cells: readonly CellSpec[], options: AnalyzeOptions = {}): Promise<string[]> => allFindings(cells, { select: NAME_RULES, ...options });

test('an assignment with only a comment after `=` is NB000 at that line, not NB101 (tree-sitter joins it to the next line)', async () => {
  const cells = ['import pandas as pd\ndf = # TODO: read the data\n\ndf.head()'];
  assert.deepEqual(await findings(cells), ['NB000 cell 0 1:0-1:4']);
  const [d] = await analyzeNotebook(notebook(cells), { select: NAME_RULES });
  assert.equal(
    d?.message,
    'Syntax error: the assignment has no value: the line ends after `=` (a comment is not a value), and Python does not continue a statement on the next line outside brackets.',
  );
  // The same cut without a comment, and a binary operator at the end of a line.
  assert.deepEqual(await findings(['total = \nprint(total)']), ['NB000 cell 0 0:0-0:7']);
  assert.deepEqual(await findings(['y = 1 +\n2']), ['NB000 cell 0 0:0-0:7']);
  // Inside a function body too.
  assert.deepEqual(await findings(['def f():\n    x = 1 +\n    return x']), ['NB000 cell 0 1:4-1:11']);
});

test('a statement continued inside brackets, a string or after a backslash is valid; a real read-before-define still fires', async () => {
  assert.deepEqual(await findings(['x = (1 +  # one\n     2)\nz = [1,\n 2]\nw = 1 + \\\n  2\ns = """a\nb"""\nprint(x, z, w, s)']), []);
  // True twin: the value is there, and the name really is read before it is bound.
  assert.deepEqual(await findings(['df = load()  # TODO\ndf.head()\nload = None']), ['NB101 cell 0 0:5-0:9']);
});
