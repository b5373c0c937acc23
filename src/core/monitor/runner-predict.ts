/**
 * A `PredictBatch` built on the ONNX runner (src/core/runner): the model is opened at the first
 * chunk that needs predictions (starting onnxruntime only when the batch carries none), rows the
 * runner rejects count as missing predictions, and a model that cannot be opened turns
 * prediction drift off with the reason instead of failing the feature report.
 */
import type { Manifest } from '../artifacts/manifest';
import type { PredictBatch } from './predictions';

/** The prediction function, its outcome, and a way to stop the runner child. */
export interface RunnerPredict {
  predictBatch: PredictBatch;
  /** Why predictions could not be computed, once known. */
  error(): string | null;
  /** Rows the runner rejected (outside the signature). */
  rejected(): number;
  dispose(): void;
}

/** A lazily opened runner for the manifest at `manifestPath`. */
export function runnerPredict(manifestPath: string, manifest: Manifest): RunnerPredict {
  type Runner = import('../runner/predict').Predictor;
  let opened: Promise<Runner | null> | null = null;
  let failure: string | null = null;
  let rejected = 0;
  const classes = manifest.model.classes;
  const open = (): Promise<Runner | null> =>
    (opened ??= (async () => {
      try {
        const { Predictor } = require('../runner/predict') as typeof import('../runner/predict');
        return await Predictor.open(manifestPath);
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
        return null;
      }
    })());
  return {
    async predictBatch(rows) {
      const runner = await open();
      if (runner === null) return [];
      const report = await runner.predict(rows);
      return report.rows.map((r) => {
        if (r.prediction === undefined) {
          rejected++;
          return null;
        }
        const p = r.prediction;
        // The shape predict.py logs: label and probabilities in class order, or variable.
        return {
          label: p.label,
          probabilities: p.probabilities && classes ? classes.map((c) => p.probabilities![String(c)]) : undefined,
          variable: p.value,
        };
      });
    },
    error: () => failure,
    rejected: () => rejected,
    dispose() {
      void opened?.then((r) => r?.dispose());
    },
  };
}
