// False alarms and detection, measured: 200 seeded batches drawn from the distributions the
// fixture's training sample came from (scripts/fixtures/make_drift_reference.py), and 200 with
// injected drift, each run through `driftOfFile` exactly as the CLI runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driftOfFile } from '../../../src/core/monitor/drift';
import { fixtureManifest, normal, prng } from './fixtures';

function poisson(random: () => number, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

interface Shift {
  income: number;
  spendSigma: number;
  tenureMean: number;
  tenureMissing: number;
  newPlan: number;
}
const NONE: Shift = { income: 0, spendSigma: 0.5, tenureMean: 10, tenureMissing: 0.05, newPlan: 0 };
const INJECTED: Shift = { income: 0.75, spendSigma: 1.0, tenureMean: 12, tenureMissing: 0.2, newPlan: 0.2 };

/** One CSV batch with the fixture's columns. */
function batch(random: () => number, rows: number, shift: Shift): string {
  const z = normal(random);
  const lines = ['income,stable,spend,tenure,visits,ratio,plan,prediction'];
  const plans = ['basic', 'plus', 'premium', 'trial'];
  const cumulative = [0.5, 0.8, 0.95, 1];
  for (let i = 0; i < rows; i++) {
    const income = z() + shift.income;
    const tenure = random() < shift.tenureMissing ? null : shift.tenureMean + 2 * z();
    const u = random();
    const plan = random() < shift.newPlan ? 'enterprise' : random() < 0.01 ? '' : plans[cumulative.findIndex((c) => u < c)]!;
    const score = 0.8 * income - (0.3 * (tenure === null ? 0 : tenure - 10)) / 2;
    lines.push(
      [income, 50 + 5 * z(), Math.exp(shift.spendSigma * z()), tenure ?? '', poisson(random, 3), random(), plan, 1 / (1 + Math.exp(-score))].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

const BATCHES = 200;

async function run(
  shift: Shift,
  seed: number,
  rows: number,
): Promise<{ drift: number; featureAlerts: number; featureWarns: number; predictionAlerts: number; perFeature: Map<string, number>; features: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'nb2prod-drift-fa-'));
  const manifest = fixtureManifest();
  const random = prng(seed);
  let drift = 0;
  let featureAlerts = 0;
  let featureWarns = 0;
  let features = 0;
  let predictionAlerts = 0;
  const perFeature = new Map<string, number>();
  try {
    for (let b = 0; b < BATCHES; b++) {
      const file = join(dir, `b${b}.csv`);
      writeFileSync(file, batch(random, rows, shift));
      const report = await driftOfFile(manifest, file);
      if (report.verdict.status === 'drift') drift++;
      if (report.prediction?.status === 'alert') predictionAlerts++;
      for (const f of report.features) {
        features++;
        if (f.status === 'alert') {
          featureAlerts++;
          perFeature.set(f.name, (perFeature.get(f.name) ?? 0) + 1);
        }
        if (f.status === 'warn') featureWarns++;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { drift, featureAlerts, featureWarns, predictionAlerts, perFeature, features };
}

// 100 rows is the policy's min_rows, the smallest batch it judges, where sampling noise is
// largest; 1,000 rows is a more usual batch. The bounds are the measured rates with some margin.
for (const [rows, bound] of [
  [100, 0.03],
  [1000, 0.005],
] as const) {
  test(`false alarms: ${BATCHES} batches of ${rows} rows from the training distribution`, async () => {
    const r = await run(NONE, 7 + rows, rows);
    const rate = r.drift / BATCHES;
    const share = (n: number): string => `${n}/${r.features} (${((n / r.features) * 100).toFixed(2)}%)`;
    console.log(
      `  ${rows} rows: dataset verdict "drift" in ${r.drift}/${BATCHES} batches (${(rate * 100).toFixed(1)}%), prediction alerts ${r.predictionAlerts}/${BATCHES}; feature alerts ${share(r.featureAlerts)}, feature warnings ${share(r.featureWarns)}`,
    );
    assert.ok(rate <= bound, `false-alarm rate ${rate}`);
    assert.ok(r.featureAlerts / r.features <= 2 * bound, `feature alert rate ${r.featureAlerts / r.features}`);
  });
}

test(`detection: ${BATCHES} batches of 100 rows with drift injected into 4 of 7 features`, async () => {
  const r = await run(INJECTED, 11, 100);
  const rate = r.drift / BATCHES;
  console.log(
    `  detection rate: ${r.drift}/${BATCHES} (${(rate * 100).toFixed(1)}%); alerts per feature: ${[...r.perFeature].map(([k, v]) => `${k} ${v}`).join(', ')}`,
  );
  assert.ok(rate >= 0.99, `detection rate ${rate}`);
  for (const name of ['income', 'tenure', 'plan'])
    assert.ok((r.perFeature.get(name) ?? 0) >= 0.99 * BATCHES, `${name} alerted in ${r.perFeature.get(name)} batches`);
  assert.ok((r.perFeature.get('stable') ?? 0) <= 0.02 * BATCHES);
});
