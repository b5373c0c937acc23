// Real notebooks executed by nbclient (scripts/fixtures/make_functions.py): NB106, NB107 and
// NB108 must match the committed expectations exactly, codes and ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Range } from '../../../src/core/diagnostic';
import { analyzeNotebook } from '../../../src/core/engine';
import { loadNotebookFile } from '../../../src/core/notebook';
import { repoRoot } from '../../helpers/paths';

interface Expected {
  code: string;
  cell: number;
  range: Range;
}

const expectations = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/functions/expected.json'), 'utf8')) as Record<string, Expected[]>;

test('each rule has at least three real notebooks that fire and three that do not', () => {
  for (const code of ['NB106', 'NB107', 'NB108']) {
    const prefix = `test/fixtures/functions/${code.toLowerCase()}-`;
    const files = Object.entries(expectations).filter(([file]) => file.startsWith(prefix));
    assert.ok(files.filter(([, found]) => found.some((f) => f.code === code)).length >= 3, `${code} fires in 3 notebooks`);
    assert.ok(files.filter(([, found]) => found.length === 0).length >= 3, `${code} is silent in 3 notebooks`);
  }
});

for (const [file, expected] of Object.entries(expectations)) {
  test(`${file}: NB106-NB108 exactly as expected`, async () => {
    const notebook = await loadNotebookFile(join(repoRoot, file));
    const found = (await analyzeNotebook(notebook, { select: ['NB106', 'NB107', 'NB108'] })).map((d) => ({ code: d.code, cell: d.cell, range: d.range }));
    assert.deepEqual(found, expected);
  });
}
