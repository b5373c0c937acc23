// The generated inference module end to end: generated for every runner fixture manifest,
// type-checked, transpiled and required, then run with onnxruntime-node against the fixture
// model; it must reproduce the manifest's golden outputs within its tolerance. Also: stable
// bytes on regeneration, a committed snapshot (regenerate with NB2PROD_UPDATE_FIXTURES=1 and
// review the diff), the hash check before the session, validation, int64 and hostile names.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor } from 'onnxruntime-node';
import { generateModule, writeModule, type GeneratedModule } from '../../../src/core/codegen';
import { codegenProject, typeCheck } from '../../../src/core/codegen/check';
import { validateManifest } from '../../../src/core/artifacts/manifest';
import { compareOutput, type OutputValue } from '../../../src/core/runner/tensors';
import { repoRoot } from '../../helpers/paths';
import { cleanup, compileAndLoad, copyArtifacts, fixtureManifests, tempDir, type GeneratedApi, type IssueLike } from './compile';

const fixtures = fixtureManifests();
const generated = new Map<string, GeneratedModule>();
let dir: string;

before(async () => {
  dir = tempDir('codegen-test');
  for (const f of fixtures) generated.set(f.name, await generateModule(f.manifest, join(dir, `${f.name}.ts`)));
});
after(() => cleanup(dir));

function load(name: string): GeneratedApi {
  const module = generated.get(name);
  assert.ok(module, `no module for ${name}`);
  return compileAndLoad<GeneratedApi>(module.text, dir, name);
}

test('the runner fixtures are there (at least one classifier and one regressor)', () => {
  const names = fixtures.map((f) => f.name);
  assert.ok(names.includes('linear-classifier') && names.includes('linear-regressor'), names.join(', '));
});

test('every generated module type-checks', () => {
  for (const [name, module] of generated) assert.deepEqual(module.diagnostics, [], name);
});

for (const fixture of fixtures) {
  test(`${fixture.name}: the generated module reproduces the golden outputs`, async () => {
    const manifest = validateManifest(JSON.parse(readFileSync(fixture.manifest, 'utf8')));
    assert.ok(manifest.ok);
    const { golden, model } = manifest.manifest;
    assert.ok(golden.rows.length > 0);
    const api = load(fixture.name);
    const loaded = await api.loadModel(fixture.artifacts);
    try {
      const predictions = await loaded.predict(golden.rows.map((r) => r.inputs));
      assert.equal(predictions.length, golden.rows.length);
      golden.rows.forEach((row, i) => {
        const prediction = predictions[i]!;
        for (const [name, expected] of Object.entries(row.outputs)) {
          const problem = compareOutput(expected, prediction.outputs[name] as OutputValue, golden.tolerance);
          assert.equal(problem, null, `golden row ${i}, output ${name}: ${problem}`);
        }
        if (model.task === 'classification') {
          assert.deepEqual(Object.keys(prediction.probabilities ?? {}), (model.classes ?? []).map(String));
          assert.ok((model.classes ?? []).includes(prediction.label as string | number));
        } else {
          assert.equal(typeof prediction.value, 'number');
        }
      });
    } finally {
      await loaded.release();
    }
  });
}

test('regenerating from an unchanged manifest gives byte-identical text, and writing it again changes nothing', async () => {
  const f = fixtures.find((x) => x.name === 'linear-classifier')!;
  const out = join(dir, 'stable.ts');
  const first = await writeModule(f.manifest, out);
  const second = await writeModule(f.manifest, out);
  assert.equal(first.status, 'created');
  assert.equal(second.status, 'unchanged');
  assert.equal(second.text, first.text);
  assert.equal(readFileSync(out, 'utf8'), first.text);
});

test('the committed snapshot matches (NB2PROD_UPDATE_FIXTURES=1 rewrites it)', async () => {
  const f = fixtures.find((x) => x.name === 'linear-classifier')!;
  const expected = join(repoRoot, 'test', 'fixtures', 'codegen', 'linear-classifier.ts');
  const module = await generateModule(f.manifest, expected);
  assert.deepEqual(module.diagnostics, []);
  if (process.env['NB2PROD_UPDATE_FIXTURES'] === '1') writeFileSync(expected, module.text);
  assert.ok(existsSync(expected), 'no snapshot: run with NB2PROD_UPDATE_FIXTURES=1');
  assert.equal(module.text, readFileSync(expected, 'utf8'), 'the generated module differs from test/fixtures/codegen/linear-classifier.ts');
  assert.match(module.text, /Manifest: \.\.\/models\/linear-classifier\/artifacts\/manifest\.json/);
  assert.match(module.text, /Run: fixture-linear-classifier/);
  assert.match(module.text, /Commit: not recorded/);
});

test("loadModel refuses a model whose bytes are not the manifest's, before creating a session", async () => {
  const f = fixtures.find((x) => x.name === 'linear-classifier')!;
  const api = load('linear-classifier');
  const tampered = copyArtifacts(f.artifacts, tempDir('codegen-tampered'));
  try {
    // Not even ONNX: had a session been created first, onnxruntime would fail with its own error.
    writeFileSync(join(tampered, 'model.onnx'), 'not a model');
    await assert.rejects(
      api.loadModel(tampered),
      (error: Error) =>
        error instanceof api.ModelIntegrityError &&
        /is not the model of run fixture-linear-classifier: its sha256 is [0-9a-f]{64}, the manifest says 7ecae403/.test(error.message),
    );
    await assert.rejects(api.loadModel(join(tampered, 'missing')), /cannot read the model/);
  } finally {
    cleanup(join(tampered, '..'));
  }
});

test('predict validates: invalid rows throw InvalidInputError naming row and feature; unseen categories and out-of-training-range values warn', async () => {
  const f = fixtures.find((x) => x.name === 'linear-classifier')!;
  const api = load('linear-classifier');
  const model = await api.loadModel(f.artifacts);
  try {
    await assert.rejects(
      model.predict([
        { age: 40, income: 1, city: 'rome' },
        { age: 'x', income: 1, city: 'rome' },
        { age: 200, income: 1, city: 'rome', extra: 1 },
        { income: 1, city: 'rome' },
      ]),
      (error: Error) => {
        assert.ok(error instanceof api.InvalidInputError);
        const issues = (error as Error & { issues: IssueLike[] }).issues.map((i) => `${i.row}:${i.feature}`);
        assert.deepEqual(issues.sort(), ['1:age', '2:age', '2:extra', '3:age']);
        return true;
      },
    );
    const [prediction] = await model.predict([{ age: 95, income: null, city: 'tokyo' }]);
    assert.deepEqual(prediction!.warnings.map((w) => w.feature).sort(), ['age', 'city']);
    assert.match(prediction!.warnings.find((w) => w.feature === 'age')!.message, /outside the range training saw \[18, 80\]/);
    assert.ok(['bronze', 'gold', 'silver'].includes(prediction!.label as string));
    assert.deepEqual(await model.predict([]), []);
  } finally {
    await model.release();
  }
});

test('int64 outputs stay exact (number when safe, string beyond 2^53), and hostile names cannot break the file', async () => {
  const source = fixtures.find((x) => x.name === 'linear-regressor')!;
  const work = tempDir('codegen-synthetic');
  try {
    const manifest = JSON.parse(readFileSync(source.manifest, 'utf8')) as Record<string, any>;
    const weird = 'we"ird */ name\n';
    manifest['run'].run_id = 'run */ with a comment end';
    manifest['run'].git = { commit: 'abc123', dirty: true };
    manifest['signature'].inputs = [
      { name: weird, dtype: 'int64', tensor_type: 'int64', required: true, nullable: false, min: 0, max: 10, categories: null },
      { name: 'class', dtype: 'object', tensor_type: 'string', required: false, nullable: true, min: null, max: null, categories: ['a"b', '`${x}`'] },
    ];
    manifest['signature'].outputs = [
      { name: 'count', dtype: 'int64', shape: [null] },
      { name: 'flag-out', dtype: 'bool', shape: [null, 2] },
    ];
    manifest['input_policy'] = { out_of_range: 'error', unseen_category: 'error' };
    // No model file: the layout comes from the signature, and the session below is a stand-in.
    manifest['artifacts'] = [{ role: 'model', path: 'artifacts/absent.onnx', format: 'onnx', sha256: '0'.repeat(64), bytes: 1 }];
    const manifestPath = join(work, 'manifest.json');
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const module = await generateModule(manifestPath, join(work, 'synthetic.ts'));
    assert.deepEqual(module.diagnostics, []);
    assert.match(module.plan.notes.join(' '), /absent\.onnx is not here/);
    assert.match(module.text, /Run: run \*\\\/ with a comment end/);
    assert.match(module.text, /Commit: abc123 \(with uncommitted changes\)/);
    const api = compileAndLoad<GeneratedApi>(module.text, work, 'synthetic');
    const big = 2n ** 60n + 1n;
    const session = {
      run: async (feeds: Record<string, Tensor>) => {
        assert.equal(feeds[weird]!.type, 'int64');
        assert.deepEqual([...(feeds[weird]!.data as BigInt64Array)], [3n, 10n]);
        assert.deepEqual(feeds['class']!.data, ['a"b', '']);
        return { count: new Tensor('int64', BigInt64Array.of(big, -42n), [2]), 'flag-out': new Tensor('bool', Uint8Array.of(1, 0, 0, 1), [2, 2]) };
      },
    };
    const model = new api.InferenceModel(session);
    const predictions = await model.predict([
      { [weird]: 3, class: 'a"b' },
      { [weird]: 10, class: null },
    ]);
    assert.deepEqual(
      predictions.map((p) => p.outputs),
      [
        { count: big.toString(), 'flag-out': [true, false] },
        { count: -42, 'flag-out': [false, true] },
      ],
    );
    // input_policy "error": the training range and the categories are part of the schema.
    const check = api.validateRows([{ [weird]: 11 }, { [weird]: 2.5 }, { [weird]: 1, class: 'c' }]);
    assert.deepEqual(
      check.errors.map((e) => `${e.row}:${e.feature}`),
      [`0:${weird}`, `1:${weird}`, '2:class'],
    );
  } finally {
    cleanup(work);
  }
});

test('a type error in the generated text is reported with its position', () => {
  const { morph, project, folder } = codegenProject();
  const file = project.createSourceFile(join(folder, 'broken.ts'), 'import { z } from "zod";\nexport const n: number = z.string().parse("x");\n', {
    overwrite: true,
  });
  try {
    const diagnostics = typeCheck(morph, file);
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0]!, /^2:14 Type 'string' is not assignable to type 'number'/);
  } finally {
    project.removeSourceFile(file);
  }
});

test("a model taking one [N, k] float tensor (the scaffold's export) gets the features packed in signature order", async () => {
  // test/fixtures/codegen/combined: X [N, 2] -> MatMul with [[2], [3]], so variable = 2 age + 3 income.
  const artifacts = join(repoRoot, 'test', 'fixtures', 'codegen', 'combined', 'artifacts');
  const module = await generateModule(join(artifacts, 'manifest.json'), join(dir, 'combined.ts'));
  assert.deepEqual(module.diagnostics, []);
  assert.deepEqual(module.plan.layout, { kind: 'combined', name: 'X', element: 'float32' });
  const api = compileAndLoad<GeneratedApi>(module.text, dir, 'combined');
  const model = await api.loadModel(artifacts);
  try {
    const predictions = await model.predict([
      { age: 30, income: 1000 },
      { age: 50, income: 20 },
    ]);
    assert.deepEqual(
      predictions.map((p) => p.value),
      [3060, 160],
    );
  } finally {
    await model.release();
  }
});
