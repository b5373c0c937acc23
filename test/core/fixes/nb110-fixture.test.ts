// NB110's quick fix, notebook in / notebook out (fixtures from scripts/fixtures/make_imports.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNotebook } from '../../../src/core/engine';
import { applyFixToIpynb } from '../../../src/core/fixes/apply';
import { loadNotebookFile } from '../../../src/core/notebook';
import { repoRoot } from '../../helpers/paths';

test('fixes/nb110-data-dir.ipynb: the NB110 fix gives the committed fixed notebook byte for byte, and NB110 no longer fires there', async () => {
  const input = join(repoRoot, 'test/fixtures/imports/fixes/nb110-data-dir.ipynb');
  const output = join(repoRoot, 'test/fixtures/imports/fixes/nb110-data-dir.fixed.ipynb');
  const before = await analyzeNotebook(await loadNotebookFile(input), { select: ['NB110'] });
  const fix = before.find((d) => d.cell === 1)?.fixes?.[0];
  assert.ok(fix, 'the diagnostic offers a fix');
  assert.equal(applyFixToIpynb(readFileSync(input, 'utf8'), fix), readFileSync(output, 'utf8'));
  const after = await analyzeNotebook(await loadNotebookFile(output), { select: ['NB110'] });
  assert.deepEqual(
    after.filter((d) => d.severity !== 'info').map((d) => `${d.code} cell ${d.cell}`),
    [],
  );
});
