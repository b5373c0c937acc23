/** Reading a manifest file for monitoring commands, with one-line reasons when it is unusable. */
import { readFileSync } from 'node:fs';
import { manifestRefusal, validateManifest, type Manifest } from '../artifacts/manifest';

/** A manifest read from disk, or why it could not be. */
export type ManifestRead = { ok: true; manifest: Manifest } | { ok: false; error: string };

/** Reads and validates a manifest file. */
export function readManifestFile(path: string): ManifestRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, error: `${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `${path}: not JSON (${(error as Error).message})` };
  }
  const result = validateManifest(value);
  if (!result.ok) return { ok: false, error: `${path} ${manifestRefusal(value, result.issues)}` };
  return { ok: true, manifest: result.manifest };
}
