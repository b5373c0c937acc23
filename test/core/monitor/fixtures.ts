/** Shared fixtures of the monitoring tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateManifest, type Manifest } from '../../../src/core/artifacts/manifest';
import { repoRoot } from '../../helpers/paths';

/** test/fixtures/drift (scripts/fixtures/make_drift_reference.py). */
export const driftFixtures = join(repoRoot, 'test', 'fixtures', 'drift');

/** The fixture manifest, validated (a fresh copy each call: tests may change it). */
export function fixtureManifest(): Manifest {
  const result = validateManifest(JSON.parse(readFileSync(join(driftFixtures, 'manifest.json'), 'utf8')));
  if (!result.ok) throw new Error(result.issues.join('\n'));
  return result.manifest;
}

/** mulberry32: a small seeded PRNG, so every run draws the same numbers. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller). */
export function normal(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
