// Real notebooks executed by nbclient (scripts/fixtures/make_executed.py) and the bundled
// examples: NB101/NB102 must match the committed expectations exactly, codes and ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNotebook } from '../../src/core/engine';
import { loadNotebookFile } from '../../src/core/notebook';
import { repoRoot } from '../helpers/paths';

interface Expected {
  code: string;
  cell: number;
  name: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

const expectations = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/executed/expected.json'), 'utf8')) as Record<string, Expected[]>;

for (const [file, expected] of Object.entries(expectations)) {
  test(`${file}: NB101/NB102 exactly as expected`, async () => {
    const notebook = await loadNotebookFile(join(repoRoot, file));
    const found = (await analyzeNotebook(notebook, { select: ['NB101', 'NB102'] })).map((d) => ({
      code: d.code,
      cell: d.cell,
      name: d.data['name'],
      range: d.range,
    }));
    assert.deepEqual(found, expected);
  });
}

test('the executed fixtures carry real execution counts', async () => {
  const notebook = await loadNotebookFile(join(repoRoot, 'test/fixtures/executed/use-before-define.ipynb'));
  const counts = notebook.cells.filter((c) => c.kind === 'code').map((c) => c.executionCount);
  assert.deepEqual(counts, [1, 4, 2, 3, 5]);
});
