/**
 * `nb2prod predict --manifest FILE --input rows.json|rows.jsonl|rows.csv [--backend onnx|python|both]
 * [--python PATH] [--format text|json]`. The backend defaults to onnx when the manifest has an ONNX
 * artifact, python otherwise; `both` also compares the two (src/core/runner/parity.ts).
 * Exit 0 every row predicted (and, with `both`, the backends agree), 1 any row rejected (the valid
 * ones are still predicted and shown) or the backends disagree beyond the manifest's tolerance,
 * 2 unusable manifest, input file, artifact or interpreter.
 */
import { parseArgs } from 'node:util';
import { loadManifest, ManifestError } from '../core/artifacts/manifest-file';
import { InputFileError, readRowsFile } from '../core/runner/input-file';
import { compareBackends, defaultBackend, formatParity, BACKENDS, type BackendKind, type ParityReport } from '../core/runner/parity';
import { Predictor, type PredictReport, type RowResult } from '../core/runner/predict';
import { PythonBackendError, PythonPredictor } from '../core/runner/python-backend';
import { usageError, type CliResult } from './result';

/** Runs `predict` with its arguments (after the command name). */
export async function predict(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      manifest: { type: 'string' },
      input: { type: 'string' },
      root: { type: 'string' },
      format: { type: 'string', default: 'text' },
      backend: { type: 'string' },
      python: { type: 'string' },
    },
  });
  if (values.format !== 'text' && values.format !== 'json') return usageError(`unknown format \`${values.format}\` (expected text or json)`);
  if (values.backend !== undefined && !BACKENDS.includes(values.backend as BackendKind))
    return usageError(`unknown backend \`${values.backend}\` (expected ${BACKENDS.join(', ')})`);
  if (!values.manifest || !values.input) return usageError('predict needs --manifest FILE and --input FILE');
  if (positionals.length > 0) return usageError(`unexpected argument \`${positionals[0]}\``);
  const root = values.root ? { root: values.root } : {};
  const disposers: (() => void)[] = [];
  try {
    const loaded = await loadManifest(values.manifest, values.root);
    const backend = (values.backend as BackendKind | undefined) ?? defaultBackend(loaded.manifest);
    const rows = await readRowsFile(values.input, loaded.manifest);
    if (rows.length === 0) return usageError(`${values.input} holds no rows`);
    const reports: { onnx?: PredictReport; python?: PredictReport } = {};
    if (backend !== 'python') {
      const onnx = await Predictor.open(values.manifest, root);
      disposers.push(() => onnx.dispose());
      reports.onnx = await onnx.predict(rows);
    }
    if (backend !== 'onnx') {
      const python = await PythonPredictor.open(values.manifest, { ...root, ...(values.python ? { python: values.python } : {}) });
      disposers.push(() => python.dispose());
      reports.python = await python.predict(rows);
    }
    const report = (reports.onnx ?? reports.python)!;
    const parity: ParityReport | undefined = reports.onnx && reports.python ? compareBackends(loaded.manifest, reports.onnx, reports.python) : undefined;
    const exitCode = report.ok && (parity?.ok ?? true) ? 0 : 1;
    if (values.format === 'json') {
      const body = {
        version: 1,
        ok: exitCode === 0,
        backend,
        rows: report.rows,
        ...(reports.python && reports.onnx ? { python: { rows: reports.python.rows } } : {}),
        ...(parity ? { parity } : {}),
      };
      return { stdout: `${JSON.stringify(body, null, 2)}\n`, stderr: '', exitCode };
    }
    const rejected = report.rows.filter((r) => r.status === 'rejected').length;
    const summary = `${report.rows.length - rejected} of ${report.rows.length} rows predicted${rejected ? `, ${rejected} rejected` : ''} (${backend === 'both' ? 'onnx and python' : backend})`;
    return { stdout: `${report.rows.map(formatRow).join('')}${summary}\n${parity ? formatParity(parity) : ''}`, stderr: '', exitCode };
  } catch (error) {
    if (error instanceof ManifestError || error instanceof InputFileError) return usageError(error.message);
    if (error instanceof PythonBackendError) return usageError(`${error.message}${error.details ? `\n${error.details.trimEnd()}` : ''}`);
    throw error;
  } finally {
    for (const dispose of disposers) dispose();
  }
}

function formatRow(result: RowResult): string {
  const p = result.prediction;
  let head = `row ${result.row}: ${result.status === 'rejected' ? 'REJECTED' : ''}`;
  if (p?.label !== undefined) head += `${p.label}`;
  if (p?.probabilities)
    head += ` (${Object.entries(p.probabilities)
      .map(([c, v]) => `${c} ${v.toFixed(3)}`)
      .join(', ')})`;
  if (p?.value !== undefined) head += `${p.value}`;
  if (p && p.label === undefined && p.value === undefined) head += JSON.stringify(p.outputs);
  const issues = result.issues.map((i) => `  ${i.severity}${i.feature ? ` ${i.feature}` : ''}: ${i.message}`);
  return `${[head, ...issues].join('\n')}\n`;
}
