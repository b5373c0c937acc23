/**
 * The preprocessing fingerprint, method `onnx-ml-params/v1`: proof that inference uses the
 * fitted preprocessing training recorded, computed from the model file itself.
 *
 * Definition (the Python side implements the same; see scripts/fixtures/make_onnx_models.py):
 * 1. Take the main graph's nodes in stored order whose domain is `ai.onnx.ml` and whose op type
 *    is one of PREPROCESSING_OPS (Imputer, Scaler, OneHotEncoder, ...): the ops skl2onnx emits
 *    for fitted sklearn transformers, holding their fitted parameters as attributes.
 * 2. For each: `{"op": <op type>, "domain": "ai.onnx.ml", "attributes": {<name>: <value>}}` with
 *    every attribute; floats as `"f32:<8 lowercase hex digits of the big-endian float32 bits>"`,
 *    ints as `"i64:<decimal>"`, strings as UTF-8 text; repeated values as arrays.
 * 3. Serialize the list as canonical JSON: object keys sorted, no whitespace, non-ASCII kept
 *    (Python: `json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`).
 * 4. The fingerprint is the lowercase hex sha256 of that text's UTF-8 bytes.
 * Floats are written as bit patterns because decimal renderings differ between languages.
 */
import { createHash } from 'node:crypto';
import type { OnnxAttributeValue, OnnxModel } from './onnx-model';

/** The method name a manifest records in `preprocessing.fingerprint_method`. */
export const FINGERPRINT_METHOD = 'onnx-ml-params/v1';

/** ai.onnx.ml ops that carry fitted preprocessing parameters. */
export const PREPROCESSING_OPS: ReadonlySet<string> = new Set([
  'Imputer',
  'Scaler',
  'OneHotEncoder',
  'Normalizer',
  'Binarizer',
  'LabelEncoder',
  'CategoryMapper',
]);

type Canonical = string | string[];
type Readable = number | null | string | (number | null | string)[];

/** One preprocessing step, canonical (hashed) or readable (shown in messages). */
export interface PreprocessingStep<T> {
  op: string;
  domain: string;
  attributes: Record<string, T>;
}

/** The fitted preprocessing parameters found in a model, in both forms. */
export interface PreprocessingParameters {
  canonical: PreprocessingStep<Canonical>[];
  readable: PreprocessingStep<Readable>[];
  fingerprint: string;
}

/** Extracts the preprocessing parameters of a parsed model and their fingerprint. */
export function preprocessingParameters(model: OnnxModel): PreprocessingParameters {
  const canonical: PreprocessingStep<Canonical>[] = [];
  const readable: PreprocessingStep<Readable>[] = [];
  for (const node of model.nodes) {
    if (node.domain !== 'ai.onnx.ml' || !PREPROCESSING_OPS.has(node.opType)) continue;
    const names = [...node.attributes.keys()].sort();
    const c: Record<string, Canonical> = {};
    const r: Record<string, Readable> = {};
    for (const name of names) {
      const value = node.attributes.get(name)!;
      c[name] = canonicalValue(value);
      r[name] = readableValue(value);
    }
    canonical.push({ op: node.opType, domain: node.domain, attributes: c });
    readable.push({ op: node.opType, domain: node.domain, attributes: r });
  }
  return { canonical, readable, fingerprint: sha256Hex(canonicalJson(canonical)) };
}

/** JSON with sorted object keys and no whitespace. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

const bits = new DataView(new ArrayBuffer(4));

/** `f32:` and the big-endian bits of a float32 value. */
export function float32Hex(value: number): string {
  bits.setFloat32(0, value, false);
  return `f32:${bits.getUint32(0, false).toString(16).padStart(8, '0')}`;
}

function canonicalValue(value: OnnxAttributeValue): Canonical {
  switch (value.type) {
    case 'float':
      return float32Hex(value.value);
    case 'floats':
      return value.value.map(float32Hex);
    case 'int':
      return `i64:${value.value}`;
    case 'ints':
      return value.value.map((v) => `i64:${v}`);
    case 'string':
    case 'strings':
      return value.value;
    default:
      return 'unsupported';
  }
}

function readableValue(value: OnnxAttributeValue): Readable {
  const num = (v: number): number | null => (Number.isNaN(v) ? null : v);
  switch (value.type) {
    case 'float':
      return num(value.value);
    case 'floats':
      return value.value.map(num);
    case 'int':
      return Number(value.value);
    case 'ints':
      return value.value.map(Number);
    case 'string':
    case 'strings':
      return value.value;
    default:
      return null;
  }
}

function sha256Hex(textValue: string): string {
  return createHash('sha256').update(textValue, 'utf8').digest('hex');
}
