// The protobuf reader and ONNX summary, and the fingerprint definition shared with Python.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOnnxModel } from '../../../src/core/artifacts/onnx-model';
import { canonicalJson, float32Hex, preprocessingParameters } from '../../../src/core/artifacts/fingerprint';
import { readVarint, ProtobufError } from '../../../src/core/artifacts/protobuf';
import { MODELS, fixtureManifest } from './fixtures';

test('varints: small, multi-byte and negative int64', () => {
  assert.deepEqual(readVarint(Uint8Array.from([0x96, 0x01]), 0), [150n, 2]);
  const minusOne = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  assert.equal(BigInt.asIntN(64, readVarint(minusOne, 0)[0]), -1n);
  assert.throws(() => readVarint(Uint8Array.from([0x80]), 0), ProtobufError);
});

test('the classifier fixture: inputs, outputs, ml nodes and the Reshape initializer', () => {
  const model = parseOnnxModel(readFileSync(join(MODELS, 'linear-classifier', 'artifacts', 'model.onnx')));
  assert.deepEqual(
    model.inputs.map((i) => [i.name, i.type.kind === 'tensor' ? i.type.elementType : '']),
    [
      ['age', 'float32'],
      ['income', 'float32'],
      ['city', 'string'],
    ],
  );
  assert.deepEqual(
    model.outputs.map((o) => o.name),
    ['label', 'probabilities'],
  );
  assert.deepEqual(model.initializerNames, ['onehot_shape']);
  assert.deepEqual(
    model.nodes.map((n) => n.opType),
    ['Concat', 'Imputer', 'Scaler', 'OneHotEncoder', 'Reshape', 'Concat', 'LinearClassifier'],
  );
  assert.deepEqual(model.externalData, []);
});

test('external data and ZipMap outputs are visible in the parse', () => {
  assert.deepEqual(parseOnnxModel(readFileSync(join(MODELS, 'external', 'model.onnx'))).externalData, [
    { tensor: 'w', location: 'weights.bin', where: 'graph initializer' },
  ]);
  const zipmap = parseOnnxModel(readFileSync(join(MODELS, 'zipmap', 'model.onnx')));
  assert.equal(zipmap.outputs[1]?.type.kind, 'sequence');
});

test('fingerprint: the TypeScript definition reproduces what the Python generator recorded', () => {
  for (const name of ['linear-classifier', 'linear-regressor', 'tree-classifier', 'tree-regressor']) {
    const manifest = JSON.parse(readFileSync(fixtureManifest(name), 'utf8')) as { preprocessing: { fingerprint: string; parameters: unknown } };
    const params = preprocessingParameters(parseOnnxModel(readFileSync(join(MODELS, name, 'artifacts', 'model.onnx'))));
    assert.equal(params.fingerprint, manifest.preprocessing.fingerprint, name);
    assert.deepEqual(params.readable, manifest.preprocessing.parameters, name);
  }
});

test('canonical JSON sorts keys; float32 hex is the big-endian bit pattern', () => {
  assert.equal(canonicalJson({ b: [1, 'x'], a: { d: null, c: true } }), '{"a":{"c":true,"d":null},"b":[1,"x"]}');
  assert.equal(float32Hex(1), 'f32:3f800000');
  assert.equal(float32Hex(Number.NaN), 'f32:7fc00000');
  assert.equal(float32Hex(-2.5), 'f32:c0200000');
});

test('malformed bytes throw a ProtobufError, not a crash', () => {
  const bytes = readFileSync(join(MODELS, 'linear-classifier', 'artifacts', 'model.onnx'));
  assert.throws(() => parseOnnxModel(bytes.subarray(0, bytes.length - 10)), ProtobufError);
});
