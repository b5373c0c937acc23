// The runner: child process round trips, crash restart, timeout, session cache, predictions.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { RunnerClient, RunnerError } from '../../../src/core/runner/client';
import { BatchPlanner, chunkBounds, Predictor } from '../../../src/core/runner/predict';
import { fixtureManifest, scratchProject } from '../artifacts/fixtures';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const client = new RunnerClient({ timeoutMs: 5_000 });
after(() => client.dispose());

test('predicts the golden rows of the classifier with class names and probabilities', async () => {
  const predictor = await Predictor.open(fixtureManifest('linear-classifier'), { client });
  const golden = predictor.loaded.manifest.golden.rows;
  const report = await predictor.predict(golden.map((r) => r.inputs));
  assert.ok(report.ok);
  report.rows.forEach((row, i) => {
    assert.equal(row.status, 'ok');
    assert.equal(row.prediction?.label, golden[i]!.outputs['label']);
    const probabilities = row.prediction!.probabilities!;
    assert.deepEqual(Object.keys(probabilities), ['bronze', 'gold', 'silver']);
    assert.ok(Math.abs(Object.values(probabilities).reduce((a, b) => a + b, 0) - 1) < 1e-5);
  });
});

test('regressor and tree classifier (int64 labels) predict', async () => {
  const reg = await Predictor.open(fixtureManifest('linear-regressor'), { client });
  const r = await reg.predict([{ age: 40, income: 50000, city: 'paris' }]);
  assert.equal(typeof r.rows[0]!.prediction!.value, 'number');
  const tree = await Predictor.open(fixtureManifest('tree-classifier'), { client });
  const t = await tree.predict([{ age: 40, income: null }]);
  assert.ok([0, 1, 2].includes(t.rows[0]!.prediction!.label as number), 'missing income is imputed by the model');
});

test('rejected rows are reported next to predicted ones', async () => {
  const predictor = await Predictor.open(fixtureManifest('linear-classifier'), { client });
  const report = await predictor.predict([
    { age: 95, income: 1, city: 'rome' },
    { age: 40, city: 'rome' },
    { age: 40, income: 1, city: 'tokyo' },
  ]);
  assert.equal(report.ok, false);
  assert.deepEqual(
    report.rows.map((r) => r.status),
    ['warning', 'rejected', 'warning'],
  );
  assert.ok(report.rows[0]!.prediction && report.rows[2]!.prediction && !report.rows[1]!.prediction);
});

test('a report serializes as plain rows, each prediction decoded once when read', async () => {
  const predictor = await Predictor.open(fixtureManifest('linear-classifier'), { client });
  const rows = [
    { age: 30, income: 40000, city: 'paris' },
    { age: 'old', income: 1, city: 'rome' },
    { age: 40, income: 1, city: 'tokyo' },
  ];
  const report = await predictor.predict(rows);
  const plain = JSON.parse(JSON.stringify(report)) as { rows: Record<string, unknown>[] };
  assert.deepEqual(
    plain.rows.map((r) => Object.keys(r).sort()),
    [
      ['issues', 'prediction', 'row', 'status'],
      ['issues', 'row', 'status'],
      ['issues', 'prediction', 'row', 'status'],
    ],
  );
  const first = report.rows[0]!;
  assert.equal(first.prediction, first.prediction, 'decoded once, then kept');
  assert.deepEqual(plain.rows[0]!['prediction'], JSON.parse(JSON.stringify(first.prediction)));
  assert.deepEqual(Object.keys(first.prediction!.probabilities!), ['bronze', 'gold', 'silver']);
  assert.equal((plain.rows[2]!['issues'] as { kind: string }[])[0]!.kind, 'unseen-category');
  assert.deepEqual(structuredClone(JSON.parse(JSON.stringify(report.rows[1]))), { row: 1, status: 'rejected', issues: report.rows[1]!.issues });
});

test('the batch planner tries both ways, then takes the faster, and tries the slower one again now and then', () => {
  const planner = new BatchPlanner();
  const ways: boolean[] = [];
  const take = (msPerRow: (pipelined: boolean) => number, batches: number): void => {
    for (let i = 0; i < batches; i++) {
      const pipelined = planner.pipelineNext;
      ways.push(pipelined);
      planner.record(pipelined, msPerRow(pipelined));
    }
  };
  // A cheap model: the pipeline is faster.
  take((p) => (p ? 0.8 : 1.2), 18);
  assert.deepEqual(ways.slice(0, 2), [false, true], 'one request first, then a pipeline');
  assert.deepEqual(
    ways
      .slice(2)
      .map((p, i) => [i + 2, p])
      .filter(([, p]) => !p)
      .map(([i]) => i),
    [8, 16],
    'one request again every 8th batch',
  );
  // The machine gets busy and the pipeline loses: within a few batches the planner follows.
  ways.length = 0;
  take((p) => (p ? 2.0 : 1.2), 12);
  assert.ok(ways.slice(-6).filter((p) => p).length <= 1, `one request after the change: ${ways.join(' ')}`);
});

test('a predictor sends its first large batch in one request and its second as a pipeline', async () => {
  const predictor = await Predictor.open(fixtureManifest('linear-classifier'), { client });
  const rows = Array.from({ length: 3000 }, (_, i) => ({ age: 20 + (i % 50), income: 1000 + i, city: 'rome' }));
  assert.equal(predictor.pipelinesNext, false);
  await predictor.predict(rows.slice(0, 2048));
  assert.equal(predictor.pipelinesNext, false, 'a batch that is always one request measures nothing');
  await predictor.predict(rows);
  assert.equal(predictor.pipelinesNext, true);
});

test('a batch is cut into chunks that cover every row once, small ones first and last', () => {
  for (const n of [0, 1, 2048, 2049, 10_000, 123_457]) {
    const bounds = chunkBounds(n);
    let next = 0;
    for (const [from, to] of bounds) {
      assert.equal(from, next, `n=${n}: contiguous`);
      assert.ok(to > from || n === 0, `n=${n}: not empty`);
      next = to;
    }
    assert.equal(next, n, `n=${n}: covers every row`);
  }
  assert.deepEqual(chunkBounds(2048), [[0, 2048]], 'a small batch is one request');
  assert.deepEqual(
    chunkBounds(10_000).map(([a, b]) => b - a),
    [512, 4096, 4880, 512],
  );
  assert.ok(chunkBounds(123_457).every(([a, b]) => b - a <= 8192));
});

test('a chunked batch predicts each row as it predicts alone, and rejects bad rows in any chunk', async () => {
  const predictor = await Predictor.open(fixtureManifest('linear-classifier'), { client });
  const cities = ['berlin', 'paris', 'rome'];
  const rows: Record<string, unknown>[] = Array.from({ length: 7000 }, (_, i) => ({
    age: 18 + (i % 60),
    income: 1000 + ((i * 7919) % 90000),
    city: cities[i % 3]!,
  }));
  // A bad row in the first, a middle and the last chunk (see chunkBounds), and an unseen category.
  const bad = [3, 4000, 6999];
  for (const i of bad) rows[i] = { age: 'old', income: 1, city: 'rome' };
  rows[5000] = { age: 40, income: 1000, city: 'tokyo' };
  const report = await predictor.predict(rows, { pipeline: true });
  const single = await predictor.predict(rows, { pipeline: false });
  assert.deepEqual(
    single.rows.map((r) => [r.status, r.issues, r.prediction?.label]),
    report.rows.map((r) => [r.status, r.issues, r.prediction?.label]),
    'pipelined or not, the same report',
  );
  // Batches of other sizes take other SIMD paths: probabilities equal up to float rounding.
  single.rows.forEach((r, i) => {
    for (const [name, p] of Object.entries(r.prediction?.probabilities ?? {}))
      assert.ok(Math.abs(report.rows[i]!.prediction!.probabilities![name]! - p) < 1e-6, `row ${i} ${name}`);
  });
  assert.equal(report.ok, false);
  assert.equal(report.rows.length, rows.length);
  assert.deepEqual(
    report.rows.flatMap((r, i) => (r.status === 'rejected' ? [i] : [])),
    bad,
  );
  assert.deepEqual(
    report.rows.flatMap((r, i) => (r.status === 'warning' ? [i] : [])),
    [5000],
  );
  report.rows.forEach((r, i) => {
    assert.equal(r.row, i);
    assert.equal(r.prediction === undefined, bad.includes(i), `row ${i}`);
  });
  for (const i of [0, 511, 512, 4607, 4608, 5000, 6487, 6488, 6998]) {
    const alone = (await predictor.predict([rows[i]])).rows[0]!.prediction!;
    const batched = report.rows[i]!.prediction!;
    assert.equal(batched.label, alone.label, `row ${i}`);
    // Batched and single-row runs take different SIMD paths: equal up to float rounding.
    for (const [name, p] of Object.entries(alone.probabilities!)) assert.ok(Math.abs(batched.probabilities![name]! - p) < 1e-6, `row ${i} ${name}`);
  }
});

test('a model changed after the manifest was written is refused before predicting', async () => {
  const { root, manifest } = scratchProject('linear-regressor');
  const path = join(root, 'artifacts', 'model.onnx');
  const bytes = readFileSync(path);
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
  writeFileSync(path, bytes);
  await assert.rejects(Predictor.open(manifest, { client }), /not the file training wrote/);
});

test('the child restarts after a crash, and sessions are cached per sha256', async () => {
  const own = new RunnerClient();
  try {
    const predictor = await Predictor.open(fixtureManifest('tree-regressor'), { client: own });
    const first = await own.ping();
    assert.equal(first.sessions, 1);
    await predictor.predict([{ age: 30, income: 1000 }]);
    assert.equal((await own.ping()).sessions, 1, 'the run reused the session inspect created');
    process.kill(first.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const report = await predictor.predict([{ age: 30, income: 1000 }]);
    assert.ok(report.rows[0]!.prediction, 'the session is recreated from the hashed file in a new child');
    assert.notEqual((await own.ping()).pid, first.pid);
    assert.equal(own.restarts, 1);
  } finally {
    own.dispose();
  }
});

test('a request that takes too long times out, and the next one gets a fresh child', async () => {
  const own = new RunnerClient({ timeoutMs: 1_500 });
  try {
    // Cold starts are not what this test times: they may take seconds on a loaded machine.
    const { pid } = await own.ping(0, 60_000);
    await assert.rejects(own.ping(5_000), (e: unknown) => e instanceof RunnerError && /did not answer within 1500 ms/.test(e.message));
    const next = await own.ping(0, 60_000);
    assert.notEqual(next.pid, pid);
    assert.equal(own.restarts, 1);
  } finally {
    own.dispose();
  }
});
