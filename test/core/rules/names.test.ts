// NB101 use-before-define and NB102 undefined-name: source in, codes and positions out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import { compact, findings as allFindings, notebook, type CellSpec } from '../../helpers/notebooks';
import type { AnalyzeOptions } from '../../../src/core/engine';
import type { Notebook } from '../../../src/core/notebook/model';

// Other NB rules (non-idempotent cells, star imports, ...) fire on some of these inputs; this
// file is about the name rules only, unless a test passes its own selection.
const NAME_RULES = ['NB000', 'NB101', 'NB102'];
const findings = (cells: readonly CellSpec[], options: AnalyzeOptions = {}): Promise<string[]> => allFindings(cells, { select: NAME_RULES, ...options });
const analyse = (cells: readonly CellSpec[], options: AnalyzeOptions = {}) => analyzeNotebook(notebook(cells), { select: NAME_RULES, ...options });

test('a name defined in an earlier cell is fine', async () => {
  assert.deepEqual(await findings(['x = 1', 'print(x)']), []);
});

test('NB101: a read of a name defined only in a later cell', async () => {
  assert.deepEqual(await findings(['import pandas as pd', 'df = pd.read_csv(path)', 'path = "a.csv"']), ['NB101 cell 1 0:17-0:21']);
});

test('NB101 points at the defining cell and names it in the message', async () => {
  const [d] = await analyse(['print(x)', 'y = 2\nx = 1']);
  assert.ok(d);
  assert.equal(d.code, 'NB101');
  assert.equal(d.name, 'use-before-define');
  assert.equal(d.severity, 'error');
  assert.equal(
    d.message,
    '`x` is read before it is defined: it is only defined in cell 2, which comes later, so running the notebook top to bottom raises `NameError`.',
  );
  assert.deepEqual(d.related, [{ cell: 1, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, message: '`x` is defined here' }]);
  assert.deepEqual(d.data, { name: 'x', definedIn: 1 });
});

test('NB101 inside one cell: read above the assignment', async () => {
  assert.deepEqual(await findings(['print(y)\ny = 2']), ['NB101 cell 0 0:6-0:7']);
  assert.deepEqual(await findings(['x = x + 1']), ['NB101 cell 0 0:4-0:5']);
});

test('only the first read of a name per cell is reported', async () => {
  assert.deepEqual(await findings(['print(q)\nprint(q + q)', 'q = 1']), ['NB101 cell 0 0:6-0:7']);
});

test('cell indexes count markdown cells', async () => {
  assert.deepEqual(await findings([{ md: '# Title' }, 'print(a)', { md: 'text' }, 'a = 1']), ['NB101 cell 1 0:6-0:7']);
});

test('NB102: a name defined in no cell', async () => {
  const [d] = await analyse(['import pandas as pd', 'df = pd.DataFrame()\nchurned = df[df.p > threshold]']);
  assert.ok(d);
  assert.equal(d.code, 'NB102');
  assert.deepEqual(d.range, { start: { line: 1, character: 20 }, end: { line: 1, character: 29 } });
  assert.equal(
    d.message,
    '`threshold` is read here but not defined in any cell; it may come from a deleted cell or interactive state, so a fresh kernel raises `NameError`.',
  );
  assert.deepEqual(d.related, []);
});

test('NB102 inside a function body; a later definition satisfies a function', async () => {
  assert.deepEqual(await findings(['def f():\n    return zz']), ['NB102 cell 0 1:11-1:13']);
  assert.deepEqual(await findings(['def f():\n    return z', 'z = 1', 'f()']), []);
});

test('class-body names are not visible inside methods (Python scoping)', async () => {
  assert.deepEqual(await findings(['class A:\n    k = 1\n    def m(self):\n        return k']), ['NB102 cell 0 3:15-3:16']);
});

test('builtins, IPython globals, loop and comprehension variables are defined', async () => {
  assert.deepEqual(await findings(['print(len([1]))', 'display(In, Out, _)', '[i for i in range(3)]', 'for j in range(2):\n    print(j)']), []);
});

test('star imports and %run may define anything: no false certainty', async () => {
  assert.deepEqual(await findings(['from math import *', 'print(pi)']), []);
  assert.deepEqual(await findings(['%run setup.py', 'print(cfg)']), []);
});

test('magics: assignments from shell and line magics define names; non-Python cell magics are skipped', async () => {
  assert.deepEqual(await findings(['files = !ls', 'print(files)']), []);
  assert.deepEqual(await findings(['%%bash\necho $undefined_in_python']), []);
  assert.deepEqual(await findings(['%time total = sum([1, 2])', 'print(total)']), []);
});

test('NB000 on a cell whose saved output is already the error is a preview pattern; without that output it fires by default', async () => {
  const nb000 = async (cells: Notebook, select?: string[]): Promise<string[]> =>
    (await analyzeNotebook(cells, select === undefined ? {} : { select })).filter((d) => d.code === 'NB000').map(compact);
  const lesson = notebook([
    ['x = 1', 1, 1],
    ['1x = 2', 2, 1],
  ]);
  lesson.cells[1]!.executionSuccess = false;
  assert.deepEqual(await nb000(lesson), []);
  assert.deepEqual(await nb000(lesson, ['NB']), []);
  assert.deepEqual(await nb000(lesson, ['PREVIEW']), ['NB000 cell 1 0:0-0:1']);
  assert.deepEqual(await nb000(lesson, ['NB000']), ['NB000 cell 1 0:0-0:1']);
  const unnoticed = notebook([
    ['x = 1', 1, 1],
    ['1x = 2', 2, 1],
  ]);
  assert.deepEqual(await nb000(unnoticed), ['NB000 cell 1 0:0-0:1']);
});

test('NB000: a syntax error is reported once and the other cells are still checked', async () => {
  const result = await analyse(['def f(:\n    pass', 'print(nowhere)']);
  assert.deepEqual(
    result.map((d) => `${d.code} cell ${d.cell}`),
    ['NB000 cell 0', 'NB102 cell 1'],
  );
});

test('options: select, ignore and severity overrides', async () => {
  const cells = ['print(a)', 'a = 1', 'print(b)'];
  assert.deepEqual(await findings(cells), ['NB101 cell 0 0:6-0:7', 'NB102 cell 2 0:6-0:7']);
  assert.deepEqual(await findings(cells, { select: ['NB102'] }), ['NB102 cell 2 0:6-0:7']);
  assert.deepEqual(await allFindings(cells, { select: ['NB1'], ignore: ['NB10'] }), []);
  assert.deepEqual(await findings(cells, { severity: { NB101: 'off' } }), ['NB102 cell 2 0:6-0:7']);
  const [first] = await analyse(cells, { severity: { NB101: 'info' } });
  assert.equal(first?.severity, 'info');
});

test('non-Python kernels are not analysed as Python', async () => {
  const nb = { ...notebook(['println(x)']), language: 'julia' };
  assert.deepEqual(await analyzeNotebook(nb), []);
});

test('NB101 not on a loop-carried value that the loop binds first, but on one it never binds from elsewhere', async () => {
  const carried = 'for i in range(3):\n    if i > 0:\n        pred = pred + i\n    else:\n        pred = i';
  const whileLoop = 'k = 0\nwhile k < 3:\n    if k:\n        total = total * 2\n    else:\n        total = 1\n    k += 1';
  assert.deepEqual(await findings([carried, whileLoop, 'print(pred, total)']), []);
  // The true twin: no iteration binds `acc` from anything but itself, so the first read fails.
  assert.deepEqual(await findings(['for i in range(3):\n    if i > 0:\n        acc = acc + i']), ['NB101 cell 0 2:14-2:17']);
  // Outside the loop that binds it, the read is still before the definition.
  assert.deepEqual(await findings(['print(pred)\nfor i in range(3):\n    pred = i']), ['NB101 cell 0 0:6-0:10']);
});

test('NB101 on a read that runs on the first iteration before the loop binds the name, by default; guarded reads stay silent', async () => {
  const byDefault = async (cells: CellSpec[]): Promise<string[]> => (await analyzeNotebook(notebook(cells))).filter((d) => d.code === 'NB101').map(compact);
  // The first iteration reads `n` before `n = len(f)` ran: NameError, in the default tier.
  const unguarded = 'total = 0\nfor f in ["a", "bb"]:\n    total = total + n\n    n = len(f)';
  assert.deepEqual(await byDefault([unguarded]), ['NB101 cell 0 2:20-2:21']);
  // Inside `with` and `try` bodies, and in an inner `for`, the read still runs on the first pass.
  const nested =
    'for i in range(3):\n    with open("a.txt") as fh:\n        try:\n            print(last)\n        except OSError:\n            pass\n    last = i';
  assert.deepEqual(await byDefault([nested]), ['NB101 cell 0 3:18-3:22']);
  // Twins that stay silent: the else-guarded carried value, and a read under `if` or in a conditional expression,
  // in either tier (the read of a value no iteration binds afresh stays a preview finding, above).
  const guarded = 'for i in range(3):\n    p = i * 2\n    if i > 0:\n        pred = pred + p\n    else:\n        pred = p';
  const underIf = 'for i in range(3):\n    if i > 0:\n        print(prev)\n    prev = i';
  const ternary = 'for i in range(3):\n    print(prev if i else None)\n    prev = i';
  assert.deepEqual(await byDefault([guarded, underIf, ternary]), []);
  assert.deepEqual(await findings([guarded]), []);
  assert.deepEqual(await findings([underIf, ternary]), []);
});

test('NB102: one finding per undefined name at its first read, the other reads related', async () => {
  const cells = ['df = pd.read_csv("a.csv")', 'pd.set_option("display.max_rows", 5)\nplt.plot(df.a)', 'plt.show()'];
  const found = await analyzeNotebook(notebook(cells), { select: ['NB102'] });
  assert.deepEqual(found.map(compact), ['NB102 cell 0 0:5-0:7', 'NB102 cell 1 1:0-1:3']);
  assert.equal(
    found[0]?.message,
    '`pd` is read here but not defined in any cell (and 1 more read); it may come from a deleted cell or interactive state, so a fresh kernel raises `NameError`.',
  );
  assert.deepEqual(
    found[0]?.related.map((r) => `${r.cell} ${r.range.start.line}:${r.range.start.character} ${r.message}`),
    ['1 0:0 `pd` is read here too'],
  );
  assert.deepEqual(
    found[1]?.related.map((r) => `${r.cell} ${r.range.start.line}:${r.range.start.character}`),
    ['2 0:0'],
  );
});
