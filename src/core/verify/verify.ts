/**
 * `nb2prod verify`: proves that the artifacts on disk are the ones training recorded and that
 * inference will use the same preprocessing. Per artifact: sha256 and size; for the ONNX model
 * (hashed in the runner child from the very buffer its session is created from): external data
 * refused, session inputs/outputs against `signature`, the preprocessing fingerprint recomputed
 * from the model's fitted parameters, golden rows replayed; for pickle-based files: the static
 * scan (PR305). Every failure names the artifact, what was expected, what was found, and what to do.
 */
import { readFile } from 'node:fs/promises';
import { FINGERPRINT_METHOD } from '../artifacts/fingerprint';
import { sha256Of } from '../artifacts/hash';
import { artifactPath, loadManifest, onnxModelEntry, type LoadedManifest } from '../artifacts/manifest-file';
import type { Manifest } from '../artifacts/manifest';
import { admitProjectGlobals, projectModulesIn } from '../artifacts/project-modules';
import type { PickleScan } from '../artifacts/pickle-scan';
import { pickleChecks, type VerifyCheck } from '../artifacts/pickle-checks';
import { compareSignature } from './signature-check';
import { RunnerClient } from '../runner/client';
import type { InspectResult, ScanResult } from '../runner/protocol';
import { buildFeeds, compareOutput, inputLayout, mapOutputs } from '../runner/tensors';

export type { VerifyCheck };

/** Everything verify found. */
export interface VerifyReport {
  manifest: string;
  root: string;
  ok: boolean;
  checks: VerifyCheck[];
  scans: PickleScan[];
}

/** Options of a verify run. */
export interface VerifyOptions {
  /** A runner to reuse (the extension keeps one); otherwise one is started and stopped. */
  client?: RunnerClient;
  /** The project root; derived from the manifest's location by default. */
  root?: string;
}

const PICKLE_FORMATS = new Set(['joblib', 'pickle', 'pkl']);

/** Verifies a manifest's artifacts; throws ManifestError when the manifest itself is unusable. */
export async function verifyManifest(manifestPath: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const loaded = await loadManifest(manifestPath, options.root);
  const client = options.client ?? new RunnerClient();
  const checks: VerifyCheck[] = [];
  const scans: PickleScan[] = [];
  try {
    const model = onnxModelEntry(loaded.manifest);
    for (const entry of loaded.manifest.artifacts) {
      if (entry.format === 'onnx') await verifyOnnx(loaded, entry, entry === model, client, checks);
      else await verifyFile(loaded, entry, client, checks, scans);
    }
    if (!model)
      checks.push({
        status: 'warn',
        check: 'signature',
        artifact: null,
        message: 'no ONNX model artifact: signature, fingerprint and golden rows cannot be checked without Python',
        action: 'export the pipeline with skl2onnx (zipmap off) during training',
      });
  } finally {
    if (!options.client) client.dispose();
  }
  return { manifest: manifestPath, root: loaded.root, ok: !checks.some((c) => c.status === 'fail'), checks, scans };
}

type Entry = Manifest['artifacts'][number];

function hashChecks(entry: Entry, sha256: string, bytes: number, checks: VerifyCheck[]): void {
  if (sha256 === entry.sha256 && bytes === entry.bytes) {
    checks.push({ status: 'pass', check: 'hash', artifact: entry.path, message: `sha256 and size (${bytes} bytes) match` });
    return;
  }
  if (sha256 !== entry.sha256) {
    checks.push({
      status: 'fail',
      check: 'hash',
      artifact: entry.path,
      message: 'the file is not the one training wrote',
      expected: `sha256 ${entry.sha256}`,
      found: `sha256 ${sha256}`,
      action: 'restore the artifact training wrote, or re-run training so the manifest describes this file',
    });
  }
  if (bytes !== entry.bytes) {
    checks.push({
      status: 'fail',
      check: 'size',
      artifact: entry.path,
      message: 'the file size differs from the manifest',
      expected: `${entry.bytes} bytes`,
      found: `${bytes} bytes`,
      action: 'restore the artifact training wrote, or re-run training',
    });
  }
}

function missing(entry: Entry, message: string): VerifyCheck {
  return {
    status: 'fail',
    check: 'missing',
    artifact: entry.path,
    message: `cannot read the artifact: ${message}`,
    action: 'run training to write it, or fix the path in the manifest',
  };
}

/**
 * Hash checks of a non-ONNX artifact, and for a pickle the static scan. The scan runs in the
 * runner child, which hashes the very bytes it scans: a crafted file cannot take memory or time
 * from this process (the extension host), and a scan that does not finish fails closed.
 */
async function verifyFile(loaded: LoadedManifest, entry: Entry, client: RunnerClient, checks: VerifyCheck[], scans: PickleScan[]): Promise<void> {
  let path: string;
  try {
    path = artifactPath(loaded, entry.path);
  } catch (error) {
    checks.push(missing(entry, (error as Error).message));
    return;
  }
  if (PICKLE_FORMATS.has(entry.format)) {
    let result: ScanResult;
    try {
      result = await client.scanPickle(path, entry.path);
    } catch (error) {
      checks.push({
        status: 'fail',
        check: 'pickle',
        artifact: entry.path,
        code: 'PR305',
        message: 'the static scan did not finish, so the file is treated as unsafe',
        found: (error as Error).message,
        action: 'do not load it; re-export the artifact from training (uncompressed or zlib-compressed joblib)',
      });
      return;
    }
    if (!result.ok) {
      checks.push(missing(entry, result.error));
      return;
    }
    hashChecks(entry, result.scan.sha256 ?? '', result.scan.bytes, checks);
    const scan = admitProjectGlobals(result.scan, projectModulesIn(loaded.root, loaded.manifest.project_modules));
    scans.push(scan);
    pickleChecks(scan, entry.globals, checks);
    return;
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    checks.push(missing(entry, (error as Error).message));
    return;
  }
  hashChecks(entry, sha256Of(bytes), bytes.length, checks);
}

async function verifyOnnx(loaded: LoadedManifest, entry: Entry, isModel: boolean, client: RunnerClient, checks: VerifyCheck[]): Promise<void> {
  let path: string;
  let info: InspectResult;
  try {
    path = artifactPath(loaded, entry.path);
    info = await client.inspect(path);
  } catch (error) {
    checks.push({
      status: 'fail',
      check: 'missing',
      artifact: entry.path,
      message: `cannot load the artifact: ${(error as Error).message}`,
      action: 'run training to write it, or fix the path in the manifest',
    });
    return;
  }
  hashChecks(entry, info.sha256, info.bytes, checks);
  if (info.parseError) {
    checks.push({
      status: 'fail',
      check: 'parse',
      artifact: entry.path,
      message: 'not a readable ONNX model',
      found: info.parseError,
      action: 're-export the model',
    });
    return;
  }
  for (const ref of info.externalData) {
    checks.push({
      status: 'fail',
      check: 'external-data',
      artifact: entry.path,
      message: `tensor \`${ref.tensor}\` (${ref.where}) keeps its data in another file, which the manifest hash does not cover`,
      expected: 'all weights inside the model file',
      found: `external data in ${ref.location || '(no location)'}`,
      action: 'save with onnx.save_model(model, path, save_as_external_data=False)',
    });
  }
  if (!info.session) {
    if (info.externalData.length === 0)
      checks.push({
        status: 'fail',
        check: 'session',
        artifact: entry.path,
        message: 'onnxruntime cannot load the model',
        found: info.sessionError ?? 'unknown',
        action: 're-export the model with an opset onnxruntime 1.30 supports',
      });
    return;
  }
  if (!isModel) return;
  const problems = compareSignature(loaded.manifest.signature, info.session);
  for (const p of problems)
    checks.push({
      status: 'fail',
      check: 'signature',
      artifact: entry.path,
      message: `${p.what} disagrees with the manifest signature`,
      expected: p.expected,
      found: p.found,
      action: p.action,
    });
  if (problems.length === 0)
    checks.push({
      status: 'pass',
      check: 'signature',
      artifact: entry.path,
      message: `${info.session.inputs.length} inputs and ${info.session.outputs.length} outputs match the signature`,
    });
  fingerprintCheck(loaded.manifest, entry, info, checks);
  if (problems.length === 0) await goldenCheck(loaded, entry, path, info, client, checks);
}

function fingerprintCheck(manifest: Manifest, entry: Entry, info: InspectResult, checks: VerifyCheck[]): void {
  const recorded = manifest.preprocessing;
  const method = recorded['fingerprint_method'];
  if (method !== FINGERPRINT_METHOD || !info.preprocessing) {
    checks.push({
      status: 'warn',
      check: 'fingerprint',
      artifact: entry.path,
      message: `the manifest fingerprint is of method ${method === undefined ? '(unspecified)' : `\`${String(method)}\``}, which nb2prod cannot recompute from the model`,
      action: `record preprocessing.fingerprint_method "${FINGERPRINT_METHOD}" (see media/manifest.schema.json)`,
    });
    return;
  }
  if (info.preprocessing.fingerprint === recorded.fingerprint) {
    checks.push({
      status: 'pass',
      check: 'fingerprint',
      artifact: entry.path,
      message: `preprocessing fingerprint matches (${info.preprocessing.readable.map((s) => s.op).join(' -> ') || 'no preprocessing ops'})`,
    });
    return;
  }
  checks.push({
    status: 'fail',
    check: 'fingerprint',
    artifact: entry.path,
    message: 'the fitted preprocessing in the model is not the one training recorded (a transformer was re-fitted or swapped)',
    expected: `fingerprint ${recorded.fingerprint}`,
    found: `fingerprint ${info.preprocessing.fingerprint}${describeChange(recorded['parameters'], info.preprocessing.readable)}`,
    action: 'export the model and write the manifest from the same fitted pipeline (re-run training)',
  });
}

/** Names the first parameters that differ, when the manifest recorded readable parameters. */
function describeChange(recorded: unknown, found: { op: string; attributes: Record<string, unknown> }[]): string {
  if (!Array.isArray(recorded)) return '';
  const changes: string[] = [];
  const max = Math.max(recorded.length, found.length);
  for (let i = 0; i < max && changes.length < 3; i++) {
    const a = recorded[i] as { op?: string; attributes?: Record<string, unknown> } | undefined;
    const b = found[i];
    if (!a || !b || a.op !== b.op) {
      changes.push(`step ${i}: ${a?.op ?? 'none'} -> ${b?.op ?? 'none'}`);
      continue;
    }
    for (const key of new Set([...Object.keys(a.attributes ?? {}), ...Object.keys(b.attributes)])) {
      const x = JSON.stringify(a.attributes?.[key]);
      const y = JSON.stringify(b.attributes[key]);
      if (x !== y) changes.push(`${b.op}.${key}: manifest ${short(x)}, model ${short(y)}`);
    }
  }
  return changes.length ? `; ${changes.join('; ')}` : '';
}

function short(value: string | undefined): string {
  return value === undefined ? 'none' : value.length > 80 ? `${value.slice(0, 77)}...` : value;
}

async function goldenCheck(
  loaded: LoadedManifest,
  entry: Entry,
  path: string,
  info: InspectResult,
  client: RunnerClient,
  checks: VerifyCheck[],
): Promise<void> {
  const { rows, tolerance } = loaded.manifest.golden;
  if (rows.length === 0) {
    checks.push({
      status: 'warn',
      check: 'golden',
      artifact: entry.path,
      message: 'the manifest has no golden rows to replay',
      action: 'have training store a few held-out rows with their outputs',
    });
    return;
  }
  const layout = inputLayout(loaded.manifest.signature.inputs, info.session!.inputs);
  if (typeof layout === 'string') return;
  const inputs = rows.map((r) => r.inputs as Record<string, unknown>);
  let predictions: ReturnType<typeof mapOutputs>;
  try {
    predictions = mapOutputs(loaded.manifest, await client.run(path, info.sha256, buildFeeds(loaded.manifest.signature.inputs, layout, inputs)), rows.length);
  } catch (error) {
    checks.push({
      status: 'fail',
      check: 'golden',
      artifact: entry.path,
      message: `the golden rows cannot be replayed: ${(error as Error).message}`,
      action: 'check the golden inputs against the signature',
    });
    return;
  }
  const failures: string[] = [];
  rows.forEach((row, i) => {
    for (const [name, expected] of Object.entries(row.outputs)) {
      const problem = compareOutput(expected, predictions[i]!.outputs[name], tolerance);
      if (problem) failures.push(`row ${i} ${name}: ${problem}`);
    }
  });
  if (loaded.manifest.golden.backend === 'python') {
    // The stored outputs are the Python pipeline's: this is the conversion parity check.
    if (failures.length === 0)
      checks.push({
        status: 'pass',
        check: 'conversion-parity',
        artifact: entry.path,
        message: `ONNX matches the Python pipeline on ${rows.length} golden rows within tolerance`,
      });
    else
      checks.push({
        status: 'fail',
        check: 'conversion-parity',
        artifact: entry.path,
        message: `ONNX differs from the Python pipeline on ${failures.length} golden outputs`,
        expected: "the Python pipeline's outputs stored with the golden rows",
        found: failures.slice(0, 3).join('; ') + (failures.length > 3 ? `; ... ${failures.length - 3} more` : ''),
        action:
          'the ONNX export does not compute what the pipeline computes (one-hot category order, float32 thresholds, zipmap): run `nb2prod predict --backend both` to see the rows, fix the conversion and re-run training',
      });
    return;
  }
  if (failures.length === 0) {
    checks.push({ status: 'pass', check: 'golden', artifact: entry.path, message: `${rows.length} golden rows replay within tolerance` });
  } else {
    checks.push({
      status: 'fail',
      check: 'golden',
      artifact: entry.path,
      message: `${failures.length} golden outputs differ from what training produced`,
      expected: 'the outputs stored with the golden rows',
      found: failures.slice(0, 3).join('; ') + (failures.length > 3 ? `; ... ${failures.length - 3} more` : ''),
      action: 'the model and the manifest come from different pipelines: re-run training, and load only the artifacts it lists',
    });
  }
}
