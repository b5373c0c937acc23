/**
 * A minimal protobuf wire-format reader: enough to walk an ONNX ModelProto without a generated
 * schema or a new dependency. Length-delimited fields are returned as views into the input
 * (never copied), so skipping a 50 MB `raw_data` costs nothing.
 */

/** Wire types of the protobuf encoding (groups, 3 and 4, are deprecated and refused). */
export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

/** A malformed or truncated protobuf message. */
export class ProtobufError extends Error {}

/** One field of a message, with its raw value. */
export interface ProtoField {
  field: number;
  wire: number;
  /** For varints: the value as a bigint (int64 fields may not fit a double). */
  varint?: bigint;
  /** For length-delimited fields: a view of the bytes. */
  bytes?: Uint8Array;
  /** For fixed32 fields: the 4 bytes' offset in `buffer`. */
  offset?: number;
}

/** Iterates the fields of one message, in wire order. */
export function* fields(buffer: Uint8Array, start = 0, end = buffer.length): Generator<ProtoField> {
  let pos = start;
  while (pos < end) {
    const [key, afterKey] = readVarint(buffer, pos, end);
    pos = afterKey;
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (field === 0) throw new ProtobufError(`field number 0 at byte ${pos}`);
    if (wire === WIRE.varint) {
      const [value, next] = readVarint(buffer, pos, end);
      pos = next;
      yield { field, wire, varint: value };
    } else if (wire === WIRE.bytes) {
      const [length, next] = readVarint(buffer, pos, end);
      const stop = next + Number(length);
      if (length > BigInt(end - next)) throw new ProtobufError(`a field of ${length} bytes at byte ${next} runs past the end of its message`);
      pos = stop;
      yield { field, wire, bytes: buffer.subarray(next, stop) };
    } else if (wire === WIRE.fixed32) {
      if (pos + 4 > end) throw new ProtobufError(`truncated fixed32 at byte ${pos}`);
      yield { field, wire, offset: pos };
      pos += 4;
    } else if (wire === WIRE.fixed64) {
      if (pos + 8 > end) throw new ProtobufError(`truncated fixed64 at byte ${pos}`);
      yield { field, wire, offset: pos };
      pos += 8;
    } else {
      throw new ProtobufError(`unsupported wire type ${wire} at byte ${pos}`);
    }
  }
}

/** Reads a varint at `pos`; returns it and the position after it. */
export function readVarint(buffer: Uint8Array, pos: number, end = buffer.length): [bigint, number] {
  // Fast path: up to 4 bytes fit a 28-bit number without bigint arithmetic.
  let small = 0;
  for (let i = 0; i < 4; i++) {
    if (pos + i >= end) throw new ProtobufError(`truncated varint at byte ${pos}`);
    const byte = buffer[pos + i]!;
    small |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) === 0) return [BigInt(small >>> 0), pos + i + 1];
  }
  let value = BigInt(small >>> 0);
  for (let i = 4; i < 10; i++) {
    if (pos + i >= end) throw new ProtobufError(`truncated varint at byte ${pos}`);
    const byte = buffer[pos + i]!;
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) return [value & 0xffffffffffffffffn, pos + i + 1];
  }
  throw new ProtobufError(`varint longer than 10 bytes at byte ${pos}`);
}

/** The varints of a packed repeated field, as signed 64-bit values. */
export function packedVarints(bytes: Uint8Array): bigint[] {
  const out: bigint[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const [value, next] = readVarint(bytes, pos);
    out.push(BigInt.asIntN(64, value));
    pos = next;
  }
  return out;
}

/** The float32 values of a packed repeated float field. */
export function packedFloats(bytes: Uint8Array): number[] {
  if (bytes.length % 4 !== 0) throw new ProtobufError('packed floats whose length is not a multiple of 4');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) out.push(view.getFloat32(i, true));
  return out;
}

/** The float32 at `offset` (a fixed32 field). */
export function fixed32Float(buffer: Uint8Array, offset: number): number {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength).getFloat32(offset, true);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A length-delimited field as UTF-8 text. */
export function text(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? '' : utf8.decode(bytes);
}
