/**
 * Test predictions against exactly the artifacts production loads: rows validated against the
 * signature, valid rows turned into tensors and run in the runner child (onnxruntime-node), the
 * outputs mapped to class names. Rejected rows are reported next to the predicted ones.
 */
import { artifactPath, loadManifest, ManifestError, onnxModelEntry, type LoadedManifest } from '../artifacts/manifest-file';
import { RunnerClient } from './client';
import { buildFeeds, inputLayout, mapOutputs, type InputLayout, type RowPrediction } from './tensors';
import { RowValidator, type RowIssue } from './validate';

/** One input row's outcome. */
export interface RowResult {
  row: number;
  status: 'ok' | 'warning' | 'rejected';
  issues: readonly RowIssue[];
  prediction?: RowPrediction | undefined;
}

/** The outcome of a batch. */
export interface PredictReport {
  manifest: string;
  model: string;
  /** False when any row was rejected. */
  ok: boolean;
  rows: RowResult[];
  timings: { validateMs: number; tensorMs: number; runMs: number };
}

/** A loaded model ready to predict; keep it to predict many times (the session stays cached). */
export class Predictor {
  private constructor(
    readonly loaded: LoadedManifest,
    private readonly modelPath: string,
    private readonly sha256: string,
    private readonly layout: InputLayout,
    private readonly validator: RowValidator,
    private readonly client: RunnerClient,
    private readonly ownsClient: boolean,
  ) {}

  /** Loads the manifest and its ONNX model (hash-checked in the child); throws ManifestError if unusable. */
  static async open(manifestPath: string, options: { client?: RunnerClient; root?: string } = {}): Promise<Predictor> {
    const loaded = await loadManifest(manifestPath, options.root);
    const entry = onnxModelEntry(loaded.manifest);
    if (!entry) throw new ManifestError(`${manifestPath} lists no ONNX artifact: export the pipeline with skl2onnx to run test predictions without Python`);
    const client = options.client ?? new RunnerClient();
    try {
      const path = artifactPath(loaded, entry.path);
      const info = await client.inspect(path);
      if (info.sha256 !== entry.sha256) throw new ManifestError(`${entry.path} is not the file training wrote (sha256 ${info.sha256}, the manifest says ${entry.sha256}); run \`nb2prod verify\``);
      if (info.externalData.length > 0) throw new ManifestError(`${entry.path} references external data, which nb2prod refuses`);
      if (!info.session) throw new ManifestError(`onnxruntime cannot load ${entry.path}: ${info.parseError ?? info.sessionError ?? 'unknown error'}`);
      const layout = inputLayout(loaded.manifest.signature.inputs, info.session.inputs);
      if (typeof layout === 'string') throw new ManifestError(`${entry.path}: ${layout}; run \`nb2prod verify\``);
      return new Predictor(loaded, path, info.sha256, layout, new RowValidator(loaded.manifest), client, !options.client);
    } catch (error) {
      if (!options.client) client.dispose();
      throw error;
    }
  }

  /**
   * What this predictor measured of its last large batch: the model's milliseconds per row in the
   * child, and this side's (validation, tensors, mapping). Undefined before the first one.
   */
  private cost: { modelMsPerRow: number; hostMsPerRow: number } | undefined;

  /** Whether the next large batch goes through as a pipeline of chunks (see `predict`). */
  get pipelinesNext(): boolean {
    return this.cost !== undefined && this.cost.hostMsPerRow >= PIPELINE_SHARE * this.cost.modelMsPerRow;
  }

  /**
   * Validates and predicts `rows`; never throws for invalid rows (they are reported).
   *
   * A large batch may go through as a pipeline of chunks: while the child runs one chunk, this
   * process validates and builds the tensors of the next, and maps the outputs of the one
   * before. That pays when this side's work is a large share of the whole (a cheap model); when
   * the model dominates, chunks and the competition for cores with the model's own threads cost
   * more than the overlap saves, and one request is faster. The first large batch goes in one
   * request, and what it measures decides for the next ones; `options.pipeline` decides instead.
   */
  async predict(rows: readonly unknown[], options: { pipeline?: boolean } = {}): Promise<PredictReport> {
    const started = performance.now();
    const n = rows.length;
    const inputs = this.loaded.manifest.signature.inputs;
    const results: RowResult[] = new Array<RowResult>(n);
    const runs: Promise<void>[] = [];
    let ok = true;
    let validateMs = 0;
    let tensorMs = 0;
    let mapMs = 0;
    let modelMs = 0;
    let predicted = 0;
    const pipelined = options.pipeline ?? this.pipelinesNext;
    for (const [from, to] of pipelined ? chunkBounds(n) : [[0, n] as const]) {
      const t0 = performance.now();
      const { accepted, issues } = this.validator.validate(rows, from, to);
      if (!fillResults(results, from, to, issues)) ok = false;
      const t1 = performance.now();
      // Every row of the chunk accepted (the common case): a slice, no lookups.
      const valid = (accepted.length === to - from ? rows.slice(from, to) : accepted.map((i) => rows[i])) as readonly Record<string, unknown>[];
      if (valid.length > 0) {
        const feeds = buildFeeds(inputs, this.layout, valid);
        runs.push(this.client.runTimed(this.modelPath, this.sha256, feeds).then(({ outputs, runMs }) => {
          const t = performance.now();
          const predictions = mapOutputs(this.loaded.manifest, outputs, valid.length);
          for (let k = 0; k < accepted.length; k++) results[accepted[k]!]!.prediction = predictions[k]!;
          mapMs += performance.now() - t;
          modelMs += runMs;
          predicted += valid.length;
        }));
      }
      validateMs += t1 - t0;
      tensorMs += performance.now() - t1;
    }
    await Promise.all(runs);
    if (predicted >= MEASURED_ROWS) {
      // Averaged with what earlier batches measured: one batch on a busy machine says little.
      const measured = { modelMsPerRow: modelMs / predicted, hostMsPerRow: (validateMs + tensorMs + mapMs) / n };
      const previous = this.cost ?? measured;
      this.cost = { modelMsPerRow: (previous.modelMsPerRow + measured.modelMsPerRow) / 2, hostMsPerRow: (previous.hostMsPerRow + measured.hostMsPerRow) / 2 };
    }
    // runMs: the wall time not spent validating or building tensors (the run and the mapping, overlapped or not).
    const runMs = Math.max(0, performance.now() - started - validateMs - tensorMs);
    return { manifest: this.loaded.path, model: this.modelPath, ok, rows: results, timings: { validateMs, tensorMs, runMs } };
  }

  /** Stops the runner child if this predictor started it. */
  dispose(): void {
    if (this.ownsClient) this.client.dispose();
  }
}

/** Batches of at least this many predicted rows measure the model and this side's work per row. */
const MEASURED_ROWS = 2048;
/**
 * A batch is pipelined when this side's work per row is at least this share of the model's: then
 * there is enough of it to hide behind the model's run to pay for the chunks.
 */
const PIPELINE_SHARE = 0.5;

/** Rows in the first and the last request of a chunked batch. */
const EDGE_ROWS = 512;
/** Rows in the largest request. */
const MAX_CHUNK_ROWS = 4096;

/**
 * How a batch of `n` rows is cut into requests to the child: [from, to) pairs. The first chunk
 * is small, as it is all the child waits for before it starts; the ones after grow fourfold (this
 * side prepares rows faster than the model runs them, so the child never waits) up to a cap
 * (one message stays small); the last is small again, as it is all that is left to map once the
 * child is done. Every request costs a round trip, so batches of a few thousand rows or fewer
 * go in one.
 */
export function chunkBounds(n: number): [number, number][] {
  if (n <= 4 * EDGE_ROWS) return [[0, n]];
  const bounds: [number, number][] = [];
  let from = 0;
  let size = EDGE_ROWS;
  while (from < n - EDGE_ROWS) {
    const to = Math.min(from + size, n - EDGE_ROWS);
    bounds.push([from, to]);
    from = to;
    size = Math.min(MAX_CHUNK_ROWS, size * 4);
  }
  bounds.push([from, n]);
  return bounds;
}

/** The issues of a row that has none (shared: most rows of a batch). */
const NO_ISSUES: readonly RowIssue[] = Object.freeze([]);

/**
 * Writes the results of rows `from` to `to` from their issues (every field set at creation:
 * the prediction arrives later); false when any row was rejected.
 */
export function fillResults(results: RowResult[], from: number, to: number, issues: readonly RowIssue[]): boolean {
  let ok = true;
  for (let i = from; i < to; i++) results[i] = { row: i, status: 'ok', issues: NO_ISSUES, prediction: undefined };
  for (const issue of issues) {
    const result = results[issue.row]!;
    result.issues = result.issues === NO_ISSUES ? [issue] : [...result.issues, issue];
    if (issue.severity === 'error') {
      result.status = 'rejected';
      ok = false;
    } else if (result.status === 'ok') result.status = 'warning';
  }
  return ok;
}
