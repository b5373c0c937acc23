// NB103 out-of-order-execution, NB104 stale-read, NB105 unexecuted-cell: counts and sources in,
// codes, positions, messages and data out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import { compact, findings, notebook, type CellSpec } from '../../helpers/notebooks';

const HISTORY = { select: ['NB103', 'NB104', 'NB105'] };
const history = (cells: readonly CellSpec[]): Promise<string[]> => findings(cells, HISTORY);
/** A rule's default patterns: NB103-NB105 are in the preview tier, so the rule is selected and its preview patterns left out. */
const defaultPatterns = async (cells: readonly CellSpec[], code: string) =>
  (await analyzeNotebook(notebook(cells), { select: [code] })).filter((d) => !d.preview);

test('a notebook run top to bottom (counts 1..n) gives no history finding', async () => {
  assert.deepEqual(
    await history([
      ['x = 1', 1],
      ['y = x + 1', 2],
      ['print(x, y)', 3],
    ]),
    [],
  );
});

test('a notebook that never ran (or a script) gives no history finding', async () => {
  assert.deepEqual(await history(['x = 1', 'print(x)', 'print(undefined_here)']), []);
});

test('counts starting above 1 or with gaps, but in document order, are fine', async () => {
  assert.deepEqual(
    await history([
      ['a = 1', 4],
      ['print(a)', 5],
      ['b = a', 9],
    ]),
    [],
  );
});

test('NB103: which cell ran after which, with counts, 1-based in the message', async () => {
  const [d] = await analyzeNotebook(
    notebook([
      ['import math', 1],
      ['r = 2.0', 3],
      ['print(math.pi * r)', 2],
    ]),
    { select: ['NB103'] },
  );
  assert.ok(d);
  assert.equal(d.code, 'NB103');
  assert.equal(d.name, 'out-of-order-execution');
  assert.equal(d.severity, 'warning');
  assert.equal(d.cell, 1);
  assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 7 } });
  assert.equal(
    d.message,
    'Cell 2 ran after cell 3 (execution count 3 after 2), which stands below it: top to bottom it runs before that cell, so the saved outputs may not be what Restart & Run All produces.',
  );
  assert.deepEqual(d.related, [
    { cell: 2, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 18 } }, message: 'cell 3 ran with execution count 2' },
  ]);
  assert.deepEqual(d.data['history'], {
    order: [
      { cell: 0, count: 1 },
      { cell: 2, count: 2 },
      { cell: 1, count: 3 },
    ],
    gaps: [],
  });
  assert.deepEqual(d.data['ranAfter'], [{ cell: 2, count: 2 }]);
});

test('NB103: a cell that ran before cells above it; gaps in data', async () => {
  const [d] = await analyzeNotebook(notebook([['import math', 1], { md: '# x' }, ['r = 2', 4], ['s = 3', 5], ['print(math.e * r * s)', 2]]), {
    select: ['NB103'],
  });
  assert.equal(d?.cell, 4);
  assert.equal(
    d?.message,
    'Cell 5 ran before cells 3 and 4 (execution count 2 before 4 and 5), which stand above it: top to bottom it runs after them, so the saved outputs may not be what Restart & Run All produces.',
  );
  assert.deepEqual((d!.data['history'] as { gaps: unknown[] }).gaps, [{ from: 3, to: 3, explanations: ['rerun', 'deleted'] }]);
});

test('NB103 is a preview pattern on cells that share no name: a re-run import, an unrelated plot', async () => {
  // The import cell ran last and the plot ran before an unrelated cell below it: no output changes.
  const silent: CellSpec[] = [
    ['import numpy as np', 9],
    ['x = np.arange(3)', 2],
    ['print(np.pi)', 5],
    ['y = x * 2', 4],
  ];
  assert.deepEqual(await findings(silent, { select: ['NB10'] }), []);
  // Selected by its exact code, the preview pattern still reports them.
  assert.deepEqual(await findings(silent, { select: ['NB103'] }), ['NB103 cell 0 0:0-0:18', 'NB103 cell 2 0:0-0:12']);
  // The true twin: the cell that ran after the one below it rebinds what that cell reads.
  const twin: CellSpec[] = [
    ['import numpy as np', 1],
    ['x = np.arange(3)', 5],
    ['print(np.pi)', 3],
    ['y = x * 2', 4],
  ];
  const [d] = await analyzeNotebook(notebook(twin), { select: ['NB103'] });
  assert.equal(
    d?.message,
    'Cell 2 ran after cell 4 (execution count 5 after 4), which stands below it: top to bottom it runs before that cell, so the saved outputs may not be what Restart & Run All produces.',
  );
  assert.deepEqual([d?.cell, d?.data['ranAfterTotal']], [1, 1]);
});

test('NB103 on duplicate counts: says the order is unknown instead of guessing, once per count', async () => {
  const result = await analyzeNotebook(
    notebook([
      ['import numpy as np', 1],
      ['x = np.ones(2)', 2],
      ['y = x * 2', 3],
      ['print(y)', 3],
    ]),
    HISTORY,
  );
  assert.deepEqual(
    result.map((d) => `${d.code} ${d.cell}`),
    ['NB103 3'],
  );
  assert.match(result[0]?.message ?? '', /^Cells 3 and 4 both have execution count 3: the kernel was restarted .* Restart the kernel and run all cells/);
  assert.equal(result[0]?.data['ambiguous'], true);
});

test('NB103 with a suspected restart says the reading may be wrong', async () => {
  const result = await analyzeNotebook(
    notebook([
      ['a = 1', 12],
      ['b = 2', 13],
      ['c = a + b', 1],
      ['d = c * a * b', 2],
    ]),
    { select: ['NB103'] },
  );
  assert.deepEqual(
    result.map((d) => d.cell),
    [0, 1],
  );
  assert.match(result[0]?.message ?? '', /The stored counts are ambiguous, so this may be wrong: Cells 3 and 4 have the lowest counts/);
});

test('NB104: the defining cell was re-run after the reader; range is the read name', async () => {
  const cells: CellSpec[] = [
    ['import numpy as np\nvalues = np.arange(10)', 1],
    ['threshold = 7', 4],
    ['above = values[values > threshold]\nprint(len(above))', 3, 1],
  ];
  const result = await analyzeNotebook(notebook(cells), { select: ['NB104'] });
  assert.deepEqual(
    result.map((d) => `${d.code} cell ${d.cell} ${d.range.start.line}:${d.range.start.character}-${d.range.end.character}`),
    ['NB104 cell 2 0:24-33'],
  );
  const [d] = result;
  assert.equal(d?.name, 'stale-read');
  assert.equal(
    d?.message,
    '`threshold` comes from cell 2, which ran after this cell (execution count 4 after 3): the saved outputs here were computed from an older value of `threshold`.',
  );
  assert.deepEqual(d?.data, { name: 'threshold', dependsOn: [1], count: 3, reason: 'rerun', definitionCount: 4 });
  assert.deepEqual(d?.related, [
    { cell: 1, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } }, message: '`threshold` is defined here (execution count 4)' },
  ]);
});

test('NB104: re-run chains make every cell downstream stale, transitively', async () => {
  const cells: CellSpec[] = [
    ['import numpy as np', 1],
    ['x = np.arange(3)', 6],
    ['y = x * 2', 3, 1],
    ['z = y + 1', 4, 1],
    ['print(z)', 5, 1],
  ];
  const result = await analyzeNotebook(notebook(cells), { select: ['NB104'] });
  assert.deepEqual(
    result.map((d) => [d.cell, d.data['name'], d.data['reason']]),
    [
      [2, 'x', 'rerun'],
      [3, 'y', 'transitive'],
      [4, 'z', 'transitive'],
    ],
  );
  assert.equal(
    result[1]?.message,
    '`y` comes from cell 3, whose saved outputs are stale: cell 2 was re-run after cell 3 (execution count 6 after 3). The saved outputs here may be stale too.',
  );
  assert.equal(
    result[2]?.message,
    '`z` comes from cell 4, which depends on stale cell 3: cell 2 was re-run after cell 3 (execution count 6 after 3). The saved outputs here may be stale too.',
  );
  assert.deepEqual(result[2]?.data['dependsOn'], [3]);
  assert.equal(result[2]?.data['staleVia'], 1);
  // By default only the direct finding: the transitive ones are a preview pattern.
  assert.deepEqual((await defaultPatterns(cells, 'NB104')).map(compact), ['NB104 cell 2 0:4-0:5']);
});

test('NB104: a value overwritten by a cell below before the reader ran', async () => {
  const result = await analyzeNotebook(
    notebook([
      ['scale = 10', 1],
      ['print(scale * 2)', 3, 1],
      ['scale = 0', 2],
    ]),
    { select: ['NB104'] },
  );
  assert.equal(result.length, 1);
  assert.equal(
    result[0]?.message,
    "`scale` was read as cell 3 had set it (execution count 2, before this cell's 3), but top to bottom it comes from cell 1: the saved outputs here used a value Restart & Run All does not produce.",
  );
  assert.equal(result[0]?.data['readFrom'], 2);
});

test('NB104 without saved outputs says what the cell last ran with, not what its outputs show', async () => {
  // Kaggle keeps counts but no outputs: the same history, told without outputs.
  const cells: CellSpec[] = [
    ['import numpy as np', 1],
    ['x = np.arange(3)', 6],
    ['y = x * 2', 3],
    ['z = y + 1', 4],
    ['scale = 10', 5],
    ['print(scale)', 8],
    ['scale = 0', 7],
  ];
  const result = await analyzeNotebook(notebook(cells), { select: ['NB104'] });
  assert.deepEqual(
    result.map((d) => d.message),
    [
      '`x` comes from cell 2, which ran after this cell (execution count 6 after 3): this cell last ran with an older value of `x`.',
      '`y` comes from cell 3, whose last run used a stale value: cell 2 was re-run after cell 3 (execution count 6 after 3). What this cell computed when it last ran may be stale too.',
      "`scale` was read as cell 7 had set it (execution count 7, before this cell's 8), but top to bottom it comes from cell 5: this cell last ran with a value Restart & Run All does not produce.",
    ],
  );
});

test('NB104 does not fire on imported names, so a re-run import or options cell makes nothing stale', async () => {
  const setup =
    'import numpy as np\nimport pandas as pd\nimport warnings\n%matplotlib inline\npd.set_option("display.max_columns", 50)\nwarnings.filterwarnings("ignore")';
  const silent: CellSpec[] = [
    [setup, 9],
    ['frame = pd.DataFrame({"a": np.arange(3)})', 2],
    ['print(frame.a.mean(), np.pi)', 3],
  ];
  assert.deepEqual(await findings(silent, { select: ['NB104'] }), []);
  // The true twin: the re-run cell also rebinds a value the readers use.
  const twin: CellSpec[] = [
    [`${setup}\nsize = 4`, 9],
    ['frame = pd.DataFrame({"a": np.arange(size)})', 2],
    ['print(frame.a.mean(), np.pi)', 3],
  ];
  assert.deepEqual(await findings(twin, { select: ['NB104'] }), ['NB104 cell 1 0:37-0:41', 'NB104 cell 2 0:6-0:11']);
});

test('NB104 does not fire: in order, unexecuted definers, same-cell reads, duplicates, functions', async () => {
  assert.deepEqual(
    await findings(
      [
        ['x = 1', 1],
        ['print(x)', 2],
        ['x = 2', 3],
      ],
      { select: ['NB104'] },
    ),
    [],
  );
  assert.deepEqual(await findings(['x = 1', ['print(x)', 1]], { select: ['NB104'] }), []);
  assert.deepEqual(
    await findings(
      [
        ['x = 1\nprint(x)', 3],
        ['y = 2', 1],
      ],
      { select: ['NB104'] },
    ),
    [],
  );
  assert.deepEqual(
    await findings(
      [
        ['x = 1', 3],
        ['print(x)', 3],
      ],
      { select: ['NB104'] },
    ),
    [],
  );
  assert.deepEqual(
    await findings(
      [
        ['def f():\n    return k', 1],
        ['k = 1', 2],
      ],
      { select: ['NB104'] },
    ),
    [],
  );
});

test('NB105: names what the unexecuted cell defines for executed cells below', async () => {
  const cells: CellSpec[] = [
    ['import pandas as pd\ndf = pd.DataFrame()', 1],
    ['# clean first\nclean = df.dropna()\nn = 3', null],
    ['print(clean, n)', 2, 1],
  ];
  const [d] = await analyzeNotebook(notebook(cells), { select: ['NB105'] });
  assert.equal(d?.name, 'unexecuted-cell');
  assert.equal(d?.cell, 1);
  assert.deepEqual(d?.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } });
  assert.equal(
    d?.message,
    'Cell 2 was never run, although cells below it were: its definitions of `clean` and `n` were not available to the outputs below it (read by cell 3).',
  );
  assert.deepEqual(d?.data, { defines: ['clean', 'n'], usedBy: [2] });
  assert.deepEqual(
    d?.related.map((r) => r.cell),
    [2],
  );
});

test('NB105 without readers points at the first line of code, and is a preview pattern', async () => {
  const cells: CellSpec[] = [
    ['a = 1', 1],
    ['\n  # note\n  print(a)', null],
    ['b = 2', 2],
  ];
  assert.deepEqual(await history(cells), ['NB105 cell 1 2:2-2:10']);
  assert.deepEqual(await findings(cells), []);
  const [d] = await analyzeNotebook(notebook(cells), { select: ['NB105'] });
  assert.equal(
    d?.message,
    'Cell 2 was never run, although cells below it were, so it played no part in what those cells computed, and Restart & Run All will run it.',
  );
});

test('NB105 without saved outputs says the cells below ran without the definitions', async () => {
  const cells: CellSpec[] = [
    ['import pandas as pd\ndf = pd.DataFrame()', 1],
    ['clean = df.dropna()', null],
    ['print(clean)', 2],
  ];
  const result = await defaultPatterns(cells, 'NB105');
  assert.deepEqual(
    result.map((d) => d.message),
    ['Cell 2 was never run, although cells below it were: its definition of `clean` was not available when the cells below it ran (read by cell 3).'],
  );
});

test('NB105 does not fire on a stray count: most cells with code never ran', async () => {
  // One cell run to try something in a cleared notebook says nothing about the cells above it.
  const stray: CellSpec[] = ['import pandas as pd', 'df = pd.read_csv("a.csv")', 'clean = df.dropna()', 'print(clean.shape)', ['clean.describe()', 1]];
  assert.deepEqual(await findings(stray, HISTORY), []);
  // The true twin: the notebook ran, only the cleaning cell was skipped.
  const twin: CellSpec[] = [
    ['import pandas as pd', 1],
    ['df = pd.read_csv("a.csv")', 2],
    'clean = df.dropna()',
    ['print(clean.shape)', 3],
    ['clean.describe()', 4],
  ];
  assert.deepEqual((await defaultPatterns(twin, 'NB105')).map(compact), ['NB105 cell 2 0:0-0:5']);
});

test('NB105: consecutive unexecuted cells are one finding, with the others as related locations', async () => {
  const cells: CellSpec[] = [
    ['import numpy as np', 1],
    ['plot_title = "raw"', null],
    { md: '## features' },
    ['scale = 2.0', null],
    ['offset = np.ones(3)', null],
    ['print(scale * offset)', 2, 1],
    ['total = 0', null],
    ['print(np.pi)', 3],
    ['done = True', 4],
  ];
  const result = await defaultPatterns(cells, 'NB105');
  assert.deepEqual(
    result.map((d) => `${d.code} cell ${d.cell} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`),
    ['NB105 cell 3 0:0-0:5'],
  );
  const [d] = result;
  assert.equal(
    d?.message,
    'Cells 2, 4 and 5 were never run, although cells below them were: their definitions of `scale` and `offset` were not available to the outputs below them (read by cell 6).',
  );
  assert.deepEqual(
    d?.related.map((r) => [r.cell, r.message]),
    [
      [5, '`scale` is read here'],
      [1, 'cell 2 never ran either'],
      [4, 'cell 5 never ran either'],
    ],
  );
  assert.deepEqual(d?.data, { defines: ['scale', 'offset'], usedBy: [5], cells: [1, 3, 4] });
  // The cell after the executed one is its own block; nothing below reads it, so it is preview.
  assert.deepEqual(
    (await analyzeNotebook(notebook(cells), { select: ['NB105'] })).map((x) => x.cell),
    [3, 6],
  );
});

test('NB105 does not fire: empty or comment-only cells, cells with nothing run below, outputs without count', async () => {
  assert.deepEqual(
    await history([
      ['a = 1', 1],
      ['', null],
      ['# just a note', null],
      ['print(a)', 2],
    ]),
    [],
  );
  assert.deepEqual(
    await history([
      ['a = 1', 1],
      ['b = 2', null],
      ['c = 3', null],
    ]),
    [],
  );
  const withOutputs = notebook([
    ['a = 1', 1],
    ['b = 2', null],
    ['c = 3', 2],
  ]);
  (withOutputs.cells[1] as { outputCount: number }).outputCount = 1;
  assert.deepEqual(
    (await analyzeNotebook(withOutputs, HISTORY)).map((d) => d.code),
    [],
  );
});
