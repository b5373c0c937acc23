// Incremental analysis: after any sequence of edits, the warm engine (whose per-cell memos and
// caches remember earlier versions of the notebook) reports exactly what a cold engine reports
// for the same notebook. The cold engine is a fresh copy of src/core loaded from disk, so it
// shares no cache with the warm one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join, sep } from 'node:path';
import { analyzeNotebook } from '../../src/core/engine';
import { loadNotebookFile } from '../../src/core/notebook';
import type { Cell, Notebook } from '../../src/core/notebook/model';
import { prng } from '../../scripts/prng';
import { repoRoot } from '../helpers/paths';

type Engine = typeof import('../../src/core/engine');

/** A new instance of every src/core module (and of the wasm parser), with empty caches. */
function coldEngine(): Engine {
  const core = dirname(require.resolve('../../src/core/engine'));
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(core + sep) || key.includes(`${sep}web-tree-sitter${sep}`)) delete require.cache[key];
  }
  return require('../../src/core/engine') as Engine;
}

const FIXTURES = [
  'test/fixtures/functions/nb106-fix-input.ipynb',
  'test/fixtures/functions/nb107-log-and-drop.ipynb',
  'test/fixtures/functions/nb108-write-then-load.ipynb',
  'test/fixtures/history/rerun-top.ipynb',
  'test/fixtures/executed/magics.ipynb',
];

function renumber(cells: Cell[]): Cell[] {
  return cells.map((cell, index) => ({ ...cell, index }));
}

/** One edit of the kinds an editor makes: type in a cell, add, delete, move, run, clear. */
function edit(notebook: Notebook, next: () => number): { notebook: Notebook; what: string } {
  const cells = [...notebook.cells];
  const pick = (): number => Math.floor(next() * cells.length);
  const i = pick();
  const cell = cells[i]!;
  const kind = Math.floor(next() * 7);
  let what: string;
  if (kind === 0 || kind === 1) {
    // Typing: a line of another cell appended, or the last line removed.
    const lines = cell.source.split('\n');
    if (kind === 0 || lines.length < 2) {
      const donor = cells[pick()]!.source.split('\n');
      lines.push(donor[Math.floor(next() * donor.length)] ?? '');
      what = `append a line to cell ${i}`;
    } else {
      lines.pop();
      what = `remove the last line of cell ${i}`;
    }
    cells[i] = { ...cell, source: lines.join('\n') };
  } else if (kind === 2) {
    // A copy of a cell elsewhere: two cells with the same source (and the same cached facts).
    cells.splice(pick(), 0, { ...cells[pick()]! });
    what = 'insert a copy of a cell';
  } else if (kind === 3 && cells.length > 3) {
    cells.splice(i, 1);
    what = `delete cell ${i}`;
  } else if (kind === 4) {
    const [moved] = cells.splice(i, 1);
    cells.splice(pick(), 0, moved!);
    what = `move cell ${i}`;
  } else if (kind === 5) {
    const highest = Math.max(0, ...cells.map((c) => c.executionCount ?? 0));
    cells[i] = { ...cell, executionCount: cell.kind === 'code' ? highest + 1 : null };
    what = `run cell ${i}`;
  } else {
    cells[i] = { ...cell, source: '' };
    what = `clear cell ${i}`;
  }
  return { notebook: { ...notebook, cells: renumber(cells) }, what };
}

const ALL_TIERS = { select: ['PREVIEW'] };

test('after every edit, a warm re-analysis reports what a cold analysis reports', async () => {
  const loaded = await Promise.all(FIXTURES.map((file) => loadNotebookFile(join(repoRoot, file))));
  // One notebook from several fixtures: hidden state, functions, artifacts, magics, leakage.
  let notebook: Notebook = { ...loaded[0]!, cells: renumber(loaded.flatMap((n) => n.cells)) };
  await analyzeNotebook(notebook); // the warm engine loads its parser before the caches are dropped
  const next = prng(20261127);
  let checked = 0;
  for (let step = 0; step < 30; step++) {
    const made = edit(notebook, next);
    notebook = made.notebook;
    const warm = await analyzeNotebook(notebook, ALL_TIERS);
    const cold = await coldEngine().analyzeNotebook(notebook, ALL_TIERS);
    assert.deepEqual(JSON.parse(JSON.stringify(warm)), JSON.parse(JSON.stringify(cold)), `step ${step}: ${made.what}`);
    checked += warm.length;
  }
  assert.ok(checked > 100, `the edited notebooks had findings to compare (${checked})`);
});
