/** Scratch copies of the model fixtures (test/fixtures/models, written by scripts/fixtures/make_onnx_models.py). */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/paths';

/** The committed fixtures folder. */
export const MODELS = join(repoRoot, 'test', 'fixtures', 'models');

/** A fixture project's manifest path (not copied: for read-only tests). */
export function fixtureManifest(name: string): string {
  return join(MODELS, name, 'artifacts', 'manifest.json');
}

/** Copies a fixture project to a temp folder; returns its manifest path and root. */
export function scratchProject(name: string): { root: string; manifest: string } {
  const root = mkdtempSync(join(tmpdir(), `nb2prod-${name}-`));
  cpSync(join(MODELS, name), root, { recursive: true });
  return { root, manifest: join(root, 'artifacts', 'manifest.json') };
}

/** Rewrites a manifest's JSON. */
export function editManifest(path: string, edit: (m: Record<string, any>) => void): void {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
  edit(manifest);
  writeFileSync(path, JSON.stringify(manifest, null, 2));
}

/** Makes the manifest's entry for `relative` describe the file now on disk (hash and size). */
export function rehash(manifestPath: string, root: string, relative: string): void {
  const bytes = readFileSync(join(root, relative));
  editManifest(manifestPath, (m) => {
    const entry = (m['artifacts'] as { path: string; sha256: string; bytes: number }[]).find((a) => a.path === relative)!;
    entry.sha256 = createHash('sha256').update(bytes).digest('hex');
    entry.bytes = bytes.length;
  });
}
