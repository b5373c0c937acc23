// `verify` catches and names each tampering; untampered fixtures raise nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManifestError } from '../../../src/core/artifacts/manifest-file';
import { verifyManifest, type VerifyReport } from '../../../src/core/verify/verify';
import { RunnerClient } from '../../../src/core/runner/client';
import { editManifest, fixtureManifest, MODELS, rehash, scratchProject } from './fixtures';

const client = new RunnerClient();
after(() => client.dispose());

const failed = (report: VerifyReport, check: string): string[] =>
  report.checks.filter((c) => c.status === 'fail' && c.check === check).map((c) => `${c.artifact}: ${c.message} | ${c.expected} | ${c.found} | ${c.action}`);

for (const name of ['linear-classifier', 'linear-regressor', 'tree-classifier', 'tree-regressor']) {
  test(`untampered ${name}: every check passes, none warns`, async () => {
    const report = await verifyManifest(fixtureManifest(name), { client });
    assert.ok(
      report.ok,
      JSON.stringify(
        report.checks.filter((c) => c.status !== 'pass'),
        null,
        1,
      ),
    );
    assert.deepEqual(
      report.checks.filter((c) => c.status !== 'pass'),
      [],
    );
    for (const check of ['hash', 'signature', 'fingerprint', 'golden'])
      assert.ok(
        report.checks.some((c) => c.check === check && c.status === 'pass'),
        check,
      );
  });
}

test('artifact bytes changed: hash failure names the artifact, expected and found', async () => {
  const { root, manifest } = scratchProject('linear-classifier');
  const path = join(root, 'artifacts', 'model.joblib');
  const bytes = readFileSync(path);
  bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff;
  writeFileSync(path, bytes);
  const report = await verifyManifest(manifest, { client });
  assert.equal(report.ok, false);
  const [hash] = failed(report, 'hash');
  assert.match(hash ?? '', /^artifacts\/model\.joblib: the file is not the one training wrote \| sha256 [0-9a-f]{64} \| sha256 [0-9a-f]{64} \| restore/);
  assert.deepEqual(failed(report, 'signature'), []);
});

test('scaler re-fitted on other data: fingerprint and golden rows fail (hashes updated to hide it)', async () => {
  const { root, manifest } = scratchProject('linear-classifier');
  copyFileSync(join(MODELS, 'refit', 'model.onnx'), join(root, 'artifacts', 'model.onnx'));
  rehash(manifest, root, 'artifacts/model.onnx');
  const report = await verifyManifest(manifest, { client });
  assert.deepEqual(failed(report, 'hash'), []);
  const [fingerprint] = failed(report, 'fingerprint');
  assert.match(fingerprint ?? '', /re-fitted or swapped/);
  assert.match(fingerprint ?? '', /Scaler\.offset: manifest \[/, 'names the parameter that changed');
  assert.match(failed(report, 'golden')[0] ?? '', /golden outputs differ.*row 0 probabilities/);
});

test('swapped model file: hash, signature and fingerprint all fail', async () => {
  const { root, manifest } = scratchProject('linear-classifier');
  copyFileSync(join(MODELS, 'tree-regressor', 'artifacts', 'model.onnx'), join(root, 'artifacts', 'model.onnx'));
  const report = await verifyManifest(manifest, { client });
  assert.equal(failed(report, 'hash').length, 1);
  assert.ok(failed(report, 'signature').some((m) => /inputs disagrees/.test(m) && /city: string/.test(m)));
  assert.equal(failed(report, 'fingerprint').length, 1);
});

test('manifest signature disagrees with the model: names and types of inputs and outputs', async () => {
  const { manifest } = scratchProject('linear-classifier');
  editManifest(manifest, (m) => {
    m['signature'].inputs[0].tensor_type = 'int64';
    m['signature'].outputs[1].name = 'scores';
    m['signature'].outputs[0].dtype = 'int64';
  });
  const report = await verifyManifest(manifest, { client });
  const problems = failed(report, 'signature');
  assert.ok(
    problems.some((p) => /input age disagrees.*element type int64 \| float32/.test(p)),
    problems.join('\n'),
  );
  assert.ok(problems.some((p) => /output scores disagrees/.test(p)));
  assert.ok(problems.some((p) => /output label disagrees.*element type int64.*\| string/.test(p)));
});

test('a ZipMap (sequence of maps) output is refused with the zipmap-off fix', async () => {
  const { root, manifest } = scratchProject('tree-classifier');
  copyFileSync(join(MODELS, 'zipmap', 'model.onnx'), join(root, 'artifacts', 'model.onnx'));
  rehash(manifest, root, 'artifacts/model.onnx');
  const report = await verifyManifest(manifest, { client });
  assert.ok(failed(report, 'signature').some((m) => /output probabilities.*a sequence or map \(ZipMap\).*zipmap': False/.test(m)));
});

test('external data is refused, and the model is not loaded', async () => {
  const { root, manifest } = scratchProject('linear-regressor');
  copyFileSync(join(MODELS, 'external', 'model.onnx'), join(root, 'artifacts', 'model.onnx'));
  copyFileSync(join(MODELS, 'external', 'weights.bin'), join(root, 'artifacts', 'weights.bin'));
  rehash(manifest, root, 'artifacts/model.onnx');
  const report = await verifyManifest(manifest, { client });
  assert.match(failed(report, 'external-data')[0] ?? '', /tensor `w` .*external data in weights\.bin.*save_as_external_data=False/);
  assert.deepEqual(failed(report, 'golden'), []);
});

test('a joblib artifact with a dangerous global after a numpy array fails as PR305', async () => {
  const { root, manifest } = scratchProject('linear-classifier');
  copyFileSync(join(MODELS, 'pickles', 'global_after_array.joblib'), join(root, 'artifacts', 'model.joblib'));
  rehash(manifest, root, 'artifacts/model.joblib');
  const report = await verifyManifest(manifest, { client });
  const pr305 = report.checks.filter((c) => c.code === 'PR305' && c.status === 'fail');
  assert.equal(pr305.length, 1);
  assert.match(pr305[0]!.message, /`posix\.system`, which is outside the allowlist/);
  assert.equal(pr305[0]!.artifact, 'artifacts/model.joblib');
});

test('the pickle scan runs in the runner child: one that does not finish fails closed as PR305', async () => {
  const { manifest } = scratchProject('linear-classifier');
  // A timeout the child cannot meet (it takes longer than this to start).
  const slow = new RunnerClient({ timeoutMs: 1 });
  try {
    const report = await verifyManifest(manifest, { client: slow });
    const pickle = report.checks.filter((c) => c.check === 'pickle' && c.status === 'fail');
    assert.equal(pickle.length, 1, JSON.stringify(report.checks));
    assert.equal(pickle[0]!.code, 'PR305');
    assert.equal(pickle[0]!.artifact, 'artifacts/model.joblib');
    assert.equal(pickle[0]!.message, 'the static scan did not finish, so the file is treated as unsafe');
    assert.match(pickle[0]!.found ?? '', /did not answer within 1 ms/);
    assert.equal(report.ok, false);
  } finally {
    slow.dispose();
  }
});

test('compressed and truncated joblib artifacts: compressed benign passes, truncated fails closed', async () => {
  const { root, manifest } = scratchProject('linear-classifier');
  copyFileSync(join(MODELS, 'pickles', 'benign_compressed.joblib'), join(root, 'artifacts', 'model.joblib'));
  rehash(manifest, root, 'artifacts/model.joblib');
  assert.ok((await verifyManifest(manifest, { client })).ok);
  copyFileSync(join(MODELS, 'pickles', 'truncated.joblib'), join(root, 'artifacts', 'model.joblib'));
  rehash(manifest, root, 'artifacts/model.joblib');
  const report = await verifyManifest(manifest, { client });
  assert.match(failed(report, 'pickle')[0] ?? '', /could not read the whole file.*truncated/);
});

test('a missing artifact and an unknown fingerprint method are reported, not thrown', async () => {
  const { manifest } = scratchProject('linear-regressor');
  editManifest(manifest, (m) => {
    delete m['preprocessing'].fingerprint_method;
    m['artifacts'].push({ role: 'scaler', path: 'artifacts/gone.joblib', format: 'joblib', sha256: '0'.repeat(64), bytes: 1 });
  });
  const report = await verifyManifest(manifest, { client });
  assert.match(failed(report, 'missing')[0] ?? '', /artifacts\/gone\.joblib: cannot read/);
  assert.ok(report.checks.some((c) => c.check === 'fingerprint' && c.status === 'warn'));
});

test('a file that is not a usable manifest is refused in one line that says why', async () => {
  const { root, manifest } = scratchProject('linear-regressor');
  const write = (value: unknown): string => {
    const path = join(root, 'other.json');
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  const refusal = async (value: unknown): Promise<string> => {
    const error = await verifyManifest(write(value), { client }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ManifestError, String(error));
    assert.ok(!error.message.includes('\n'), error.message);
    return error.message;
  };
  // Another tool's manifest.json (a web app manifest).
  assert.match(await refusal({ name: 'app', icons: [] }), /other\.json is not an nb2prod manifest: it has no `manifest_version`/);
  assert.match(
    await refusal({ ...JSON.parse(readFileSync(manifest, 'utf8')), manifest_version: 2 }),
    /other\.json has manifest_version 2; this nb2prod reads version 1$/,
  );
  const broken = JSON.parse(readFileSync(manifest, 'utf8'));
  delete broken.signature;
  delete broken.golden;
  assert.match(await refusal(broken), /other\.json is not a valid nb2prod manifest: signature: .*; golden: [^;]*$/);
});
