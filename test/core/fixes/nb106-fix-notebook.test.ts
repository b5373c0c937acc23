// NB106 quick fix, notebook in / notebook out: applying the fix to the committed input gives the
// committed fixed notebook byte for byte (scripts/fixtures/make_functions.py proves, by
// executing it with nbclient, that the fixed notebook runs top to bottom). To regenerate the
// fixed file after an intended change, run this test with NB2PROD_UPDATE_FIXTURES=1 and review it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNotebook } from '../../../src/core/engine';
import { applyFixToIpynb } from '../../../src/core/fixes/apply';
import { parseNotebookText } from '../../../src/core/notebook';
import { repoRoot } from '../../helpers/paths';

const input = join(repoRoot, 'test/fixtures/functions/nb106-fix-input.ipynb');
const expected = join(repoRoot, 'test/fixtures/functions/nb106-fix-expected.ipynb');

test('NB106 fix: add `prices` to `add_features` and pass it at its three call sites', async () => {
  const text = readFileSync(input, 'utf8');
  const diagnostics = await analyzeNotebook(parseNotebookText(input, text), { select: ['NB106'] });
  const finding = diagnostics.find((d) => d.data['function'] === 'add_features');
  const fix = finding?.fixes?.[0];
  assert.ok(fix);
  assert.equal(fix.title, 'Add parameter `prices` to `add_features` and pass it at 3 call sites');
  assert.equal(fix.safety, 'safe');
  const fixed = applyFixToIpynb(text, fix);
  if (process.env['NB2PROD_UPDATE_FIXTURES'] === '1') writeFileSync(expected, fixed);
  assert.equal(fixed, readFileSync(expected, 'utf8'));

  const after = await analyzeNotebook(parseNotebookText(expected, fixed), { select: ['NB106'] });
  assert.deepEqual(
    after.filter((d) => d.data['function'] === 'add_features'),
    [],
  );
});
