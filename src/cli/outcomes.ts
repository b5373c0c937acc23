/**
 * `nb2prod outcomes --log predictions.jsonl --labels labels.csv [--manifest FILE]
 * [--window day|week] [--label-column NAME] [--min-rows N] [--tolerance X] [--format text|json]`:
 * joins late labels to the prediction log and reports realised metrics per window against the
 * training metrics. Exit 0: no window worse than training by more than the tolerance; 1: some
 * window is; 2: usage error or unusable input.
 */
import { parseArgs } from 'node:util';
import type { OutcomesReport } from '../core/monitor/outcomes';
import { usageError, type CliResult } from './result';

/** Runs the command on its arguments (everything after `outcomes`). */
export async function outcomes(args: string[]): Promise<CliResult> {
  const { values } = parseArgs({
    args,
    options: {
      log: { type: 'string' },
      labels: { type: 'string' },
      manifest: { type: 'string' },
      window: { type: 'string', default: 'day' },
      'label-column': { type: 'string' },
      'min-rows': { type: 'string' },
      tolerance: { type: 'string' },
      format: { type: 'string', default: 'text' },
    },
  });
  if (values.log === undefined || values.labels === undefined) return usageError('outcomes needs --log FILE and --labels FILE');
  if (values.window !== 'day' && values.window !== 'week') return usageError(`unknown window \`${values.window}\` (expected day or week)`);
  if (values.format !== 'text' && values.format !== 'json') return usageError(`unknown format \`${values.format}\` (expected text or json)`);
  const minRows = values['min-rows'] === undefined ? undefined : Number(values['min-rows']);
  const tolerance = values.tolerance === undefined ? undefined : Number(values.tolerance);
  if (minRows !== undefined && !(Number.isInteger(minRows) && minRows >= 0)) return usageError('--min-rows takes a whole number');
  if (tolerance !== undefined && !(tolerance >= 0)) return usageError('--tolerance takes a number >= 0 (0.1 = 10%)');
  const { outcomesOf, OutcomesInputError } = require('../core/monitor/outcomes') as typeof import('../core/monitor/outcomes');
  const { readManifestFile } = require('../core/artifacts/manifest-file') as typeof import('../core/artifacts/manifest-file');
  let manifest = null;
  if (values.manifest !== undefined) {
    const read = readManifestFile(values.manifest);
    if (!read.ok) return usageError(read.error);
    manifest = read.manifest;
  }
  let report: OutcomesReport;
  try {
    report = await outcomesOf(values.log, values.labels, { window: values.window, manifest, labelColumn: values['label-column'], minRows, tolerance });
  } catch (error) {
    if (error instanceof OutcomesInputError) return usageError(error.message);
    throw error;
  }
  const exitCode = report.verdict.status === 'degraded' ? 1 : 0;
  return { stdout: values.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatOutcomesText(report), stderr: '', exitCode };
}

/** The text report: coverage, then one line per window with its metrics. */
export function formatOutcomesText(report: OutcomesReport): string {
  const names = [...new Set([...Object.keys(report.overall.metrics), ...Object.keys(report.training).filter((m) => m in report.overall.metrics)])];
  const cell = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(4)).padStart(10);
  const lines = [
    `outcomes: ${report.labelled} of ${report.predictions} predictions labelled (${pct(report.labelled / report.predictions)}); ${report.labels} labels, ${report.unmatched_labels} without a logged prediction`,
    report.lag_hours
      ? `label lag: mean ${report.lag_hours.mean.toFixed(1)} h, max ${report.lag_hours.max.toFixed(1)} h`
      : 'label lag: unknown (the labels file has no timestamp column)',
    `verdict: ${report.verdict.status.toUpperCase()}`,
    ...report.verdict.reasons.map((r) => `  - ${r}`),
    '',
    `${report.window.padEnd(10)} ${'predicted'.padStart(9)} ${'labelled'.padStart(8)} ${names.map((n) => n.padStart(10)).join(' ')}`,
    `${'training'.padEnd(10)} ${''.padStart(9)} ${''.padStart(8)} ${names.map((n) => cell(report.training[n])).join(' ')}`,
  ];
  for (const w of [...report.windows, { ...report.overall, start: 'overall' }]) {
    const flag = w.degraded.length > 0 ? `  worse: ${w.degraded.join(', ')}` : w.labelled < report.min_rows ? '  (too few labels to judge)' : '';
    lines.push(
      `${w.start.padEnd(10)} ${String(w.predictions).padStart(9)} ${String(w.labelled).padStart(8)} ${names.map((n) => cell(w.metrics[n])).join(' ')}${flag}`,
    );
  }
  if (report.bad_lines > 0) lines.push('', `skipped ${report.bad_lines} log line(s) without prediction_id, timestamp or outputs`);
  return `${lines.join('\n')}\n`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
