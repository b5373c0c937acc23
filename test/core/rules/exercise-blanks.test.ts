// Fifth blind audit (issue 16): parser and cell-magic false alarms of NB000, NB101 and NB102.
// Each pattern has a notebook that must stay silent and a true twin that must still fire.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook, type AnalyzeOptions } from '../../../src/core/engine';
import { parseIpynb } from '../../../src/core/notebook/ipynb';
import { compact, findings as allFindings, notebook, type CellSpec } from '../../helpers/notebooks';

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

test('%%timeit: the setup on the magic line defines names for the body, and nothing it binds reaches later cells', async () => {
  // Silent: the body reads what the setup binds (options before the setup included).
  assert.deepEqual(
    await findings(['import numpy as np', '%%timeit -n 10 -r3 m = np.zeros(3)\nm.sum()', '%%timeit s = 0.\nfor i in range(10):\n    s += i']),
    [],
  );
  // True twins: timeit runs in its own namespace, so a later cell's read of what it bound is undefined,
  // and a body read that no setup binds is still a read of a global.
  assert.deepEqual(await findings(['%%timeit a = [1, 2]\nb = sorted(a)', 'print(b)']), ['NB102 cell 1 0:6-0:7']);
  assert.deepEqual(await findings(['%timeit c = sum(range(9))', 'print(c)']), ['NB102 cell 1 0:6-0:7']);
  assert.deepEqual(await findings(['%%timeit -n 5 x = 1\ny = x + z']), ['NB102 cell 0 1:8-1:9']);
});

test('%timeit with an option IPython does not know (`-s`) runs nothing, so its statement reads nothing', async () => {
  assert.deepEqual(await findings(['%timeit -s "x = 1" x + 1']), []);
  assert.deepEqual(await findings(['%timeit -n 3 x + 1']), ['NB102 cell 0 0:13-0:14']);
});

test('%%cython: its def, cpdef and (cdef) classes are defined for later cells; cdef functions are not exported', async () => {
  const cython = [
    '%%cython',
    'import numpy as np',
    'cdef double square(double x):',
    '    return x * x',
    'cpdef double[:] scale(double[:] a, double k):',
    '    return a',
    'def run(int n):',
    '    return square(n)',
    'cdef class Grid:',
    '    cdef int n',
  ].join('\n');
  assert.deepEqual(await findings(['import numpy as np', cython, 'run(3)\nscale(np.ones(2), 2.0)\ng = Grid()']), []);
  // True twin: a `cdef` function is C-only, so Python cells cannot call it.
  assert.deepEqual(await findings([cython, 'square(2.0)']), ['NB102 cell 1 0:0-0:6']);
});

/** An .ipynb whose cells are [source, saved error output (ename, evalue, traceback lines) or null]. */
function savedNotebook(cells: [string, [string, string, string[]] | null][]) {
  const json = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: cells.map(([source, error], i) => ({
      cell_type: 'code',
      id: `c${i}`,
      metadata: {},
      source,
      execution_count: i + 1,
      outputs: error === null ? [] : [{ output_type: 'error', ename: error[0], evalue: error[1], traceback: error[2] }],
    })),
  };
  return parseIpynb('saved.ipynb', JSON.stringify(json));
}

test('a cell the parser accepts but whose saved output is a SyntaxError never ran: no NB101/NB102, only a preview NB000', async () => {
  const compileError: [string, string, string[]] = [
    'SyntaxError',
    'invalid syntax (1234.py, line 2)',
    ['\u001b[1;36m  Cell In [2], line 2\n', 'SyntaxError: invalid syntax\n'],
  ];
  const nb = savedNotebook([
    ['import re', null],
    ['text = "a"\n[a-zA-Z]96', compileError],
  ]);
  // Default tier: nothing. With NB000 selected by its code, the preview finding.
  assert.deepEqual((await analyzeNotebook(nb)).map(compact), []);
  assert.deepEqual((await analyzeNotebook(nb, { select: ['NB101', 'NB102'] })).map(compact), []);
  const preview = await analyzeNotebook(nb, { select: ['NB000'] });
  assert.deepEqual(preview.map(compact), ['NB000 cell 1 1:0-1:10']);
  assert.equal(
    preview[0]?.message,
    "Syntax error: the saved output of this cell is `SyntaxError: invalid syntax (1234.py, line 2)`, so Python never ran it (nb2prod's parser accepts it, Python does not).",
  );
  // True twin: a SyntaxError raised while the cell ran (its traceback has a call stack) says nothing about the cell's own code.
  const runtime: [string, string, string[]] = [
    'SyntaxError',
    'invalid syntax (<string>, line 1)',
    ['Traceback (most recent call last)\n', '----> 2 ast.parse(code)\n'],
  ];
  const ran = savedNotebook([['import ast\nast.parse(code)', runtime]]);
  assert.deepEqual((await analyzeNotebook(ran, { select: NAME_RULES })).map(compact), ['NB102 cell 0 1:10-1:14']);
});

test('exercise templates: NB000/NB101/NB102 in a cell with a deliberate blank are preview (off by default, on with --select)', async () => {
  const template = [
    'import pandas as pd\ndf = # TODO: load the csv\ndf.head()',
    '# YOUR CODE HERE\nX_scaled = scaler.transform(X)\nscaler = None',
    'model = ____(n_estimators=10)',
    'def accuracy(y, p):\n    # compute the accuracy\n    raise NotImplementedError()\nprint(accuracy(labels, labels))',
    'result = ...\nprint(result, answer)',
    'from sklearn.naive_bayes import MultinomialNB\nclf = # TODO',
    'codes = df.label.map(# TODO))',
    'def loss(w, x, y):\n    # TODO. compute the loss\n    # f = ...\n    return f',
  ];
  // Default tier: nothing. Each rule selected by its code: the preview findings, at their positions.
  assert.deepEqual((await analyzeNotebook(notebook(template))).map(compact), []);
  assert.deepEqual(await findings(template), [
    'NB000 cell 0 1:0-1:4',
    'NB101 cell 1 1:11-1:17',
    'NB102 cell 1 1:28-1:29',
    'NB102 cell 2 0:8-0:12',
    'NB102 cell 3 3:15-3:21',
    'NB102 cell 4 1:14-1:20',
    'NB000 cell 5 1:0-1:5',
    'NB000 cell 6 0:0-0:21',
    'NB102 cell 7 3:11-3:12',
  ]);
});

test('exercise templates: a TODO note, a stub method or an ellipsis subscript in ordinary code is no blank', async () => {
  const ordinary = [
    '# TODO: tune the threshold\nhits = scores[scores > threshold]\nthreshold = 0.5',
    'class Base:\n    def fit(self, x):\n        raise NotImplementedError\nBase().fit(data)',
    'import numpy as np\na = np.zeros((2, 2))\nb = a[..., 0] + offset',
    // A call written over lines with a comment after `(` parses: only a broken cell has an empty slot.
    'import pandas as pd\nframe = pd.DataFrame(  # the inputs\n    {"a": [1]})\nprint(frame, missing)',
    // A broken cell whose string holds `(#anchor)` and `your code here`, outside a comment: no blank.
    'doc = "see (#intro)\\n check your code here"\nprint(doc',
    // A comment that explains with an ellipsis, not a slot: `# f = ... see below` is no blank.
    'def loss(w):\n    # f = ... computed below\n    return f',
  ];
  assert.deepEqual((await analyzeNotebook(notebook(ordinary))).map(compact), [
    'NB102 cell 0 1:7-1:13',
    'NB101 cell 0 1:23-1:32',
    'NB102 cell 1 3:11-3:15',
    'NB102 cell 2 2:16-2:22',
    'NB102 cell 3 3:13-3:20',
    'NB000 cell 4 1:0-1:9',
    'NB102 cell 5 2:11-2:12',
  ]);
});
