// `nb2prod outcomes`: late labels joined to a prediction log by prediction_id, realised metrics
// per day and per ISO week (counted by hand below) against the manifest's training metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import type { OutcomesReport } from '../../src/core/monitor/outcomes';
import { windowStart } from '../../src/core/monitor/outcomes';
import { driftFixtures } from '../core/monitor/fixtures';

/** Three days of 50 predictions; 40, 40 and 25 of them right; day 3 has 10 without a label yet. */
function write(dir: string): { log: string; labels: string } {
  const log: string[] = [];
  const labels = ['prediction_id,label,timestamp'];
  const days = [
    ['2026-03-02', 40],
    ['2026-03-03', 40],
    ['2026-03-04', 25],
  ] as const;
  days.forEach(([day, right], d) => {
    for (let i = 0; i < 50; i++) {
      const id = `d${d}-${i}`;
      const label = i % 2;
      const predicted = i < right ? label : 1 - label;
      const p = predicted === 1 ? 0.8 : 0.2;
      log.push(
        JSON.stringify({
          prediction_id: id,
          timestamp: `${day}T10:00:00Z`,
          model: { name: 'm', version: 'v1', run_id: 'r1' },
          inputs_sha256: 'x',
          outputs: { label: predicted, probabilities: [1 - p, p] },
        }),
      );
      if (d === 2 && i >= 40) continue;
      labels.push(`${id},${label},${day}T22:00:00Z`);
    }
  });
  labels.push('nowhere-1,1,2026-03-05T00:00:00Z', 'nowhere-2,0,2026-03-05T00:00:00Z');
  writeFileSync(join(dir, 'log.jsonl'), `${log.join('\n')}\n`);
  writeFileSync(join(dir, 'labels.csv'), `${labels.join('\n')}\n`);
  return { log: join(dir, 'log.jsonl'), labels: join(dir, 'labels.csv') };
}

test('outcomes: daily windows, a degraded day flagged against training (exit 1), coverage and lag', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nb2prod-outcomes-'));
  try {
    const { log, labels } = write(dir);
    const result = await main(['outcomes', '--log', log, '--labels', labels, '--manifest', join(driftFixtures, 'manifest.json'), '--format', 'json']);
    assert.equal(result.exitCode, 1, result.stderr);
    const report = JSON.parse(result.stdout) as OutcomesReport;
    assert.deepEqual([report.predictions, report.labelled, report.labels, report.unmatched_labels], [150, 140, 142, 2]);
    assert.deepEqual(
      report.windows.map((w) => [w.start, w.labelled, w.metrics['accuracy']]),
      [
        ['2026-03-02', 50, 0.8],
        ['2026-03-03', 50, 0.8],
        ['2026-03-04', 40, 25 / 40],
      ],
    );
    // Training accuracy 0.8 (fixture manifest); 25/40 = 0.625 < 0.8 − 10%.
    assert.deepEqual(
      report.windows.map((w) => w.degraded),
      [[], [], ['accuracy']],
    );
    assert.equal(report.verdict.status, 'degraded');
    assert.deepEqual(report.lag_hours, { mean: 12, max: 12 });
    // Log loss by hand: a right answer has p = 0.8 on the true class, a wrong one 0.2.
    const day1 = report.windows[0]!;
    assert.ok(Math.abs(day1.metrics['log_loss']! - (40 * -Math.log(0.8) + 10 * -Math.log(0.2)) / 50) < 1e-12);
    // Weekly: 2026-03-02 is a Monday, so all three days form one window.
    const weekly = await main(['outcomes', '--log', log, '--labels', labels, '--window', 'week']);
    assert.equal(weekly.exitCode, 0, 'without a manifest nothing is compared');
    assert.match(weekly.stdout, /^2026-03-02\s+150\s+140\s+0\.7500/m);
    assert.match(weekly.stdout, /no manifest given/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('outcomes: unusable input exits 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nb2prod-outcomes-'));
  try {
    const { log } = write(dir);
    writeFileSync(join(dir, 'nolabel.csv'), 'prediction_id,foo\na,1\n');
    assert.match((await main(['outcomes', '--log', log, '--labels', join(dir, 'nolabel.csv')])).stderr, /no label column/);
    assert.equal((await main(['outcomes', '--log', join(dir, 'none.jsonl'), '--labels', join(dir, 'nolabel.csv')])).exitCode, 2);
    assert.equal((await main(['outcomes', '--log', log])).exitCode, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('windowStart: UTC days and ISO weeks starting on Monday', () => {
  assert.equal(windowStart(Date.parse('2026-03-08T23:59:59Z'), 'week'), '2026-03-02');
  assert.equal(windowStart(Date.parse('2026-03-09T00:00:00Z'), 'week'), '2026-03-09');
  assert.equal(windowStart(Date.parse('2026-03-09T00:00:00+02:00'), 'day'), '2026-03-08');
});
