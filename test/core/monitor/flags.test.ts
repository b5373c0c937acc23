// Numeric features with few distinct values (0/1 flags): training's quantile edges collapse to
// one bin [0, 1] that holds every row, so PSI and KS cannot see the share of ones move. Training
// stores `value_shares` for them (templates/project/src/utils/artifacts.py, numeric_stats), and
// drift judges those like categories: Jensen–Shannon with an "(unseen)" bucket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '../../../src/core/artifacts/manifest';
import { driftOfFile, type DriftReport } from '../../../src/core/monitor/drift';
import { fixtureManifest, prng } from './fixtures';

/** What numeric_stats writes for a 0/1 flag with 20 % ones (edges np.unique([0, ..., 1]) = [0, 1]). */
const FLAG_STATS = {
  kind: 'numeric',
  bin_edges: [0, 1],
  frequencies: [1],
  quantiles: { '0.01': 0, '0.05': 0, '0.25': 0, '0.5': 0, '0.75': 0, '0.95': 1, '0.99': 1 },
  mean: 0.2,
  std: 0.4,
  missing_rate: 0,
} as const;

/** The fixture manifest with only the flag as a feature (so the verdict is the flag's). */
function flagManifest(withShares: boolean): Manifest {
  const manifest = fixtureManifest();
  const stats = withShares ? { ...FLAG_STATS, value_shares: { '0.0': 0.8, '1.0': 0.2 } } : { ...FLAG_STATS };
  manifest.reference_stats.features = { flag: stats as unknown as Manifest['reference_stats']['features'][string] };
  manifest.signature.inputs = [{ ...manifest.signature.inputs[0]!, name: 'flag', dtype: 'int64' }];
  return manifest;
}

function batch(random: () => number, rows: number, share: number, extra = ''): string {
  const lines = ['flag,prediction'];
  for (let i = 0; i < rows; i++) lines.push(`${random() < share ? 1 : 0},0.5`);
  return `${lines.join('\n')}\n${extra}`;
}

async function driftOf(manifest: Manifest, text: string): Promise<DriftReport> {
  const dir = mkdtempSync(join(tmpdir(), 'nb2prod-flag-'));
  try {
    const file = join(dir, 'batch.csv');
    writeFileSync(file, text);
    return await driftOfFile(manifest, file, { predictionColumn: 'no-such-column' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('flag: share of ones from 20 % to 60 % is detected by Jensen–Shannon on the value shares', async () => {
  const report = await driftOf(flagManifest(true), batch(prng(1), 1000, 0.6));
  const flag = report.features[0]!;
  assert.equal(flag.rule.method, 'jensen_shannon');
  assert.equal(flag.status, 'alert');
  assert.deepEqual(flag.histogram.labels, ['0', '1', '(unseen)']);
  // Hand-computed: P = (0.8, 0.2), Q = (0.4, 0.6): sqrt(JSD base 2) = 0.3532 at exactly 60 %.
  assert.ok(Math.abs(flag.value! - 0.353) < 0.03, String(flag.value));
  assert.equal(report.verdict.status, 'drift');
  assert.ok(
    flag.notes.some((n) => /few distinct values \(2 in training\)/.test(n)),
    flag.notes.join('; '),
  );
});

test('flag: without value_shares (older manifests) the same change is invisible, as before', async () => {
  const report = await driftOf(flagManifest(false), batch(prng(1), 1000, 0.6));
  const flag = report.features[0]!;
  assert.equal(flag.rule.method, 'psi');
  assert.equal(flag.value, 0);
  assert.equal(flag.status, 'ok');
});

test('flag: values training never saw go to the (unseen) bucket', async () => {
  const report = await driftOf(flagManifest(true), batch(prng(2), 200, 0.2, '2,0.5\n'.repeat(100)));
  const flag = report.features[0]!;
  assert.equal(flag.unseenRows, 100);
  assert.deepEqual(flag.unseen, [{ value: '2', count: 100 }]);
  assert.equal(flag.histogram.reference[2], 0);
  assert.equal(flag.status, 'alert');
});

test('flag: samples from the training distribution are not drift (false alarms measured over 200 seeded batches)', async () => {
  const manifest = flagManifest(true);
  const random = prng(42);
  const measured: string[] = [];
  for (const rows of [100, 1000]) {
    let alerts = 0;
    let warns = 0;
    let detected = 0;
    for (let b = 0; b < 200; b++) {
      const same = (await driftOf(manifest, batch(random, rows, 0.2))).features[0]!;
      if (same.status === 'alert') alerts++;
      if (same.status === 'warn') warns++;
      if ((await driftOf(manifest, batch(random, rows, 0.6))).features[0]!.status === 'alert') detected++;
    }
    measured.push(`${rows} rows: ${alerts} alerts, ${warns} warnings from training; ${detected}/200 of 20 % -> 60 % detected`);
    assert.equal(detected, 200);
    if (rows === 1000) assert.equal(alerts + warns, 0);
    else assert.ok(alerts <= 2, `${alerts} false alerts at ${rows} rows`);
  }
  console.log(`  flag false alarms: ${measured.join('; ')}`);
});
