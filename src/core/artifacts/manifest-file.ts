/**
 * The one reader of manifest files, with one error contract: a manifest that is missing, not
 * JSON or not valid gets a one-line reason naming the file (`ManifestRead`, or `ManifestError`
 * for callers that throw), and artifact paths resolve inside the project root only.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { manifestRefusal, validateManifest, type Manifest } from './manifest';

/** The manifest cannot be used at all: exit code 2. */
export class ManifestError extends Error {}

/** A manifest with the folder its artifact paths are relative to. */
export interface LoadedManifest {
  path: string;
  root: string;
  manifest: Manifest;
}

/**
 * The project root of a manifest: the scaffold writes `artifacts/manifest.json` with paths
 * like `artifacts/model.onnx`, so a manifest inside an `artifacts` folder has its parent as
 * root; any other manifest has its own folder.
 */
export function projectRootOf(manifestPath: string): string {
  const folder = dirname(resolve(manifestPath));
  return basename(folder) === 'artifacts' ? dirname(folder) : folder;
}

/** A manifest read from disk, or the one-line reason it cannot be used. */
export type ManifestRead = { ok: true; manifest: Manifest } | { ok: false; error: string };

/** Reads and validates a manifest file (manifests are small; the monitoring commands read them synchronously). */
export function readManifestFile(path: string): ManifestRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, error: `cannot read the manifest ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `cannot read the manifest ${path}: not JSON (${(error as Error).message})` };
  }
  const result = validateManifest(value);
  if (!result.ok) return { ok: false, error: `${path} ${manifestRefusal(value, result.issues)}` };
  return { ok: true, manifest: result.manifest };
}

/** Reads and validates a manifest with the folder its paths are relative to; throws ManifestError with the reason. */
export async function loadManifest(path: string, root?: string): Promise<LoadedManifest> {
  const read = readManifestFile(path);
  if (!read.ok) throw new ManifestError(read.error);
  return { path, root: root ?? projectRootOf(path), manifest: read.manifest };
}

/** An artifact's absolute path; refuses paths that leave the project root. */
export function artifactPath(loaded: LoadedManifest, relativePath: string): string {
  if (isAbsolute(relativePath)) throw new ManifestError(`artifact path ${relativePath} is absolute; manifest paths are relative to the project root`);
  const full = normalize(join(loaded.root, relativePath));
  if (!full.startsWith(normalize(`${loaded.root}/`))) throw new ManifestError(`artifact path ${relativePath} leaves the project root`);
  return full;
}

/** The ONNX model artifact the runner uses: the first `onnx` artifact with role `model`, else the first `onnx` one. */
export function onnxModelEntry(manifest: Manifest): Manifest['artifacts'][number] | undefined {
  const onnx = manifest.artifacts.filter((a) => a.format === 'onnx');
  return onnx.find((a) => a.role === 'model') ?? onnx[0];
}
