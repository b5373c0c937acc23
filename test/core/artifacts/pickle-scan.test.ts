// The static pickle/joblib scanner: real joblib files written by sklearn/joblib, never unpickled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { join } from 'node:path';
import { scanPickleBytes, scanPickleFile } from '../../../src/core/artifacts/pickle-scan';
import { isAllowedGlobal } from '../../../src/core/artifacts/pickle-allowlist';
import { pickleChecks, type VerifyCheck } from '../../../src/core/artifacts/pickle-checks';
import { MODELS } from './fixtures';

const pickles = (name: string): string => join(MODELS, 'pickles', name);

test('a benign sklearn pipeline dumped by joblib scans complete and clean, arrays skipped', async () => {
  const scan = await scanPickleFile(pickles('benign_pipeline.joblib'));
  assert.equal(scan.error, null);
  assert.ok(scan.complete);
  assert.deepEqual(scan.unsafe, []);
  assert.ok(scan.arrays >= 5, `arrays: ${scan.arrays}`);
  assert.ok(scan.nestedPickles >= 1, 'object arrays (feature names) are nested pickles');
  assert.ok(scan.globals.some((g) => g.global === 'sklearn.pipeline.Pipeline'));
  assert.equal(scan.trailingBytes, 0);
});

test('a random forest (structured numpy dtype for tree nodes) scans clean', async () => {
  const scan = await scanPickleFile(pickles('benign_forest.joblib'));
  assert.ok(scan.complete, scan.error ?? '');
  assert.deepEqual(scan.unsafe, []);
  assert.ok(scan.globals.some((g) => g.global === 'sklearn.tree._tree.Tree'));
});

test('a tuned model (GridSearchCV) scans clean: its masked arrays and its scorer are allowed', async () => {
  const scan = await scanPickleFile(pickles('benign_search.joblib'));
  assert.ok(scan.complete, scan.error ?? '');
  assert.deepEqual(scan.unsafe, []);
  for (const name of [
    'sklearn.model_selection._search.GridSearchCV',
    'numpy.ma.core.MaskedArray',
    'sklearn.metrics._scorer._passthrough_scorer',
    'builtins.slice',
  ]) {
    assert.ok(
      scan.globals.some((g) => g.global === name && g.allowed),
      name,
    );
  }
});

test("globals training recorded in protocol 2 spelling match the joblib file's protocol 4 spelling", async () => {
  const scan = await scanPickleFile(pickles('benign_search.joblib'));
  const recorded = scan.globals.map((g) => g.global.replace(/^builtins\./, '__builtin__.'));
  assert.ok(recorded.includes('__builtin__.slice'));
  const checks: VerifyCheck[] = [];
  pickleChecks(scan, recorded, checks);
  assert.deepEqual(
    checks.filter((c) => c.status !== 'pass'),
    [],
  );
  // A global training did not record is still named.
  const fewer: VerifyCheck[] = [];
  pickleChecks(
    scan,
    recorded.filter((g) => g !== '__builtin__.slice'),
    fewer,
  );
  assert.deepEqual(
    fewer.filter((c) => c.status !== 'pass').map((c) => c.found),
    ['builtins.slice'],
  );
});

test('a dangerous global placed AFTER a numpy array is found', async () => {
  const scan = await scanPickleFile(pickles('global_after_array.joblib'));
  assert.ok(scan.complete, scan.error ?? '');
  assert.deepEqual(scan.unsafe, ['posix.system']);
  const g = scan.globals.find((x) => x.global === 'posix.system')!;
  assert.ok(g.firstOffset > 2000 * 8, `the global sits after the 16,000 array bytes (offset ${g.firstOffset})`);
});

test('zlib- and gzip-compressed joblib files are decompressed and scanned', async () => {
  for (const [name, compression] of [
    ['benign_compressed.joblib', 'zlib'],
    ['benign_gzip.joblib', 'gzip'],
  ] as const) {
    const scan = await scanPickleFile(pickles(name));
    assert.equal(scan.compression, compression);
    assert.ok(scan.complete && scan.unsafe.length === 0, `${name}: ${scan.error}`);
  }
  const evil = await scanPickleFile(pickles('global_after_array_compressed.joblib'));
  assert.equal(evil.compression, 'zlib');
  assert.deepEqual(evil.unsafe, ['posix.system']);
});

test('lzma-compressed joblib fails closed with a clear message', async () => {
  const scan = await scanPickleFile(pickles('benign_lzma.joblib'));
  assert.equal(scan.complete, false);
  assert.match(scan.error ?? '', /lzma\/xz-compressed.*re-save/);
});

test('a decompression bomb fails closed, named as one, without inflating it all', () => {
  const bomb = deflateSync(Buffer.alloc(4 * 1024 * 1024));
  const scan = scanPickleBytes('bomb.joblib', bomb, { maxDecompressed: 1024 * 1024 });
  assert.equal(scan.complete, false);
  assert.equal(scan.compression, 'zlib');
  assert.equal(scan.error, 'cannot decompress the zlib stream: it decompresses to more than 1,048,576 bytes, so it is treated as a decompression bomb');
});

test('a truncated file fails closed', async () => {
  const scan = await scanPickleFile(pickles('truncated.joblib'));
  assert.equal(scan.complete, false);
  assert.match(scan.error ?? '', /truncated/);
});

test('a global inside a nested pickle (object array) is found and marked nested', async () => {
  const scan = await scanPickleFile(pickles('nested_object_array.joblib'));
  assert.ok(scan.complete, scan.error ?? '');
  assert.equal(scan.nestedPickles, 1);
  const g = scan.globals.find((x) => x.global === 'posix.system');
  assert.ok(g?.nested);
});

test('protocol 0 and protocol 2 pickles are read; INST/GLOBAL/REDUCE globals reported', async () => {
  const p0 = await scanPickleFile(pickles('protocol0.pkl'));
  assert.ok(p0.complete, p0.error ?? '');
  assert.deepEqual(p0.unsafe, [], '__builtin__.slice is builtins.slice');
  const p2 = await scanPickleFile(pickles('protocol2_evil.pkl'));
  assert.deepEqual(p2.unsafe, ['posix.system']);
});

test('hand-written opcodes: STACK_GLOBAL from memo, INST, OBJ, unknown opcode, EXT, empty', () => {
  const enc = (s: string): Buffer => Buffer.from(s, 'latin1');
  // protocol 4: SHORT_BINUNICODE 'os' MEMOIZE, SHORT_BINUNICODE 'system' MEMOIZE, BINGET 0, BINGET 1, STACK_GLOBAL ... STOP
  const stackGlobal = Buffer.concat([enc('\x80\x04\x8c\x02os\x94\x8c\x06system\x94h\x00h\x01\x93\x94'), enc('\x8c\x02id\x85R.')]);
  // The memo is read back: module and name come from BINGET 0/1 (the first pair was popped by nothing, so pop it).
  const scan = scanPickleBytes('x', Buffer.concat([enc('\x80\x04\x8c\x02os\x94\x8c\x06system\x94\x93\x94\x8c\x02id\x85R.')]));
  assert.deepEqual(scan.unsafe, ['os.system']);
  const stray = scanPickleBytes('x', stackGlobal);
  assert.equal(stray.complete, false, 'extra values left on the stack at STOP fail closed');
  assert.deepEqual(scanPickleBytes('x', enc("(ios\nsystem\nS'id'\n.")).unsafe, ['os.system'], 'INST');
  assert.deepEqual(scanPickleBytes('x', enc("(cos\nsystem\nS'id'\no.")).unsafe, ['os.system'], 'OBJ');
  assert.match(scanPickleBytes('x', enc('\x80\x02\xff.')).error ?? '', /unknown opcode 0xff/);
  assert.match(scanPickleBytes('x', enc('\x80\x02\x82\x01.')).error ?? '', /extension-registry/);
  assert.equal(scanPickleBytes('x', Buffer.alloc(0)).complete, false);
  assert.match(scanPickleBytes('x', enc('\x80\x04\x8c\x02os\x8c\x01x\x85\x93.')).error ?? '', /STACK_GLOBAL/);
});

test('allowlist: sklearn classes yes, dotted names and denied loaders no', () => {
  assert.ok(isAllowedGlobal('sklearn.linear_model._logistic', 'LogisticRegression'));
  assert.ok(!isAllowedGlobal('sklearn.base', 'os.system'), 'getattr chains through sklearn modules are refused');
  assert.ok(!isAllowedGlobal('sklearn.utils', 'load'));
  assert.ok(!isAllowedGlobal('sklearn.externals.joblib', 'Parallel'));
  assert.ok(!isAllowedGlobal('numpy', 'load'));
  assert.ok(isAllowedGlobal('numpy.core.multiarray', '_reconstruct'));
  assert.ok(!isAllowedGlobal('builtins', 'eval'));
  // A TransformedTargetRegressor's log and square-root functions, as numpy 1.x and 2.x pickle them; nothing else of that module.
  for (const module of ['numpy.core._multiarray_umath', 'numpy._core._multiarray_umath']) {
    for (const name of ['log1p', 'expm1', 'log', 'exp', 'sqrt', 'square']) assert.ok(isAllowedGlobal(module, name), `${module}.${name}`);
    assert.ok(!isAllowedGlobal(module, 'frompyfunc'), `${module}.frompyfunc`);
  }
});

test('the scanner never loads the file: bytes in, report out', () => {
  const bytes = readFileSync(pickles('global_after_array.joblib'));
  const scan = scanPickleBytes('in-memory', bytes);
  assert.equal(scan.sha256?.length, 64);
});
