/**
 * Rows to input tensors and output tensors back to rows. Two input layouts are understood:
 * one `[N, 1]` tensor per feature (skl2onnx with one initial type per column) and a single
 * `[N, k]` float tensor holding every numeric feature in signature order (the scaffold's export).
 */
import type { Manifest } from '../artifacts/manifest';
import type { SessionValue, WireTensor } from './protocol';

type Input = Manifest['signature']['inputs'][number];
type Row = Record<string, unknown>;

/** How signature features map onto session inputs. */
export type InputLayout = { kind: 'per-feature'; types: Record<string, string> } | { kind: 'combined'; name: string; type: string };

/** The layout of a session's inputs for a signature, or a reason it fits neither layout. */
export function inputLayout(inputs: readonly Input[], session: readonly SessionValue[]): InputLayout | string {
  const names = new Set(session.map((s) => s.name));
  if (inputs.every((i) => names.has(i.name))) {
    return { kind: 'per-feature', types: Object.fromEntries(session.map((s) => [s.name, s.type ?? 'float32'])) };
  }
  const only = session[0];
  const width = only?.shape?.[1];
  if (session.length === 1 && only && (only.type === 'float32' || only.type === 'float64') && (typeof width !== 'number' || width === inputs.length)) {
    return { kind: 'combined', name: only.name, type: only.type };
  }
  return `the model's inputs (${session.map((s) => s.name).join(', ')}) are neither one per signature feature nor one [N, ${inputs.length}] float tensor`;
}

/** Tensors for `rows` (already validated) in the given layout. */
export function buildFeeds(inputs: readonly Input[], layout: InputLayout, rows: readonly Row[]): Record<string, WireTensor> {
  const n = rows.length;
  if (layout.kind === 'combined') {
    const k = inputs.length;
    const data = layout.type === 'float64' ? new Float64Array(n * k) : new Float32Array(n * k);
    for (let r = 0; r < n; r++) {
      const row = rows[r]!;
      for (let c = 0; c < k; c++) data[r * k + c] = numberOrNaN(row[inputs[c]!.name]);
    }
    return { [layout.name]: { type: layout.type, dims: [n, k], data } };
  }
  const feeds: Record<string, WireTensor> = {};
  for (const input of inputs) {
    const type = layout.types[input.name] ?? 'float32';
    feeds[input.name] = { type, dims: [n, 1], data: column(type, rows, input.name) };
  }
  return feeds;
}

function numberOrNaN(value: unknown): number {
  // Missing values reach the model as NaN, which the ONNX Imputer replaces (only nullable inputs get here).
  return typeof value === 'number' ? value : Number.NaN;
}

function column(type: string, rows: readonly Row[], name: string): WireTensor['data'] {
  const n = rows.length;
  switch (type) {
    case 'string':
      return rows.map((r) => (r[name] === null || r[name] === undefined ? '' : String(r[name])));
    case 'float64': {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = numberOrNaN(rows[i]![name]);
      return a;
    }
    case 'int64': {
      const a = new BigInt64Array(n);
      for (let i = 0; i < n; i++) a[i] = BigInt(Math.trunc(numberOrNaN(rows[i]![name]) || 0));
      return a;
    }
    case 'int32': {
      const a = new Int32Array(n);
      for (let i = 0; i < n; i++) a[i] = numberOrNaN(rows[i]![name]) | 0;
      return a;
    }
    default: {
      const a = new Float32Array(n);
      for (let i = 0; i < n; i++) a[i] = numberOrNaN(rows[i]![name]);
      return a;
    }
  }
}

/** A value of one output for one row. */
export type OutputValue = string | number | (string | number)[];

/** The prediction for one row: raw outputs by name, and label/probabilities/value when recognised. */
export interface RowPrediction {
  outputs: Record<string, OutputValue>;
  label?: string | number;
  /** Class name to probability. */
  probabilities?: Record<string, number>;
  value?: number;
}

/** Splits output tensors into one prediction per row and names classes. */
export function mapOutputs(manifest: Manifest, outputs: Record<string, WireTensor>, n: number): RowPrediction[] {
  const decode = outputDecoder(manifest, outputs);
  const rows: RowPrediction[] = new Array<RowPrediction>(n);
  for (let r = 0; r < n; r++) rows[r] = decode(r);
  return rows;
}

/** Builds the prediction of row `r` of a batch's output tensors. */
export type PredictionDecoder = (r: number) => RowPrediction;

/**
 * The decoder of a batch's outputs: what is known of every output (its width, whether it holds
 * labels or class probabilities) is worked out once, each row's objects when asked for.
 */
export function outputDecoder(manifest: Manifest, outputs: Record<string, WireTensor>): PredictionDecoder {
  const classes = manifest.model.classes;
  const classKeys = classes ? classes.map((c) => String(c)) : null;
  const classification = manifest.model.task === 'classification';
  const regression = manifest.model.task === 'regression';
  const names = Object.keys(outputs);
  // Every row's objects are copied from one template each, so they share one shape (cheap to
  // create, and a batch of 10,000 rows makes 40,000 of them).
  const outputsTemplate: Record<string, OutputValue> = {};
  for (const name of names) outputsTemplate[name] = 0;
  const probabilitiesTemplate: Record<string, number> = {};
  for (const key of classKeys ?? []) probabilitiesTemplate[key] = 0;
  const columns = names.map((name) => {
    const tensor = outputs[name]!;
    let width = 1;
    for (let d = 1; d < tensor.dims.length; d++) width *= tensor.dims[d]!;
    const data = tensor.data as ArrayLike<unknown>;
    return {
      name,
      data,
      width,
      // Numbers in float/int32 arrays need no conversion; bigints and booleans do.
      convert: !(data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array),
      scalar: width === 1 && tensor.dims.length <= 2,
      label: classification && tensor.dims.length === 1,
      probabilities: classification && classKeys !== null && width === classKeys.length,
    };
  });
  return (r) => {
    const out = { ...outputsTemplate };
    let label: string | number | undefined;
    let probabilities: Record<string, number> | undefined;
    let value: number | undefined;
    for (const column of columns) {
      const data = column.data;
      if (column.scalar) {
        const v = column.convert ? plain(data[r]) : (data[r] as number);
        out[column.name] = v;
        if (column.label) label = v;
        else if (regression && typeof v === 'number') value = v;
        continue;
      }
      const width = column.width;
      const base = r * width;
      const slice = new Array<string | number>(width);
      for (let j = 0; j < width; j++) slice[j] = column.convert ? plain(data[base + j]) : (data[base + j] as number);
      out[column.name] = slice;
      if (column.probabilities) {
        probabilities = { ...probabilitiesTemplate };
        for (let j = 0; j < width; j++) probabilities[classKeys![j]!] = slice[j] as number;
      }
    }
    return prediction(out, label, probabilities, value);
  };
}

/** A RowPrediction made in one go (no property added after creation), with only the fields that apply. */
function prediction(
  outputs: Record<string, OutputValue>,
  label: string | number | undefined,
  probabilities: Record<string, number> | undefined,
  value: number | undefined,
): RowPrediction {
  if (label !== undefined) return probabilities ? { outputs, label, probabilities } : { outputs, label };
  if (probabilities) return { outputs, probabilities };
  return value !== undefined ? { outputs, value } : { outputs };
}

function plain(value: unknown): string | number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value as string | number;
}

/** Whether a produced output equals the stored golden one within tolerance; the reason if not. */
export function compareOutput(expected: unknown, actual: OutputValue | undefined, tolerance: { absolute: number; relative: number }): string | null {
  if (actual === undefined) return 'the model produced no such output';
  const exp = Array.isArray(expected) ? expected : [expected];
  const act = Array.isArray(actual) ? actual : [actual];
  if (exp.length !== act.length) return `expected ${exp.length} values, got ${act.length}`;
  for (let i = 0; i < exp.length; i++) {
    const e = exp[i];
    const a = act[i];
    if (typeof e === 'number' && typeof a === 'number') {
      if (Math.abs(a - e) > tolerance.absolute + tolerance.relative * Math.abs(e) || Number.isNaN(a) !== Number.isNaN(e)) {
        return `${Array.isArray(expected) ? `[${i}] ` : ''}expected ${e}, got ${a} (tolerance ${tolerance.absolute} + ${tolerance.relative}x)`;
      }
    } else if (String(e) !== String(a)) return `expected ${JSON.stringify(e)}, got ${JSON.stringify(a)}`;
  }
  return null;
}
