// `# nb2prod: ignore` directives: which findings each form silences, and NB900's unused reports
// with their fixed text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import { applyEdits } from '../../../src/core/fixes/apply';
import { compact, findings, notebook } from '../../helpers/notebooks';

test('an undefined name is reported without a directive (the twin of every case below)', async () => {
  assert.deepEqual(await findings(['print(x)\nprint(y)']), ['NB102 cell 0 0:6-0:7', 'NB102 cell 0 1:6-1:7']);
});

test('a line directive silences its code on its own line only', async () => {
  assert.deepEqual(await findings(['print(x)  # nb2prod: ignore[NB102]\nprint(y)']), ['NB102 cell 0 1:6-1:7']);
});

test('a directive lists several codes, and prefixes', async () => {
  assert.deepEqual(await findings(['print(x)  # nb2prod: ignore[NB104, NB102]\nprint(y)  # nb2prod: ignore[NB1]']), []);
});

test('a directive of another code silences nothing', async () => {
  assert.deepEqual(await findings(['print(x)  # nb2prod: ignore[LK201]']), ['NB102 cell 0 0:6-0:7']);
});

test('a bare directive silences every code on its line', async () => {
  assert.deepEqual(await findings(['print(x)  # nb2prod: ignore\nprint(y)']), ['NB102 cell 0 1:6-1:7']);
});

test('free text after the directive is kept as the reason, and case does not matter', async () => {
  assert.deepEqual(await findings(['print(x)  # NB2PROD: Ignore[nb102] set by the runner']), []);
});

test('a directive after other comment text still counts', async () => {
  assert.deepEqual(await findings(['print(x)  # type: ignore  # nb2prod: ignore[NB102]']), []);
});

test('alone on the first line of a cell, a directive silences the whole cell and no other', async () => {
  assert.deepEqual(await findings(['# nb2prod: ignore[NB102]\nprint(x)\nprint(y)', 'print(z)']), ['NB102 cell 1 0:6-0:7']);
});

test('alone on a later line, a directive is not cell-wide', async () => {
  assert.deepEqual(await findings(['import os\n# nb2prod: ignore[NB102]\nprint(x)']), ['NB102 cell 0 2:6-2:7']);
});

test('the directive text inside a string literal is not a directive', async () => {
  assert.deepEqual(await findings(['print(x, "# nb2prod: ignore[NB102]")']), ['NB102 cell 0 0:6-0:7']);
  assert.deepEqual(await findings(['"""\n# nb2prod: ignore\n"""\nprint(x)']), ['NB102 cell 0 3:6-3:7']);
});

test('a malformed directive silences nothing', async () => {
  assert.deepEqual(await findings(['print(x)  # nb2prod: ignore[]']), ['NB102 cell 0 0:6-0:7']);
  assert.deepEqual(await findings(['print(x)  # nb2prod: ignored']), ['NB102 cell 0 0:6-0:7']);
});

/** NB900 findings with their messages and, per finding, the cell source after its fix. */
async function unused(cells: string[], select = ['NB900']): Promise<{ at: string; message: string; fixed: string }[]> {
  const found = await analyzeNotebook(notebook(cells), { select });
  return found
    .filter((d) => d.code === 'NB900')
    .map((d) => ({
      at: compact(d),
      message: d.message,
      fixed: applyEdits(cells[d.cell]!, d.fixes?.[0]?.edits ?? []),
    }));
}

test('NB900 is off by default: an unused directive says nothing', async () => {
  assert.deepEqual(await findings(['x = 1  # nb2prod: ignore[NB102]']), []);
});

test('NB900 reports a directive whose code silences nothing, and its fix removes the comment', async () => {
  assert.deepEqual(await unused(['x = 1  # nb2prod: ignore[NB102]\nprint(x)']), [
    { at: 'NB900 cell 0 0:7-0:31', message: 'Unused suppression: no `NB102` finding on this line.', fixed: 'x = 1\nprint(x)' },
  ]);
});

test('NB900 keeps the codes in use and removes the others', async () => {
  assert.deepEqual(await unused(['print(x)  # nb2prod: ignore[NB102, NB109, ZZ9]']), [
    {
      at: 'NB900 cell 0 0:10-0:46',
      message: 'Unused suppression: no `NB109` finding on this line; `ZZ9` matches no rule.',
      fixed: 'print(x)  # nb2prod: ignore[NB102]',
    },
  ]);
});

test('NB900 says nothing of a used directive, bare or cell-wide', async () => {
  assert.deepEqual(await unused(['print(x)  # nb2prod: ignore', '# nb2prod: ignore[NB1]\nprint(y)']), []);
});

test('NB900 removes an unused cell directive with its line', async () => {
  assert.deepEqual(await unused(['# nb2prod: ignore\nx = 1', 'y = 2\n# nb2prod: ignore']), [
    { at: 'NB900 cell 0 0:0-0:17', message: 'Unused suppression: no finding in this cell to silence.', fixed: 'x = 1' },
    { at: 'NB900 cell 1 1:0-1:17', message: 'Unused suppression: no finding on this line to silence.', fixed: 'y = 2' },
  ]);
});

test('NB900 keeps the comment text before the directive', async () => {
  assert.deepEqual(await unused(['x = 1  # type: int  # nb2prod: ignore[NB102]']), [
    { at: 'NB900 cell 0 0:20-0:44', message: 'Unused suppression: no `NB102` finding on this line.', fixed: 'x = 1  # type: int' },
  ]);
});

test('NB900 judges a code only when a rule it covers ran', async () => {
  // With NB109 selected, NB102 did not run: its entry cannot be judged, and is kept.
  assert.deepEqual(await unused(['x = 1  # nb2prod: ignore[NB102]'], ['NB109', 'NB900']), []);
  // Selected with it, NB102 ran and found nothing there.
  assert.equal((await unused(['x = 1  # nb2prod: ignore[NB102]'], ['NB102', 'NB900'])).length, 1);
});

test('NB900 selected with other rules still lets the directives silence them', async () => {
  const found = await analyzeNotebook(notebook(['print(x)  # nb2prod: ignore[NB102]\nprint(y)']), { select: ['NB102', 'NB900'] });
  assert.deepEqual(found.map(compact), ['NB102 cell 0 1:6-1:7']);
});
