// String tensors cross the child-process boundary packed (distinct values + codes) and come back identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serialize, deserialize } from 'node:v8';
import { packTensor, packTensors, unpackTensor, unpackTensors, type WireTensor } from '../../../src/core/runner/protocol';
import { mapOutputs } from '../../../src/core/runner/tensors';
import type { Manifest } from '../../../src/core/artifacts/manifest';

test('repeated strings are packed with the narrowest codes and unpack to the same tensor', () => {
  const data = Array.from({ length: 1000 }, (_, i) => ['bronze', 'gold', 'silver'][i % 3]!);
  const packed = packTensor({ type: 'string', dims: [1000], data });
  assert.ok('codes' in packed && packed.codes instanceof Uint8Array && packed.values.length === 3);
  assert.deepEqual(unpackTensor(deserialize(serialize(packed))), { type: 'string', dims: [1000], data });
  const wide = Array.from({ length: 2000 }, (_, i) => `v${i % 400}`);
  const p2 = packTensor({ type: 'string', dims: [2000, 1], data: wide });
  assert.ok('codes' in p2 && p2.codes instanceof Uint16Array);
  assert.deepEqual(unpackTensor(p2).data, wide);
});

test('up to 16 distinct strings are packed by comparison, more by hashing, and both unpack to the same tensor', () => {
  // Strings made at run time, as onnxruntime's labels are: equal contents, distinct string objects.
  const fresh = (i: number, k: number): string => ['class', String(i % k)].join('-');
  for (const k of [1, 2, 16, 17, 300]) {
    const data = Array.from({ length: 1200 }, (_, i) => fresh(i * 7, k));
    const packed = packTensor({ type: 'string', dims: [1200], data });
    assert.ok('codes' in packed, `${k} distinct values are packed`);
    assert.equal(packed.values.length, k);
    assert.equal(packed.codes instanceof Uint8Array, k <= 0x100);
    assert.deepEqual(unpackTensor(deserialize(serialize(packed))).data, data);
  }
  const mixed = Array.from({ length: 40 }, (_, i) => (i === 30 ? 7 : ['a', 'b'][i % 2]!)) as unknown as string[];
  const tensor: WireTensor = { type: 'string', dims: [40], data: mixed };
  assert.equal(packTensor(tensor), tensor, 'a non-string value: sent as it is');
});

test('numeric, short, mostly distinct and non-string tensors are sent as they are', () => {
  const floats: WireTensor = { type: 'float32', dims: [3, 1], data: new Float32Array([1, 2, 3]) };
  const short: WireTensor = { type: 'string', dims: [2], data: ['a', 'a'] };
  const distinct: WireTensor = { type: 'string', dims: [100], data: Array.from({ length: 100 }, (_, i) => `id-${i}`) };
  const feeds = { floats, short, distinct };
  const packed = packTensors(feeds);
  assert.equal(packed['floats'], floats);
  assert.equal(packed['short'], short);
  assert.equal(packed['distinct'], distinct);
  assert.deepEqual(unpackTensors(packed), feeds);
});

test('mapOutputs: labels, probabilities by class, regression values, bigint and boolean outputs', () => {
  const classifier = { model: { task: 'classification', classes: ['a', 'b'] } } as unknown as Manifest;
  const rows = mapOutputs(
    classifier,
    {
      label: { type: 'int64', dims: [2], data: new BigInt64Array([1n, 0n]) },
      probabilities: { type: 'float32', dims: [2, 2], data: new Float32Array([0.25, 0.75, 1, 0]) },
      flag: { type: 'bool', dims: [2, 1], data: [true, false] },
    },
    2,
  );
  assert.deepEqual(rows, [
    { outputs: { label: 1, probabilities: [0.25, 0.75], flag: 1 }, label: 1, probabilities: { a: 0.25, b: 0.75 } },
    { outputs: { label: 0, probabilities: [1, 0], flag: 0 }, label: 0, probabilities: { a: 1, b: 0 } },
  ]);
  const regressor = { model: { task: 'regression', classes: null } } as unknown as Manifest;
  assert.deepEqual(mapOutputs(regressor, { variable: { type: 'float32', dims: [2, 1], data: new Float32Array([1.5, 2]) } }, 2), [
    { outputs: { variable: 1.5 }, value: 1.5 },
    { outputs: { variable: 2 }, value: 2 },
  ]);
});
