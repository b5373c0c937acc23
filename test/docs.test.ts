// Rule docs and settings are generated from rule metadata; the documented examples are tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNotebook } from '../src/core/engine';
import { parseNotebookText } from '../src/core/notebook';
import { RULES } from '../src/core/rules/registry';
import { roleOf, type ProjectFile } from '../src/core/rules/project/files';
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
    if (rule.scope === 'artifact') {
      // An artifact rule's example writes a pickle; the scanner's fixtures (pickle-scan tests) are its test.
      assert.ok(rule.docs.example.length > 0 && rule.docs.useInstead.length > 0);
      return;
    }
    if (rule.scope === 'project') {
      assert.ok(rule.check(projectFiles(rule.docs.example)).length > 0, `${rule.code} example should fire`);
      assert.deepEqual(rule.check(projectFiles(rule.docs.useInstead)), [], `${rule.code} "use instead" should be clean`);
      return;
    }
    const example = await analyzeNotebook(parseNotebookText('example.py', rule.docs.example), { select: [rule.code] });
    assert.ok(example.length > 0, `${rule.code} example should fire`);
    const fixed = await analyzeNotebook(parseNotebookText('use-instead.py', rule.docs.useInstead));
    assert.deepEqual(
      fixed.map((d) => d.code),
      [],
      `${rule.code} "use instead" should be clean`,
    );
  });
}

/** A project rule's documented example: files introduced by `# path.py` lines. */
function projectFiles(example: string): ProjectFile[] {
  const files: ProjectFile[] = [];
  for (const line of example.split('\n')) {
    const header = /^# (\S+\.py)$/.exec(line);
    if (header) files.push({ path: header[1]!, text: '', role: 'other' });
    else if (files.length > 0) files[files.length - 1]!.text += `${line}\n`;
  }
  return files.map((f) => ({ ...f, role: roleOf(f.path, f.text) }));
}
