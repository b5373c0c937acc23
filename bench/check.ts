/**
 * Analysis time of `check` on generated notebooks of 10, 100, 200 and 1,000 cells, cold (a new
 * `nb2prod` process per run) and warm (in-process, parser loaded). "Warm, edited" re-analyses
 * after changing one cell, as the editor does after an edit; "warm, all new" changes every
 * cell so nothing comes from the per-cell cache. Rows for all rules, for the NB family alone
 * and for the leakage family alone, and the leakage rules on the fixture corpus. Prints a
 * Markdown section (bench/run.ts collects it into BENCHMARKS.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeNotebook, type AnalyzeOptions } from '../src/core/engine';
import { loadNotebookFile } from '../src/core/notebook';
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
  return JSON.stringify(
    {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } },
      cells: notebook.cells.map((c) => ({ cell_type: 'code', execution_count: c.executionCount, metadata: {}, outputs: [], source: c.source })),
    },
    null,
    1,
  );
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

async function rowsFor(label: string, options: AnalyzeOptions, sizes: number[], dir: string, cold: boolean): Promise<string[]> {
  const rows: string[] = [];
  const lines = (n: Notebook): number => n.cells.reduce((sum, c) => sum + c.source.split('\n').length, 0);
  for (const size of sizes) {
    const base = generate(size, 1);
    let coldMs = NaN;
    if (cold) {
      const file = join(dir, `bench-${size}.ipynb`);
      writeFileSync(file, toIpynb(base));
      coldMs = await timeAsync(size === 1000 ? 5 : 9, async () => {
        const result = spawnSync(process.execPath, [cliPath, 'check', file, '--format', 'json'], { encoding: 'utf8' });
        if (result.status === 2) throw new Error(result.stderr);
      });
    }
    await analyzeNotebook(base, options);
    const warm = await timeAsync(21, () => analyzeNotebook(base, options));
    const edited = await timeAsync(21, (run) => {
      const cells = base.cells.map((c) => (c.index === Math.floor(size / 2) ? { ...c, source: `${c.source}\nedit_${run} = ${run}` } : c));
      return analyzeNotebook({ ...base, cells }, options);
    });
    const fresh = await timeAsync(size === 1000 ? 5 : 11, (run) => analyzeNotebook(generate(size, 1000 + run), options));
    const coldText = Number.isNaN(coldMs) ? '' : coldMs.toFixed(0);
    rows.push(`| ${label} | ${size} | ${lines(base)} | ${coldText} | ${warm.toFixed(2)} | ${edited.toFixed(2)} | ${fresh.toFixed(1)} |`);
    process.stderr.write(`${rows.at(-1)}\n`);
  }
  return rows;
}

/** p50 and p90 of warm LK/PR analysis over every notebook of the leakage corpus. */
async function corpusRow(): Promise<string> {
  const folder = join(root, 'test', 'fixtures', 'leakage');
  const notebooks = await Promise.all(
    readdirSync(folder)
      .filter((f) => f.endsWith('.ipynb'))
      .map((f) => loadNotebookFile(join(folder, f))),
  );
  const options = { select: ['LK', 'PR301', 'PR302'] };
  for (const nb of notebooks) await analyzeNotebook(nb, options);
  const perNotebook = await Promise.all([0]).then(async () => {
    const medians: number[] = [];
    for (const nb of notebooks) medians.push(await timeAsync(11, () => analyzeNotebook(nb, options)));
    return medians.sort((a, b) => a - b);
  });
  const p = (q: number): number => perNotebook[Math.min(perNotebook.length - 1, Math.floor(q * perNotebook.length))] ?? NaN;
  const lineCounts = notebooks.map((n) => n.cells.reduce((sum, c) => sum + c.source.split('\n').length, 0)).sort((a, b) => a - b);
  return `Leakage corpus (${notebooks.length} notebooks, median ${lineCounts[Math.floor(lineCounts.length / 2)]} lines), LK + PR301/PR302, warm, per notebook: p50 ${p(0.5).toFixed(2)} ms, p90 ${p(0.9).toFixed(2)} ms, max ${p(1).toFixed(2)} ms.`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nb2prod-bench-'));
  await analyzeNotebook(generate(5, 0)); // load the wasm parser once, as a running editor has
  const rows = [
    ...(await rowsFor('all rules', {}, [10, 100, 200, 1000], dir, true)),
    ...(await rowsFor('NB rules', { select: ['NB'] }, [100, 200, 1000], dir, false)),
    ...(await rowsFor('LK + PR rules', { select: ['LK', 'PR'] }, [100, 200, 1000], dir, false)),
  ];
  const text = [
    '## check: rules on generated notebooks',
    '',
    '- cold: a whole `nb2prod check --format json` process (Node start, bundle load, wasm init, parse, analysis), all rules.',
    '- warm: in-process `analyzeNotebook` on an unchanged notebook (per-cell facts cached).',
    '- warm, one cell edited: the middle cell changes before each run (what the editor does after an edit).',
    '- warm, all cells new: every cell differs from every earlier run, so every cell is parsed.',
    '',
    '| rules | cells | lines | cold (ms) | warm (ms) | warm, one cell edited (ms) | warm, all cells new (ms) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    await corpusRow(),
    '',
    'Targets: 100 cells warm under 20 ms and 1,000 cells linear (issue 2); a one-cell edit of a 200-cell notebook',
    're-analysed under 10 ms warm (issue 3); p50 under 20 ms for a 600-line notebook, warm (issue 4).',
    '',
  ].join('\n');
  process.stdout.write(text);
}

void main();
