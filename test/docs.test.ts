// Rule docs and settings are generated from rule metadata; the documented examples are tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNotebook } from '../src/core/engine';
import { parseNotebookText } from '../src/core/notebook';
import { RULES } from '../src/core/rules/registry';
import { generatedFiles } from '../scripts/generated-files';
import { repoRoot as root } from './helpers/paths';

test('generated docs and settings match the rule metadata (run `npm run generate` if not)', () => {
  for (const [path, expected] of generatedFiles(root)) {
    let actual = '';
    try {
      actual = readFileSync(join(root, path), 'utf8');
    } catch {
      assert.fail(`${path} is missing: run \`npm run generate\``);
    }
    assert.equal(actual, expected, `${path} is out of date: run \`npm run generate\``);
  }
});

for (const rule of RULES) {
  test(`${rule.code}: its documented example fires and its "use instead" does not`, async () => {
    const example = await analyzeNotebook(parseNotebookText('example.py', rule.docs.example), { select: [rule.code] });
    assert.ok(example.length > 0, `${rule.code} example should fire`);
    const fixed = await analyzeNotebook(parseNotebookText('use-instead.py', rule.docs.useInstead));
    assert.deepEqual(fixed.map((d) => d.code), [], `${rule.code} "use instead" should be clean`);
  });
}
