/**
 * Runner benchmark (`node out/bench/runner.js` after a build): the whole predict path next to a
 * bare onnxruntime `session.run` on the same model in the same process run.
 *  - single row: validation + tensor building + child-process round trip, vs bare session.run;
 *  - 10,000-row batch: the same path vs bare session.run on the same 10,000 rows;
 *  - verify of a 50 MB model (generated with /usr/bin/python3; skipped without it);
 *  - the Python backend (the project's joblib pipeline in the project's interpreter, NB2PROD_PYTHON or
 *    /usr/bin/python3) next to the ONNX backend on the same model (test/fixtures/models/python-parity/agree).
 * Prints medians and ratios.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { verifyManifest } from '../src/core/artifacts/verify';
import { RunnerClient } from '../src/core/runner/client';
import { Predictor } from '../src/core/runner/predict';
import { PythonPredictor } from '../src/core/runner/python-backend';
import { buildFeeds, inputLayout } from '../src/core/runner/tensors';
import { SESSION_OPTIONS } from '../src/core/runner/session-options';
import { RowValidator } from '../src/core/runner/validate';
import { findRepoRoot } from '../scripts/repo-root';

const root = findRepoRoot(__dirname);
const manifestPath = join(root, 'test', 'fixtures', 'models', 'linear-classifier', 'artifacts', 'manifest.json');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(runs: number, body: () => Promise<unknown> | unknown): Promise<number> {
  for (let i = 0; i < Math.min(20, runs); i++) await body();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await body();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

/**
 * Medians of `a` and `b` timed in alternation (a, b, a, b, ...), so that the machine's slow and
 * fast phases (this VM has both) fall on both sides alike.
 */
async function paired(runs: number, a: () => Promise<unknown> | unknown, b: () => Promise<unknown> | unknown): Promise<[number, number]> {
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < runs + 10; i++) {
    for (const [body, samples] of [[a, as], [b, bs]] as const) {
      const t = performance.now();
      await body();
      if (i >= 10) samples.push(performance.now() - t);
    }
  }
  return [median(as), median(bs)];
}

function rows(n: number): Record<string, unknown>[] {
  const cities = ['berlin', 'paris', 'rome'];
  return Array.from({ length: n }, (_, i) => ({ age: 18 + (i % 60), income: 30000 + ((i * 37) % 50000), city: cities[i % 3]! }));
}

async function main(): Promise<void> {
  const ort = require('onnxruntime-node') as typeof Ort;
  const client = new RunnerClient();
  const predictor = await Predictor.open(manifestPath, { client });
  const manifest = predictor.loaded.manifest;
  // The runner's own session options: like for like.
  const bare = await ort.InferenceSession.create(readFileSync(join(root, 'test', 'fixtures', 'models', 'linear-classifier', 'artifacts', 'model.onnx')), SESSION_OPTIONS);
  const layout = inputLayout(manifest.signature.inputs, bare.inputNames.map((name) => ({ name, isTensor: true, type: name === 'city' ? 'string' : 'float32', shape: ['', 1] })));
  if (typeof layout === 'string') throw new Error(layout);
  const toTensors = (batch: Record<string, unknown>[]): Record<string, Ort.Tensor> => {
    const feeds = buildFeeds(manifest.signature.inputs, layout, batch);
    return Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims)]));
  };
  const validator = new RowValidator(manifest);
  const lines: string[] = [];
  for (const n of [1, 10_000]) {
    const batch = rows(n);
    const tensors = toTensors(batch);
    const runs = n === 1 ? 1000 : 100;
    const [bareMs, wholeMs] = await paired(runs, () => bare.run(tensors), () => predictor.predict(batch));
    const inProcessMs = await time(runs, () => {
      validator.validate(batch);
      buildFeeds(manifest.signature.inputs, layout, batch);
    });
    lines.push(`${n === 1 ? 'single row' : '10,000 rows'}: whole path ${wholeMs.toFixed(3)} ms | bare session.run ${bareMs.toFixed(3)} ms (ratio ${(wholeMs / bareMs).toFixed(2)}x) | in-process validation+tensors ${inProcessMs.toFixed(3)} ms (${(inProcessMs / bareMs).toFixed(2)}x bare)`);
  }
  client.dispose();
  const big = mkdtempSync(join(tmpdir(), 'nb2prod-bench-'));
  const made = spawnSync('/usr/bin/python3', [join(root, 'scripts', 'fixtures', 'make_onnx_models.py'), '--large', big, '--mb', '50'], { encoding: 'utf8' });
  if (made.status === 0) {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const report = await verifyManifest(join(big, 'artifacts', 'manifest.json'));
      samples.push(performance.now() - t);
      if (!report.ok) throw new Error(JSON.stringify(report.checks.filter((c) => c.status === 'fail')));
    }
    lines.push(`verify of a 50 MB model (cold child each run): ${median(samples).toFixed(0)} ms median of 5`);
  } else {
    lines.push(`verify of a 50 MB model: skipped (${made.stderr.trim().split('\n').pop() ?? 'no /usr/bin/python3'})`);
  }
  lines.push(...(await pythonBackend()));
  console.log(lines.join('\n'));
}

/** The Python backend and the ONNX backend on the same model (one manifest listing both artifacts). */
async function pythonBackend(): Promise<string[]> {
  const parity = join(root, 'test', 'fixtures', 'models', 'python-parity', 'agree', 'artifacts', 'manifest.json');
  let python: PythonPredictor;
  try {
    python = await PythonPredictor.open(parity, { python: process.env['NB2PROD_PYTHON'] ?? '/usr/bin/python3' });
  } catch (error) {
    return [`python backend: skipped (${(error as Error).message})`];
  }
  const client = new RunnerClient();
  const onnx = await Predictor.open(parity, { client });
  const lines: string[] = [];
  try {
    for (const n of [1, 10_000]) {
      const batch = rows(n);
      const runs = n === 1 ? 500 : 20;
      const pyMs = await time(runs, () => python.predict(batch));
      const onnxMs = await time(runs, () => onnx.predict(batch));
      lines.push(`python backend, ${n === 1 ? 'single row' : '10,000 rows'}: ${pyMs.toFixed(3)} ms | onnx backend on the same model ${onnxMs.toFixed(3)} ms (python ${(pyMs / onnxMs).toFixed(1)}x)`);
    }
  } finally {
    python.dispose();
    client.dispose();
  }
  return lines;
}

void main();
