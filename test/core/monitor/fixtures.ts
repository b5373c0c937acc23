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

/** The seeded PRNG the monitor tests draw their batches with. */
export { prng } from '../../../scripts/prng';

/** Standard normal draws (Box–Muller). */
export function normal(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
