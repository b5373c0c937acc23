// `nb2prod predict` through the bundled CLI: rows from json/jsonl/csv, exit codes 0/1/2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from '../helpers/paths';
import { fixtureManifest } from '../core/artifacts/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'nb2prod-predict-'));
const file = (name: string, body: string): string => {
  writeFileSync(join(dir, name), body);
  return join(dir, name);
};
const run = (...args: string[]) =>
  spawnSync(process.execPath, [cliPath, 'predict', '--manifest', fixtureManifest('linear-classifier'), ...args], { encoding: 'utf8' });

test('all rows valid: exit 0, class and probabilities shown', () => {
  const result = run(
    '--input',
    file(
      'ok.json',
      JSON.stringify([
        { age: 40, income: 50000, city: 'rome' },
        { age: 22, income: null, city: 'berlin' },
      ]),
    ),
  );
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /row 0: (bronze|silver|gold) \(bronze 0\.\d{3}, gold 0\.\d{3}, silver 0\.\d{3}\)/);
  assert.match(result.stdout, /2 of 2 rows predicted/);
});

test('a rejected row: exit 1, valid rows still predicted (jsonl, json format)', () => {
  const result = run('--input', file('mixed.jsonl', '{"age":40,"income":1,"city":"rome"}\n{"age":"x","income":1,"city":"rome"}\n'), '--format', 'json');
  assert.equal(result.status, 1);
  const out = JSON.parse(result.stdout) as { rows: { status: string; prediction?: unknown; issues: { kind: string }[] }[] };
  assert.equal(out.rows[0]!.status, 'ok');
  assert.ok(out.rows[0]!.prediction);
  assert.equal(out.rows[1]!.status, 'rejected');
  assert.equal(out.rows[1]!.issues[0]!.kind, 'type');
});

test('CSV input with warnings only: exit 0', () => {
  const result = run('--input', file('rows.csv', 'age,income,city\n95,50000,tokyo\n'));
  assert.equal(result.status, 0);
  assert.match(result.stdout, /warning city: "tokyo" is a category training never saw/);
});

test('unusable input exits 2 with one line', () => {
  const bad = run('--input', file('bad.json', '{"age": '));
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /is not JSON/);
  assert.equal(run('--input', join(dir, 'missing.csv')).status, 2);
  assert.equal(run().status, 2);
  assert.equal(run('--input', file('empty.json', '[]')).status, 2);
});

test('a reader that stops early (| head) ends the output quietly, with the verdict as exit code', async () => {
  const rows = Array.from({ length: 5000 }, (_, i) => ({ age: 20 + (i % 50), income: 1000 + i, city: i === 3 ? 7 : 'rome' }));
  const child = spawn(
    process.execPath,
    [cliPath, 'predict', '--manifest', fixtureManifest('linear-classifier'), '--input', file('many.json', JSON.stringify(rows)), '--format', 'json'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Read the first chunk, then close the pipe, as `head -c` does.
  child.stdout.once('data', () => child.stdout.destroy());
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  assert.equal(stderr, '', 'no stack trace');
  assert.equal(status, 1, 'row 3 is rejected: exit 1, as with the whole output read');
});
