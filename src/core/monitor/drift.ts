/**
 * Drift of a batch against the manifest: one streaming pass over the file, a counter per
 * feature (and one for the predictions), then per-feature metrics judged by the frozen policy
 * and a dataset-level verdict. Only `reference_stats` is used; no training data is needed.
 */
import type { Manifest } from '../artifacts/manifest';
import { CategoricalCounter, NumericCounter, ValuesCounter, type CounterResult, type DriftMetrics } from './counters';
import { resolvePolicy, ruleFor, type DriftRule, type ResolvedPolicy } from './policy';
import { predictionValue, type PredictBatch } from './predictions';
import { buildReference, valuesReference, type Distribution } from './reference';
import { newTableInfo, OUTPUTS_COLUMN, readTable, TableError } from './table';

/** The judgement on one feature. */
export type DriftStatus = 'ok' | 'warn' | 'alert' | 'insufficient';

/** One feature's (or the predictions') result. */
export interface FeatureDrift extends CounterResult {
  name: string;
  kind: 'numeric' | 'categorical';
  rule: DriftRule;
  /** The rule's metric; null without data. */
  value: number | null;
  status: DriftStatus;
  /** value / alert threshold: what the report sorts by. */
  severity: number;
  notes: string[];
}

/** The dataset-level verdict. */
export interface DriftVerdict {
  status: 'ok' | 'warn' | 'drift' | 'insufficient_data';
  /** Features at `alert` and at `warn`. */
  drifted: string[];
  warned: string[];
  features: number;
  /** drifted / features, and the share that makes the batch drifted. */
  share: number;
  threshold: number;
  reasons: string[];
}

/** Everything `drift` found. */
export interface DriftReport {
  version: 1;
  model: { name: string; version: string; run_id: string };
  data: { path: string; format: 'csv' | 'jsonl'; rows: number; bad_lines: number; first_bad: string | null };
  policy: { dataset_share: number; psi_epsilon: number; min_rows: number };
  verdict: DriftVerdict;
  /** Most severe first. */
  features: FeatureDrift[];
  prediction: FeatureDrift | null;
  /** Where the predictions came from: the batch itself, running the model, or nowhere. */
  prediction_source: 'batch' | 'model' | null;
}

/** The batch or the policy cannot be used (exit 2). */
export class DriftInputError extends Error {}

/** Options of one drift run. */
export interface DriftOptions {
  /** Runs the model when the batch carries no predictions. */
  predictBatch?: PredictBatch;
  /** Column holding predictions in the batch (default `prediction`; JSONL log lines use `outputs`). */
  predictionColumn?: string;
  /** Rows per chunk (also the size of each predictBatch call). */
  chunkSize?: number;
  /** Called after each chunk with the rows read so far. */
  onProgress?: (rows: number) => void;
}

interface Counter {
  add(value: unknown): void;
  result(epsilon: number): CounterResult;
}

/** Measures drift of the batch file at `path` against the manifest. */
export async function driftOfFile(manifest: Manifest, path: string, options: DriftOptions = {}): Promise<DriftReport> {
  let policy: ResolvedPolicy;
  try {
    policy = resolvePolicy(manifest);
  } catch (error) {
    throw new DriftInputError((error as Error).message);
  }
  const stats = manifest.reference_stats.features;
  const names = Object.keys(stats);
  const bins = manifest.drift_policy.bins;
  const dtypes = new Map(manifest.signature.inputs.map((i) => [i.name, i.dtype]));
  const counters: Counter[] = names.map((n) => counterOf(stats[n]!, /^(u?int|bool)/i.test(dtypes.get(n) ?? ''), bins));
  const prediction0 = manifest.reference_stats.prediction;
  const probability = manifest.model.task === 'classification' && manifest.model.classes?.length === 2;
  const predictionCounter = counterOf(prediction0, manifest.model.task === 'classification' && !probability, bins);
  const predictionColumn = options.predictionColumn ?? 'prediction';
  const columns = [...names, predictionColumn, OUTPUTS_COLUMN];
  const pi = names.length;
  const info = newTableInfo();
  let fromBatch = 0;
  let fromModel = 0;
  // Numeric and categorical counters in separate arrays keep each call site monomorphic: one
  // mixed array made the per-value call the most expensive line of the pass.
  const numericAt: number[] = [];
  const numeric: NumericCounter[] = [];
  const categoricalAt: number[] = [];
  const categorical: CategoricalCounter[] = [];
  const valuesAt: number[] = [];
  const values: ValuesCounter[] = [];
  counters.forEach((c, i) => {
    if (c instanceof NumericCounter) {
      numericAt.push(i);
      numeric.push(c);
    } else if (c instanceof ValuesCounter) {
      valuesAt.push(i);
      values.push(c);
    } else {
      categoricalAt.push(i);
      categorical.push(c as CategoricalCounter);
    }
  });
  try {
    for await (const chunk of readTable(path, columns, info, options.chunkSize ?? 1024)) {
      let predicted = 0;
      for (const row of chunk) {
        for (let k = 0; k < numeric.length; k++) numeric[k]!.add(row[numericAt[k]!]);
        for (let k = 0; k < categorical.length; k++) categorical[k]!.add(row[categoricalAt[k]!]);
        for (let k = 0; k < values.length; k++) values[k]!.add(row[valuesAt[k]!]);
        const given = row[pi] !== undefined ? row[pi] : row[pi + 1] !== undefined ? predictionValue(row[pi + 1], manifest) : undefined;
        if (given !== undefined) {
          predictionCounter.add(given);
          predicted++;
        }
      }
      fromBatch += predicted;
      if (predicted === 0 && options.predictBatch) {
        const inputs = chunk.map((row) => modelRow(names, stats, row));
        const outputs = await options.predictBatch(inputs);
        for (const output of outputs) predictionCounter.add(predictionValue(output, manifest));
        fromModel += outputs.length;
      }
      options.onProgress?.(info.rows);
    }
  } catch (error) {
    if (error instanceof TableError) throw new DriftInputError(error.message);
    throw error;
  }
  const validRows = info.rows - info.badLines;
  if (validRows === 0) throw new DriftInputError(`${path}: no readable rows${info.firstBad ? ` (${info.firstBad})` : ''}`);
  if (info.found.size === 0 || names.every((n) => !info.found.has(n))) {
    // A prediction log whose lines carry outputs but no inputs was written without them.
    const log = info.found.has(OUTPUTS_COLUMN)
      ? "; this prediction log has no `inputs` (with PREDICTION_LOG_INPUTS = False in the project's config.py, it holds only their sha256), so drift has nothing to compare"
      : '';
    throw new DriftInputError(
      `${path}: none of the model's ${names.length} features is a column of the batch (expected e.g. ${names.slice(0, 3).join(', ')})${log}`,
    );
  }
  const enough = validRows >= policy.minRows;
  // Numeric features with few distinct values (value_shares) are judged by the categorical rule.
  const features = names.map((name, i) => {
    const counter = counters[i]!;
    const few = counter instanceof ValuesCounter;
    const feature = judge(
      name,
      stats[name]!.kind,
      ruleFor(policy, name, few ? 'categorical' : stats[name]!.kind),
      counter.result(policy.psiEpsilon),
      enough,
      info.found.has(name),
    );
    if (few) feature.notes.push(`few distinct values (${counter.distinct} in training): value shares judged like a category`);
    return feature;
  });
  features.sort(bySeverity);
  const predictionSource = fromBatch > 0 ? 'batch' : fromModel > 0 ? 'model' : null;
  const predictionKind = manifest.reference_stats.prediction.kind;
  const prediction =
    predictionSource === null
      ? null
      : judge('prediction', predictionKind, policy.prediction[predictionKind], predictionCounter.result(policy.psiEpsilon), enough, true);
  return {
    version: 1,
    model: { name: manifest.model.name, version: manifest.model.version, run_id: manifest.run.run_id },
    data: { path, format: info.format, rows: validRows, bad_lines: info.badLines, first_bad: info.firstBad },
    policy: { dataset_share: policy.datasetShare, psi_epsilon: policy.psiEpsilon, min_rows: policy.minRows },
    verdict: verdictOf(features, prediction, policy, validRows),
    features,
    prediction,
    prediction_source: predictionSource,
  };
}

/**
 * A counter for one distribution. Numeric values count as discrete for integer dtypes, and when
 * training's quantile edges collapsed (fewer unique edges than `bins` + 1 means ties, i.e. atoms).
 */
function counterOf(stats: Distribution, discreteType: boolean, bins: number | undefined): Counter {
  const collapsed = stats.kind === 'numeric' && bins !== undefined && stats.bin_edges.length < bins + 1;
  const reference = buildReference(stats, discreteType || collapsed);
  const values = valuesReference(stats);
  if (values !== null && reference.kind === 'numeric') return new ValuesCounter(values, new NumericCounter(reference));
  return reference.kind === 'numeric' ? new NumericCounter(reference) : new CategoricalCounter(reference);
}

/** A batch row as the model takes it: numbers for numeric features, text for categories, null when missing. */
function modelRow(names: readonly string[], stats: Manifest['reference_stats']['features'], row: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) {
    const value = row[i];
    const numeric = stats[names[i]!]!.kind === 'numeric';
    if (value === undefined || value === null || value === '') out[names[i]!] = null;
    else if (numeric && typeof value === 'string') {
      const x = Number(value);
      out[names[i]!] = Number.isFinite(x) ? x : null;
    } else out[names[i]!] = value;
  }
  return out;
}

function judge(name: string, kind: 'numeric' | 'categorical', rule: DriftRule, result: CounterResult, enough: boolean, found: boolean): FeatureDrift {
  const value = metricOf(result.metrics, rule);
  const notes: string[] = [];
  if (!found) notes.push('column absent from the batch: every value counts as missing');
  if (result.invalid > 0) notes.push(`${result.invalid} value${result.invalid === 1 ? '' : 's'} not numeric`);
  if ((result.below ?? 0) + (result.above ?? 0) > 0) notes.push(`${result.below ?? 0} below and ${result.above ?? 0} above the training range`);
  if ((result.unseenRows ?? 0) > 0)
    notes.push(
      `${result.unseenRows} value${result.unseenRows === 1 ? '' : 's'} ${kind === 'numeric' ? 'training never saw' : 'of categories training never saw'}`,
    );
  const status: DriftStatus = !enough || value === null ? 'insufficient' : value >= rule.alert ? 'alert' : value >= rule.warn ? 'warn' : 'ok';
  const severity = value === null ? 0 : rule.alert > 0 ? value / rule.alert : value > 0 ? Infinity : 0;
  return { name, kind, rule, value, status, severity, notes, ...result };
}

function metricOf(metrics: DriftMetrics, rule: DriftRule): number | null {
  return metrics[rule.method];
}

const RANK: Record<DriftStatus, number> = { alert: 3, warn: 2, ok: 1, insufficient: 0 };

/** Alerts first, then warnings, then by how far past its alert threshold each feature is. */
export function bySeverity(a: FeatureDrift, b: FeatureDrift): number {
  return RANK[b.status] - RANK[a.status] || b.severity - a.severity || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

function verdictOf(features: FeatureDrift[], prediction: FeatureDrift | null, policy: ResolvedPolicy, rows: number): DriftVerdict {
  const drifted = features.filter((f) => f.status === 'alert').map((f) => f.name);
  const warned = features.filter((f) => f.status === 'warn').map((f) => f.name);
  const share = features.length > 0 ? drifted.length / features.length : 0;
  const base = { drifted, warned, features: features.length, share, threshold: policy.datasetShare };
  if (rows < policy.minRows) {
    return { ...base, status: 'insufficient_data', reasons: [`${rows} rows, fewer than drift_policy.min_rows = ${policy.minRows}: no verdict`] };
  }
  const reasons: string[] = [];
  const datasetDrift = drifted.length > 0 && share >= policy.datasetShare;
  if (datasetDrift)
    reasons.push(`${drifted.length} of ${features.length} features drifted (${pct(share)} >= ${pct(policy.datasetShare)}): ${drifted.join(', ')}`);
  else if (drifted.length > 0)
    reasons.push(
      `${drifted.length} of ${features.length} features drifted (${pct(share)} < ${pct(policy.datasetShare)}, below the dataset threshold): ${drifted.join(', ')}`,
    );
  if (warned.length > 0) reasons.push(`${warned.length} feature${warned.length === 1 ? '' : 's'} past the warning threshold: ${warned.join(', ')}`);
  const predictionDrift = prediction?.status === 'alert';
  if (prediction !== null && prediction.status !== 'ok' && prediction.status !== 'insufficient') {
    reasons.push(
      `predictions ${prediction.status === 'alert' ? 'drifted' : 'past the warning threshold'}: ${prediction.rule.method} ${prediction.value?.toFixed(4)}`,
    );
  }
  const status = datasetDrift || predictionDrift ? 'drift' : drifted.length + warned.length > 0 || prediction?.status === 'warn' ? 'warn' : 'ok';
  if (status === 'ok') reasons.push('no feature past its warning threshold');
  return { ...base, status, reasons };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(0)}%`;
}
