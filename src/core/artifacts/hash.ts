/**
 * sha256 and size of artifact bytes. Callers hash the very Buffer they go on to parse or hand
 * to `InferenceSession.create`, so what was checked is what runs (no re-read between the two).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** An artifact's bytes with their hash. */
export interface HashedBytes {
  bytes: Buffer;
  sha256: string;
  size: number;
}

/** The lowercase hex sha256 of some bytes. */
export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads a file once and hashes that buffer. */
export async function readHashed(path: string): Promise<HashedBytes> {
  const bytes = await readFile(path);
  return { bytes, sha256: sha256Of(bytes), size: bytes.length };
}
