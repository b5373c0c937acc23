/**
 * Messages between the runner client (extension host or CLI) and the runner child process,
 * sent over Node's IPC channel with `serialization: 'advanced'` so typed arrays cross as
 * bytes, not as JSON number lists.
 */
import type { ExternalReference, OnnxValueInfo } from '../artifacts/onnx-model';
import type { PreprocessingParameters } from '../artifacts/fingerprint';

/** A tensor as it crosses the process boundary. */
export interface WireTensor {
  type: string;
  dims: number[];
  data: Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | string[] | boolean[];
}

/** A request to the child. */
export type RunnerRequest =
  | { id: number; op: 'inspect'; path: string }
  | { id: number; op: 'run'; path: string; sha256: string; feeds: Record<string, WireTensor> }
  | { id: number; op: 'ping'; delayMs?: number };

/** The child's answer to request `id`. */
export type RunnerResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** One input or output as the onnxruntime session reports it. */
export interface SessionValue {
  name: string;
  isTensor: boolean;
  type: string | null;
  /** Dimensions; symbolic ones (the batch) as strings, '' when unnamed. */
  shape: (number | string)[] | null;
}

/** What `inspect` found in a model file: hash, graph facts, and the session's own view. */
export interface InspectResult {
  /** sha256 and size of the exact buffer parsed and handed to InferenceSession.create. */
  sha256: string;
  bytes: number;
  parseError: string | null;
  externalData: ExternalReference[];
  graphInputs: OnnxValueInfo[];
  graphOutputs: OnnxValueInfo[];
  preprocessing: PreprocessingParameters | null;
  session: { inputs: SessionValue[]; outputs: SessionValue[] } | null;
  sessionError: string | null;
  loadMs: number;
}
