/**
 * Which number or label of a model output `reference_stats.prediction` describes. Training
 * stores the positive-class probability for binary classifiers with probabilities, otherwise
 * the predicted label (classifiers) or value (regressors): see `training_predictions` in the
 * scaffolded train.py. Outputs follow predict.py and the runner: `{label, probabilities}` or
 * `{variable}`.
 */
import type { Manifest } from '../artifacts/manifest';

/**
 * Runs the model on a chunk of rows (feature name -> value) and returns one output per row, in
 * order. The CLI and the extension pass one built on the ONNX runner when it is available.
 */
export type PredictBatch = (rows: ReadonlyArray<Readonly<Record<string, unknown>>>) => Promise<ReadonlyArray<unknown>>;

/** The value of one output that the reference prediction distribution is about; undefined if absent. */
export function predictionValue(output: unknown, manifest: Manifest): unknown {
  if (output === null || output === undefined) return undefined;
  if (typeof output !== 'object') return output;
  if (Array.isArray(output)) return output.length === 1 ? predictionValue(output[0], manifest) : undefined;
  const record = output as Record<string, unknown>;
  const reference = manifest.reference_stats.prediction;
  const classes = manifest.model.classes;
  if (manifest.model.task === 'regression') return unwrap(record['variable'] ?? record['prediction'] ?? firstValue(record));
  const probabilities = record['probabilities'];
  if (reference.kind === 'numeric' && classes !== null && classes.length === 2 && Array.isArray(probabilities)) return unwrap(probabilities[1]);
  return unwrap(record['label'] ?? record['prediction']);
}

function unwrap(value: unknown): unknown {
  return Array.isArray(value) && value.length === 1 ? unwrap(value[0]) : value;
}

function firstValue(record: Record<string, unknown>): unknown {
  for (const value of Object.values(record)) return value;
  return undefined;
}
