/**
 * Ground truth that arrives late: joins labels to logged predictions by `prediction_id` and
 * computes the realised metrics per time window (by prediction time), next to the metrics the
 * manifest recorded at training. The labels file is read into a map (labels are what arrives
 * late, usually far fewer than predictions; each is dropped once matched); the prediction log is
 * streamed line by line, and each window keeps only running sums.
 */
import type { Manifest } from '../artifacts/manifest';
import { LOWER_IS_BETTER } from './gate';
import { newTableInfo, readTable, TableError } from './table';

/** Options of one outcomes run. */
export interface OutcomesOptions {
  window?: 'day' | 'week';
  manifest?: Manifest | null;
  /** Column of the labels file holding the true value (default: the first of label, outcome, actual, y, target). */
  labelColumn?: string;
  /** Windows with fewer labelled predictions are reported but not judged (default 30). */
  minRows?: number;
  /** Relative degradation against the training metric that flags a window (default 0.1 = 10%). */
  tolerance?: number;
}

/** The metrics of one window. */
export interface OutcomeWindow {
  /** First day of the window (UTC, YYYY-MM-DD). */
  start: string;
  predictions: number;
  labelled: number;
  metrics: Record<string, number>;
  /** Metrics worse than training by more than the tolerance. */
  degraded: string[];
}

/** Everything `outcomes` found. */
export interface OutcomesReport {
  version: 1;
  task: 'classification' | 'regression';
  window: 'day' | 'week';
  predictions: number;
  labelled: number;
  labels: number;
  /** Labels whose prediction_id is not in the log. */
  unmatched_labels: number;
  bad_lines: number;
  training: Record<string, number>;
  tolerance: number;
  min_rows: number;
  windows: OutcomeWindow[];
  overall: OutcomeWindow;
  /** Hours from prediction to label, when the labels file has a timestamp column. */
  lag_hours: { mean: number; max: number } | null;
  models: Record<string, number>;
  verdict: { status: 'ok' | 'degraded' | 'insufficient_data'; reasons: string[] };
}

/** The inputs cannot be used (exit 2). */
export class OutcomesInputError extends Error {}

interface Sums {
  predictions: number;
  n: number;
  correct: number;
  tp: number;
  fp: number;
  fn: number;
  logLoss: number;
  logLossN: number;
  absError: number;
  sqError: number;
  y: number;
  y2: number;
  ape: number;
  apeN: number;
}

const LABEL_COLUMNS = ['label', 'outcome', 'actual', 'y', 'target'];

/** Joins the labels to the log and computes the report. */
export async function outcomesOf(logPath: string, labelsPath: string, options: OutcomesOptions = {}): Promise<OutcomesReport> {
  const labels = await readLabels(labelsPath, options.labelColumn);
  const labelCount = labels.size;
  const manifest = options.manifest ?? null;
  const windowKind = options.window ?? 'day';
  const windows = new Map<string, Sums>();
  const overall = emptySums();
  const models: Record<string, number> = {};
  let task: 'classification' | 'regression' | null = manifest?.model.task ?? null;
  const classes = manifest?.model.classes?.map(String) ?? null;
  let lagSum = 0;
  let lagN = 0;
  let lagMax = 0;
  const info = newTableInfo();
  try {
    for await (const chunk of readTable(logPath, ['prediction_id', 'timestamp', 'outputs', 'model'], info)) {
      for (const [id, timestamp, outputs, model] of chunk) {
        const time = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
        if (id === undefined || Number.isNaN(time) || outputs === null || typeof outputs !== 'object') {
          info.badLines++;
          continue;
        }
        const runId = String((model as { run_id?: unknown } | undefined)?.run_id ?? 'unknown');
        models[runId] = (models[runId] ?? 0) + 1;
        const out = outputs as Record<string, unknown>;
        task ??= 'variable' in out ? 'regression' : 'classification';
        const key = windowStart(time, windowKind);
        let sums = windows.get(key);
        if (sums === undefined) windows.set(key, (sums = emptySums()));
        sums.predictions++;
        overall.predictions++;
        const label = labels.get(String(id));
        if (label === undefined) continue;
        labels.delete(String(id));
        for (const s of [sums, overall]) add(s, task, out, label.value, classes);
        if (label.time !== null) {
          const hours = (label.time - time) / 3_600_000;
          lagSum += hours;
          lagN++;
          lagMax = Math.max(lagMax, hours);
        }
      }
    }
  } catch (error) {
    if (error instanceof TableError) throw new OutcomesInputError(error.message);
    throw error;
  }
  if (overall.predictions === 0) throw new OutcomesInputError(`${logPath}: no prediction-log lines (docs/monitoring.md describes the format)`);
  const finalTask = task ?? 'classification';
  const training = manifest?.metrics ?? {};
  const tolerance = options.tolerance ?? 0.1;
  const minRows = options.minRows ?? 30;
  const judge = (start: string, s: Sums): OutcomeWindow => {
    const metrics = metricsOf(finalTask, s);
    const degraded = s.n < minRows ? [] : Object.keys(metrics).filter((m) => training[m] !== undefined && worse(m, metrics[m]!, training[m]!, tolerance));
    return { start, predictions: s.predictions, labelled: s.n, metrics, degraded };
  };
  const windowList = [...windows.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([k, s]) => judge(k, s));
  const overallWindow = judge(windowList[0]?.start ?? '', overall);
  const flagged = windowList.filter((w) => w.degraded.length > 0);
  const reasons = flagged.map(
    (w) => `${w.start}: ${w.degraded.map((m) => `${m} ${fmt(w.metrics[m]!)} vs training ${fmt(training[m]!)}`).join(', ')} (${w.labelled} labelled)`,
  );
  const judged = windowList.filter((w) => w.labelled >= minRows).length;
  const status = flagged.length > 0 ? 'degraded' : judged === 0 ? 'insufficient_data' : 'ok';
  if (status === 'insufficient_data') reasons.push(`no window has ${minRows} labelled predictions yet`);
  if (status === 'ok') reasons.push(`${judged} window(s) judged; none worse than training by more than ${(tolerance * 100).toFixed(0)}%`);
  if (manifest === null) reasons.push('no manifest given: realised metrics are not compared with training');
  return {
    version: 1,
    task: finalTask,
    window: windowKind,
    predictions: overall.predictions,
    labelled: overall.n,
    labels: labelCount,
    unmatched_labels: labels.size,
    bad_lines: info.badLines,
    training,
    tolerance,
    min_rows: minRows,
    windows: windowList,
    overall: overallWindow,
    lag_hours: lagN > 0 ? { mean: lagSum / lagN, max: lagMax } : null,
    models,
    verdict: { status, reasons },
  };
}

async function readLabels(path: string, column: string | undefined): Promise<Map<string, { value: unknown; time: number | null }>> {
  const candidates = column !== undefined ? [column] : LABEL_COLUMNS;
  const info = newTableInfo();
  const labels = new Map<string, { value: unknown; time: number | null }>();
  try {
    for await (const chunk of readTable(path, ['prediction_id', 'timestamp', ...candidates], info)) {
      for (const row of chunk) {
        const id = row[0];
        const value = row.slice(2).find((v) => v !== undefined && v !== '');
        if (id === undefined || id === '' || value === undefined) continue;
        const time = typeof row[1] === 'string' ? Date.parse(row[1]) : NaN;
        labels.set(String(id), { value, time: Number.isNaN(time) ? null : time });
      }
    }
  } catch (error) {
    if (error instanceof TableError) throw new OutcomesInputError(error.message);
    throw error;
  }
  if (!info.found.has('prediction_id')) throw new OutcomesInputError(`${path}: no prediction_id column`);
  if (!candidates.some((c) => info.found.has(c)))
    throw new OutcomesInputError(`${path}: no label column (${candidates.join(', ')}; choose one with --label-column)`);
  return labels;
}

function emptySums(): Sums {
  return { predictions: 0, n: 0, correct: 0, tp: 0, fp: 0, fn: 0, logLoss: 0, logLossN: 0, absError: 0, sqError: 0, y: 0, y2: 0, ape: 0, apeN: 0 };
}

function add(s: Sums, task: 'classification' | 'regression', out: Record<string, unknown>, label: unknown, classes: string[] | null): void {
  if (task === 'regression') {
    const y = Number(label);
    const raw = out['variable'];
    const p = Number(Array.isArray(raw) ? raw[0] : raw);
    if (!Number.isFinite(y) || !Number.isFinite(p)) return;
    const e = p - y;
    s.n++;
    s.absError += Math.abs(e);
    s.sqError += e * e;
    s.y += y;
    s.y2 += y * y;
    if (y !== 0) {
      s.ape += Math.abs(e / y);
      s.apeN++;
    }
    return;
  }
  const predicted = out['label'];
  s.n++;
  if (sameLabel(predicted, label)) s.correct++;
  if (classes !== null && classes.length === 2) {
    const positive = classes[1]!;
    const isPositive = sameLabel(label, positive);
    const saidPositive = sameLabel(predicted, positive);
    if (saidPositive && isPositive) s.tp++;
    else if (saidPositive) s.fp++;
    else if (isPositive) s.fn++;
  }
  const probabilities = out['probabilities'];
  if (classes !== null && Array.isArray(probabilities)) {
    const index = classes.findIndex((c) => sameLabel(c, label));
    const p = index >= 0 ? Number(probabilities[index]) : NaN;
    if (Number.isFinite(p)) {
      // sklearn's log_loss clips probabilities away from 0 the same way.
      s.logLoss -= Math.log(Math.min(1 - 1e-15, Math.max(1e-15, p)));
      s.logLossN++;
    }
  }
}

/** Labels compare as numbers when both read as numbers ("1" and 1.0 are the same class). */
function sameLabel(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null || b === undefined || b === null) return false;
  const x = Number(a);
  const y = Number(b);
  if (String(a).trim() !== '' && String(b).trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return x === y;
  return String(a) === String(b);
}

function metricsOf(task: 'classification' | 'regression', s: Sums): Record<string, number> {
  if (s.n === 0) return {};
  if (task === 'regression') {
    const sst = s.y2 - (s.y * s.y) / s.n;
    const m: Record<string, number> = { mae: s.absError / s.n, mse: s.sqError / s.n, rmse: Math.sqrt(s.sqError / s.n) };
    if (sst > 0) m['r2'] = 1 - s.sqError / sst;
    if (s.apeN > 0) m['mape'] = s.ape / s.apeN;
    return m;
  }
  const m: Record<string, number> = { accuracy: s.correct / s.n };
  if (s.tp + s.fp + s.fn > 0) {
    const precision = s.tp + s.fp > 0 ? s.tp / (s.tp + s.fp) : 0;
    const recall = s.tp + s.fn > 0 ? s.tp / (s.tp + s.fn) : 0;
    m['precision'] = precision;
    m['recall'] = recall;
    m['f1'] = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  }
  if (s.logLossN > 0) m['log_loss'] = s.logLoss / s.logLossN;
  return m;
}

function worse(metric: string, realised: number, training: number, tolerance: number): boolean {
  const margin = tolerance * Math.max(Math.abs(training), 1e-12);
  return LOWER_IS_BETTER.has(metric) ? realised > training + margin : realised < training - margin;
}

/** The first day (UTC) of the window holding a time: the day itself, or the Monday of its ISO week. */
export function windowStart(time: number, kind: 'day' | 'week'): string {
  const date = new Date(time);
  if (kind === 'week') date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}
