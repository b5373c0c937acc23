/** Reading a manifest file and resolving its artifact paths (relative to the project root). */
import { readFile } from 'node:fs/promises';
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

/** Reads and validates a manifest; throws ManifestError with every schema issue. */
export async function loadManifest(path: string, root?: string): Promise<LoadedManifest> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ManifestError(`cannot read the manifest ${path}: ${(error as Error).message}`);
  }
  const result = validateManifest(value);
  if (!result.ok) throw new ManifestError(`${path} ${manifestRefusal(value, result.issues)}`);
  return { path, root: root ?? projectRootOf(path), manifest: result.manifest };
}

/** An artifact's absolute path; refuses paths that leave the project root. */
export function artifactPath(loaded: LoadedManifest, relativePath: string): string {
  if (isAbsolute(relativePath)) throw new ManifestError(`artifact path ${relativePath} is absolute; manifest paths are relative to the project root`);
  const full = normalize(join(loaded.root, relativePath));
  if (!full.startsWith(normalize(loaded.root + '/'))) throw new ManifestError(`artifact path ${relativePath} leaves the project root`);
  return full;
}

/** The ONNX model artifact the runner uses: the first `onnx` artifact with role `model`, else the first `onnx` one. */
export function onnxModelEntry(manifest: Manifest): Manifest['artifacts'][number] | undefined {
  const onnx = manifest.artifacts.filter((a) => a.format === 'onnx');
  return onnx.find((a) => a.role === 'model') ?? onnx[0];
}
