// Monitoring end to end on the scaffolded house-price project, with Debian's Python and sklearn:
// train -> promote (first version becomes champion) -> retrain with a changed hyperparameter ->
// promote (the gate decides, the decision and reasons recorded) -> rollback (history keeps every
// step) -> predict.py with PREDICTION_LOG -> `nb2prod outcomes` with late labels -> `nb2prod
// drift` on the log (no drift) and on a shifted batch (drift, exit 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import type { RegistryEvent } from '../../src/core/monitor/registry';
import { repoRoot } from '../helpers/paths';

const python = process.env['NB2PROD_PYTHON'] ?? '/usr/bin/python3';
const probe = spawnSync(python, ['-c', 'import sklearn, pandas, numpy, joblib'], { encoding: 'utf8' });
const missing =
  probe.status === 0
    ? undefined
    : `${python} lacks the sklearn stack (numpy, pandas, scikit-learn, joblib): ${(probe.stderr || probe.error?.message || '').trim().split('\n').pop()}`;
// In CI a missing stack is a failure, never a silent skip.
const skip = missing !== undefined && !process.env['CI'] ? `skipped: ${missing}` : false;
if (skip) console.log(`monitoring e2e ${skip}`);

function run(args: string[], cwd: string): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(python, args, { cwd, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

/** The model's inputs for every row of the data (within the training ranges, so predict accepts them), labels, and a shifted copy. */
const BATCHES = `
import json
import pandas as pd
from src.data import ingestion, preprocessing
from src.utils import config
frame = preprocessing.prepare_frame(ingestion.load_data())
rows = frame[config.FEATURES].copy()
rows.insert(0, "prediction_id", frame["house_id"])
rows.to_csv("batch.csv", index=False)
manifest = json.load(open("artifacts/manifest.json"))
rows = pd.read_csv("batch.csv")
keep = pd.Series(True, index=rows.index)
for spec in manifest["signature"]["inputs"]:
    x = rows[spec["name"]]
    keep &= x.isna() | ((x >= spec["min"]) & (x <= spec["max"]))
rows[keep].to_csv("batch.csv", index=False)
frame[["house_id", "price"]].rename(columns={"house_id": "prediction_id", "price": "label"}).to_csv("labels.csv", index=False)
shifted = rows.copy()
shifted["area_m2"] = shifted["area_m2"] * 1.8
shifted["age"] = shifted["age"] + 40
shifted["has_garden"] = 1
shifted.to_csv("shifted.csv", index=False)
print(int(keep.sum()))
`;

function setAlpha(project: string, alpha: number): void {
  const file = join(project, 'src', 'utils', 'config.py');
  const text = readFileSync(file, 'utf8');
  assert.match(text, /"alpha": [0-9.]+/);
  writeFileSync(file, text.replace(/"alpha": [0-9.]+/, `"alpha": ${alpha}`));
}

function history(registry: string): RegistryEvent[] {
  return readFileSync(join(registry, 'history.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as RegistryEvent);
}

function manifestVersion(project: string): string {
  return (JSON.parse(readFileSync(join(project, 'artifacts', 'manifest.json'), 'utf8')) as { model: { version: string } }).model.version;
}

test('monitoring e2e: house prices: train, promote, retrain, gate, rollback, prediction log, outcomes, drift', { skip, timeout: 300_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'nb2prod-monitoring-e2e-'));
  try {
    const project = join(root, 'project');
    const scaffolded = await main(['scaffold', join(repoRoot, 'test', 'fixtures', 'scaffold', 'house_prices.ipynb'), '--out', project]);
    assert.equal(scaffolded.exitCode, 0, scaffolded.stderr);
    cpSync(join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'), join(project, 'data'), { recursive: true });
    const registry = join(project, 'registry');
    const artifacts = join(project, 'artifacts');
    const manifestPath = join(artifacts, 'manifest.json');

    // 1. Train and promote: the first version becomes champion.
    const train = run(['-m', 'src.model.train'], project);
    assert.equal(train.status, 0, train.stderr);
    const v1 = manifestVersion(project);
    const first = await main(['promote', '--candidate', artifacts, '--registry', registry]);
    assert.equal(first.exitCode, 0, first.stderr);
    assert.deepEqual(
      history(registry).map((e) => [e.action, e.version, e.previous]),
      [['promote', v1, null]],
    );
    assert.match(history(registry)[0]!.reasons.join('\n'), /first version becomes champion/);

    // 2. A worse hyperparameter: retrain.py records the champion's baseline, the gate rejects.
    setAlpha(project, 300);
    const worse = run(['-m', 'src.model.retrain', '--registry', registry], project);
    assert.equal(worse.status, 0, worse.stderr);
    const v2 = manifestVersion(project);
    assert.notEqual(v2, v1);
    const rejected = await main(['promote', '--candidate', artifacts, '--registry', registry]);
    assert.equal(rejected.exitCode, 1, rejected.stdout + rejected.stderr);
    const reject = history(registry)[1]!;
    assert.equal(reject.action, 'reject');
    assert.equal(reject.version, v2);
    assert.equal(reject.gate?.decision, 'reject');
    assert.equal(reject.gate?.metric, 'mae');
    assert.ok(reject.gate!.improvement! < 0);
    assert.match(reject.reasons.join('\n'), /mae .* vs champion .*worse by/);
    assert.match(reject.reasons.join('\n'), /flagged for manual review/);

    // 3. A better one (alpha 10 beats 3 on the held-out rows): promoted, with the gate's numbers.
    setAlpha(project, 10);
    const better = run(['-m', 'src.model.retrain', '--registry', registry], project);
    assert.equal(better.status, 0, better.stderr);
    const v3 = manifestVersion(project);
    const promoted = await main(['promote', '--candidate', artifacts, '--registry', registry]);
    assert.equal(promoted.exitCode, 0, promoted.stdout + promoted.stderr);
    const promote = history(registry)[2]!;
    assert.deepEqual([promote.action, promote.version, promote.previous], ['promote', v3, v1]);
    assert.equal(promote.gate?.decision, 'promote');
    assert.ok(promote.gate!.improvement! > 0);
    assert.equal(promote.gate?.eval_data_sha256, reject.gate?.eval_data_sha256);
    assert.match(promote.reasons.join('\n'), /better by/);

    // 4. Rollback restores the previous champion; the history keeps every step.
    const rolled = await main(['rollback', '--registry', registry]);
    assert.equal(rolled.exitCode, 0, rolled.stderr);
    assert.deepEqual(
      history(registry).map((e) => [e.seq, e.action, e.version]),
      [
        [1, 'promote', v1],
        [2, 'reject', v2],
        [3, 'promote', v3],
        [4, 'rollback', v1],
      ],
    );
    assert.equal(history(registry)[3]!.previous, v3);
    assert.equal((JSON.parse(readFileSync(join(registry, 'aliases.json'), 'utf8')) as { champion: { version: string } }).champion.version, v1);

    // 5. predict.py with PREDICTION_LOG appends one line per prediction in the documented format.
    const log = join(project, 'logs', 'predictions.jsonl');
    appendFileSync(join(project, 'src', 'utils', 'config.py'), `PREDICTION_LOG = ${JSON.stringify(log)}\n`);
    const batches = run(['-c', BATCHES], project);
    assert.equal(batches.status, 0, batches.stderr);
    const rows = Number(batches.stdout.trim());
    assert.ok(rows >= 300, `${rows} rows`);
    const predicted = run(['-m', 'src.model.predict', 'batch.csv'], project);
    assert.equal(predicted.status, 0, predicted.stderr);
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, rows);
    const line = lines[0]!;
    assert.deepEqual(Object.keys(line).sort(), ['inputs', 'inputs_sha256', 'model', 'outputs', 'prediction_id', 'timestamp']);
    assert.equal(line['prediction_id'], 'H0000');
    assert.match(line['timestamp'] as string, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    assert.match(line['inputs_sha256'] as string, /^[0-9a-f]{64}$/);
    assert.deepEqual(Object.keys(line['model'] as object).sort(), ['name', 'run_id', 'version']);
    assert.equal((line['model'] as { version: string }).version, v3);
    assert.equal(typeof (line['outputs'] as { variable: unknown }).variable, 'number');
    assert.deepEqual(Object.keys(line['inputs'] as object).sort(), ['age', 'area_m2', 'has_garden', 'relative_distance', 'rooms', 'rooms_per_100m2']);
    // A second call appends.
    assert.equal(run(['-m', 'src.model.predict', 'batch.csv'], project).status, 0);
    assert.equal(readFileSync(log, 'utf8').trim().split('\n').length, 2 * rows);
    writeFileSync(log, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);

    // 6. Late labels joined to the log.
    const outcomes = await main(['outcomes', '--log', log, '--labels', join(project, 'labels.csv'), '--manifest', manifestPath, '--format', 'json']);
    assert.equal(outcomes.exitCode, 0, outcomes.stdout + outcomes.stderr);
    assert.match(outcomes.stdout, /"mae"/);
    assert.ok(outcomes.stdout.includes(String(rows)), 'the report counts the joined predictions');

    // 7. Drift: the log (inputs and outputs) against training, then a shifted batch.
    const same = await main(['drift', '--manifest', manifestPath, '--data', log, '--format', 'json']);
    const sameReport = JSON.parse(same.stdout) as {
      verdict: { status: string };
      prediction_source: string | null;
      features: Array<{ name: string; status: string; rule: { method: string } }>;
    };
    assert.equal(same.exitCode, 0, same.stdout);
    assert.notEqual(sameReport.verdict.status, 'drift');
    assert.equal(sameReport.prediction_source, 'batch');
    assert.deepEqual(
      sameReport.features.filter((f) => f.status === 'alert').map((f) => f.name),
      [],
    );
    assert.equal(sameReport.features.find((f) => f.name === 'has_garden')?.rule.method, 'jensen_shannon');
    const shifted = await main(['drift', '--manifest', manifestPath, '--data', join(project, 'shifted.csv'), '--no-model', '--format', 'json']);
    assert.equal(shifted.exitCode, 1, shifted.stdout + shifted.stderr);
    const shiftedReport = JSON.parse(shifted.stdout) as { verdict: { status: string; drifted: string[] } };
    assert.equal(shiftedReport.verdict.status, 'drift');
    assert.deepEqual([...shiftedReport.verdict.drifted].sort(), ['age', 'area_m2', 'has_garden']);
    console.log(
      `  monitoring e2e: versions ${v1} (champion) -> ${v2} rejected -> ${v3} promoted -> rolled back to ${v1}; ${rows} logged predictions joined; drift ok on the log, drift on the shifted batch`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
