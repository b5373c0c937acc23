/**
 * `nb2prod predict --manifest FILE --input rows.json|rows.jsonl|rows.csv [--format text|json]`.
 * Exit 0 every row predicted, 1 any row rejected (the valid ones are still predicted and shown),
 * 2 unusable manifest or input file.
 */
import { parseArgs } from 'node:util';
import { ManifestError } from '../core/artifacts/manifest-file';
import { InputFileError, readRowsFile } from '../core/runner/input-file';
import { Predictor, type RowResult } from '../core/runner/predict';
import type { CommandResult } from './verify';

/** Runs `predict` with its arguments (after the command name). */
export async function predict(args: string[]): Promise<CommandResult> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { manifest: { type: 'string' }, input: { type: 'string' }, root: { type: 'string' }, format: { type: 'string', default: 'text' }, backend: { type: 'string', default: 'onnx' } },
  });
  const fail = (message: string): CommandResult => ({ stdout: '', stderr: `nb2prod: ${message}\n`, exitCode: 2 });
  if (values.format !== 'text' && values.format !== 'json') return fail(`unknown format \`${values.format}\` (expected text or json)`);
  if (values.backend !== 'onnx') return fail(`backend \`${values.backend}\` is not available here (only onnx)`);
  if (!values.manifest || !values.input) return fail('predict needs --manifest FILE and --input FILE');
  if (positionals.length > 0) return fail(`unexpected argument \`${positionals[0]}\``);
  let predictor: Predictor | undefined;
  try {
    predictor = await Predictor.open(values.manifest, values.root ? { root: values.root } : {});
    const rows = await readRowsFile(values.input, predictor.loaded.manifest);
    if (rows.length === 0) return fail(`${values.input} holds no rows`);
    const report = await predictor.predict(rows);
    const exitCode = report.ok ? 0 : 1;
    if (values.format === 'json') return { stdout: `${JSON.stringify({ version: 1, ok: report.ok, rows: report.rows }, null, 2)}\n`, stderr: '', exitCode };
    const rejected = report.rows.filter((r) => r.status === 'rejected').length;
    const summary = `${report.rows.length - rejected} of ${report.rows.length} rows predicted${rejected ? `, ${rejected} rejected` : ''}`;
    return { stdout: `${report.rows.map(formatRow).join('')}${summary}\n`, stderr: '', exitCode };
  } catch (error) {
    if (error instanceof ManifestError || error instanceof InputFileError) return fail(error.message);
    throw error;
  } finally {
    predictor?.dispose();
  }
}

function formatRow(result: RowResult): string {
  const p = result.prediction;
  let head = `row ${result.row}: ${result.status === 'rejected' ? 'REJECTED' : ''}`;
  if (p?.label !== undefined) head += `${p.label}`;
  if (p?.probabilities) head += ` (${Object.entries(p.probabilities).map(([c, v]) => `${c} ${v.toFixed(3)}`).join(', ')})`;
  if (p?.value !== undefined) head += `${p.value}`;
  if (p && p.label === undefined && p.value === undefined) head += JSON.stringify(p.outputs);
  const issues = result.issues.map((i) => `  ${i.severity}${i.feature ? ` ${i.feature}` : ''}: ${i.message}`);
  return [head, ...issues].join('\n') + '\n';
}
