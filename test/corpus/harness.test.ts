// The corpus harness (`npm run corpus`) and the precision table built from committed audits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvLine, csvRecords, parseCsv } from '../../scripts/csv';
import { spread } from '../../scripts/corpus';
import { readAudits } from '../../scripts/precision';
import { buildRoot, repoRoot } from '../helpers/paths';

test('CSV fields with commas, quotes and line breaks survive a round trip', () => {
  const fields = ['plain', 'a,b', 'say "hi"', 'two\nlines', ''];
  assert.equal(csvLine(fields), 'plain,"a,b","say ""hi""","two\nlines",');
  assert.deepEqual(parseCsv(`${csvLine(fields)}\r\nx,y\n`), [fields, ['x', 'y']]);
  assert.deepEqual(csvRecords('code,verdict\nNB101,TRUE\n\n'), [{ code: 'NB101', verdict: 'TRUE' }]);
});

test('findings per notebook: mean, median, 90th percentile (nearest rank) and max', () => {
  assert.deepEqual(spread([0, 0, 1, 2, 3, 4, 5, 6, 7, 50]), { notebooks: 10, findings: 78, mean: 7.8, median: 3, p90: 7, max: 50, withAny: 8 });
  assert.deepEqual(spread([]), { notebooks: 0, findings: 0, mean: 0, median: 0, p90: 0, max: 0, withAny: 0 });
});

test('the committed audits are well formed: every row has a verdict and a reason', () => {
  const rows = readAudits(repoRoot);
  assert.ok(rows.length >= 200, `${rows.length} audited findings`);
  assert.ok(new Set(rows.map((r) => r.repository)).size >= 5);
});

test('an audit row without a valid verdict is an error naming the file and row', () => {
  const root = mkdtempSync(join(tmpdir(), 'nb2prod-audit-'));
  try {
    mkdirSync(join(root, 'test', 'corpus', 'audits'), { recursive: true });
    writeFileSync(join(root, 'test', 'corpus', 'audits', 'a.csv'), 'repository,commit,path,cell,code,verdict,reason\nr,c,p.ipynb,1,NB101,maybe,why\n');
    assert.throws(() => readAudits(root), /test\/corpus\/audits\/a\.csv row 2: verdict must be TRUE, FALSE or NOISE, not "maybe"/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('npm run corpus: counts per rule and notebook, and a sample CSV ready to audit', () => {
  const root = mkdtempSync(join(tmpdir(), 'nb2prod-corpus-'));
  try {
    const repo = join(root, 'owner+name');
    mkdirSync(repo);
    writeFileSync(join(repo, '.commit'), 'owner+name 0123456789abcdef\n');
    const cell = (source: string) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source });
    const nb = (cells: string[]) => JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: cells.map(cell) });
    writeFileSync(join(repo, 'a.ipynb'), nb(['print(x)', 'print(z)']));
    writeFileSync(join(repo, 'b.ipynb'), nb(['from os import *']));
    writeFileSync(join(repo, 'c.ipynb'), nb(['y = 1']));
    writeFileSync(join(repo, 'broken.ipynb'), '{');
    const out = join(root, 'out');
    execFileSync(process.execPath, [join(buildRoot, 'out', 'scripts', 'corpus.js'), repo, '--out', out, '--select', 'NB102,NB109'], { encoding: 'utf8' });
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    assert.deepEqual(summary.overall, { notebooks: 3, findings: 3, mean: 1, median: 1, p90: 2, max: 2, withAny: 2 });
    assert.equal(summary.byRule.NB102, 2);
    assert.equal(summary.byRule.NB109, 1);
    assert.equal(summary.errors.length, 1);
    assert.match(summary.errors[0], /broken\.ipynb/);
    const sample = csvRecords(readFileSync(join(out, 'sample.csv'), 'utf8'));
    assert.deepEqual(
      sample.map((r) => [r['repository'], r['commit'], r['path'], r['cell'], r['line'], r['code'], r['text'], r['verdict']]),
      [
        ['owner/name', '0123456789abcdef', 'a.ipynb', '1', '1', 'NB102', 'print(x)', ''],
        ['owner/name', '0123456789abcdef', 'a.ipynb', '2', '1', 'NB102', 'print(z)', ''],
        ['owner/name', '0123456789abcdef', 'b.ipynb', '1', '1', 'NB109', 'from os import *', ''],
      ],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
