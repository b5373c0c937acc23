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
  issues: RowIssue[];
  prediction?: RowPrediction;
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

  /** Validates and predicts `rows`; never throws for invalid rows (they are reported). */
  async predict(rows: readonly unknown[]): Promise<PredictReport> {
    const t0 = performance.now();
    const { accepted, issues } = this.validator.validate(rows);
    const t1 = performance.now();
    // Every row accepted (the common batch): no copy.
    const valid = accepted.length === rows.length ? (rows as readonly Record<string, unknown>[]) : accepted.map((i) => rows[i] as Record<string, unknown>);
    const feeds = buildFeeds(this.loaded.manifest.signature.inputs, this.layout, valid);
    const t2 = performance.now();
    const predictions = valid.length > 0 ? mapOutputs(this.loaded.manifest, await this.client.run(this.modelPath, this.sha256, feeds), valid.length) : [];
    const t3 = performance.now();
    const byRow = new Map<number, RowIssue[]>();
    for (const issue of issues) {
      const list = byRow.get(issue.row);
      if (list) list.push(issue);
      else byRow.set(issue.row, [issue]);
    }
    const n = rows.length;
    const results: RowResult[] = new Array<RowResult>(n);
    let ok = true;
    for (let i = 0; i < n; i++) {
      const rowIssues = byRow.get(i);
      if (!rowIssues) {
        results[i] = { row: i, status: 'ok', issues: [] };
        continue;
      }
      const status = rowIssues.some((x) => x.severity === 'error') ? 'rejected' : 'warning';
      if (status === 'rejected') ok = false;
      results[i] = { row: i, status, issues: rowIssues };
    }
    for (let k = 0; k < accepted.length; k++) results[accepted[k]!]!.prediction = predictions[k]!;
    return {
      manifest: this.loaded.path, model: this.modelPath, ok, rows: results,
      timings: { validateMs: t1 - t0, tensorMs: t2 - t1, runMs: t3 - t2 },
    };
  }

  /** Stops the runner child if this predictor started it. */
  dispose(): void {
    if (this.ownsClient) this.client.dispose();
  }
}
