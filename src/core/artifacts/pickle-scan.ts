/**
 * The static pickle/joblib scanner behind PR305 and `nb2prod verify --scan`. It never unpickles:
 * it decompresses joblib's zlib/gzip files with node:zlib, interprets the opcodes symbolically
 * (pickle-vm.ts), skips joblib's inline numpy arrays by reading their header (shape, dtype and
 * alignment padding) so that whatever follows an array is scanned too, scans nested pickles
 * (object arrays), reports every global, and fails closed on anything it cannot follow.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync, inflateSync } from 'node:zlib';
import { isAllowedGlobal } from './pickle-allowlist';
import { dictGet, PickleParseError, runPickle, type FoundGlobal, type PValue } from './pickle-vm';
import { sha256Of } from './hash';

/** Largest decompressed size accepted: beyond it the file is treated as a decompression bomb. */
const MAX_DECOMPRESSED = 1024 * 1024 * 1024;

/** One distinct global, with how often and where it occurs. */
export interface ScannedGlobal {
  /** `module.name`. */
  global: string;
  allowed: boolean;
  count: number;
  /** Offset of the first occurrence, in the decompressed stream. */
  firstOffset: number;
  /** True when it occurs only inside a nested pickle (an object array). */
  nested: boolean;
}

/** What the scanner found in one file. */
export interface PickleScan {
  path: string;
  sha256: string | null;
  bytes: number;
  compression: 'none' | 'zlib' | 'gzip';
  /** False when the scanner could not follow the whole file (fail closed: treat it as unsafe). */
  complete: boolean;
  /** Why it is not complete: what could not be parsed and where. */
  error: string | null;
  globals: ScannedGlobal[];
  /** Globals outside the allowlist (PR305). */
  unsafe: string[];
  /** Inline numpy arrays skipped, and nested pickles scanned. */
  arrays: number;
  nestedPickles: number;
  /** Bytes after the end of the pickle (never loaded, but worth knowing). */
  trailingBytes: number;
}

/** Scans a file; never throws (an unreadable file is an incomplete scan). */
export async function scanPickleFile(path: string): Promise<PickleScan> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return emptyScan(path, null, 0, `cannot read the file: ${(error as Error).message}`);
  }
  return scanPickleBytes(path, bytes);
}

/** Scans bytes already read (and hashed by the caller, when it needs the hash). */
export function scanPickleBytes(path: string, bytes: Uint8Array, limits: { maxDecompressed?: number } = {}): PickleScan {
  const maxDecompressed = limits.maxDecompressed ?? MAX_DECOMPRESSED;
  const sha256 = sha256Of(bytes);
  let data: Uint8Array = bytes;
  let compression: PickleScan['compression'] = 'none';
  const refused = unsupportedCompression(bytes);
  if (refused) return emptyScan(path, sha256, bytes.length, refused);
  try {
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      compression = 'gzip';
      data = gunzipSync(bytes, { maxOutputLength: maxDecompressed });
    } else if (bytes[0] === 0x78 && bytes.length > 1 && (bytes[0] * 256 + bytes[1]!) % 31 === 0) {
      compression = 'zlib';
      data = inflateSync(bytes, { maxOutputLength: maxDecompressed });
    }
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
        ? `it decompresses to more than ${maxDecompressed.toLocaleString('en')} bytes, so it is treated as a decompression bomb`
        : (error as Error).message;
    return { ...emptyScan(path, sha256, bytes.length, `cannot decompress the ${compression} stream: ${why}`), compression };
  }
  const found: FoundGlobal[] = [];
  const counters = { arrays: 0, nested: 0 };
  let error: string | null = null;
  let end = data.length;
  try {
    if (data.length === 0) throw new PickleParseError('the file is empty', 0);
    end = runPickle(data, 0, found, 0, joblibArrays(data, found, counters));
  } catch (e) {
    if (!(e instanceof PickleParseError)) throw e;
    error = e.message;
  }
  const globals = summarize(found);
  return {
    path,
    sha256,
    bytes: bytes.length,
    compression,
    complete: error === null,
    error,
    globals,
    unsafe: globals.filter((g) => !g.allowed).map((g) => g.global),
    arrays: counters.arrays,
    nestedPickles: counters.nested,
    trailingBytes: error === null ? data.length - end : 0,
  };
}

function emptyScan(path: string, sha256: string | null, size: number, error: string): PickleScan {
  return { path, sha256, bytes: size, compression: 'none', complete: false, error, globals: [], unsafe: [], arrays: 0, nestedPickles: 0, trailingBytes: 0 };
}

/** Compressions joblib can write that node:zlib cannot read: refused with what to do instead. */
function unsupportedCompression(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]): boolean => sig.every((b, i) => bytes[i] === b);
  const advice = 're-save it uncompressed or with compress=("zlib", 3) so it can be checked';
  if (starts(0x42, 0x5a, 0x68)) return `bz2-compressed joblib file: nb2prod cannot decompress it to scan it; ${advice}`;
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00) || starts(0x5d, 0x00, 0x00))
    return `lzma/xz-compressed joblib file: nb2prod cannot decompress it to scan it; ${advice}`;
  if (starts(0x04, 0x22, 0x4d, 0x18)) return `lz4-compressed joblib file: nb2prod cannot decompress it to scan it; ${advice}`;
  if (starts(0x5a, 0x46)) return 'a joblib file of the pre-0.10 format (arrays in side files): re-save it with a current joblib';
  return null;
}

const WRAPPERS = new Set(['joblib.numpy_pickle.NumpyArrayWrapper', 'sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper']);

/**
 * The BUILD hook for joblib: after a NumpyArrayWrapper is built, its array's bytes follow in
 * the file (joblib's `write_array`): an optional alignment byte and padding, then
 * shape x itemsize raw bytes, or, for object arrays, a complete nested pickle.
 */
function joblibArrays(data: Uint8Array, found: FoundGlobal[], counters: { arrays: number; nested: number }) {
  return (target: PValue, pos: number, frameOpen: boolean, depth: number): number => {
    // Nested pickles are read by plain pickle.load: wrappers there carry no array bytes.
    if (depth > 0 || target.t !== 'obj' || target.cls.t !== 'global' || !WRAPPERS.has(`${target.cls.module}.${target.cls.name}`)) return pos;
    if (frameOpen) throw new PickleParseError('array data starts inside a pickle frame (joblib never writes this)', pos);
    const state = target.state;
    const shape = dictGet(state, 'shape');
    const dtype = describeDtype(dictGet(state, 'dtype'));
    if (shape === undefined || shape.t !== 'tuple' || !shape.items.every((i) => i.t === 'int' && i.v >= 0n)) {
      throw new PickleParseError('a joblib array header without a readable shape', pos);
    }
    if (typeof dtype === 'string') throw new PickleParseError(`a joblib array header with ${dtype}`, pos);
    counters.arrays++;
    if (dtype.hasObject) {
      counters.nested++;
      return runPickle(data, pos, found, depth + 1);
    }
    const alignment = dictGet(state, 'numpy_array_alignment_bytes');
    if (alignment !== undefined && alignment.t !== 'none') {
      if (pos >= data.length) throw new PickleParseError('truncated: the array padding byte is missing', pos);
      pos += 1 + data[pos]!;
    }
    const count = shape.items.reduce((n, i) => n * (i as { v: bigint }).v, 1n);
    const size = count * BigInt(dtype.itemsize);
    if (BigInt(pos) + size > BigInt(data.length)) {
      throw new PickleParseError(
        `truncated: an array of ${size} bytes (shape ${shape.items.map((i) => String((i as { v: bigint }).v)).join('x')}) runs past the end of the file`,
        pos,
      );
    }
    return pos + Number(size);
  };
}

/** Item size and object-ness of a pickled numpy dtype: `dtype(kind+size, ...)` with its BUILD state. */
function describeDtype(value: PValue | undefined): { itemsize: number; hasObject: boolean } | string {
  if (value === undefined || value.t !== 'obj' || value.cls.t !== 'global' || value.cls.name !== 'dtype') return 'no numpy dtype';
  const spec = value.args?.t === 'tuple' ? value.args.items[0] : undefined;
  const match = spec?.t === 'str' ? /^[<>|=]?([a-zA-Z])(\d*)$/.exec(spec.v) : null;
  if (!match) return 'a dtype that cannot be read';
  const kind = match[1]!;
  const state = value.state?.t === 'tuple' ? value.state.items : [];
  const elsize = state[5]?.t === 'int' ? Number(state[5].v) : -1;
  const flags = state[7]?.t === 'int' ? state[7].v : 0n;
  const hasObject = kind === 'O' || (flags & 1n) === 1n;
  const itemsize = elsize > 0 ? elsize : Number(match[2] || '0');
  if (!hasObject && itemsize <= 0) return `dtype ${spec?.t === 'str' ? spec.v : '?'} of unknown item size`;
  return { itemsize, hasObject };
}

function summarize(found: FoundGlobal[]): ScannedGlobal[] {
  const byName = new Map<string, ScannedGlobal>();
  for (const g of found) {
    const key = `${g.module}.${g.name}`;
    const seen = byName.get(key);
    if (seen) {
      seen.count++;
      seen.nested &&= g.depth > 0;
    } else {
      byName.set(key, { global: key, allowed: isAllowedGlobal(g.module, g.name), count: 1, firstOffset: g.offset, nested: g.depth > 0 });
    }
  }
  return [...byName.values()].sort((a, b) => a.firstOffset - b.firstOffset);
}
