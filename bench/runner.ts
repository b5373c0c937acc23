/**
 * Runner benchmark (`node out/bench/runner.js` after a build): the whole predict path next to a
 * bare onnxruntime `session.run` on the same model in the same process run.
 *  - single row: validation + tensor building + child-process round trip, vs bare session.run;
 *  - 10,000-row batch: the same path vs bare session.run on the same 10,000 rows, for the linear
 *    fixture model and for a 100-tree random forest (generated with /usr/bin/python3);
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
import { artifactPath, onnxModelEntry } from '../src/core/artifacts/manifest-file';
import { verifyManifest } from '../src/core/verify/verify';
import { RunnerClient } from '../src/core/runner/client';
import { chunkBounds, Predictor } from '../src/core/runner/predict';
import type { WireTensor } from '../src/core/runner/protocol';
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
 * Medians of `bodies` timed in turn (a, b, c, a, b, c, ...), so that the machine's slow and fast
 * phases (this VM has both) fall on all of them alike.
 */
async function alternating(runs: number, ...bodies: (() => Promise<unknown> | unknown)[]): Promise<number[]> {
  const samples = bodies.map((): number[] => []);
  for (let i = 0; i < runs + 10; i++) {
    for (let k = 0; k < bodies.length; k++) {
      const t = performance.now();
      await bodies[k]!();
      if (i >= 10) samples[k]!.push(performance.now() - t);
    }
  }
  return samples.map(median);
}

/** Rounds of `versusBare`; each round's ratio is of medians timed in turn with the bare run. */
const ROUNDS = 7;

/**
 * `body` timed in turn with the bare run, in ROUNDS rounds of 30: the median of the rounds'
 * ratios, and their range (this VM's phases move a single round by tens of percent).
 */
async function versusBare(bare: () => Promise<unknown>, body: () => Promise<unknown>): Promise<{ ms: number; bareMs: number; ratio: string }> {
  const ratios: number[] = [];
  const ms: number[] = [];
  const bareMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const [b, m] = await alternating(30, bare, body);
    ratios.push(m! / b!);
    ms.push(m!);
    bareMs.push(b!);
  }
  const range = `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
  return { ms: median(ms), bareMs: median(bareMs), ratio: `${median(ratios).toFixed(2)}x, rounds ${range}` };
}

function rows(n: number): Record<string, unknown>[] {
  const cities = ['berlin', 'paris', 'rome'];
  return Array.from({ length: n }, (_, i) => ({ age: 18 + (i % 60), income: 30000 + ((i * 37) % 50000), city: cities[i % 3]! }));
}

/**
 * The whole predict path next to a bare session.run (the runner's session options, the same
 * tensors) for each batch size; the in-process part (validation and tensors) alone; and, for a
 * batch, what the process boundary costs on its own (the client's round trip with tensors built
 * beforehand, nothing validated) and what reading every row's prediction costs afterwards (the
 * report decodes a row's prediction from the output tensors when it is read).
 */
async function latency(label: string, manifest: string, makeRows: (n: number) => Record<string, unknown>[], sizes: readonly number[]): Promise<string[]> {
  const ort = require('onnxruntime-node') as typeof Ort;
  const client = new RunnerClient();
  const lines: string[] = [];
  try {
    const predictor = await Predictor.open(manifest, { client });
    const { signature } = predictor.loaded.manifest;
    const modelPath = artifactPath(predictor.loaded, onnxModelEntry(predictor.loaded.manifest)!.path);
    const info = await client.inspect(modelPath);
    const layout = inputLayout(signature.inputs, info.session?.inputs ?? []);
    if (typeof layout === 'string') throw new Error(layout);
    const bare = await ort.InferenceSession.create(readFileSync(modelPath), SESSION_OPTIONS);
    const validator = new RowValidator(predictor.loaded.manifest);
    // The tensors of a bare session.run, from what buildFeeds makes.
    const sessionFeeds = (feeds: Record<string, WireTensor>): Record<string, Ort.Tensor> =>
      Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims)]));
    for (const n of sizes) {
      const batch = makeRows(n);
      const feeds = buildFeeds(signature.inputs, layout, batch);
      const tensors = sessionFeeds(feeds);
      const runs = n === 1 ? 1000 : 100;
      const name = `${label}, ${n === 1 ? 'single row' : `${n.toLocaleString('en')} rows`}`;
      // What predict does in this process before the round trip: validation and tensors, one pass.
      const inProcess = (): unknown => validator.validateWithFeeds(batch, 0, batch.length, layout);
      if (n === 1) {
        const [bareMs, wholeMs, inProcessMs] = await alternating(
          runs,
          () => bare.run(tensors),
          () => predictor.predict(batch),
          inProcess,
        );
        lines.push(
          `${name}: whole path ${wholeMs!.toFixed(3)} ms | bare session.run ${bareMs!.toFixed(3)} ms (ratio ${(wholeMs! / bareMs!).toFixed(2)}x) | in-process validation+tensors ${inProcessMs!.toFixed(3)} ms (${(inProcessMs! / bareMs!).toFixed(2)}x bare)`,
        );
        continue;
      }
      const readAll = async (): Promise<void> => {
        const report = await predictor.predict(batch);
        for (const row of report.rows) if (row.prediction === undefined) throw new Error(`row ${row.row} was not predicted`);
      };
      const childRuns: number[] = [];
      const roundTrip = async (): Promise<void> => {
        childRuns.push((await client.runTimed(modelPath, info.sha256, feeds)).runMs);
      };
      const runBare = (): Promise<unknown> => bare.run(tensors);
      // The floor of a pipeline: its chunks run one after another on the bare session, in this
      // process (no boundary, nothing validated). Each run has a fixed cost of its own.
      const bounds = chunkBounds(n);
      const chunkTensors = bounds.map(([from, to]) => sessionFeeds(buildFeeds(signature.inputs, layout, batch.slice(from, to))));
      const runChunks = async (): Promise<void> => {
        for (const t of chunkTensors) await bare.run(t);
      };
      const whole = await versusBare(runBare, () => predictor.predict(batch));
      const boundary = await versusBare(runBare, roundTrip);
      const chunked = await versusBare(runBare, runChunks);
      const read = await versusBare(runBare, readAll);
      const inProcessMs = await time(runs, inProcess);
      const how = predictor.pipelinesNext ? 'pipelined' : 'one request';
      lines.push(
        `${name}: whole path ${whole.ms.toFixed(3)} ms (${how}) | bare session.run ${whole.bareMs.toFixed(3)} ms (ratio ${whole.ratio}) | in-process validation+tensors ${inProcessMs.toFixed(3)} ms (${(inProcessMs / whole.bareMs).toFixed(2)}x bare)`,
        `${name}, the process boundary alone (tensors built beforehand, one request): ${boundary.ms.toFixed(3)} ms (ratio ${boundary.ratio}), session.run in the child ${median(childRuns).toFixed(3)} ms | whole path and reading every row's prediction: ${read.ms.toFixed(3)} ms (ratio ${read.ratio})`,
        `${name}, floor of the pipeline (its ${bounds.length} chunks of ${bounds.map(([from, to]) => (to - from).toLocaleString('en')).join(', ')} rows run one after another on the bare session, in this process): ${chunked.ms.toFixed(3)} ms (ratio ${chunked.ratio})`,
      );
    }
  } finally {
    client.dispose();
  }
  return lines;
}

async function main(): Promise<void> {
  const lines = await latency('linear classifier (3 features)', manifestPath, rows, [1, 10_000]);
  // A model whose run is not trivial, and which onnxruntime runs on several threads.
  const forest = generateModel('--forest', '--trees', '100', '--depth', '8');
  if ('dir' in forest) {
    const numeric = (n: number): Record<string, unknown>[] => rows(n).map(({ age, income }) => ({ age, income }));
    lines.push(...(await latency('random forest (100 trees, depth 8)', join(forest.dir, 'forest', 'artifacts', 'manifest.json'), numeric, [10_000])));
  } else {
    lines.push(`random forest: skipped (${forest.skipped})`);
  }
  const big = generateModel('--large', '--mb', '50');
  if ('dir' in big) {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const report = await verifyManifest(join(big.dir, 'artifacts', 'manifest.json'));
      samples.push(performance.now() - t);
      if (!report.ok) throw new Error(JSON.stringify(report.checks.filter((c) => c.status === 'fail')));
    }
    lines.push(`verify of a 50 MB model (cold child each run): ${median(samples).toFixed(0)} ms median of 5`);
  } else {
    lines.push(`verify of a 50 MB model: skipped (${big.skipped})`);
  }
  lines.push(...(await pythonBackend()));
  console.log(lines.join('\n'));
}

/** A bench model made by the fixture generator (`--large DIR ...`, `--forest DIR ...`) in a fresh folder, or why not. */
function generateModel(mode: string, ...options: string[]): { dir: string } | { skipped: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nb2prod-bench-'));
  const made = spawnSync('/usr/bin/python3', [join(root, 'scripts', 'fixtures', 'make_onnx_models.py'), mode, dir, ...options], { encoding: 'utf8' });
  return made.status === 0 ? { dir } : { skipped: made.stderr?.trim().split('\n').pop() || 'no /usr/bin/python3' };
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
      lines.push(
        `python backend, ${n === 1 ? 'single row' : '10,000 rows'}: ${pyMs.toFixed(3)} ms | onnx backend on the same model ${onnxMs.toFixed(3)} ms (python ${(pyMs / onnxMs).toFixed(1)}x)`,
      );
    }
  } finally {
    python.dispose();
    client.dispose();
  }
  return lines;
}

void main();
