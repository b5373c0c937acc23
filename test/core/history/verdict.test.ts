// The reproducibility verdict, in core and in the CLI text output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeNotebookFull } from '../../../src/core/engine';
import { verdictFrom } from '../../../src/core/analysis/verdict';
import { reconstructHistory } from '../../../src/core/analysis/history';
import { main } from '../../../src/cli/main';
import { notebook, type CellSpec } from '../../helpers/notebooks';
import { repoRoot } from '../../helpers/paths';

const verdict = async (cells: readonly CellSpec[]) => (await analyzeNotebookFull(notebook(cells), { select: ['NB109'] })).verdict;

test('yes: run top to bottom, nothing hidden', async () => {
  assert.deepEqual(
    await verdict([
      ['x = 1', 1],
      ['print(x)', 2],
    ]),
    { reproducible: 'yes', reasons: [] },
  );
});

test('unknown: never run', async () => {
  assert.deepEqual(await verdict(['x = 1', 'print(x)']), {
    reproducible: 'unknown',
    reasons: ['no cell has an execution count (never run, or outputs cleared)'],
  });
});

test('unknown: ambiguous history, with the ambiguity first', async () => {
  const result = await verdict([
    ['x = 1', 1],
    ['y = x', 2],
    ['print(y)', 2],
  ]);
  assert.equal(result.reproducible, 'unknown');
  assert.equal(result.reasons[0], 'cells 2 and 3 share execution count 2');
});

test('no: out of order, stale, never run, undefined and use-before-define, each said once', async () => {
  const result = await verdict([
    ['import math', 1],
    ['r = 2.0', 4],
    ['area = math.pi * r ** 2', 3],
    ['unit = "cm"', null],
    ['print(area, unit, threshold)', 5],
    ['print(later)', 6],
    ['later = 1', 7],
  ]);
  assert.deepEqual(result, {
    reproducible: 'no',
    reasons: [
      'cell 2 ran after cell 3',
      'cell 3 read `r` before cell 2 last ran',
      'cell 4 never ran',
      '`threshold` is defined in no cell',
      'cell 5 depends on stale outputs',
      '`later` is read in cell 6 before cell 7 defines it',
    ],
  });
});

test('verdictFrom: syntax errors count, a notebook in another language is unknown; NB107 only when counts are missing (possible re-runs)', () => {
  const clean = reconstructHistory(
    notebook([
      ['x = 1', 1],
      ['x += 1', 2],
    ]).cells,
  );
  assert.deepEqual(verdictFrom(clean, [{ code: 'NB000', cell: 0, data: {} }]), { reproducible: 'no', reasons: ['cell 1 does not parse'] });
  assert.deepEqual(verdictFrom(clean, [{ code: 'NB107', cell: 1, data: {} }]), { reproducible: 'yes', reasons: [] });
  // A notebook in another language is not analysed: nothing is known about its state.
  assert.deepEqual(verdictFrom(clean, [{ code: 'NB000', cell: 0, data: { language: 'Julia' } }]), {
    reproducible: 'unknown',
    reasons: ['it is Julia code, which nb2prod does not analyse'],
  });
  const gaps = reconstructHistory(
    notebook([
      ['x = 1', 1],
      ['x += 1', 4],
    ]).cells,
  );
  assert.deepEqual(verdictFrom(gaps, [{ code: 'NB107', cell: 1, data: {} }]), {
    reproducible: 'no',
    reasons: ['cell 2 is not idempotent and may have run more than once'],
  });
});

test('CLI text output: one verdict line per executed .ipynb, after its findings; none for scripts or never-run notebooks', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nb2prod-verdict-'));
  writeFileSync(join(dir, 'script.py'), '# %%\nx = 1\n');
  const outOfOrder = join(repoRoot, 'test/fixtures/history/param-changed.ipynb');
  const clean = join(repoRoot, 'test/fixtures/history/clean-nbconvert.ipynb');
  const neverRun = join(repoRoot, 'test/fixtures/history/never-run.ipynb');
  // NB103 and NB104 are opt-in (preview tier): selected here so the notebook's findings are printed before its verdict.
  const result = await main(['check', outOfOrder, clean, neverRun, join(dir, 'script.py'), '--select', 'NB103,NB104']);
  const lines = result.stdout.trimEnd().split('\n');
  assert.deepEqual(
    lines.filter((l) => l.includes('reproducible:')),
    [`${clean}: reproducible: yes`, `${outOfOrder}: reproducible: no — cell 2 ran after cell 3; cell 3 read \`threshold\` before cell 2 last ran`],
  );
  // The verdict follows the notebook's own findings.
  const last = lines.map((l) => l.startsWith(`${outOfOrder}:cell`)).lastIndexOf(true);
  assert.equal(lines[last + 1], `${outOfOrder}: reproducible: no — cell 2 ran after cell 3; cell 3 read \`threshold\` before cell 2 last ran`);
  // JSON output keeps its documented shape: no verdict field.
  const json = JSON.parse((await main(['check', outOfOrder, '--format', 'json'])).stdout);
  assert.deepEqual(Object.keys(json.files[0]), ['path', 'diagnostics', 'error']);
});

test('the text verdict line stays under 200 characters after the path, however many reasons', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nb2prod-verdict-'));
  const cells = Array.from({ length: 40 }, (_, i) => ({ cell_type: 'code', metadata: {}, outputs: [], execution_count: (i % 10) + 1, source: `x${i} = ${i}` }));
  const path = join(dir, 'restarted.ipynb');
  writeFileSync(path, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
  const line = (await main(['check', path])).stdout.split('\n').find((l) => l.includes('reproducible:')) ?? '';
  const verdict = line.slice(path.length + 2);
  assert.match(verdict, /^reproducible: unknown — cells 1, 11, 21 and 31 share execution count 1; .*; and \d+ more$/);
  assert.ok(verdict.length <= 200, `${verdict.length}: ${verdict}`);
});
