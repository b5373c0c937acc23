// The file-based registry through `nb2prod promote` / `rollback`: the gate (better promoted,
// worse blocked with a reason, different evaluation data refused), manual approval, rollback
// step by step with every event kept, tampered artifacts refused, stale and live locks, and
// concurrent promotions from several processes that leave a consistent registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { championStack, currentChampion, promote as promoteApi, readHistory, type RegistryEvent } from '../../src/core/monitor/registry';
import { cliPath } from '../helpers/paths';
import { fixtureManifest } from '../core/monitor/fixtures';

const EVAL = 'e'.repeat(64);

/** A candidate folder: manifest.json + model.joblib (whose sha256 the manifest records). */
function candidate(root: string, version: string, accuracy: number, extra: { evalHash?: string; baseline?: unknown; maxRegression?: number } = {}): string {
  const dir = join(root, 'candidates', version);
  mkdirSync(dir, { recursive: true });
  const bytes = Buffer.from(`model ${version}`);
  writeFileSync(join(dir, 'model.joblib'), bytes);
  const m = fixtureManifest() as Record<string, unknown> & ReturnType<typeof fixtureManifest>;
  m.run.run_id = `run-${version}`;
  m.model.version = version;
  m.metrics = { accuracy };
  m.evaluation = { data_sha256: extra.evalHash ?? EVAL, rows: 100 };
  m.artifacts = [
    {
      role: 'model',
      path: 'artifacts/model.joblib',
      format: 'joblib',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
      globals: [],
    },
  ];
  m.promotion = {
    gate: { metric: 'accuracy', min_improvement: 0, ...(extra.maxRegression !== undefined ? { max_regression: extra.maxRegression } : {}) },
    baseline: (extra.baseline ?? null) as never,
    decision: 'promote',
    reason: 'trained',
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m, null, 1));
  return dir;
}

async function withRegistry(fn: (root: string, registry: string) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'nb2prod-registry-'));
  try {
    await fn(root, join(root, 'registry'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const promote = (dir: string, registry: string, ...more: string[]) => main(['promote', '--candidate', dir, '--registry', registry, '--actor', 'test', ...more]);

test('promotion: first version, better promoted, worse blocked and flagged, rollback restores, history keeps every step', async () => {
  await withRegistry(async (root, registry) => {
    assert.equal((await promote(candidate(root, 'v1', 0.8), registry)).exitCode, 0);
    const better = await promote(candidate(root, 'v2', 0.85), registry);
    assert.equal(better.exitCode, 0, better.stderr);
    assert.match(better.stdout, /promoted v2 to champion \(previous: v1/);
    assert.match(better.stdout, /accuracy 0\.85 vs champion 0\.8/);
    const worse = await promote(candidate(root, 'v3', 0.83), registry);
    assert.equal(worse.exitCode, 1);
    assert.match(worse.stdout, /rejected v3: champion stays v2/);
    assert.match(worse.stdout, /worse by 0\.02/);
    assert.match(worse.stderr, /flagged for manual review/);
    assert.ok(existsSync(join(registry, 'versions', 'v3', 'model.joblib')), 'a rejected version is kept for review');
    assert.equal(currentChampion(readHistory(registry)), 'v2');

    const back = await main(['rollback', '--registry', registry, '--actor', 'test']);
    assert.equal(back.exitCode, 0, back.stderr);
    assert.match(back.stdout, /rolled champion back to v1/);
    assert.deepEqual(JSON.parse(readFileSync(join(registry, 'aliases.json'), 'utf8')).champion, { version: 'v1', path: 'versions/v1' });
    const none = await main(['rollback', '--registry', registry]);
    assert.equal(none.exitCode, 2);
    assert.match(none.stderr, /no predecessor/);
    assert.equal((await main(['rollback', '--registry', registry, '--to', 'v2', '--reason', 'v1 was worse in production', '--actor', 'test'])).exitCode, 0);

    const history = readHistory(registry);
    assert.deepEqual(
      history.map((e) => [e.seq, e.action, e.version, e.previous]),
      [
        [1, 'promote', 'v1', null],
        [2, 'promote', 'v2', 'v1'],
        [3, 'reject', 'v3', 'v2'],
        [4, 'rollback', 'v1', 'v2'],
        [5, 'rollback', 'v2', 'v1'],
      ],
    );
    assert.deepEqual(history[4]!.reasons, ['v1 was worse in production']);
    assert.ok(history.every((e) => e.actor === 'test' && !Number.isNaN(Date.parse(e.time))));
  });
});

test('promotion: different evaluation data are refused unless the candidate carries the champion re-scored on its data', async () => {
  await withRegistry(async (root, registry) => {
    await promote(candidate(root, 'v1', 0.8), registry);
    const other = 'f'.repeat(64);
    const refused = await promote(candidate(root, 'v2', 0.95, { evalHash: other }), registry);
    assert.equal(refused.exitCode, 1);
    assert.match(refused.stdout, /evaluation data differ \(candidate ffffffffffff, champion eeeeeeeeeeee\)/);
    const baseline = { run_id: 'run-v1', metric: 'accuracy', value: 0.7, eval_data_sha256: other };
    const rescored = await promote(candidate(root, 'v3', 0.75, { evalHash: other, baseline }), registry);
    assert.equal(rescored.exitCode, 0, rescored.stdout);
    assert.match(rescored.stdout, /re-scored on the candidate's evaluation data/);
    assert.match(rescored.stdout, /accuracy 0\.75 vs champion 0\.7/);
  });
});

test('promotion: a tolerated regression (max_regression), manual approval, and an unchanged champion', async () => {
  await withRegistry(async (root, registry) => {
    await promote(candidate(root, 'v1', 0.8), registry);
    assert.equal((await promote(candidate(root, 'v2', 0.79, { maxRegression: 0.02 }), registry)).exitCode, 0);
    assert.equal((await promote(candidate(root, 'v3', 0.7), registry)).exitCode, 1);
    const approved = await promote(join(root, 'candidates', 'v3'), registry, '--approve', 'reviewed: v2 is miscalibrated');
    assert.equal(approved.exitCode, 0);
    assert.match(approved.stdout, /by manual approval/);
    assert.equal(currentChampion(readHistory(registry)), 'v3');
    const again = await promote(join(root, 'candidates', 'v3'), registry);
    assert.match(again.stdout, /already the champion/);
    assert.deepEqual(
      readHistory(registry).map((e) => e.action),
      ['promote', 'promote', 'reject', 'override'],
    );
  });
});

test('promotion: a candidate whose artifact does not match its manifest is refused (exit 2), nothing recorded', async () => {
  await withRegistry(async (root, registry) => {
    const dir = candidate(root, 'v1', 0.8);
    writeFileSync(join(dir, 'model.joblib'), 'tampered');
    const result = await promote(dir, registry);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /sha256 .* differs from the manifest/);
    assert.deepEqual(readHistory(registry), []);
  });
});

test('lock: a stale lock (dead pid) is broken; a live one times out with exit 2', async () => {
  await withRegistry(async (root, registry) => {
    mkdirSync(registry, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid!;
    writeFileSync(join(registry, '.lock'), JSON.stringify({ pid: dead, host: hostname(), created: Date.now(), token: 'old' }));
    assert.equal((await promote(candidate(root, 'v1', 0.8), registry)).exitCode, 0);
    assert.ok(!existsSync(join(registry, '.lock')));
    writeFileSync(join(registry, '.lock'), JSON.stringify({ pid: process.pid, host: hostname(), created: Date.now(), token: 'live' }));
    await assert.rejects(promoteApi(registry, candidate(root, 'v2', 0.9), { timeoutMs: 300 }), /could not lock/);
    rmSync(join(registry, '.lock'));
  });
});

test('concurrency: 8 processes promoting at once leave a consistent registry', async () => {
  await withRegistry(async (root, registry) => {
    const accuracies = [0.71, 0.78, 0.74, 0.9, 0.72, 0.86, 0.75, 0.8];
    const dirs = accuracies.map((a, i) => candidate(root, `c${i}`, a));
    const codes = await Promise.all(
      dirs.map(
        (dir) =>
          new Promise<number>((resolve) => {
            const child = spawn(process.execPath, [cliPath, 'promote', '--candidate', dir, '--registry', registry], { stdio: 'ignore' });
            child.on('exit', (code) => resolve(code ?? -1));
          }),
      ),
    );
    assert.ok(
      codes.every((c) => c === 0 || c === 1),
      `exit codes ${codes.join(',')}`,
    );
    const lines = readFileSync(join(registry, 'history.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 8);
    const history = lines.map((l) => JSON.parse(l) as RegistryEvent);
    assert.deepEqual(
      history.map((e) => e.seq),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    assert.deepEqual(new Set(history.map((e) => e.version)).size, 8);
    // Replaying: each decision was taken against the champion of its moment, and was right.
    let champion: string | null = null;
    let best = -Infinity;
    for (const e of history) {
      assert.equal(e.previous, champion);
      const value = e.gate!.candidate!;
      assert.equal(e.action, value >= best ? 'promote' : 'reject', `${e.version}: ${value} vs ${best}`);
      if (e.action === 'promote') [champion, best] = [e.version, value];
    }
    assert.equal(champion, 'c3');
    assert.deepEqual(championStack(history).at(-1), 'c3');
    assert.deepEqual(JSON.parse(readFileSync(join(registry, 'aliases.json'), 'utf8')).champion.version, 'c3');
    // Every version complete, no staging folder, temp file or lock left behind.
    assert.deepEqual(readdirSync(join(registry, 'versions')).sort(), dirs.map((_, i) => `c${i}`).sort());
    for (let i = 0; i < 8; i++) assert.deepEqual(readdirSync(join(registry, 'versions', `c${i}`)).sort(), ['manifest.json', 'model.joblib']);
    assert.deepEqual(readdirSync(registry).sort(), ['aliases.json', 'history.jsonl', 'versions']);
  });
});

test('a corrupt or unreadable history refuses promotion and rollback (exit 2, the line named); only a missing file is empty', async () => {
  await withRegistry(async (root, registry) => {
    assert.equal((await promote(candidate(root, 'v1', 0.8), registry)).exitCode, 0);
    const historyPath = join(registry, 'history.jsonl');
    const good = readFileSync(historyPath, 'utf8');
    const cases: [string, RegExp][] = [
      [`${good}{"seq": 2, "action": "promo`, /history\.jsonl line 2: not JSON/],
      [
        `${good}{"seq": 2, "time": "t", "action": "delete", "alias": "champion", "version": "v0", "previous": null, "reasons": [], "actor": "x"}\n`,
        /history\.jsonl line 2: not a registry event \(action: /,
      ],
      [`${good}${good}`, /history\.jsonl line 2: seq 1 does not follow 1/],
    ];
    for (const [text, expected] of cases) {
      writeFileSync(historyPath, text);
      const promoted = await promote(candidate(root, 'v2', 0.1), registry);
      assert.equal(promoted.exitCode, 2, text);
      assert.match(promoted.stderr, expected);
      assert.equal(promoted.stderr.trim().split('\n').length, 1);
      const rolled = await main(['rollback', '--registry', registry, '--to', 'v1']);
      assert.equal(rolled.exitCode, 2);
      assert.match(rolled.stderr, expected);
      // Nothing was appended to the damaged file.
      assert.equal(readFileSync(historyPath, 'utf8'), text);
    }
    rmSync(historyPath);
    mkdirSync(historyPath);
    const unreadable = await promote(candidate(root, 'v3', 0.9), registry);
    assert.equal(unreadable.exitCode, 2);
    assert.match(unreadable.stderr, /history\.jsonl: cannot be read \(EISDIR\)/);
  });
});
