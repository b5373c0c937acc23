// Row validation classes: errors reject the row, training-range and unseen categories warn per policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { validateManifest, type Manifest } from '../../../src/core/artifacts/manifest';
import { RowValidator } from '../../../src/core/runner/validate';
import { InputFileError, parseCsv, parseRows } from '../../../src/core/runner/input-file';
import { fixtureManifest } from '../artifacts/fixtures';

function manifest(policy?: Record<string, string>): Manifest {
  const raw = JSON.parse(readFileSync(fixtureManifest('linear-classifier'), 'utf8')) as Record<string, unknown>;
  if (policy) raw['input_policy'] = policy;
  const result = validateManifest(raw);
  assert.ok(result.ok);
  return result.manifest;
}

const ok = { age: 40, income: 50000, city: 'rome' };
const kinds = (row: unknown, m = manifest()): string[] => new RowValidator(m).validate([row]).issues.map((i) => `${i.severity}:${i.kind}:${i.feature}`);

test('a valid row has no issues', () => assert.deepEqual(kinds(ok), []));
test('missing feature', () => assert.deepEqual(kinds({ age: 40, city: 'rome' }), ['error:missing:income']));
test('extra feature', () => assert.deepEqual(kinds({ ...ok, zip: '1000' }), ['error:extra:zip']));
test('wrong type (string for a number, number for a category, boolean)', () => {
  assert.deepEqual(kinds({ ...ok, age: '40' }), ['error:type:age']);
  assert.deepEqual(kinds({ ...ok, city: 3 }), ['error:type:city']);
  assert.deepEqual(kinds({ ...ok, age: true }), ['error:type:age']);
});
test('null where training never saw one; null allowed where it did', () => {
  assert.deepEqual(kinds({ ...ok, age: null }), ['error:null:age']);
  assert.deepEqual(kinds({ ...ok, income: null }), []);
});
test('outside the valid range is an error (and not also a warning)', () => {
  assert.deepEqual(kinds({ ...ok, age: -1 }), ['error:range:age']);
  assert.deepEqual(kinds({ ...ok, age: 131 }), ['error:range:age']);
});
test('outside the training range and unseen categories warn by default', () => {
  assert.deepEqual(kinds({ ...ok, age: 95 }), ['warning:training-range:age']);
  assert.deepEqual(kinds({ ...ok, city: 'tokyo' }), ['warning:unseen-category:city']);
});
test('input_policy can make them errors or silence them', () => {
  assert.deepEqual(kinds({ ...ok, age: 95, city: 'tokyo' }, manifest({ out_of_range: 'error', unseen_category: 'error' })), [
    'error:training-range:age',
    'error:unseen-category:city',
  ]);
  assert.deepEqual(kinds({ ...ok, age: 95, city: 'tokyo' }, manifest({ out_of_range: 'ignore', unseen_category: 'ignore' })), []);
});
test('a row that is not an object', () => assert.deepEqual(kinds([1, 2]), ['error:row:null']));

test('CSV: quotes, CRLF, numeric columns parsed, empty cells null, bad numbers kept for validation', () => {
  assert.deepEqual(parseCsv('a,b\r\n"x,1","say ""hi"""\r\n'), [
    ['a', 'b'],
    ['x,1', 'say "hi"'],
  ]);
  const rows = parseRows('age,income,city\n40,,rome\nabc,1,"paris"\n', '.csv', manifest());
  assert.deepEqual(rows, [
    { age: 40, income: null, city: 'rome' },
    { age: 'abc', income: 1, city: 'paris' },
  ]);
});
test('JSON, JSONL, and unusable input', () => {
  assert.equal(parseRows('[{"age":1},{"age":2}]', '.json', manifest()).length, 2);
  assert.equal(parseRows('{"age":1}\n\n{"age":2}\n', '.jsonl', manifest()).length, 2);
  assert.throws(() => parseRows('[{', '.json', manifest()), InputFileError);
  assert.throws(() => parseRows('a,b\n"x', '.csv', manifest()), InputFileError);
  assert.throws(() => parseRows('1', '.txt', manifest()), /unknown input format/);
});
