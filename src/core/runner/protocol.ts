/**
 * Messages between the runner client (extension host or CLI) and the runner child process,
 * sent over Node's IPC channel with `serialization: 'advanced'` so typed arrays cross as
 * bytes, not as JSON number lists.
 */
import type { ExternalReference, OnnxValueInfo } from '../artifacts/onnx-model';
import type { PreprocessingParameters } from '../artifacts/fingerprint';
import type { PickleScan } from '../artifacts/pickle-scan';

/** A tensor as it crosses the process boundary. */
export interface WireTensor {
  type: string;
  dims: number[];
  data: Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | string[] | boolean[];
}

/**
 * A string tensor as it crosses the process boundary when its values repeat (categories,
 * class labels): each distinct string once, and one small integer code per element. Cloning
 * 10,000 short strings costs far more (bytes and allocations) than a Uint8Array of codes.
 */
export interface PackedStrings {
  type: 'string';
  dims: number[];
  values: string[];
  codes: Uint8Array | Uint16Array | Uint32Array;
}

/** What crosses the boundary for one tensor: as is, or a string tensor packed. */
export type WireValue = WireTensor | PackedStrings;

function isPacked(value: WireValue): value is PackedStrings {
  return (value as PackedStrings).codes !== undefined;
}

/** Packs a string tensor whose values repeat enough to be worth it; other tensors are returned unchanged. */
export function packTensor(tensor: WireTensor): WireValue {
  const data = tensor.data;
  if (tensor.type !== 'string' || !Array.isArray(data) || data.length < 16) return tensor;
  const packed = packFew(data as unknown[]) ?? packMany(data as unknown[]);
  return packed ? { type: 'string', dims: tensor.dims, ...packed } : tensor;
}

/** Distinct values a string tensor may have for packFew. */
const FEW = 16;

/**
 * Packing for the common case of a few distinct values (class labels, categories): each value
 * is compared with the last one seen, then with the few known ones. Fresh strings (every label
 * onnxruntime returns is a new string) cost a hash each in a Map; a comparison is cheaper.
 * Null when a value is not a string or there are more than FEW distinct ones.
 */
function packFew(data: readonly unknown[]): { values: string[]; codes: Uint8Array } | null {
  const n = data.length;
  const values: string[] = [];
  const codes = new Uint8Array(n);
  let last: unknown;
  let lastCode = 0;
  next: for (let i = 0; i < n; i++) {
    const value = data[i];
    if (value === last) {
      codes[i] = lastCode;
      continue;
    }
    if (typeof value !== 'string') return null;
    for (let j = 0; j < values.length; j++) {
      if (values[j] === value) {
        codes[i] = lastCode = j;
        last = value;
        continue next;
      }
    }
    if (values.length === FEW) return null;
    codes[i] = lastCode = values.length;
    last = value;
    values.push(value);
  }
  return { values, codes };
}

/** Packing with a Map of the distinct values; null when a value is not a string or most are distinct. */
function packMany(data: readonly unknown[]): { values: string[]; codes: Uint8Array | Uint16Array | Uint32Array } | null {
  const n = data.length;
  const index = new Map<string, number>();
  const values: string[] = [];
  const codes = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const value = data[i];
    if (typeof value !== 'string') return null;
    let code = index.get(value);
    if (code === undefined) {
      code = values.length;
      // Mostly distinct strings gain nothing from packing.
      if (code > n / 2) return null;
      index.set(value, code);
      values.push(value);
    }
    codes[i] = code;
  }
  return { values, codes: values.length <= 0x100 ? Uint8Array.from(codes) : values.length <= 0x10000 ? Uint16Array.from(codes) : codes };
}

/** The tensor a WireValue stands for (string tensors unpacked into a string[]). */
export function unpackTensor(value: WireValue): WireTensor {
  if (!isPacked(value)) return value;
  const { values, codes } = value;
  const n = codes.length;
  const data = new Array<string>(n);
  for (let i = 0; i < n; i++) data[i] = values[codes[i]!]!;
  return { type: 'string', dims: value.dims, data };
}

/** packTensor over a map of tensors. */
export function packTensors(tensors: Record<string, WireTensor>): Record<string, WireValue> {
  const out: Record<string, WireValue> = {};
  for (const name of Object.keys(tensors)) out[name] = packTensor(tensors[name]!);
  return out;
}

/** unpackTensor over a map of tensors. */
export function unpackTensors(values: Record<string, WireValue>): Record<string, WireTensor> {
  const out: Record<string, WireTensor> = {};
  for (const name of Object.keys(values)) out[name] = unpackTensor(values[name]!);
  return out;
}

/** A request to the child. */
export type RunnerRequest =
  | { id: number; op: 'inspect'; path: string }
  | { id: number; op: 'run'; path: string; sha256: string; feeds: Record<string, WireValue> }
  | { id: number; op: 'ping'; delayMs?: number }
  /** Reads, hashes and statically scans a pickle/joblib file (`label` names it in the scan). */
  | { id: number; op: 'scan'; path: string; label: string };

/** What a `scan` request answers: the scan of the bytes read, or why the file could not be read. */
export type ScanResult = { ok: true; scan: PickleScan } | { ok: false; error: string };

/** What a `run` request answers: the outputs, and how long `session.run` took in the child. */
export interface RunResult {
  outputs: Record<string, WireValue>;
  runMs: number;
}

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
