// The compiled pre-check in RowValidator and the compiled pass that validates and builds tensors
// at once (FeedReader) are only shortcuts: over many generated signatures, layouts and rows
// (valid, invalid and edge values), they give exactly the accepted rows and issue list of
// validating every row with zod, and the tensors buildFeeds makes of the accepted rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { validateManifest, type Manifest } from '../../../src/core/artifacts/manifest';
import { RowValidator } from '../../../src/core/runner/validate';
import { buildFeeds, type InputLayout } from '../../../src/core/runner/tensors';
import { fixtureManifest } from '../artifacts/fixtures';
import { prng } from '../../../scripts/prng';

const base = JSON.parse(readFileSync(fixtureManifest('linear-classifier'), 'utf8')) as Record<string, any>;
const TENSOR_TYPES = ['float32', 'float64', 'double', 'int64', 'int32', 'int8', 'uint8', 'string'];
const POLICIES = ['warn', 'error', 'ignore', undefined];
const CATEGORIES = ['berlin', 'paris', 'rome', 'paris'];

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

function signature(random: () => number): Manifest {
  const count = 1 + Math.floor(random() * 4);
  const inputs = Array.from({ length: count }, (_, i) => {
    const tensorType = pick(random, TENSOR_TYPES);
    const numeric = tensorType !== 'string';
    const min = numeric && random() < 0.7 ? Math.floor(random() * 20) - 5 : null;
    const max = min !== null ? min + Math.floor(random() * 50) : null;
    return {
      name: pick(random, ['age', 'income', 'city', 'x', '__proto__x']) + i,
      dtype: numeric ? 'float64' : 'object',
      tensor_type: tensorType,
      required: random() < 0.8,
      nullable: random() < 0.4,
      min,
      max,
      categories: !numeric && random() < 0.7 ? CATEGORIES.slice(0, 1 + Math.floor(random() * 4)) : null,
      valid_min: numeric && random() < 0.6 ? Math.floor(random() * 10) - 8 : random() < 0.5 ? null : undefined,
      valid_max: numeric && random() < 0.6 ? 30 + Math.floor(random() * 40) : random() < 0.5 ? null : undefined,
    };
  });
  const raw = structuredClone(base);
  raw['signature']['inputs'] = inputs.map((input) => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)));
  const outOfRange = pick(random, POLICIES);
  const unseen = pick(random, POLICIES);
  if (outOfRange || unseen) raw['input_policy'] = { ...(outOfRange ? { out_of_range: outOfRange } : {}), ...(unseen ? { unseen_category: unseen } : {}) };
  else delete raw['input_policy'];
  const result = validateManifest(raw);
  // Only the signature and the policy matter to RowValidator; use the raw object if other checks object.
  return result.ok ? result.manifest : (raw as Manifest);
}

const VALUES: unknown[] = [
  0,
  -0,
  1,
  -1,
  3,
  7.5,
  18,
  29.999,
  30,
  45,
  69,
  70,
  71,
  100,
  -8,
  -9,
  1e300,
  -1e300,
  2 ** 53 + 2,
  Number.NaN,
  Infinity,
  -Infinity,
  Number.EPSILON,
  '',
  '40',
  'berlin',
  'paris',
  'rome',
  'tokyo',
  'Berlin',
  'constructor',
  '__proto__',
  null,
  undefined,
  true,
  false,
  [],
  [1],
  {},
  { a: 1 },
];

function row(random: () => number, manifest: Manifest): unknown {
  const r = random();
  if (r < 0.02) return pick(random, [null, 1, 'row', [1, 2], undefined, true]);
  const record: Record<string, unknown> = {};
  for (const input of manifest.signature.inputs) {
    const p = random();
    if (p < 0.06) continue; // missing
    if (p < 0.5) {
      // A value of the right kind, mostly valid.
      record[input.name] =
        input.tensor_type === 'string'
          ? pick(random, ['berlin', 'paris', 'rome', 'tokyo'])
          : Math.round((random() * 90 - 10) * (random() < 0.5 ? 1 : 4)) / (random() < 0.7 ? 1 : 4);
    } else record[input.name] = pick(random, VALUES);
  }
  const extra = random();
  if (extra < 0.05) record['zip'] = '1000';
  else if (extra < 0.07) Object.defineProperty(record, '__proto__', { value: 1, enumerable: true });
  else if (extra < 0.09) return Object.assign(Object.create({ inherited: 1 }) as Record<string, unknown>, record);
  else if (extra < 0.1) return Object.assign(Object.create(null) as Record<string, unknown>, record);
  return record;
}

test('the pre-check gives the same accepted rows and issues as zod on every row (20,000 generated rows)', () => {
  const random = prng(20240501);
  let viaPrecheck = 0;
  let rejected = 0;
  let warned = 0;
  for (let s = 0; s < 200; s++) {
    const manifest = signature(random);
    const fast = new RowValidator(manifest);
    const reference = new RowValidator(manifest, { precheck: false });
    const schema = (fast as unknown as { schema: { safeParse(v: unknown): { success: boolean } } }).schema;
    const rows = Array.from({ length: 100 }, () => row(random, manifest));
    for (const r of rows) {
      if (fast.passesPrecheck(r)) {
        viaPrecheck++;
        assert.ok(
          schema.safeParse(r).success,
          `the pre-check accepted a row zod rejects: ${JSON.stringify(r)} for ${JSON.stringify(manifest.signature.inputs)}`,
        );
      }
    }
    const got = fast.validate(rows);
    const want = reference.validate(rows);
    assert.deepEqual(got, want, `signature ${JSON.stringify(manifest.signature.inputs)} policy ${JSON.stringify(manifest['input_policy'])}`);
    rejected += rows.length - want.accepted.length;
    warned += want.issues.filter((i) => i.severity === 'warning').length;
  }
  // The generator exercises all three outcomes, not just one.
  assert.ok(viaPrecheck > 2000, `rows through the pre-check: ${viaPrecheck}`);
  assert.ok(rejected > 2000, `rejected rows: ${rejected}`);
  assert.ok(warned > 500, `warnings: ${warned}`);
});

const SESSION_TYPES = ['float32', 'float64', 'int64', 'int32', 'string'];

function layoutFor(random: () => number, manifest: Manifest): InputLayout {
  if (random() < 0.3) return { kind: 'combined', name: 'input', type: pick(random, ['float32', 'float64']) };
  return { kind: 'per-feature', types: Object.fromEntries(manifest.signature.inputs.map((i) => [i.name, pick(random, SESSION_TYPES)])) };
}

test('validating and building tensors in one compiled pass gives validate and buildFeeds exactly (20,000 generated rows)', () => {
  const random = prng(20261127);
  let accepted = 0;
  let undecided = 0;
  for (let s = 0; s < 200; s++) {
    const manifest = signature(random);
    const layout = layoutFor(random, manifest);
    const fast = new RowValidator(manifest);
    const reference = new RowValidator(manifest, { precheck: false });
    const rows = Array.from({ length: 100 }, () => row(random, manifest));
    const start = Math.floor(random() * 20);
    const end = 100 - Math.floor(random() * 20);
    // The compiled pass, not the fallback to validate + buildFeeds, is what is compared here.
    assert.notEqual(
      (fast as unknown as { readerFor(l: InputLayout): unknown }).readerFor(layout),
      null,
      `compiles for ${JSON.stringify(manifest.signature.inputs)}`,
    );
    const got = fast.validateWithFeeds(rows, start, end, layout);
    const want = reference.validate(rows, start, end);
    const context = `signature ${JSON.stringify(manifest.signature.inputs)} policy ${JSON.stringify(manifest['input_policy'])} layout ${JSON.stringify(layout)}`;
    assert.deepEqual(got.accepted, want.accepted, context);
    assert.deepEqual(got.issues, want.issues, context);
    assert.deepEqual(
      got.feeds,
      buildFeeds(
        manifest.signature.inputs,
        layout,
        want.accepted.map((i) => rows[i] as Record<string, unknown>),
      ),
      context,
    );
    // Without the pre-check, the same through validate and buildFeeds.
    assert.deepEqual(reference.validateWithFeeds(rows, start, end, layout), { ...want, feeds: got.feeds }, context);
    accepted += want.accepted.length;
    undecided += rows.slice(start, end).filter((r) => !fast.passesPrecheck(r)).length;
  }
  assert.ok(accepted > 2000 && undecided > 2000, `accepted ${accepted}, left to zod ${undecided}`);
});

test('on the fixture signature, clean rows pass the pre-check and each kind of problem goes to zod', () => {
  const m = validateManifest(base);
  assert.ok(m.ok);
  const v = new RowValidator(m.manifest);
  const ok = { age: 40, income: 50000, city: 'rome' };
  assert.equal(v.passesPrecheck(ok), true);
  assert.equal(v.passesPrecheck({ ...ok, income: null }), true);
  assert.equal(v.passesPrecheck({ ...ok, age: 95, city: 'tokyo' }), true, 'warnings only: no zod needed');
  for (const bad of [
    { age: 40, city: 'rome' },
    { ...ok, zip: '1' },
    { ...ok, age: '40' },
    { ...ok, age: null },
    { ...ok, age: -1 },
    { ...ok, age: Number.NaN },
    { ...ok, city: 3 },
    [ok],
    null,
  ]) {
    assert.equal(v.passesPrecheck(bad), false, JSON.stringify(bad));
  }
});
