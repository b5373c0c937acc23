/**
 * Scaffold time for a generated 100-cell notebook (node out/bench/scaffold.js [cells]):
 *  - plan: `plan()` alone on an analysed notebook (what the preview re-runs);
 *  - analyse + plan: in-process, parser warm (what `planNotebook` costs after the first run);
 *  - cold CLI: a whole `nb2prod scaffold --dry-run` process.
 * Medians of repeated runs; prints a Markdown row for BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeNotebookFull } from '../src/core/engine';
import type { Notebook } from '../src/core/notebook/model';
import { plan } from '../src/core/scaffold';

const cliPath = join(__dirname, '..', '..', 'dist', 'cli.js');

/** Ingestion, then data preparation, configuration, helpers and exploration, then the model. */
function cellSource(i: number, cells: number): string {
  if (i === 0)
    return 'import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\nfrom sklearn.metrics import accuracy_score\nfrom sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler';
  if (i === 1) return 'df = pd.read_csv("data/train.csv")\ndf.head()';
  if (i === cells - 3)
    return `features = [${Array.from({ length: 5 }, (_, k) => `"f${k * 4 + 2}"`).join(', ')}]\nscaler = StandardScaler()\nX = scaler.fit_transform(df[features])\ny = df["label"]\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)`;
  if (i === cells - 2) return 'model = LogisticRegression(C=0.5, max_iter=500)\nmodel.fit(X_train, y_train)';
  if (i === cells - 1) return 'print(accuracy_score(y_test, model.predict(X_test)))';
  switch (i % 4) {
    case 0:
      return `scale_${i} = ${i}  # a setting`;
    case 1:
      return `def helper_${i}(frame):\n    return frame["a"] * scale_${i - 1} + offset`;
    case 2:
      return `df["f${i}"] = helper_${i - 1}(df) + df["b"].fillna(0)\ndf = df[df["a"] > -${i}]`;
    default:
      return `df.describe()\nprint(df["f${i - 1}"].mean())`;
  }
}

function generate(cells: number): Notebook {
  return {
    path: `scaffold-bench-${cells}.ipynb`,
    format: 'ipynb',
    language: 'python',
    cells: [
      { index: 0, kind: 'code' as const, source: 'offset = 1.5', executionCount: 1, outputCount: 0 },
      ...Array.from({ length: cells - 1 }, (_, i) => ({
        index: i + 1,
        kind: 'code' as const,
        source: cellSource(i, cells - 1),
        executionCount: i + 2,
        outputCount: 0,
      })),
    ],
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function run(): Promise<void> {
  const cells = Number(process.argv[2] ?? 100);
  const notebook = generate(cells);
  const analysis = await analyzeNotebookFull(notebook);
  const first = plan(analysis);
  if (!first.ok) throw new Error(`the generated notebook does not scaffold: ${first.report.problems.join(' ')}`);
  const lines = notebook.cells.reduce((n, c) => n + c.source.split('\n').length, 0);

  const planTimes: number[] = [];
  for (let r = 0; r < 30; r++) {
    const started = performance.now();
    plan(analysis);
    planTimes.push(performance.now() - started);
  }
  const fullTimes: number[] = [];
  for (let r = 0; r < 15; r++) {
    const started = performance.now();
    plan(await analyzeNotebookFull(notebook));
    fullTimes.push(performance.now() - started);
  }
  const dir = mkdtempSync(join(tmpdir(), 'nb2prod-scaffold-bench-'));
  const coldTimes: number[] = [];
  try {
    const path = join(dir, 'bench.ipynb');
    writeFileSync(
      path,
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } },
        cells: notebook.cells.map((c) => ({ cell_type: 'code', execution_count: c.executionCount, metadata: {}, outputs: [], source: c.source })),
      }),
    );
    for (let r = 0; r < 5; r++) {
      const started = performance.now();
      const result = spawnSync(process.execPath, [cliPath, 'scaffold', path, '--out', join(dir, 'out'), '--dry-run']);
      if (result.status !== 0) throw new Error(result.stderr.toString());
      coldTimes.push(performance.now() - started);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`| cells | lines | files | plan (ms) | analyse + plan, warm (ms) | cold CLI --dry-run (ms) |`);
  console.log(`| ---: | ---: | ---: | ---: | ---: | ---: |`);
  console.log(
    `| ${notebook.cells.length} | ${lines} | ${first.changes.length} | ${median(planTimes).toFixed(2)} | ${median(fullTimes).toFixed(1)} | ${median(coldTimes).toFixed(0)} |`,
  );
  console.log(`placed: ${first.report.cells.filter((c) => c.placedIn.length > 0).length} cells; left out: ${first.report.leftOut.length} entries`);
}

if (require.main === module) void run();
export { generate };
