// The drift report page: strict CSP, no script, escaped batch values, one pair of SVG bars per
// bucket, and features in the report's severity order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driftOfFile } from '../../../src/core/monitor/drift';
import { driftReportCsp, driftReportHtml } from '../../../src/extension/drift-report-html';
import { driftFixtures, fixtureManifest } from './fixtures';

test('drift report HTML: strict CSP, no script, escaped values, histograms in severity order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nb2prod-report-'));
  try {
    // A hostile category value from the batch must come out as text.
    const rows = ['income,stable,spend,tenure,visits,ratio,plan,prediction'];
    for (let i = 0; i < 200; i++) rows.push(`${i % 7},50,1,10,3,0.5,${i % 2 ? '<script>alert(1)</script>' : 'basic'},0.5`);
    writeFileSync(join(dir, 'b.csv'), `${rows.join('\n')}\n`);
    const report = await driftOfFile(fixtureManifest(), join(dir, 'b.csv'));
    const html = driftReportHtml(report, {
      cspSource: 'vscode-resource:',
      styleUri: 'vscode-resource:/media/drift-report.css',
      manifestPath: 'artifacts/manifest.json',
    });
    assert.equal(driftReportCsp('vscode-resource:'), "default-src 'none'; style-src vscode-resource:; img-src vscode-resource:;");
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src vscode-resource:; img-src vscode-resource:;">/);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, / style="/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    const svgs = html.match(/<svg class="histogram"[\s\S]*?<\/svg>/g) ?? [];
    assert.equal(svgs.length, report.features.length + (report.prediction ? 1 : 0));
    const plan = report.features.find((f) => f.name === 'plan')!;
    const planSvg = svgs.find((s) => s.includes('aria-label="plan: training vs this batch"'))!;
    assert.equal((planSvg.match(/<rect /g) ?? []).length, 2 * plan.histogram.labels.length);
    const order = [...html.matchAll(/<h3><span class="badge[^"]*">\w+<\/span> ([^ <]+)/g)].map((m) => m[1]).filter((n) => n !== 'prediction');
    assert.deepEqual(
      order,
      report.features.map((f) => f.name),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('drift report HTML renders the fixture batch with a drift verdict banner', async () => {
  const manifest = fixtureManifest();
  manifest.drift_policy.dataset_share = 0.4;
  const report = await driftOfFile(manifest, join(driftFixtures, 'batch.csv'));
  const html = driftReportHtml(report, { cspSource: 'x:', styleUri: 'x:/a.css', manifestPath: 'm.json' });
  assert.match(html, /<header class="verdict verdict-drift">\n<h1>Drift<\/h1>/);
  assert.match(html, /3 of 7 features drifted/);
});
