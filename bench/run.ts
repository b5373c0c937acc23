/**
 * `npm run bench`: analysis time of `check` on generated notebooks of 10, 100 and 1,000 cells,
 * cold (a new `nb2prod` process per run) and warm (in-process, parser loaded). "Warm, edited"
 * re-analyses after changing one cell, as the editor does on each keystroke batch; "warm, all
 * new" changes every cell so nothing comes from the per-cell cache. Writes BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { analyzeNotebook } from '../src/core/engine';
import type { Notebook } from '../src/core/notebook/model';
import { findRepoRoot } from '../scripts/repo-root';

const root = findRepoRoot(__dirname);
// This file runs as out/bench/run.js next to dist/ (also in `build.mjs --into` builds).
const cliPath = join(__dirname, '..', '..', 'dist', 'cli.js');

/** A realistic cell: imports, data wrangling, a function reading a global, a model fit. */
function cellSource(i: number, salt: number): string {
  switch (i % 5) {
    case 0:
      return `import numpy as np\nimport pandas as pd\nSEED_${i} = ${salt}\nrng_${i} = np.random.default_rng(SEED_${i})`;
    case 1:
      return `df_${i} = pd.DataFrame({"a": rng_${i - 1}.normal(size=100), "b": range(100)})\ndf_${i}["c"] = df_${i}["a"] * 2 + ${salt}\nsummary_${i} = df_${i}.describe()\nprint(summary_${i}.shape)`;
    case 2:
      return `def feature_${i}(frame, k=${salt % 7}):\n    out = frame.copy()\n    out["d"] = out["a"].rolling(k + 1).mean()\n    return out[out["b"] > threshold_${i - 2}]\n\nthreshold_${i - 2} = 10`;
    case 3:
      return `feats_${i} = feature_${i - 1}(df_${i - 2})\nX_${i} = feats_${i}[["a", "c"]].fillna(0).values\ny_${i} = (feats_${i}["b"] % 2).values\nfor j in range(3):\n    X_${i} = X_${i} + j * ${salt}`;
    default:
      return `from sklearn.linear_model import LogisticRegression\nmodel_${i} = LogisticRegression(max_iter=${100 + salt})\nmodel_${i}.fit(X_${i - 1}, y_${i - 1})\nscore_${i} = model_${i}.score(X_${i - 1}, y_${i - 1})\nprint(f"score {score_${i}:.3f}")`;
  }
}

function generate(cells: number, salt: number): Notebook {
  return {
    path: `bench-${cells}.ipynb`,
    format: 'ipynb',
    language: 'python',
    cells: Array.from({ length: cells }, (_, i) => ({
      index: i,
      kind: 'code' as const,
      source: cellSource(i, salt),
      executionCount: i + 1,
      outputCount: 0,
    })),
  };
}

function toIpynb(notebook: Notebook): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } },
    cells: notebook.cells.map((c) => ({ cell_type: 'code', execution_count: c.executionCount, metadata: {}, outputs: [], source: c.source })),
  }, null, 1);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timeAsync(runs: number, fn: (run: number) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    await fn(run);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nb2prod-bench-'));
  const rows: string[] = [];
  await analyzeNotebook(generate(5, 0)); // load the wasm parser once, as a running editor has
  const lines = (n: Notebook): number => n.cells.reduce((sum, c) => sum + c.source.split('\n').length, 0);
  for (const size of [10, 100, 1000]) {
    const base = generate(size, 1);
    const file = join(dir, `bench-${size}.ipynb`);
    writeFileSync(file, toIpynb(base));
    const cold = await timeAsync(size === 1000 ? 5 : 9, async () => {
      const result = spawnSync(process.execPath, [cliPath, 'check', file, '--format', 'json'], { encoding: 'utf8' });
      if (result.status === 2) throw new Error(result.stderr);
    });
    await analyzeNotebook(base);
    const warm = await timeAsync(21, () => analyzeNotebook(base));
    const edited = await timeAsync(21, (run) => {
      const cells = base.cells.map((c) => (c.index === Math.floor(size / 2) ? { ...c, source: `${c.source}\nedit_${run} = ${run}` } : c));
      return analyzeNotebook({ ...base, cells });
    });
    const fresh = await timeAsync(size === 1000 ? 5 : 11, (run) => analyzeNotebook(generate(size, 1000 + run)));
    rows.push(`| ${size} | ${lines(base)} | ${cold.toFixed(0)} | ${warm.toFixed(2)} | ${edited.toFixed(2)} | ${fresh.toFixed(1)} |`);
    console.log(rows.at(-1));
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
  const today = new Date().toISOString().slice(0, 10);
  const text = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts); medians of repeated runs. This machine is shared and',
    'noisy: compare ratios within one run, not absolute numbers across runs.',
    '',
    `## check: NB rules on generated notebooks (${today})`,
    '',
    `Machine: ${machine}.`,
    '',
    '- cold: a whole `nb2prod check --format json` process (Node start, bundle load, wasm init, parse, analysis).',
    '- warm: in-process `analyzeNotebook` on an unchanged notebook (per-cell facts cached).',
    '- warm, one cell edited: the middle cell changes before each run (what the editor does after an edit).',
    '- warm, all cells new: every cell differs from every earlier run, so every cell is parsed.',
    '',
    '| cells | lines | cold (ms) | warm (ms) | warm, one cell edited (ms) | warm, all cells new (ms) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    'Targets (issue 2): 100 cells warm under 20 ms; 1,000 cells linear in the cell count.',
    '',
  ].join('\n');
  writeFileSync(join(root, 'BENCHMARKS.md'), text);
  console.log('wrote BENCHMARKS.md');
}

void main();
