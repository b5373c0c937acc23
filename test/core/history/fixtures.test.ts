// Real notebooks executed in chosen orders by nbclient, and one run top to bottom by nbconvert
// (scripts/fixtures/make_history.py): NB103-NB105 must match the committed expectations exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNotebook } from '../../../src/core/engine';
import { loadNotebookFile } from '../../../src/core/notebook';
import { repoRoot } from '../../helpers/paths';

interface Expected {
  code: string;
  cell: number;
  name: string | null;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

const CODES = ['NB103', 'NB104', 'NB105'];
const expectations = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/history/expected.json'), 'utf8')) as Record<string, Expected[]>;

async function historyFindings(file: string): Promise<Expected[]> {
  const notebook = await loadNotebookFile(join(repoRoot, file));
  return (await analyzeNotebook(notebook, { select: CODES })).map((d) => {
    const defines = d.data['defines'] as string[] | undefined;
    const name = typeof d.data['name'] === 'string' ? d.data['name'] : (defines?.[0] ?? null);
    return { code: d.code, cell: d.cell, name, range: d.range };
  });
}

for (const [file, expected] of Object.entries(expectations)) {
  test(`${file}: NB103/NB104/NB105 exactly as expected`, async () => {
    assert.deepEqual(await historyFindings(file), expected);
  });
}

test('each history rule has at least three real notebooks that fire and three that do not', () => {
  for (const code of CODES) {
    const firing = Object.values(expectations).filter((found) => found.some((f) => f.code === code)).length;
    const silent = Object.values(expectations).filter((found) => !found.some((f) => f.code === code)).length;
    assert.ok(firing >= 3, `${code} fires on ${firing} fixtures`);
    assert.ok(silent >= 3, `${code} is silent on ${silent} fixtures`);
  }
});

test('a clean notebook executed top to bottom by nbconvert yields no NB103-NB105', async () => {
  const notebook = await loadNotebookFile(join(repoRoot, 'test/fixtures/history/clean-nbconvert.ipynb'));
  assert.deepEqual(
    notebook.cells.filter((c) => c.kind === 'code').map((c) => c.executionCount),
    [1, 2, 3, 4],
  );
  assert.deepEqual(await analyzeNotebook(notebook, { select: CODES }), []);
});

test('the fixtures carry the counts of their real runs (re-runs, restarts, skipped cells)', async () => {
  const counts = async (name: string): Promise<Array<number | null>> =>
    (await loadNotebookFile(join(repoRoot, 'test/fixtures/history', name))).cells.filter((c) => c.kind === 'code').map((c) => c.executionCount);
  assert.deepEqual(await counts('rerun-top.ipynb'), [1, 5, 3, 4]);
  assert.deepEqual(await counts('restart-partial.ipynb'), [1, 2, 3, 3]);
  assert.deepEqual(await counts('skipped-two.ipynb'), [1, null, null, 2, null, 3]);
  assert.deepEqual(await counts('rerun-in-order.ipynb'), [4, 5, 6]);
});
