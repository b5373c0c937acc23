/**
 * The promotion gate: may a candidate replace the champion? The gate is the candidate
 * manifest's `promotion.gate` (frozen by its training config). Metrics are compared only when
 * both were computed on the same evaluation data (equal `evaluation.data_sha256`), or when the
 * candidate carries the champion re-scored on its own evaluation data (`promotion.baseline`
 * with that hash, written by the scaffolded retrain.py); anything else is refused, because a
 * better number on different data proves nothing.
 */
import type { Manifest } from '../artifacts/manifest';

/** Metrics where smaller is better (as the scaffolded evaluate.py's LOWER_IS_BETTER). */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['log_loss', 'mae', 'mse', 'rmse', 'mape']);

/** What the gate decided and why. */
export interface GateResult {
  decision: 'promote' | 'reject';
  reasons: string[];
  metric: string;
  direction: 'higher' | 'lower';
  candidate: number | null;
  champion: number | null;
  /** Positive when the candidate is better. */
  improvement: number | null;
  /** The least improvement that passes (negative: a tolerated regression). */
  required: number;
  eval_data_sha256: string | null;
  /** Where the champion's number came from. */
  champion_source: 'champion manifest' | 'candidate baseline' | null;
}

/** Applies the candidate's gate against the champion (null: there is none yet). */
export function evaluateGate(candidate: Manifest, champion: Manifest | null): GateResult {
  const gate = candidate.promotion.gate;
  const metric = gate.metric;
  const direction = gate.direction ?? (LOWER_IS_BETTER.has(metric) ? 'lower' : 'higher');
  const required = gate.max_regression !== undefined ? -gate.max_regression : gate.min_improvement;
  const value = candidate.metrics[metric] ?? null;
  const evalHash = candidate.evaluation?.data_sha256 ?? null;
  const base: GateResult = {
    decision: 'reject',
    reasons: [],
    metric,
    direction,
    candidate: value,
    champion: null,
    improvement: null,
    required,
    eval_data_sha256: evalHash,
    champion_source: null,
  };
  const reject = (reason: string): GateResult => ({ ...base, reasons: [...base.reasons, reason] });
  if (champion === null) return { ...base, decision: 'promote', reasons: ['no champion yet: the first version becomes champion'] };
  if (value === null) return reject(`the candidate has no \`${metric}\` in its metrics`);
  if (candidate.model.task !== champion.model.task) return reject(`task changed: ${champion.model.task} -> ${candidate.model.task}`);
  if (evalHash === null)
    return reject("the candidate manifest has no evaluation.data_sha256: nothing shows the metrics were computed on the champion's evaluation data");
  let reference: number | null = null;
  const championHash = champion.evaluation?.data_sha256 ?? null;
  const baseline = candidate.promotion.baseline;
  if (championHash === evalHash && champion.metrics[metric] !== undefined) {
    reference = champion.metrics[metric]!;
    base.champion_source = 'champion manifest';
  } else if (
    baseline !== null &&
    baseline.run_id === champion.run.run_id &&
    baseline.metric === metric &&
    baseline.eval_data_sha256 === evalHash &&
    baseline.value !== null
  ) {
    reference = baseline.value;
    base.champion_source = 'candidate baseline';
    base.reasons.push(`champion ${champion.model.version} re-scored on the candidate's evaluation data (promotion.baseline)`);
  } else {
    return reject(
      `evaluation data differ (candidate ${short(evalHash)}, champion ${short(championHash)}) and the candidate carries no baseline of champion run ${champion.run.run_id} on its data: refusing to compare`,
    );
  }
  const improvement = direction === 'higher' ? value - reference : reference - value;
  const passed = improvement >= required - 1e-12;
  const rule = gate.max_regression !== undefined ? `may be worse by at most ${gate.max_regression}` : `must improve by at least ${gate.min_improvement}`;
  const reason = `${metric} ${fmt(value)} vs champion ${fmt(reference)} (${direction} is better; ${improvement >= 0 ? 'better' : 'worse'} by ${fmt(Math.abs(improvement))}; the gate: ${rule})`;
  const notes = schemaNotes(candidate, champion);
  return { ...base, decision: passed ? 'promote' : 'reject', champion: reference, improvement, reasons: [...base.reasons, reason, ...notes] };
}

/** Informational differences a reviewer wants to see next to the decision. */
function schemaNotes(candidate: Manifest, champion: Manifest): string[] {
  const names = (m: Manifest): string[] => m.signature.inputs.map((i) => i.name);
  const added = names(candidate).filter((n) => !names(champion).includes(n));
  const removed = names(champion).filter((n) => !names(candidate).includes(n));
  const notes: string[] = [];
  if (added.length > 0) notes.push(`new inputs: ${added.join(', ')}`);
  if (removed.length > 0) notes.push(`inputs no longer used: ${removed.join(', ')}`);
  return notes;
}

function short(hash: string | null): string {
  return hash === null ? 'none' : hash.slice(0, 12);
}

function fmt(x: number): string {
  return Number(x.toPrecision(6)).toString();
}
