// `npm test`: build, type-check, lint and format check, run every test file with node:test, and end with the line CI
// reads: `N passed, N failed`. The type check and the lint count as one test each, so either fails the run.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

function step(name, command, args) {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${result.status === 0 ? '✔' : '✖'} ${name} (${seconds} s)`);
  return result.status === 0;
}

function testFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) found.push(...testFiles(full));
    else if (name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

let passed = 0;
let failed = 0;
let skipped = 0;

if (!step('build', process.execPath, ['scripts/build.mjs'])) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
if (step('typecheck', process.execPath, [join('node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', '.'])) passed++;
else failed++;
// Lint and format check (biome.jsonc): an unformatted file or any lint finding fails the run like a failed test.
if (step('lint and format', process.execPath, [join('node_modules', '@biomejs', 'biome', 'bin', 'biome'), 'ci', '--error-on-warnings', '.'])) passed++;
else failed++;

// A filter for quick local runs: `npm test -- notebook` runs test files whose path contains it.
const filter = process.argv[2];
const files = testFiles(join(root, 'out', 'test')).filter((f) => !filter || relative(root, f).includes(filter));
const stream = run({ files, concurrency: 2 });
stream.on('test:pass', (event) => {
  if (event.details?.type === 'suite') return;
  if (event.skip || event.todo) skipped++;
  else passed++;
});
stream.on('test:fail', (event) => {
  if (event.details?.type === 'suite' && event.details?.error?.failureType === 'subtestsFailed') return;
  failed++;
});
stream.compose(spec).pipe(process.stdout);
stream.on('close', () => {
  const tail = skipped > 0 ? `, ${skipped} skipped` : '';
  setImmediate(() => {
    console.log(`\n${passed} passed, ${failed} failed${tail}`);
    process.exitCode = failed > 0 ? 1 : 0;
  });
});
