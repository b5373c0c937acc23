/**
 * What nb2prod needs from an ONNX ModelProto, read with the wire-format reader (protobuf.ts):
 * graph inputs and outputs with their types, the nodes with their attributes (the fitted
 * preprocessing parameters live there), and every reference to external data, which nb2prod
 * refuses because those bytes would escape the artifact's hash. Field numbers are onnx.proto3's.
 */
import { fields, fixed32Float, packedFloats, packedVarints, text, type ProtoField } from './protobuf';

/** ONNX TensorProto.DataType values, as the element type names onnxruntime-node reports. */
export const ONNX_ELEMENT_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
};

/** The type of a graph input or output. */
export type OnnxValueType =
  | { kind: 'tensor'; elementType: string; shape: (number | string | null)[] | null }
  | { kind: 'sequence' | 'map' | 'optional' | 'sparse_tensor' | 'unknown' };

/** A graph input or output. */
export interface OnnxValueInfo {
  name: string;
  type: OnnxValueType;
}

/** One attribute value, decoded by its AttributeProto type. */
export type OnnxAttributeValue =
  | { type: 'float'; value: number }
  | { type: 'floats'; value: number[] }
  | { type: 'int'; value: bigint }
  | { type: 'ints'; value: bigint[] }
  | { type: 'string'; value: string }
  | { type: 'strings'; value: string[] }
  | { type: 'other' };

/** A node of the main graph. */
export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, OnnxAttributeValue>;
}

/** A tensor whose bytes live outside the model file. */
export interface ExternalReference {
  /** The tensor's name. */
  tensor: string;
  /** The `location` entry of its external_data (a file path relative to the model). */
  location: string;
  /** Where it was found (`initializer`, `attribute of node X`, `function F`). */
  where: string;
}

/** The summary of a ModelProto. */
export interface OnnxModel {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producer: string;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  nodes: OnnxNode[];
  initializerNames: string[];
  externalData: ExternalReference[];
}

/** Parses a serialized ModelProto; throws ProtobufError on malformed bytes. */
export function parseOnnxModel(bytes: Uint8Array): OnnxModel {
  const model: OnnxModel = { irVersion: 0, opsets: [], producer: '', inputs: [], outputs: [], nodes: [], initializerNames: [], externalData: [] };
  for (const f of fields(bytes)) {
    if (f.field === 1 && f.varint !== undefined) model.irVersion = Number(f.varint);
    else if (f.field === 2) model.producer = text(f.bytes);
    else if (f.field === 8 && f.bytes) model.opsets.push(parseOpset(f.bytes));
    else if (f.field === 7 && f.bytes) parseGraph(f.bytes, model, 'graph', true);
    else if (f.field === 25 && f.bytes) parseFunction(f.bytes, model);
  }
  return model;
}

function parseOpset(bytes: Uint8Array): { domain: string; version: number } {
  let domain = '';
  let version = 0;
  for (const f of fields(bytes)) {
    if (f.field === 1) domain = text(f.bytes);
    else if (f.field === 2 && f.varint !== undefined) version = Number(f.varint);
  }
  return { domain, version };
}

/** Walks a GraphProto; only the main graph's nodes and values are kept, subgraphs are searched for external data. */
function parseGraph(bytes: Uint8Array, model: OnnxModel, where: string, main: boolean): void {
  for (const f of fields(bytes)) {
    if (!f.bytes) continue;
    if (f.field === 1) {
      const node = parseNode(f.bytes, model, where);
      if (main) model.nodes.push(node);
    } else if (f.field === 5) {
      const name = checkTensor(f.bytes, model, `${where} initializer`);
      if (main) model.initializerNames.push(name);
    } else if (f.field === 15) checkSparseTensor(f.bytes, model, `${where} sparse initializer`);
    else if (main && f.field === 11) model.inputs.push(parseValueInfo(f.bytes));
    else if (main && f.field === 12) model.outputs.push(parseValueInfo(f.bytes));
  }
}

function parseFunction(bytes: Uint8Array, model: OnnxModel): void {
  let name = '';
  const nodes: Uint8Array[] = [];
  for (const f of fields(bytes)) {
    if (f.field === 1) name = text(f.bytes);
    else if (f.field === 7 && f.bytes) nodes.push(f.bytes);
  }
  for (const node of nodes) parseNode(node, model, `function ${name}`);
}

function parseNode(bytes: Uint8Array, model: OnnxModel, where: string): OnnxNode {
  const node: OnnxNode = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: new Map() };
  const attributes: Uint8Array[] = [];
  for (const f of fields(bytes)) {
    if (f.field === 1) node.inputs.push(text(f.bytes));
    else if (f.field === 2) node.outputs.push(text(f.bytes));
    else if (f.field === 3) node.name = text(f.bytes);
    else if (f.field === 4) node.opType = text(f.bytes);
    else if (f.field === 7) node.domain = text(f.bytes);
    else if (f.field === 5 && f.bytes) attributes.push(f.bytes);
  }
  const label = `${where} node ${node.name || node.opType}`;
  for (const attribute of attributes) {
    const [name, value] = parseAttribute(attribute, model, label);
    node.attributes.set(name, value);
  }
  return node;
}

/** AttributeProto.AttributeType values. */
const ATTRIBUTE_TYPES: Record<number, OnnxAttributeValue['type']> = { 1: 'float', 2: 'int', 3: 'string', 6: 'floats', 7: 'ints', 8: 'strings' };

function parseAttribute(bytes: Uint8Array, model: OnnxModel, where: string): [string, OnnxAttributeValue] {
  let name = '';
  let type = 0;
  let f32: number | undefined;
  let int: bigint | undefined;
  let str: string | undefined;
  const floats: number[] = [];
  const ints: bigint[] = [];
  const strings: string[] = [];
  for (const f of fields(bytes)) {
    if (f.field === 1) name = text(f.bytes);
    else if (f.field === 20 && f.varint !== undefined) type = Number(f.varint);
    else if (f.field === 2 && f.offset !== undefined) f32 = fixed32Float(bytes, f.offset);
    else if (f.field === 3 && f.varint !== undefined) int = BigInt.asIntN(64, f.varint);
    else if (f.field === 4) str = text(f.bytes);
    else if (f.field === 7) floats.push(...repeatedFloats(bytes, f));
    else if (f.field === 8) ints.push(...(f.bytes ? packedVarints(f.bytes) : [BigInt.asIntN(64, f.varint ?? 0n)]));
    else if (f.field === 9) strings.push(text(f.bytes));
    else if ((f.field === 5 || f.field === 10) && f.bytes) checkTensor(f.bytes, model, `${where} attribute`);
    else if ((f.field === 6 || f.field === 11) && f.bytes) parseGraph(f.bytes, model, `${where} subgraph`, false);
    else if ((f.field === 22 || f.field === 23) && f.bytes) checkSparseTensor(f.bytes, model, `${where} attribute`);
  }
  const kind = ATTRIBUTE_TYPES[type] ?? 'other';
  switch (kind) {
    case 'float':
      return [name, { type: kind, value: f32 ?? 0 }];
    case 'int':
      return [name, { type: kind, value: int ?? 0n }];
    case 'string':
      return [name, { type: kind, value: str ?? '' }];
    case 'floats':
      return [name, { type: kind, value: floats }];
    case 'ints':
      return [name, { type: kind, value: ints }];
    case 'strings':
      return [name, { type: kind, value: strings }];
    default:
      return [name, { type: 'other' }];
  }
}

function repeatedFloats(message: Uint8Array, f: ProtoField): number[] {
  if (f.bytes) return packedFloats(f.bytes);
  return f.offset === undefined ? [] : [fixed32Float(message, f.offset)];
}

/** Records a TensorProto's external data reference, if any; returns its name. */
function checkTensor(bytes: Uint8Array, model: OnnxModel, where: string): string {
  let name = '';
  let external = false;
  let location = '';
  for (const f of fields(bytes)) {
    if (f.field === 8) name = text(f.bytes);
    else if (f.field === 14 && f.varint === 1n) external = true;
    else if (f.field === 13 && f.bytes) {
      // Any external_data entry counts, even without data_location set: fail closed.
      external = true;
      let key = '';
      let value = '';
      for (const e of fields(f.bytes)) {
        if (e.field === 1) key = text(e.bytes);
        else if (e.field === 2) value = text(e.bytes);
      }
      if (key === 'location') location = value;
    }
  }
  if (external) model.externalData.push({ tensor: name, location, where });
  return name;
}

function checkSparseTensor(bytes: Uint8Array, model: OnnxModel, where: string): void {
  for (const f of fields(bytes)) if ((f.field === 1 || f.field === 2) && f.bytes) checkTensor(f.bytes, model, where);
}

function parseValueInfo(bytes: Uint8Array): OnnxValueInfo {
  let name = '';
  let type: OnnxValueType = { kind: 'unknown' };
  for (const f of fields(bytes)) {
    if (f.field === 1) name = text(f.bytes);
    else if (f.field === 2 && f.bytes) type = parseType(f.bytes);
  }
  return { name, type };
}

function parseType(bytes: Uint8Array): OnnxValueType {
  for (const f of fields(bytes)) {
    if (!f.bytes) continue;
    if (f.field === 1) return parseTensorType(f.bytes);
    if (f.field === 4) return { kind: 'sequence' };
    if (f.field === 5) return { kind: 'map' };
    if (f.field === 8) return { kind: 'sparse_tensor' };
    if (f.field === 9) return { kind: 'optional' };
  }
  return { kind: 'unknown' };
}

function parseTensorType(bytes: Uint8Array): OnnxValueType {
  let elementType = 'unknown';
  let shape: (number | string | null)[] | null = null;
  for (const f of fields(bytes)) {
    if (f.field === 1 && f.varint !== undefined) elementType = ONNX_ELEMENT_TYPES[Number(f.varint)] ?? `type ${f.varint}`;
    else if (f.field === 2 && f.bytes) {
      shape = [];
      for (const dim of fields(f.bytes)) {
        if (dim.field !== 1 || !dim.bytes) continue;
        let size: number | string | null = null;
        for (const d of fields(dim.bytes)) {
          if (d.field === 1 && d.varint !== undefined) size = Number(BigInt.asIntN(64, d.varint));
          else if (d.field === 2) size = text(d.bytes);
        }
        shape.push(size);
      }
    }
  }
  return { kind: 'tensor', elementType, shape };
}
