/**
 * Codegen time (node out/bench/codegen.js [runs]), for the runner's linear-classifier manifest:
 *  - cold CLI: a whole `nb2prod codegen` process (load ts-morph, plan, emit, type-check, write),
 *    what a user waits for from the command line or the VS Code command;
 *  - warm in-process: `generateModule` again in one process, its ts-morph project and the
 *    parsed declaration files of zod, onnxruntime-node and @types/node kept, split into
 *    plan, emit and type-check.
 * Medians of repeated runs; prints a Markdown section on stdout, progress on stderr.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateModule } from '../src/core/codegen';
import { findRepoRoot } from '../scripts/repo-root';

const buildRoot = join(__dirname, '..', '..');
const root = findRepoRoot(__dirname);
const cliPath = join(buildRoot, 'dist', 'cli.js');
const manifest = join(root, 'test', 'fixtures', 'models', 'linear-classifier', 'artifacts', 'manifest.json');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const ms = (value: number): string => `${Math.round(value)} ms`;

async function run(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  // Inside the build folder, so the generated module's imports resolve like a real project's would.
  const dir = mkdtempSync(join(buildRoot, 'bench-codegen-'));
  try {
    const out = join(dir, 'model.ts');
    const cold: number[] = [];
    for (let r = 0; r < runs; r++) {
      process.stderr.write(`codegen: cold CLI run ${r + 1}/${runs}\n`);
      rmSync(out, { force: true });
      const started = performance.now();
      const result = spawnSync(process.execPath, [cliPath, 'codegen', '--manifest', manifest, '--out', out], { encoding: 'utf8' });
      cold.push(performance.now() - started);
      if (result.status !== 0) throw new Error(`nb2prod codegen failed (exit ${result.status}): ${result.stderr}`);
    }
    const lines = readFileSync(out, 'utf8').split('\n').length - 1;

    const warm: { total: number; plan: number; emit: number; check: number }[] = [];
    // The first in-process run loads ts-morph and parses the declaration files: not warm.
    await generateModule(manifest, out);
    for (let r = 0; r < runs; r++) {
      process.stderr.write(`codegen: warm run ${r + 1}/${runs}\n`);
      const started = performance.now();
      const module = await generateModule(manifest, out);
      if (module.diagnostics.length > 0) throw new Error(`the generated module does not type-check: ${module.diagnostics.join('; ')}`);
      warm.push({ total: performance.now() - started, plan: module.timings.planMs, emit: module.timings.emitMs, check: module.timings.checkMs });
    }
    const pick = (key: keyof (typeof warm)[number]): string => ms(median(warm.map((w) => w[key])));
    process.stdout.write(
      [
        '## codegen',
        '',
        `\`nb2prod codegen\` for the linear-classifier fixture manifest (3 inputs, 2 outputs; ${lines} generated lines), median of ${runs} runs.`,
        '',
        '| step | median |',
        '|---|---|',
        `| cold CLI process (load ts-morph, plan, emit, type-check, write) | ${ms(median(cold))} |`,
        `| warm in-process generation, total | ${pick('total')} |`,
        `| warm: plan (read manifest, hash and parse the ONNX model) | ${pick('plan')} |`,
        `| warm: emit (ts-morph AST, format) | ${pick('emit')} |`,
        `| warm: type-check against zod, onnxruntime-node, @types/node | ${pick('check')} |`,
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
