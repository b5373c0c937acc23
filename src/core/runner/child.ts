/**
 * The runner child process (bundled as dist/runner.js): the only place onnxruntime-node is
 * loaded, so a native crash or a runaway model cannot take down the extension host or the
 * CLI. Sessions are created from the very Buffer that was hashed and cached by that sha256.
 */
import { readFile } from 'node:fs/promises';
import type * as Ort from 'onnxruntime-node';
import { preprocessingParameters } from '../artifacts/fingerprint';
import { sha256Of } from '../artifacts/hash';
import { parseOnnxModel, type OnnxModel } from '../artifacts/onnx-model';
import { scanPickleBytes } from '../artifacts/pickle-scan';
import {
  packTensor,
  unpackTensor,
  type InspectResult,
  type RunnerRequest,
  type RunnerResponse,
  type RunResult,
  type ScanResult,
  type SessionValue,
  type WireTensor,
  type WireValue,
} from './protocol';
import { SESSION_OPTIONS } from './session-options';

/** Sessions kept per artifact sha256; the oldest is released beyond this many. */
const MAX_SESSIONS = 8;
const sessions = new Map<string, Ort.InferenceSession>();
let ort: typeof Ort | undefined;

function runtime(): typeof Ort {
  // Loaded on the first request, not at start: `ping` and refused models never pay for it.
  ort ??= require('onnxruntime-node') as typeof Ort;
  return ort;
}

async function cache(sha256: string, bytes: Buffer): Promise<Ort.InferenceSession> {
  const session = await runtime().InferenceSession.create(bytes, SESSION_OPTIONS);
  sessions.set(sha256, session);
  while (sessions.size > MAX_SESSIONS) {
    const [oldest, old] = sessions.entries().next().value as [string, Ort.InferenceSession];
    sessions.delete(oldest);
    void old.release();
  }
  return session;
}

function describeValues(values: readonly Ort.InferenceSession.ValueMetadata[]): SessionValue[] {
  return values.map((v) =>
    v.isTensor ? { name: v.name, isTensor: true, type: v.type, shape: [...v.shape] } : { name: v.name, isTensor: false, type: null, shape: null },
  );
}

async function inspect(path: string): Promise<InspectResult> {
  const started = performance.now();
  const bytes = await readFile(path);
  const sha256 = sha256Of(bytes);
  const result: InspectResult = {
    sha256,
    bytes: bytes.length,
    parseError: null,
    externalData: [],
    graphInputs: [],
    graphOutputs: [],
    preprocessing: null,
    session: null,
    sessionError: null,
    loadMs: 0,
  };
  let model: OnnxModel;
  try {
    model = parseOnnxModel(bytes);
  } catch (error) {
    result.parseError = (error as Error).message;
    return result;
  }
  Object.assign(result, {
    externalData: model.externalData,
    graphInputs: model.inputs,
    graphOutputs: model.outputs,
    preprocessing: preprocessingParameters(model),
  });
  if (model.externalData.length > 0) {
    result.sessionError = 'not loaded: the model references external data';
    return result;
  }
  try {
    const session = sessions.get(sha256) ?? (await cache(sha256, bytes));
    result.session = { inputs: describeValues(session.inputMetadata), outputs: describeValues(session.outputMetadata) };
  } catch (error) {
    result.sessionError = (error as Error).message.split('\n')[0] ?? 'unknown error';
  }
  result.loadMs = performance.now() - started;
  return result;
}

async function sessionFor(path: string, sha256: string): Promise<Ort.InferenceSession> {
  const cached = sessions.get(sha256);
  if (cached) return cached;
  const bytes = await readFile(path);
  const actual = sha256Of(bytes);
  if (actual !== sha256) throw new Error(`${path} changed: its sha256 is ${actual}, the manifest says ${sha256}; run \`nb2prod verify\``);
  if (parseOnnxModel(bytes).externalData.length > 0) throw new Error(`${path} references external data, which nb2prod refuses`);
  return cache(sha256, bytes);
}

async function run(path: string, sha256: string, feeds: Record<string, WireValue>): Promise<RunResult> {
  const session = await sessionFor(path, sha256);
  const { Tensor } = runtime();
  const inputs: Record<string, Ort.Tensor> = {};
  for (const [name, value] of Object.entries(feeds)) {
    const t = unpackTensor(value);
    inputs[name] = new Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
  }
  const started = performance.now();
  const outputs = await session.run(inputs);
  const runMs = performance.now() - started;
  const out: Record<string, WireValue> = {};
  for (const [name, value] of Object.entries(outputs)) {
    const tensor = value as Ort.Tensor;
    out[name] = packTensor({ type: tensor.type, dims: [...tensor.dims], data: tensor.data as WireTensor['data'] });
  }
  return { outputs: out, runMs };
}

/**
 * A pickle scan runs here, not in the extension host: a decompression bomb inflates to up to
 * the scanner's limit (1 GiB), and a pathological file is stopped by the request's timeout.
 */
async function scan(path: string, label: string): Promise<ScanResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  return { ok: true, scan: scanPickleBytes(label, bytes) };
}

async function handle(request: RunnerRequest): Promise<unknown> {
  switch (request.op) {
    case 'inspect':
      return inspect(request.path);
    case 'run':
      return run(request.path, request.sha256, request.feeds);
    case 'scan':
      return scan(request.path, request.label);
    case 'ping':
      if (request.delayMs) await new Promise((resolve) => setTimeout(resolve, request.delayMs));
      return { pid: process.pid, sessions: sessions.size };
  }
}

// Requests are served one at a time, in order: a chunked batch's runs never overlap (they would
// only compete for the same cores), and each run's time is its own.
let queue: Promise<unknown> = Promise.resolve();
process.on('message', (request: RunnerRequest) => {
  queue = queue.then(() =>
    handle(request).then(
      (result) => process.send?.({ id: request.id, ok: true, result } satisfies RunnerResponse),
      (error: unknown) => process.send?.({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies RunnerResponse),
    ),
  );
});
// The parent went away (closed the channel or died): nothing left to serve.
process.on('disconnect', () => process.exit(0));
