/**
 * The Python prediction backend: the project's own fitted pipeline (joblib/pickle), run by the
 * project's interpreter in a child process that speaks JSON lines (templates/runner/nb2prod_runner.py,
 * embedded in the template bundle so the shipped CLI and extension need no templates folder).
 *
 * Unpickling runs code, so nothing reaches Python before the TypeScript side has done what
 * `verify` does to the artifact: sha256 and size against the manifest on the bytes read, and the
 * static pickle scan (PR305, fail closed). Rows are validated here with the same RowValidator as
 * the ONNX backend; the script trusts them. A Python exception becomes a PythonBackendError whose
 * message is one line and whose `details` hold the traceback.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { sha256Of } from '../artifacts/hash';
import { artifactPath, loadManifest, ManifestError, type LoadedManifest } from '../artifacts/manifest-file';
import type { Manifest } from '../artifacts/manifest';
import { scanPickleBytes } from '../artifacts/pickle-scan';
import { admitProjectGlobals, projectModulesIn } from '../artifacts/project-modules';
import { pickleChecks, type VerifyCheck } from '../artifacts/pickle-checks';
import { TEMPLATES } from '../templates/generated';
import { fillResults, type PredictReport, type RowResult } from './predict';
import type { OutputValue, RowPrediction } from './tensors';
import { RowValidator, type RowIssue } from './validate';

/** Where the runner script sits in a scaffolded project (and in the template bundle). */
export const RUNNER_TEMPLATE_PATH = 'src/utils/nb2prod_runner.py';

const PICKLE_FORMATS = new Set(['joblib', 'pickle', 'pkl']);

/** Python failed (not found, could not load the model, or the project's code raised). */
export class PythonBackendError extends Error {
  constructor(
    message: string,
    readonly details?: string,
  ) {
    super(message);
  }
}

/** Options of the Python backend. */
export interface PythonBackendOptions {
  /** The interpreter; default: NB2PROD_PYTHON, else `python3` on PATH. */
  python?: string;
  /** Milliseconds for loading the model and for each request (default 60 s). */
  timeoutMs?: number;
  /** The project root; derived from the manifest's location by default. */
  root?: string;
}

/** The interpreter the CLI uses: `--python`, then NB2PROD_PYTHON, then `python3` on PATH. */
export function resolvePython(explicit?: string): string {
  return explicit || process.env['NB2PROD_PYTHON'] || 'python3';
}

/** The runner script's source, as embedded at build time. */
export function runnerScript(): string {
  const script = TEMPLATES[RUNNER_TEMPLATE_PATH];
  if (!script) throw new PythonBackendError(`the Python runner script is missing from this build (${RUNNER_TEMPLATE_PATH}); rebuild nb2prod`);
  return script;
}

/** The pickle-based model artifact: the first joblib/pickle one with role `model`, else the first one. */
export function pickleModelEntry(manifest: Manifest): Manifest['artifacts'][number] | undefined {
  const pickles = manifest.artifacts.filter((a) => PICKLE_FORMATS.has(a.format));
  return pickles.find((a) => a.role === 'model') ?? pickles[0];
}

/**
 * The checks `verify` runs on a pickle artifact (hash, size, static scan), on the bytes read
 * once; throws ManifestError naming every failure, so a tampered file never reaches Python.
 */
export async function precheckPickle(loaded: LoadedManifest, entry: Manifest['artifacts'][number]): Promise<{ sha256: string; checks: VerifyCheck[] }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(artifactPath(loaded, entry.path));
  } catch (error) {
    throw new ManifestError(`cannot read ${entry.path}: ${(error as Error).message}; run training to write it`);
  }
  const sha256 = sha256Of(bytes);
  const failures: string[] = [];
  if (sha256 !== entry.sha256) failures.push(`${entry.path} is not the file training wrote (sha256 ${sha256}, the manifest says ${entry.sha256})`);
  if (bytes.length !== entry.bytes) failures.push(`${entry.path} has ${bytes.length} bytes, the manifest says ${entry.bytes}`);
  const checks: VerifyCheck[] = [];
  pickleChecks(admitProjectGlobals(scanPickleBytes(entry.path, bytes), projectModulesIn(loaded.root, loaded.manifest.project_modules)), entry.globals, checks);
  for (const c of checks) if (c.status === 'fail') failures.push(`${c.code ? `${c.code} ` : ''}${c.artifact}: ${c.message}${c.found ? ` (${c.found})` : ''}`);
  if (failures.length > 0) throw new ManifestError(`refusing to load ${entry.path} in Python: ${failures.join('; ')}; run \`nb2prod verify\``);
  return { sha256, checks };
}

/** What the runner reported once it had loaded the model. */
export interface PythonReady {
  artifact: string;
  python: string;
  sklearn: string;
  load_ms: number;
}

type PythonError = { type: string; message: string; traceback: string };
type Answer = { id: number; ok: true; predictions: Record<string, OutputValue>[] } | { id: number; ok: false; error: PythonError };
type Pending = { resolve: (a: Answer) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

/** A Python error as one readable line, with the traceback as details. */
function pythonError(prefix: string, error: PythonError): PythonBackendError {
  return new PythonBackendError(`${prefix}: ${error.type}${error.message ? `: ${error.message}` : ''}`, error.traceback);
}

/**
 * Why the model did not load. A missing package means the wrong interpreter, not a bug: the
 * error says which package and what to do, without the traceback (its frames are the runner
 * script's, not the project's).
 */
function loadError(prefix: string, error: PythonError): PythonBackendError {
  if (error.type !== 'ModuleNotFoundError' && error.type !== 'ImportError') return pythonError(prefix, error);
  return new PythonBackendError(
    `${prefix}: ${error.type}: ${error.message}; this interpreter lacks a package the model needs: use the project's (--python PATH or NB2PROD_PYTHON)`,
  );
}

/** A model loaded by the project's Python; keep it to predict many times (one process). */
export class PythonPredictor {
  private child: ChildProcessWithoutNullStreams | undefined;
  private ready: Promise<PythonReady> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stderrTail = '';
  private readonly validator: RowValidator;

  private constructor(
    readonly loaded: LoadedManifest,
    readonly entry: Manifest['artifacts'][number],
    private readonly sha256: string,
    readonly python: string,
    private readonly timeoutMs: number,
  ) {
    this.validator = new RowValidator(loaded.manifest);
  }

  /** Checks the artifact like `verify`, then starts Python and waits until it has loaded it. */
  static async open(manifestPath: string, options: PythonBackendOptions = {}): Promise<PythonPredictor> {
    const loaded = await loadManifest(manifestPath, options.root);
    const entry = pickleModelEntry(loaded.manifest);
    if (!entry) throw new ManifestError(`${manifestPath} lists no joblib/pickle model artifact for the Python backend`);
    const { sha256 } = await precheckPickle(loaded, entry);
    const predictor = new PythonPredictor(loaded, entry, sha256, resolvePython(options.python), options.timeoutMs ?? 60_000);
    try {
      await predictor.start();
    } catch (error) {
      predictor.dispose();
      throw error;
    }
    return predictor;
  }

  /** The model path, as reports name it. */
  get modelPath(): string {
    return artifactPath(this.loaded, this.entry.path);
  }

  /** The current Python process id, if one is running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Validates and predicts `rows`; invalid rows are reported, never sent to Python. */
  async predict(rows: readonly unknown[]): Promise<PredictReport> {
    const t0 = performance.now();
    const { accepted, issues } = this.validator.validate(rows);
    const t1 = performance.now();
    let outputs: Record<string, OutputValue>[] = [];
    if (accepted.length > 0) {
      const answer = await this.request(accepted.map((i) => rows[i]));
      if (!answer.ok) throw pythonError(`the project's pipeline failed on ${accepted.length} row${accepted.length === 1 ? '' : 's'}`, answer.error);
      outputs = answer.predictions;
      if (outputs.length !== accepted.length)
        throw new PythonBackendError(`the Python runner answered ${outputs.length} predictions for ${accepted.length} rows`);
    }
    const t2 = performance.now();
    return assembleReport(
      this.loaded,
      this.modelPath,
      rows.length,
      accepted,
      issues,
      outputs.map((o) => toPrediction(this.loaded.manifest, o)),
      { validateMs: t1 - t0, runMs: t2 - t1 },
    );
  }

  /** Stops the Python process. */
  dispose(): void {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    this.failAll('the Python runner was stopped');
    if (child && child.exitCode === null) child.kill();
  }

  /** Starts Python (once; again after a crash or timeout) and resolves when the model is loaded. */
  private start(): Promise<PythonReady> {
    if (this.ready && this.child) return this.ready;
    const root = resolve(this.loaded.root);
    const child = spawn(
      this.python,
      ['-B', '-c', runnerScript(), '--manifest', resolve(this.loaded.path), '--artifact', this.entry.path, '--sha256', this.sha256, '--root', root],
      {
        cwd: root,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' },
      },
    );
    this.child = child;
    this.stderrTail = '';
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000);
    });
    this.ready = new Promise<PythonReady>((resolveReady, rejectReady) => {
      const timer = setTimeout(() => {
        rejectReady(new PythonBackendError(`Python did not load ${this.entry.path} within ${this.timeoutMs} ms; it was stopped`, this.stderrTail));
        this.kill(child);
      }, this.timeoutMs);
      let buffered = '';
      let isReady = false;
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          if (line.trim() === '') continue;
          let message: Record<string, unknown>;
          try {
            message = JSON.parse(line) as Record<string, unknown>;
          } catch {
            continue; // the protocol owns stdout; anything else is not ours to interpret
          }
          if (!isReady) {
            clearTimeout(timer);
            isReady = true;
            if (message['ready'] === true) resolveReady(message as unknown as PythonReady);
            else rejectReady(loadError(`Python could not load ${this.entry.path} with ${this.python}`, message['error'] as PythonError));
            continue;
          }
          this.settle(message as unknown as Answer);
        }
      });
      child.on('error', (error) => {
        clearTimeout(timer);
        rejectReady(new PythonBackendError(`cannot start Python \`${this.python}\`: ${error.message}; pass --python PATH or set NB2PROD_PYTHON`));
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (this.child === child) {
          this.child = undefined;
          this.ready = undefined;
        }
        const tail = this.stderrTail.trim();
        const last = tail.split('\n').pop() ?? '';
        const why = `the Python runner exited (${signal ?? `code ${code}`})${last ? `: ${last}` : ''}`;
        if (!isReady) rejectReady(new PythonBackendError(why, tail));
        this.failAll(why, tail);
      });
    });
    // Handled by the callers; this keeps an early failure from being an unhandled rejection.
    this.ready.catch(() => undefined);
    return this.ready;
  }

  private async request(rows: unknown[]): Promise<Answer> {
    await this.start();
    const child = this.child!;
    const id = this.nextId++;
    return new Promise<Answer>((resolveAnswer, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new PythonBackendError(
            `the Python runner did not answer within ${this.timeoutMs} ms; it was stopped and restarts on the next request`,
            this.stderrTail,
          ),
        );
        this.kill(child);
      }, this.timeoutMs);
      this.pending.set(id, { resolve: resolveAnswer, reject, timer });
      child.stdin.write(`${JSON.stringify({ id, rows })}\n`);
    });
  }

  private kill(child: ChildProcessWithoutNullStreams): void {
    if (this.child === child) {
      this.child = undefined;
      this.ready = undefined;
    }
    // Our own child, by its handle: a stuck pipeline cannot be interrupted any other way.
    child.kill('SIGKILL');
  }

  private settle(answer: Answer): void {
    const entry = this.pending.get(answer.id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(answer.id);
    entry.resolve(answer);
  }

  private failAll(message: string, details?: string): void {
    for (const [id, entry] of [...this.pending]) {
      clearTimeout(entry.timer);
      this.pending.delete(id);
      entry.reject(new PythonBackendError(message, details));
    }
  }
}

/** One Python output dict as the ONNX backend's RowPrediction (label, probabilities by class, value). */
export function toPrediction(manifest: Manifest, outputs: Record<string, OutputValue>): RowPrediction {
  const prediction: RowPrediction = { outputs };
  const classes = manifest.model.classes;
  for (const value of Object.values(outputs)) {
    if (manifest.model.task === 'classification' && !Array.isArray(value) && prediction.label === undefined) prediction.label = value;
    else if (manifest.model.task === 'classification' && Array.isArray(value) && classes && value.length === classes.length) {
      prediction.probabilities = Object.fromEntries(classes.map((c, i) => [String(c), value[i] as number]));
    } else if (manifest.model.task === 'regression' && typeof value === 'number') prediction.value = value;
  }
  return prediction;
}

/** Rejected rows next to predicted ones, in the ONNX backend's report shape. */
export function assembleReport(
  loaded: LoadedManifest,
  model: string,
  count: number,
  accepted: readonly number[],
  issues: readonly RowIssue[],
  predictions: readonly RowPrediction[],
  timings: PredictReport['timings'],
): PredictReport {
  const rows = new Array<RowResult>(count);
  const ok = fillResults(rows, 0, count, issues);
  accepted.forEach((rowIndex, k) => {
    rows[rowIndex]!.prediction = predictions[k]!;
  });
  return { manifest: loaded.path, model, ok, rows, timings };
}
