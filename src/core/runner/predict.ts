/**
 * Test predictions against exactly the artifacts production loads: rows validated against the
 * signature, valid rows turned into tensors and run in the runner child (onnxruntime-node), the
 * outputs mapped to class names. Rejected rows are reported next to the predicted ones.
 */
import { artifactPath, loadManifest, ManifestError, onnxModelEntry, type LoadedManifest } from '../artifacts/manifest-file';
import { RunnerClient } from './client';
import { inputLayout, outputDecoder, type InputLayout, type PredictionDecoder, type RowPrediction } from './tensors';
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
  /** Milliseconds validating the rows (and building the input tensors, in the same pass), and the rest. */
  timings: { validateMs: number; runMs: number };
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
      if (info.sha256 !== entry.sha256)
        throw new ManifestError(
          `${entry.path} is not the file training wrote (sha256 ${info.sha256}, the manifest says ${entry.sha256}); run \`nb2prod verify\``,
        );
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

  /** Chooses how large batches go to the child, from what each way measured on this model. */
  private readonly planner = new BatchPlanner();

  /** Whether the next large batch goes through as a pipeline of chunks (see `predict`). */
  get pipelinesNext(): boolean {
    return this.planner.pipelineNext;
  }

  /**
   * Validates and predicts `rows`; never throws for invalid rows (they are reported).
   *
   * A large batch goes to the child in one request or as a pipeline of chunks: while the child
   * runs one chunk, this process validates the next and builds its tensors. The pipeline hides
   * this side's work and the transfer behind the model's run, but each chunk costs a run of its
   * own, and this side's work then competes for the cores with the model's threads. Which way
   * wins depends on the model (a cheap single-threaded one gains, a heavy multi-threaded one
   * loses), so the predictor measures both on its first large batches and takes the faster one
   * (BatchPlanner); `options.pipeline` decides instead.
   */
  async predict(rows: readonly unknown[], options: { pipeline?: boolean } = {}): Promise<PredictReport> {
    const started = performance.now();
    const n = rows.length;
    const results: RowResult[] = new Array<RowResult>(n);
    const runs: Promise<void>[] = [];
    let ok = true;
    let validateMs = 0;
    const pipelined = options.pipeline ?? this.pipelinesNext;
    for (const [from, to] of pipelined ? chunkBounds(n) : [[0, n] as const]) {
      const t0 = performance.now();
      const { accepted, issues, feeds } = this.validator.validateWithFeeds(rows, from, to, this.layout);
      if (!fillResults(results, from, to, issues)) ok = false;
      validateMs += performance.now() - t0;
      if (accepted.length === 0) continue;
      runs.push(
        this.client.run(this.modelPath, this.sha256, feeds).then((outputs) => {
          const decode = outputDecoder(this.loaded.manifest, outputs);
          for (let k = 0; k < accepted.length; k++) (results[accepted[k]!] as RowOutcome).predicted(decode, k);
        }),
      );
    }
    await Promise.all(runs);
    if (n > SINGLE_REQUEST_ROWS) this.planner.record(pipelined, (performance.now() - started) / n);
    // runMs: the wall time not spent validating (the round trips, overlapped or not).
    const runMs = Math.max(0, performance.now() - started - validateMs);
    return { manifest: this.loaded.path, model: this.modelPath, ok, rows: results, timings: { validateMs, runMs } };
  }

  /** Stops the runner child if this predictor started it. */
  dispose(): void {
    if (this.ownsClient) this.client.dispose();
  }
}

/**
 * Chooses, for one model, between sending a large batch in one request and pipelining it, by
 * the milliseconds per row each way took (a running average, as one batch on a busy machine says
 * little). The first large batch goes in one request, the second as a pipeline; after that the
 * faster way is taken, and every PROBE_EVERY-th batch the other one again, so that a change in
 * the machine's load is noticed.
 */
export class BatchPlanner {
  private one = Number.NaN;
  private pipelined = Number.NaN;
  private batches = 0;

  /** Whether the next large batch is pipelined. */
  get pipelineNext(): boolean {
    if (Number.isNaN(this.one)) return false;
    if (Number.isNaN(this.pipelined)) return true;
    const faster = this.pipelined < this.one;
    return this.batches % PROBE_EVERY === 0 ? !faster : faster;
  }

  /** What a large batch took, per row, sent one way or the other. */
  record(pipelined: boolean, msPerRow: number): void {
    this.batches++;
    if (pipelined) this.pipelined = Number.isNaN(this.pipelined) ? msPerRow : this.pipelined + SMOOTHING * (msPerRow - this.pipelined);
    else this.one = Number.isNaN(this.one) ? msPerRow : this.one + SMOOTHING * (msPerRow - this.one);
  }
}

/** Every this many large batches, the way that measured slower is tried again. */
const PROBE_EVERY = 8;
/** Weight of the newest measurement in the running average. */
const SMOOTHING = 0.25;

/** Rows in the first and the last request of a chunked batch. */
const EDGE_ROWS = 512;
/** Rows in the largest request. */
const MAX_CHUNK_ROWS = 8192;
/**
 * How much larger each request is than the one before. Validating a chunk and building its
 * tensors (one compiled pass) takes about a tenth of the time the cheapest fixture model takes to
 * run it, so the next chunk, 8x larger, is ready before the child is done with this one.
 */
const GROWTH = 8;
/** Batches of up to this many rows always go in one request (a pipeline cannot pay for its round trips). */
const SINGLE_REQUEST_ROWS = 4 * EDGE_ROWS;

/**
 * How a batch of `n` rows is cut into requests to the child: [from, to) pairs. The first chunk
 * is small, as it is all the child waits for before it starts; the ones after grow GROWTH-fold
 * (this side prepares rows faster than the model runs them, so the child never waits) up to a
 * cap (one message stays small); the last is small again, as its answer is all that is left to
 * wait for once the child is done. Every request costs a run and a gap between runs, so batches
 * of a few thousand rows or fewer go in one.
 */
export function chunkBounds(n: number): [number, number][] {
  if (n <= SINGLE_REQUEST_ROWS) return [[0, n]];
  const bounds: [number, number][] = [];
  let from = 0;
  let size = EDGE_ROWS;
  while (from < n - EDGE_ROWS) {
    const to = Math.min(from + size, n - EDGE_ROWS);
    bounds.push([from, to]);
    from = to;
    size = Math.min(MAX_CHUNK_ROWS, size * GROWTH);
  }
  bounds.push([from, n]);
  return bounds;
}

/** The issues of a row that has none (shared: most rows of a batch). */
const NO_ISSUES: readonly RowIssue[] = Object.freeze([]);

/**
 * A row's result as `predict` makes it. Its prediction is decoded from the batch's output
 * tensors when first read: a batch's report is complete when the model has answered, and
 * building 10,000 rows of objects (outputs, probabilities by class) is left to whoever reads
 * them, as onnxruntime leaves its output tensors as they are. Serializes (JSON, webview
 * messages) as a plain RowResult.
 */
class RowOutcome implements RowResult {
  status: RowResult['status'] = 'ok';
  issues: readonly RowIssue[] = NO_ISSUES;
  #prediction: RowPrediction | undefined = undefined;
  #decode: PredictionDecoder | undefined = undefined;
  #at = 0;

  constructor(readonly row: number) {}

  get prediction(): RowPrediction | undefined {
    if (this.#decode) {
      this.#prediction = this.#decode(this.#at);
      this.#decode = undefined;
    }
    return this.#prediction;
  }

  set prediction(value: RowPrediction | undefined) {
    this.#prediction = value;
    this.#decode = undefined;
  }

  /** Sets the prediction to row `at` of a batch's outputs (decoded when first read). */
  predicted(decode: PredictionDecoder, at: number): void {
    this.#decode = decode;
    this.#at = at;
  }

  toJSON(): RowResult {
    return { row: this.row, status: this.status, issues: this.issues, prediction: this.prediction };
  }
}

/** Writes the results of rows `from` to `to` from their issues; false when any row was rejected. */
export function fillResults(results: RowResult[], from: number, to: number, issues: readonly RowIssue[]): boolean {
  let ok = true;
  for (let i = from; i < to; i++) results[i] = new RowOutcome(i);
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
