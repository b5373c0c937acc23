// The Python backend and `--backend both` on the python-parity fixtures
// (scripts/fixtures/make_python_parity.py): agreeing and disagreeing ONNX/joblib pairs, refusal
// of tampered artifacts before Python runs, tracebacks as readable errors, timeouts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { availableBackends, defaultBackend } from '../../../src/core/runner/parity';
import { PythonBackendError, PythonPredictor } from '../../../src/core/runner/python-backend';
import { loadManifest } from '../../../src/core/artifacts/manifest-file';
import { editManifest, fixtureManifest, MODELS } from '../artifacts/fixtures';

const python = process.env['NB2PROD_PYTHON'] ?? '/usr/bin/python3';
const probe = spawnSync(python, ['-c', 'import sklearn, pandas, joblib'], { encoding: 'utf8' });
const skip = probe.status !== 0 && !process.env['CI'] ? `skipped: ${python} lacks sklearn, pandas or joblib` : false;

/** A scratch copy of a python-parity fixture (scratchProject cannot take a nested name). */
function scratchProject(name: string): { root: string; manifest: string } {
  const root = mkdtempSync(join(tmpdir(), 'nb2prod-parity-'));
  cpSync(join(MODELS, 'python-parity', name), root, { recursive: true });
  return { root, manifest: join(root, 'artifacts', 'manifest.json') };
}

function rowsFile(rows: unknown[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'nb2prod-rows-')), 'rows.json');
  writeFileSync(path, JSON.stringify(rows));
  return path;
}

function goldenInputs(name: string): Record<string, unknown>[] {
  const manifest = JSON.parse(readFileSync(fixtureManifest(name), 'utf8')) as { golden: { rows: { inputs: Record<string, unknown> }[] } };
  return manifest.golden.rows.map((r) => r.inputs);
}

test('default backend: onnx with an ONNX artifact, python without; both only when both exist', async () => {
  const agree = (await loadManifest(fixtureManifest('python-parity/agree'))).manifest;
  const only = (await loadManifest(fixtureManifest('python-parity/python-only'))).manifest;
  assert.equal(defaultBackend(agree), 'onnx');
  assert.equal(defaultBackend(only), 'python');
  assert.deepEqual(availableBackends(agree), ['onnx', 'python', 'both']);
  assert.deepEqual(availableBackends(only), ['python']);
});

test('both: an ONNX graph and the joblib pipeline it was converted from agree', { skip, timeout: 60_000 }, async () => {
  const result = await main([
    'predict',
    '--manifest',
    fixtureManifest('python-parity/agree'),
    '--input',
    rowsFile(goldenInputs('python-parity/agree')),
    '--backend',
    'both',
    '--python',
    python,
    '--format',
    'json',
  ]);
  assert.equal(result.exitCode, 0, result.stdout + result.stderr);
  const body = JSON.parse(result.stdout) as {
    parity: { ok: boolean; rowsCompared: number; outputs: { output: string; maxAbsDiff: number; labelAgreement: number | null; shareOverTolerance: number }[] };
  };
  assert.equal(body.parity.ok, true);
  assert.equal(body.parity.rowsCompared, 8);
  const [label, probabilities] = body.parity.outputs;
  assert.equal(label!.labelAgreement, 1);
  assert.equal(probabilities!.shareOverTolerance, 0);
  assert.ok(probabilities!.maxAbsDiff > 0 && probabilities!.maxAbsDiff < 1e-6, `float32 ONNX vs float64 sklearn: ${probabilities!.maxAbsDiff}`);
});

test('both: an encoder with another category order disagrees, and the rows are named', { skip, timeout: 60_000 }, async () => {
  const rows = goldenInputs('python-parity/disagree');
  const result = await main([
    'predict',
    '--manifest',
    fixtureManifest('python-parity/disagree'),
    '--input',
    rowsFile(rows),
    '--backend',
    'both',
    '--python',
    python,
  ]);
  assert.equal(result.exitCode, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /backends DISAGREE on 8 rows/);
  assert.match(result.stdout, /label: label agreement \d+\.\d% \(\d+ rows differ\)/);
  // Paris rows agree (its one-hot column kept its place); every named row is from berlin or rome.
  const named = [...result.stdout.matchAll(/^ {2}row (\d+) /gm)].map((m) => Number(m[1]));
  assert.ok(named.length > 0);
  for (const row of named) assert.notEqual(rows[row]!['city'], 'paris', `row ${row} is from paris`);
  const json = JSON.parse(
    (
      await main([
        'predict',
        '--manifest',
        fixtureManifest('python-parity/disagree'),
        '--input',
        rowsFile(rows),
        '--backend',
        'both',
        '--python',
        python,
        '--format',
        'json',
      ])
    ).stdout,
  ) as { ok: boolean; parity: { ok: boolean; worst: { row: number }[] } };
  assert.equal(json.ok, false);
  assert.equal(json.parity.ok, false);
  assert.deepEqual(new Set(json.parity.worst.map((w) => rows[w.row]!['city'] !== 'paris')), new Set([true]));
});

test('python is the default backend without ONNX; exit 1 for a rejected row, 2 for a missing interpreter', { skip, timeout: 60_000 }, async () => {
  const manifest = fixtureManifest('python-parity/python-only');
  const ok = await main(['predict', '--manifest', manifest, '--input', rowsFile(goldenInputs('python-parity/agree')), '--python', python]);
  assert.equal(ok.exitCode, 0, ok.stderr);
  assert.match(ok.stdout, /8 of 8 rows predicted \(python\)/);
  const rejected = await main([
    'predict',
    '--manifest',
    manifest,
    '--input',
    rowsFile([
      { age: 40, income: 1, city: 'rome' },
      { age: 40, city: 'rome' },
    ]),
    '--python',
    python,
  ]);
  assert.equal(rejected.exitCode, 1);
  assert.match(rejected.stdout, /error income: missing feature `income`/);
  const noPython = await main([
    'predict',
    '--manifest',
    manifest,
    '--input',
    rowsFile([{ age: 40, income: 1, city: 'rome' }]),
    '--python',
    '/nonexistent/python3',
  ]);
  assert.equal(noPython.exitCode, 2);
  assert.match(noPython.stderr, /cannot start Python `\/nonexistent\/python3`/);
  const onnx = await main(['predict', '--manifest', manifest, '--input', rowsFile([{ age: 40, income: 1, city: 'rome' }]), '--backend', 'onnx']);
  assert.equal(onnx.exitCode, 2);
  assert.match(onnx.stderr, /lists no ONNX artifact/);
});

test('a changed joblib is refused before Python starts', async () => {
  const { root, manifest } = scratchProject('agree');
  const path = join(root, 'artifacts', 'model.joblib');
  const bytes = readFileSync(path);
  bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 1;
  writeFileSync(path, bytes);
  // The interpreter does not exist: a refusal here cannot have come from Python.
  await assert.rejects(
    PythonPredictor.open(manifest, { python: '/nonexistent/python3' }),
    /refusing to load artifacts\/model\.joblib in Python: .*not the file training wrote/,
  );
});

test('an exception in the project pipeline is one readable line, with the traceback as details', { skip, timeout: 60_000 }, async () => {
  // The signature says `income` is a category, so validation lets a string through and sklearn's imputer fails.
  const { manifest } = scratchProject('python-only');
  editManifest(manifest, (m) => {
    const income = m['signature'].inputs.find((i: { name: string }) => i.name === 'income');
    Object.assign(income, { tensor_type: 'string', dtype: 'object', categories: ['lots'], min: null, max: null });
  });
  const predictor = await PythonPredictor.open(manifest, { python });
  try {
    const error = await predictor.predict([{ age: 40, income: 'lots', city: 'rome' }]).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof PythonBackendError);
    assert.match(error.message, /^the project's pipeline failed on 1 row: ValueError: /);
    assert.ok(!error.message.includes('\n'));
    assert.match(error.details ?? '', /Traceback \(most recent call last\)/);
    const pid = predictor.pid;
    assert.ok(pid, 'the process survives a failing request');
    const again = await predictor.predict([{ age: 40, income: 'lots', city: 'rome' }]).catch((e: unknown) => e);
    assert.ok(again instanceof PythonBackendError);
    assert.equal(predictor.pid, pid, 'the same process answered the next request');
  } finally {
    predictor.dispose();
  }
});

test("an interpreter without the model's packages is named in one line, with what to do", { skip, timeout: 60_000 }, async () => {
  // The same Python without site-packages: sklearn and joblib cannot be imported.
  const bare = join(mkdtempSync(join(tmpdir(), 'nb2prod-barepy-')), 'python');
  writeFileSync(bare, `#!/bin/sh\nexec ${python} -S "$@"\n`);
  chmodSync(bare, 0o755);
  const result = await main([
    'predict',
    '--manifest',
    fixtureManifest('python-parity/python-only'),
    '--input',
    rowsFile([{ age: 40, income: 1, city: 'rome' }]),
    '--python',
    bare,
  ]);
  assert.equal(result.exitCode, 2);
  assert.match(
    result.stderr,
    /^nb2prod: Python could not load artifacts\/model\.joblib with \S+: ModuleNotFoundError: No module named '\w+'; this interpreter lacks a package the model needs: use the project's \(--python PATH or NB2PROD_PYTHON\)\n$/,
  );
});

test('an interpreter that never answers times out and is stopped', async () => {
  const fake = join(mkdtempSync(join(tmpdir(), 'nb2prod-fakepy-')), 'python');
  writeFileSync(fake, '#!/bin/sh\nexec sleep 30\n');
  chmodSync(fake, 0o755);
  const started = performance.now();
  await assert.rejects(
    PythonPredictor.open(fixtureManifest('python-parity/python-only'), { python: fake, timeoutMs: 800 }),
    /did not load artifacts\/model\.joblib within 800 ms/,
  );
  assert.ok(performance.now() - started < 5_000);
});
