/**
 * Monitoring in the extension host: "nb2prod: Check Drift" run through its command with explicit
 * arguments (manifest and batch Uris; `{ test: true }` makes it resolve to the panel it opened),
 * and the Model Registry tree view's provider on a registry written here from the drift fixture.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { driftOfFile } from '../../../src/core/monitor/drift';
import { fixtureManifest } from '../../core/monitor/fixtures';
import { repoRoot } from '../../helpers/paths';
import { closeAllEditors } from './helpers';

const drift = join(repoRoot, 'test', 'fixtures', 'drift');

/** What `nb2prod.checkDrift` resolves to with `{ test: true }` (src/extension/drift-report.ts). */
interface DriftReportShown {
  report: { verdict: { status: string }; features: Array<{ name: string }> };
  viewType: string;
  title: string;
  html: string;
}

/** What `nb2prod.refreshRegistry` resolves to (src/extension/registry-view.ts). */
interface NodeShown {
  label: string;
  description?: string;
  children: NodeShown[];
}

describe('monitoring', () => {
  afterEach(closeAllEditors);

  it('nb2prod.checkDrift opens the report webview with a histogram per feature and a strict CSP', async () => {
    const shown = await vscode.commands.executeCommand<DriftReportShown | undefined>(
      'nb2prod.checkDrift',
      vscode.Uri.file(join(drift, 'manifest.json')),
      vscode.Uri.file(join(drift, 'batch.csv')),
      { test: true },
    );
    assert.ok(shown, 'the command resolved to nothing');
    assert.equal(shown.viewType, 'nb2prod.driftReport');
    assert.match(shown.title, /^Drift: .*batch\.csv$/);
    // The verdict the engine gives the same files outside VS Code.
    const direct = await driftOfFile(fixtureManifest(), join(drift, 'batch.csv'));
    assert.notEqual(direct.verdict.status, 'ok');
    assert.equal(shown.report.verdict.status, direct.verdict.status);
    assert.ok(shown.html.includes(direct.verdict.status.toUpperCase()) || shown.html.includes(direct.verdict.status), 'the verdict is in the report');
    assert.match(shown.html, /<meta http-equiv="Content-Security-Policy" content="default-src (?:'|&#39;|&#x27;)none(?:'|&#39;|&#x27;)/);
    const svgs = shown.html.match(/<svg\b/g) ?? [];
    assert.ok(svgs.length >= shown.report.features.length, `${svgs.length} <svg> for ${shown.report.features.length} features`);
    for (const f of shown.report.features) assert.ok(shown.html.includes(f.name), f.name);
    assert.ok(!/<script/i.test(shown.html));
  });

  it('the Model Registry view shows the versions and the champion of a registry', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nb2prod-host-registry-'));
    try {
      const manifest = JSON.parse(readFileSync(join(drift, 'manifest.json'), 'utf8')) as { model: { version: string } };
      for (const version of ['aaaa00000001', 'bbbb00000002']) {
        mkdirSync(join(root, 'versions', version), { recursive: true });
        writeFileSync(join(root, 'versions', version, 'manifest.json'), JSON.stringify({ ...manifest, model: { ...manifest.model, version } }));
      }
      const event = (seq: number, action: string, version: string, previous: string | null): string =>
        JSON.stringify({ seq, time: `2026-01-0${seq}T00:00:00.000Z`, action, alias: 'champion', version, previous, reasons: [`step ${seq}`], actor: 'test' });
      writeFileSync(
        join(root, 'history.jsonl'),
        `${[event(1, 'promote', 'aaaa00000001', null), event(2, 'promote', 'bbbb00000002', 'aaaa00000001'), event(3, 'rollback', 'aaaa00000001', 'bbbb00000002')].join('\n')}\n`,
      );
      const nodes = await vscode.commands.executeCommand<NodeShown[]>('nb2prod.refreshRegistry', { registry: root });
      assert.equal(nodes[0]?.label, 'Champion: aaaa00000001');
      const versions = nodes.find((n) => n.label.startsWith('Versions'));
      assert.equal(versions?.label, 'Versions (2)');
      assert.deepEqual(versions.children.map((c) => c.label).sort(), ['aaaa00000001', 'bbbb00000002']);
      assert.match(versions.children.find((c) => c.label === 'aaaa00000001')?.description ?? '', /^champion · /);
      const history = nodes.find((n) => n.label.startsWith('History'));
      assert.deepEqual(
        history?.children.map((c) => c.label),
        ['#3 rollback aaaa00000001', '#2 promote bbbb00000002', '#1 promote aaaa00000001'],
      );
    } finally {
      await vscode.commands.executeCommand('nb2prod.refreshRegistry', { registry: undefined });
      rmSync(root, { recursive: true, force: true });
    }
  });
});
