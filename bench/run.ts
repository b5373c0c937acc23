/**
 * `npm run bench`: runs every benchmark script under out/bench/ in its own process, one after
 * the other (so they don't compete for this 2-core machine), and writes their Markdown
 * sections into BENCHMARKS.md with the machine and the date. Each script prints its section on
 * stdout and progress on stderr.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '../scripts/repo-root';

/** Each script, with the heading its section gets when it prints none of its own. */
const SCRIPTS: Record<string, string> = {
  check: 'check: rules on generated notebooks',
  scaffold: 'scaffold: plan() for a generated 100-cell notebook',
  runner: 'runner: predict latency and verify',
  drift: 'drift: 1,000,000 rows x 50 features, streamed',
  codegen: 'codegen: TypeScript inference module',
};

const root = findRepoRoot(__dirname);
const sections: string[] = [];
const only = process.argv[2];
for (const [name, heading] of Object.entries(SCRIPTS)) {
  if (only && only !== name) continue;
  const file = join(__dirname, `${name}.js`);
  process.stderr.write(`bench: ${name}\n`);
  const result = spawnSync(process.execPath, ['--expose-gc', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') continue;
  if (result.status !== 0) {
    if (/Cannot find module/.test(result.stdout) || result.status === null) continue;
    sections.push(`## ${heading}\n\nThe benchmark failed (exit ${result.status}); see its output.\n`);
    continue;
  }
  const out = result.stdout.trim();
  sections.push(out.startsWith('#') ? `${out}\n` : `## ${heading}\n\n${out}\n`);
}
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const machine = `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
const today = new Date().toISOString().slice(0, 10);
const text = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (bench/*.ts); medians of repeated runs. This machine is shared and',
  'noisy: compare ratios within one run, not absolute numbers across runs.',
  '',
  `Run on ${today}. Machine: ${machine}.`,
  '',
  ...sections,
].join('\n');
writeFileSync(join(root, 'BENCHMARKS.md'), text);
process.stderr.write('wrote BENCHMARKS.md\n');
