/**
 * Drift on 1,000,000 rows x 50 features streamed from a CSV file on disk: time and peak RSS.
 *
 *   node scripts/build.mjs --into .build/drift && node .build/drift/out/bench/drift.js [--rows N]
 *
 * Generates (seeded) a training sample, its reference statistics (as the scaffold computes
 * them: quantile bin edges, bin shares, quantiles; category shares) and a batch CSV with mild
 * drift in a few features, then runs `driftOfFile` in a fresh child process so that its peak RSS
 * (process.resourceUsage().maxRSS) measures the drift pass alone, next to an idle node process.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '../src/core/artifacts/manifest';
import { driftOfFile } from '../src/core/monitor/drift';
import { readManifestFile } from '../src/core/artifacts/manifest-file';
import { prng } from '../scripts/prng';

const NUMERIC = 45;
const CATEGORICAL = 5;
const CATEGORIES = ['a', 'b', 'c', 'd', 'e', 'f'];

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** np.quantile (linear) of a sorted array. */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? 0) - sorted[lo]!);
}

function numericStats(values: Float64Array): Manifest['reference_stats']['prediction'] {
  const sorted = Float64Array.from(values).sort();
  const edges = [...new Set(Array.from({ length: 11 }, (_, i) => quantile(sorted, i / 10)))];
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const v of sorted) {
    let i = edges.findIndex((e, k) => k < edges.length - 1 && v >= e && (v < edges[k + 1]! || k === edges.length - 2));
    if (i < 0) i = 0;
    counts[i]!++;
  }
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const std = Math.sqrt(sorted.reduce((a, b) => a + (b - mean) ** 2, 0) / (sorted.length - 1));
  const quantiles = Object.fromEntries([0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99].map((q) => [String(q), quantile(sorted, q)]));
  return { kind: 'numeric', bin_edges: edges, frequencies: counts.map((c) => c / sorted.length), quantiles, mean, std, missing_rate: 0 };
}

function manifestOf(random: () => number): Manifest {
  const features: Manifest['reference_stats']['features'] = {};
  const inputs: Manifest['signature']['inputs'] = [];
  for (let f = 0; f < NUMERIC; f++) {
    const sample = new Float64Array(50_000);
    for (let i = 0; i < sample.length; i++) sample[i] = f + gaussian(random) * (1 + (f % 3));
    features[`x${f}`] = numericStats(sample);
    inputs.push({ name: `x${f}`, dtype: 'float64', tensor_type: 'float32', required: true, nullable: false, min: null, max: null, categories: null });
  }
  for (let f = 0; f < CATEGORICAL; f++) {
    features[`c${f}`] = { kind: 'categorical', frequencies: Object.fromEntries(CATEGORIES.map((c) => [c, 1 / CATEGORIES.length])), missing_rate: 0 };
    inputs.push({ name: `c${f}`, dtype: 'object', tensor_type: 'string', required: true, nullable: false, min: null, max: null, categories: CATEGORIES });
  }
  const sha = '0'.repeat(64);
  return {
    manifest_version: 1,
    run: { run_id: 'bench', created_utc: '2026-01-01T00:00:00Z', git: { commit: null, dirty: null }, config_sha256: sha, random_seed: 1 },
    environment: { python: '3.11', packages: {} },
    data: { path: null, sha256: null, rows: 50_000 },
    model: { name: 'bench', version: 'bench', task: 'regression', classes: null },
    artifacts: [{ role: 'model', path: 'artifacts/model.onnx', format: 'onnx', sha256: sha, bytes: 0 }],
    preprocessing: { fingerprint: sha },
    signature: { inputs, outputs: [{ name: 'variable', dtype: 'float32' }] },
    golden: { rows: [], tolerance: { absolute: 1e-9, relative: 1e-9 } },
    reference_stats: { rows: 50_000, features, prediction: features['x0']! },
    drift_policy: { method: 'psi', bins: 10, warn: 0.1, alert: 0.25, min_rows: 100 },
    metrics: {},
    promotion: { gate: { metric: 'rmse', min_improvement: 0 }, baseline: null, decision: 'promote', reason: 'bench' },
  };
}

async function writeBatch(path: string, rows: number, random: () => number): Promise<void> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  const header = [...Array.from({ length: NUMERIC }, (_, f) => `x${f}`), ...Array.from({ length: CATEGORICAL }, (_, f) => `c${f}`)].join(',');
  out.write(`${header}\n`);
  let buffer = '';
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    // Features 0-4 drift (shifted by one standard deviation); the rest follow training.
    for (let f = 0; f < NUMERIC; f++) cells.push((f + gaussian(random) * (1 + (f % 3)) + (f < 5 ? 1 + (f % 3) : 0)).toFixed(4));
    for (let f = 0; f < CATEGORICAL; f++) cells.push(CATEGORIES[Math.floor(random() * CATEGORIES.length)]!);
    buffer += `${cells.join(',')}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      buffer = '';
    }
  }
  out.write(buffer);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/** Child mode: one drift pass; prints its time, rows/s and peak RSS as JSON. */
async function measure(manifestPath: string, csv: string): Promise<void> {
  const read = readManifestFile(manifestPath);
  if (!read.ok) throw new Error(read.error);
  const started = performance.now();
  const report = await driftOfFile(read.manifest, csv);
  const ms = performance.now() - started;
  console.log(
    JSON.stringify({
      ms,
      rows: report.data.rows,
      drifted: report.verdict.drifted,
      status: report.verdict.status,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

async function run(): Promise<void> {
  const rowsFlag = process.argv.indexOf('--rows');
  const rows = rowsFlag > 0 ? Number(process.argv[rowsFlag + 1]) : 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'nb2prod-bench-drift-'));
  const keep = process.argv.includes('--keep');
  try {
    const random = prng(42);
    const manifestPath = join(dir, 'manifest.json');
    writeFileSync(manifestPath, JSON.stringify(manifestOf(random)));
    const csv = join(dir, 'batch.csv');
    const t0 = performance.now();
    await writeBatch(csv, rows, random);
    const genMs = performance.now() - t0;
    const size = statSync(csv).size;
    const idle = spawnSync(process.execPath, ['-e', 'console.log(process.resourceUsage().maxRSS / 1024)'], { encoding: 'utf8' });
    const child = spawnSync(process.execPath, [__filename, '--measure', manifestPath, csv], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as { ms: number; rows: number; drifted: string[]; status: string; maxRssMb: number };
    console.log(
      `drift benchmark: ${result.rows.toLocaleString('en-US')} rows x ${NUMERIC + CATEGORICAL} features (${NUMERIC} numeric, ${CATEGORICAL} categorical), CSV ${(size / 1e6).toFixed(0)} MB on disk (generated in ${(genMs / 1000).toFixed(1)} s)`,
    );
    console.log(
      `  drift pass: ${(result.ms / 1000).toFixed(2)} s (${Math.round(result.rows / (result.ms / 1000)).toLocaleString('en-US')} rows/s), peak RSS ${result.maxRssMb.toFixed(0)} MB (an idle node process: ${Number(idle.stdout).toFixed(0)} MB)`,
    );
    console.log(`  verdict ${result.status}; drifted: ${result.drifted.join(', ') || 'none'} (x0-x4 carry injected drift)`);
    console.log(`  machine: ${cpus()[0]?.model ?? 'unknown'} x ${cpus().length}, node ${process.version}`);
  } finally {
    if (keep) console.log(`  kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--measure') void measure(process.argv[3]!, process.argv[4]!);
else void run();
