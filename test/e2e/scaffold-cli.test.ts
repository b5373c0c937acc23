// `nb2prod scaffold` through the real bundled bin: dry run, conflicts, --force, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, repoRoot } from '../helpers/paths';

const house = join(repoRoot, 'test', 'fixtures', 'scaffold', 'house_prices.ipynb');

function cli(...args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

test('--dry-run prints one line per file and writes nothing', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'nb2prod-cli-')), 'project');
  try {
    const r = cli('scaffold', house, '--out', out, '--dry-run');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^create {4}src\/model\/train\.py$/m);
    // One line per file of the committed golden tree for this notebook.
    const golden = readdirSync(join(repoRoot, 'test', 'fixtures', 'scaffold', 'expected', 'house_prices'), { recursive: true, withFileTypes: true }).filter(
      (e) => e.isFile(),
    );
    assert.equal(r.stdout.split('\n').filter((l) => /^(create|overwrite|unchanged) /.test(l)).length, golden.length);
    assert.match(r.stdout, /\(dry run: nothing written\)/);
    assert.equal(existsSync(out), false);
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
});

test('writes, then refuses differing files without --force (exit 2, one line), then overwrites with it', () => {
  const out = mkdtempSync(join(tmpdir(), 'nb2prod-cli-'));
  try {
    assert.equal(cli('scaffold', house, '--out', out).status, 0);
    assert.match(cli('scaffold', house, '--out', out, '--dry-run').stdout, /^unchanged src\/utils\/config\.py$/m);
    writeFileSync(join(out, 'README.md'), 'my notes\n');
    const refused = cli('scaffold', house, '--out', out);
    assert.equal(refused.status, 2);
    assert.equal(refused.stderr.trim().split('\n').length, 1);
    assert.match(refused.stderr, /refusing to overwrite .*: README\.md$/m);
    assert.equal(readFileSync(join(out, 'README.md'), 'utf8'), 'my notes\n');
    assert.equal(cli('scaffold', house, '--out', out, '--force').status, 0);
    assert.match(readFileSync(join(out, 'README.md'), 'utf8'), /^# house-prices/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('bad input exits 2 with an explanation and writes nothing', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'nb2prod-cli-')), 'project');
  try {
    for (const [fixture, reason] of [
      ['no_model.py', /No model is trained/],
      ['syntax_error.py', /syntax error/],
      ['only_markdown.ipynb', /only markdown/],
    ] as const) {
      const r = cli('scaffold', join(repoRoot, 'test', 'fixtures', 'scaffold', fixture), '--out', out);
      assert.equal(r.status, 2, fixture);
      assert.match(r.stderr, reason);
      assert.equal(existsSync(out), false);
    }
    assert.match(cli('scaffold', house).stderr, /needs --out DIR/);
    assert.equal(cli('scaffold', join(repoRoot, 'missing.ipynb'), '--out', out).status, 2);
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
});
