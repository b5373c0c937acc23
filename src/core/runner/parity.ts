/**
 * Backend choice and the `both` comparison: the same validated rows through the ONNX graph and
 * through the project's Python pipeline, compared per output against the manifest's golden
 * tolerance (|onnx - python| <= absolute + relative * |python|, Python being the reference the
 * conversion must reproduce). Per output: the largest absolute difference, the share of rows
 * beyond the tolerance, label agreement; the worst rows are named so they can be replayed.
 */
import type { Manifest } from '../artifacts/manifest';
import { onnxModelEntry } from '../artifacts/manifest-file';
import type { PredictReport } from './predict';
import { pickleModelEntry } from './python-backend';
import type { OutputValue } from './tensors';

/** Which backend predicts. */
export type BackendKind = 'onnx' | 'python' | 'both';

/** The backends `--backend` accepts. */
export const BACKENDS: readonly BackendKind[] = ['onnx', 'python', 'both'];

/** The default backend: onnx when the manifest has an ONNX artifact, python otherwise. */
export function defaultBackend(manifest: Manifest): 'onnx' | 'python' {
  return onnxModelEntry(manifest) ? 'onnx' : 'python';
}

/** The backends a manifest can use (the panel offers only these). */
export function availableBackends(manifest: Manifest): BackendKind[] {
  const onnx = !!onnxModelEntry(manifest);
  const python = !!pickleModelEntry(manifest);
  return [...(onnx ? ['onnx' as const] : []), ...(python ? ['python' as const] : []), ...(onnx && python ? ['both' as const] : [])];
}

/** One row where the backends differ most on one output. */
export interface ParityRow {
  row: number;
  output: string;
  onnx: OutputValue;
  python: OutputValue;
  /** The largest absolute difference over the output's values (Infinity for differing labels). */
  diff: number;
}

/** The comparison of one output. */
export interface OutputParity {
  output: string;
  kind: 'numeric' | 'label';
  rowsCompared: number;
  maxAbsDiff: number;
  /** Rows beyond the tolerance, and their share of the compared rows. */
  rowsOverTolerance: number;
  shareOverTolerance: number;
  /** For labels: the share of rows with equal labels (1 for numeric outputs within tolerance). */
  labelAgreement: number | null;
  ok: boolean;
}

/** The whole comparison. */
export interface ParityReport {
  ok: boolean;
  tolerance: { absolute: number; relative: number };
  rowsCompared: number;
  outputs: OutputParity[];
  /** Up to `limit` rows beyond the tolerance, worst first. */
  worst: ParityRow[];
}

function numbers(value: OutputValue | undefined): number[] | null {
  if (value === undefined) return null;
  const list = Array.isArray(value) ? value : [value];
  return list.every((v) => typeof v === 'number') ? (list as number[]) : null;
}

/**
 * Compares the predictions of the two reports row by row (rows both predicted). An output is a
 * label when its values are not numbers or the task is classification and it is a scalar.
 */
export function compareBackends(manifest: Manifest, onnx: PredictReport, python: PredictReport, limit = 5): ParityReport {
  const tolerance = { absolute: manifest.golden.tolerance.absolute, relative: manifest.golden.tolerance.relative };
  const rows = onnx.rows.filter((r) => r.prediction && python.rows[r.row]?.prediction).map((r) => r.row);
  const names = manifest.signature.outputs.map((o) => o.name);
  const outputs: OutputParity[] = [];
  const over: ParityRow[] = [];
  for (const name of names) {
    let maxAbsDiff = 0;
    let overCount = 0;
    let labelsEqual = 0;
    let isLabel = false;
    for (const row of rows) {
      const a = onnx.rows[row]!.prediction!.outputs[name];
      const b = python.rows[row]!.prediction!.outputs[name];
      const x = numbers(a);
      const y = numbers(b);
      const scalarLabel = manifest.model.task === 'classification' && !Array.isArray(b);
      if (!x || !y || scalarLabel || x.length !== y.length) {
        isLabel = true;
        const same =
          (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b)) ||
          (x !== null && y !== null && x.length === y.length && x.every((v, i) => v === y[i]));
        if (same) labelsEqual++;
        else {
          overCount++;
          maxAbsDiff = Infinity;
          over.push({ row, output: name, onnx: a ?? '(none)', python: b ?? '(none)', diff: Infinity });
        }
        continue;
      }
      let rowMax = 0;
      let beyond = false;
      x.forEach((v, i) => {
        const d = Math.abs(v - y[i]!);
        const bad = Number.isNaN(v) !== Number.isNaN(y[i]!) || d > tolerance.absolute + tolerance.relative * Math.abs(y[i]!);
        if (Number.isNaN(v) !== Number.isNaN(y[i]!)) rowMax = Infinity;
        else if (d > rowMax) rowMax = d;
        beyond ||= bad;
      });
      maxAbsDiff = Math.max(maxAbsDiff, rowMax);
      if (beyond) {
        overCount++;
        over.push({ row, output: name, onnx: a!, python: b!, diff: rowMax });
      }
    }
    const n = rows.length;
    outputs.push({
      output: name,
      kind: isLabel ? 'label' : 'numeric',
      rowsCompared: n,
      maxAbsDiff,
      rowsOverTolerance: overCount,
      shareOverTolerance: n === 0 ? 0 : overCount / n,
      labelAgreement: isLabel ? (n === 0 ? 1 : labelsEqual / n) : null,
      ok: overCount === 0,
    });
  }
  over.sort((p, q) => q.diff - p.diff || p.row - q.row);
  return { ok: outputs.every((o) => o.ok), tolerance, rowsCompared: rows.length, outputs, worst: over.slice(0, limit) };
}

/** The comparison as text lines: one per output, then the worst rows. */
export function formatParity(report: ParityReport): string {
  const lines = [
    `backends ${report.ok ? 'agree' : 'DISAGREE'} on ${report.rowsCompared} rows (tolerance ${report.tolerance.absolute} + ${report.tolerance.relative}x)`,
  ];
  for (const o of report.outputs) {
    const share = `${(o.shareOverTolerance * 100).toFixed(1)}% of rows over the tolerance`;
    if (o.kind === 'label') lines.push(`  ${o.output}: label agreement ${((o.labelAgreement ?? 1) * 100).toFixed(1)}% (${o.rowsOverTolerance} rows differ)`);
    else lines.push(`  ${o.output}: max |onnx - python| ${o.maxAbsDiff.toExponential(3)}, ${share}`);
  }
  for (const w of report.worst) {
    lines.push(
      `  row ${w.row} ${w.output}: onnx ${JSON.stringify(w.onnx)}, python ${JSON.stringify(w.python)}${Number.isFinite(w.diff) ? ` (|diff| ${w.diff.toExponential(3)})` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
