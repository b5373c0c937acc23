// LK201 and PR301 quick fixes, notebook in / notebook out: applying the fix to the committed,
// executed input gives the committed fixed notebook byte for byte, and the fixed notebook has no
// LK or PR finding left. scripts/fixtures/make_leakage_fixes.py proves, by executing them with
// nbclient, that the fixed notebooks run top to bottom and write the expected artifacts. To
// regenerate the fixed files after an intended change, run this test with
// NB2PROD_UPDATE_FIXTURES=1 and review them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNotebook } from '../../../src/core/engine';
import { applyFixToIpynb } from '../../../src/core/fixes/apply';
import { parseNotebookText } from '../../../src/core/notebook';
import { repoRoot } from '../../helpers/paths';

const DIR = join(repoRoot, 'test/fixtures/leakage-fixes');

interface Case {
  name: string;
  code: string;
  title: string;
  /** Every LK and PR finding on the input, as `CODE cell N`. */
  before: string[];
}

const CASES: Case[] = [
  { name: 'lk201-move-fit', code: 'LK201', title: 'Move `fit` after `train_test_split`', before: ['LK201 cell 4'] },
  { name: 'lk201-pipeline', code: 'LK201', title: 'Wrap `StandardScaler` and `LogisticRegression` in a `Pipeline`', before: ['LK201 cell 3', 'PR301 cell 7'] },
  { name: 'pr301-save-scaler', code: 'PR301', title: 'Save the fitted `scaler` next to the model', before: ['PR301 cell 7'] },
];

async function leakFindings(path: string, text: string): Promise<string[]> {
  return (await analyzeNotebook(parseNotebookText(path, text), { select: ['LK', 'PR', 'PREVIEW'] })).map((d) => `${d.code} cell ${d.cell}`);
}

describe('leakage quick fixes on executed notebooks', () => {
  for (const c of CASES) {
    it(`${c.name}: "${c.title}" gives the committed fixed notebook, which no LK or PR rule flags`, async () => {
      const input = join(DIR, `${c.name}-input.ipynb`);
      const expected = join(DIR, `${c.name}-expected.ipynb`);
      const text = readFileSync(input, 'utf8');
      assert.deepEqual(await leakFindings(input, text), c.before);
      const diagnostics = await analyzeNotebook(parseNotebookText(input, text), { select: [c.code] });
      const fix = diagnostics[0]?.fixes?.find((f) => f.title === c.title);
      assert.ok(fix, `no fix "${c.title}": ${String(diagnostics[0]?.data['fixBlockedBy'])}`);
      assert.equal(fix.safety, 'unsafe');
      const fixed = applyFixToIpynb(text, fix);
      if (process.env['NB2PROD_UPDATE_FIXTURES'] === '1') writeFileSync(expected, fixed);
      assert.equal(fixed, readFileSync(expected, 'utf8'));
      assert.deepEqual(await leakFindings(expected, fixed), []);
    });
  }
});
