/**
 * `nb2prod drift --manifest FILE --data FILE [--format text|json] [--prediction-column NAME] [--no-model]`:
 * drift of a batch (.csv or .jsonl, streamed) against the manifest's reference statistics,
 * judged by its frozen drift policy. Exit 0: no drift (warnings allowed); 1: the dataset-level
 * verdict is drift; 2: usage error, unreadable manifest or batch, or too few rows to judge.
 */
import { parseArgs } from 'node:util';
import type { DriftReport, FeatureDrift } from '../core/monitor/drift';
import { usageError, type CliResult } from './result';

/** Runs the command on its arguments (everything after `drift`). */
export async function drift(args: string[]): Promise<CliResult> {
  const { values } = parseArgs({
    args,
    options: {
      manifest: { type: 'string' },
      data: { type: 'string' },
      format: { type: 'string', default: 'text' },
      'prediction-column': { type: 'string' },
      'no-model': { type: 'boolean' },
    },
  });
  if (values.manifest === undefined || values.data === undefined) return usageError('drift needs --manifest FILE and --data FILE');
  if (values.format !== 'text' && values.format !== 'json') return usageError(`unknown format \`${values.format}\` (expected text or json)`);
  // The monitor modules load only when this command runs.
  const { readManifestFile } = require('../core/artifacts/manifest-file') as typeof import('../core/artifacts/manifest-file');
  const { driftOfFile, DriftInputError } = require('../core/monitor/drift') as typeof import('../core/monitor/drift');
  const read = readManifestFile(values.manifest);
  if (!read.ok) return usageError(read.error);
  // Without predictions in the batch, the ONNX model of the manifest computes them (unless
  // --no-model or the manifest lists no ONNX artifact); the runner starts only if needed.
  const hasOnnx = read.manifest.artifacts.some((a) => a.format === 'onnx');
  const runner =
    values['no-model'] || !hasOnnx
      ? null
      : (require('../core/monitor/runner-predict') as typeof import('../core/monitor/runner-predict')).runnerPredict(values.manifest, read.manifest);
  let report: DriftReport;
  try {
    report = await driftOfFile(read.manifest, values.data, {
      ...(values['prediction-column'] === undefined ? {} : { predictionColumn: values['prediction-column'] }),
      ...(runner === null ? {} : { predictBatch: runner.predictBatch }),
    });
  } catch (error) {
    if (error instanceof DriftInputError) return usageError(error.message);
    throw error;
  } finally {
    runner?.dispose();
  }
  const notes: string[] = [];
  if (runner?.error()) notes.push(`predictions not checked: ${runner.error()}`);
  if ((runner?.rejected() ?? 0) > 0) notes.push(`${runner!.rejected()} row(s) rejected by the model's input validation count as missing predictions`);
  const exitCode = report.verdict.status === 'drift' ? 1 : report.verdict.status === 'insufficient_data' ? 2 : 0;
  const stdout = values.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatDriftText(report);
  const stderr = [...notes, ...(report.verdict.status === 'insufficient_data' ? report.verdict.reasons : [])].map((n) => `nb2prod: ${n}\n`).join('');
  return { stdout, stderr, exitCode };
}

/** The text report: verdict first, then one line per feature, most severe first. */
export function formatDriftText(report: DriftReport): string {
  const v = report.verdict;
  const lines = [
    `drift of ${report.data.path} (${report.data.rows} rows) against ${report.model.name} ${report.model.version} (run ${report.model.run_id})`,
    `verdict: ${v.status.toUpperCase()}: ${v.drifted.length}/${v.features} features drifted (dataset threshold ${(v.threshold * 100).toFixed(0)}%)`,
    ...v.reasons.map((r) => `  - ${r}`),
    '',
    `${'status'.padEnd(7)} ${'feature'.padEnd(24)} ${'method'.padEnd(15)} ${'value'.padStart(8)}  warn/alert   notes`,
  ];
  const row = (f: FeatureDrift): string =>
    `${f.status.padEnd(7)} ${f.name.padEnd(24)} ${f.rule.method.padEnd(15)} ${(f.value === null ? '-' : f.value.toFixed(4)).padStart(8)}  ${`${f.rule.warn}/${f.rule.alert}`.padEnd(11)}  ${f.notes.join('; ')}`;
  lines.push(...report.features.map(row));
  if (report.prediction !== null) lines.push('', `predictions (from the ${report.prediction_source}):`, row(report.prediction));
  else lines.push('', 'predictions: not checked (the batch has no `prediction` column or `outputs`, and no model was run)');
  if (report.data.bad_lines > 0) lines.push('', `skipped ${report.data.bad_lines} unreadable line(s); first: ${report.data.first_bad}`);
  return `${lines.join('\n')}\n`;
}
