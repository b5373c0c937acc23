/**
 * The options every onnxruntime session of the runner is created with (the benchmark's bare
 * session too, so that the comparison is like for like).
 *
 * onnxruntime's thread pools spin while they wait for work by default. The runner shares the
 * machine with the editor and with the process that feeds it rows (which validates the next
 * chunk of a batch while the child runs this one); a spinning pool takes a core from both. Idle
 * threads block instead.
 */
import type * as Ort from 'onnxruntime-node';

export const SESSION_OPTIONS: Ort.InferenceSession.SessionOptions = {
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
};
