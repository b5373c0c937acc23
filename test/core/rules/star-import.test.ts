// NB109 star-import: source in, codes, positions and fixed sources out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNotebook } from '../../../src/core/engine';
import { applyFixToSources } from '../../../src/core/fixes/apply';
import { loadNotebookFile } from '../../../src/core/notebook';
import { findings, notebook } from '../../helpers/notebooks';
import { repoRoot } from '../../helpers/paths';

const NB109 = { select: ['NB109'] };

async function only(cells: string[]) {
  const found = await analyzeNotebook(notebook(cells), NB109);
  assert.equal(found.length, 1, JSON.stringify(found));
  return found[0]!;
}

test('NB109 fires on the whole `from m import *` statement, once per star import', async () => {
  assert.deepEqual(await findings(['import pandas as pd\nfrom numpy import *', 'x = array([1])'], NB109), ['NB109 cell 0 1:0-1:19']);
  assert.deepEqual(await findings(['from math import *', 'from os.path import *', 'print(pi, join("a", "b"))'], NB109), [
    'NB109 cell 0 0:0-0:18',
    'NB109 cell 1 0:0-0:21',
  ]);
});

test('NB109 does not fire on explicit imports', async () => {
  assert.deepEqual(await findings(['from numpy import array, mean\nimport math', 'print(mean(array([1])), math.pi)'], NB109), []);
  assert.deepEqual(await findings(['import numpy as np', 'from os import path'], NB109), []);
});

test('message and data name the module and the names the fix imports', async () => {
  const d = await only(['from numpy import *', 'values = array([1.0, 2.0])\nprint(mean(values))', 'def f(v):\n    return sqrt(v)']);
  assert.equal(d.severity, 'warning');
  assert.equal(
    d.message,
    "`from numpy import *` imports every public name of `numpy` without listing them, so nobody can tell where a name comes from, and it can silently shadow the notebook's own names or builtins.",
  );
  assert.deepEqual(d.data, { module: 'numpy', names: ['array', 'mean', 'sqrt'] });
});

test('fix: one known star import, every name known → safe, `*` replaced by the sorted names', async () => {
  const cells = ['from numpy import *', 'values = array([1.0, 2.0])\nprint(mean(values), sum(values), len(values))'];
  const [fix] = (await only(cells)).fixes ?? [];
  assert.ok(fix);
  assert.equal(fix.title, 'Import `array, mean, sum` from `numpy` instead of `*`');
  assert.equal(fix.safety, 'safe');
  // `sum` is NumPy's after the star import, so it stays imported; `len` is not exported.
  assert.deepEqual(applyFixToSources(cells, fix).sources, ['from numpy import array, mean, sum', cells[1]]);
  const after = await analyzeNotebook(notebook(applyFixToSources(cells, fix).sources));
  assert.deepEqual(
    after.map((d) => d.code),
    [],
  );
});

test('fix is unsafe when a name is not known to come from the module', async () => {
  const [fix] = (await only(['from mylib import *', 'print(helper(1))'])).fixes ?? [];
  assert.equal(fix?.safety, 'unsafe');
  assert.equal(fix?.edits[0]?.newText, 'helper');
});

test('fix is unsafe when the star import may replace a name defined before it', async () => {
  const [fix] = (await only(['mean = lambda xs: sum(xs) / len(xs)', 'from numpy import *', 'print(mean([1, 2]), array([1]))'])).fixes ?? [];
  assert.equal(fix?.safety, 'unsafe');
  // The lambda looks `sum` up when called, after the star import replaced it with NumPy's.
  assert.equal(fix?.edits[0]?.newText, 'array, sum');
});

test('several star imports: names go to the module known to export them, else to the last one; fixes are unsafe', async () => {
  const found = await analyzeNotebook(notebook(['from numpy import *', 'from mystery import *', 'print(array([1]), gadget)']), NB109);
  assert.deepEqual(
    found.map((d) => [d.data['names'], d.fixes?.[0]?.safety]),
    [
      [['array'], 'unsafe'],
      [['gadget'], 'unsafe'],
    ],
  );
});

test('no fix when no read needs the star import, and data says why', async () => {
  const d = await only(['from numpy import *', 'x = 1\nprint(x)']);
  assert.equal(d.fixes, undefined);
  assert.match(String(d.data['fixBlockedBy']), /cannot tell what it provides/);
});

test('reads before the star import, and names defined by a cell, are not attributed to it', async () => {
  const d = await only(['print(early)', 'from numpy import *', 'pi = 3\nprint(pi, zeros(2))']);
  assert.deepEqual(d.data['names'], ['zeros']);
});

test('NB101/NB102 stay silent after a star import (they cannot know its names)', async () => {
  assert.deepEqual(await findings(['from numpy import *', 'print(whatever)'], { select: ['NB101', 'NB102'] }), []);
});

// Real notebooks executed by nbclient (scripts/fixtures/make_imports.py): exact codes and ranges.
const fixtures = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/imports/expected.json'), 'utf8')) as {
  findings: Record<string, Array<{ code: string; cell: number; range: unknown }>>;
};
const ownFixtures = Object.entries(fixtures.findings);

test('NB109: at least three executed fixtures fire and three others do not', () => {
  const firing = ownFixtures.filter(([, expected]) => expected.some((e) => e.code === 'NB109'));
  assert.ok(firing.length >= 3);
  assert.ok(ownFixtures.length - firing.length >= 3);
});

for (const [file, expected] of ownFixtures) {
  test(`${file}: NB109 exactly as expected`, async () => {
    const found = await analyzeNotebook(await loadNotebookFile(join(repoRoot, file)), { select: ['NB109'] });
    assert.deepEqual(
      found.map((d) => ({ code: d.code, cell: d.cell, range: d.range })),
      expected.filter((e) => e.code === 'NB109'),
    );
  });
}
