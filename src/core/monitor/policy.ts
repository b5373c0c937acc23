/**
 * The drift policy frozen in the manifest, resolved per feature: which metric judges it and at
 * which thresholds. A model is judged by what its training run decided, not by whatever
 * defaults the installed nb2prod has today; defaults only fill fields older manifests lack,
 * and the report says which rule came from where.
 */
import type { Manifest } from '../artifacts/manifest';
import { PSI_EPSILON } from './divergence';

/** The metrics a policy may name. */
export type DriftMethod = 'psi' | 'jensen_shannon' | 'ks' | 'wasserstein';

/** One resolved rule. */
export interface DriftRule {
  method: DriftMethod;
  warn: number;
  alert: number;
  /** Where it came from: a per-feature override, the manifest's policy, or nb2prod's default. */
  source: 'feature' | 'policy' | 'default';
}

/** The whole resolved policy. */
export interface ResolvedPolicy {
  numeric: DriftRule;
  categorical: DriftRule;
  prediction: { numeric: DriftRule; categorical: DriftRule };
  features: Map<string, DriftRule>;
  /** The batch is drifted when at least this share of features alert. */
  datasetShare: number;
  psiEpsilon: number;
  /** Fewer rows than this: no verdict. */
  minRows: number;
}

/** Thrown for a policy nb2prod cannot apply (an unknown method, inverted thresholds). */
export class PolicyError extends Error {}

/**
 * Categorical default when the manifest names none: Jensen–Shannon distance, 0.1 / 0.2 (0.1 is
 * Evidently's default threshold for the same distance; 0.2 marks a change twice as large).
 */
export const DEFAULT_CATEGORICAL: Readonly<Omit<DriftRule, 'source'>> = { method: 'jensen_shannon', warn: 0.1, alert: 0.2 };
/** Share of alerting features that makes the batch drifted when the manifest says nothing (Evidently's default, too). */
export const DEFAULT_DATASET_SHARE = 0.5;

const ALIASES: Record<string, DriftMethod> = {
  psi: 'psi',
  jensen_shannon: 'jensen_shannon',
  'jensen-shannon': 'jensen_shannon',
  js: 'jensen_shannon',
  ks: 'ks',
  kolmogorov_smirnov: 'ks',
  wasserstein: 'wasserstein',
  wasserstein_normed: 'wasserstein',
};

/** Resolves the manifest's `drift_policy`; throws PolicyError when it cannot be applied. */
export function resolvePolicy(manifest: Manifest): ResolvedPolicy {
  const policy = manifest.drift_policy;
  const numeric = rule('drift_policy', policy, 'policy');
  const categorical = policy.categorical
    ? rule('drift_policy.categorical', policy.categorical, 'policy')
    : { ...DEFAULT_CATEGORICAL, source: 'default' as const };
  if (categorical.method === 'ks' || categorical.method === 'wasserstein')
    throw new PolicyError(`drift_policy.categorical: ${categorical.method} needs ordered values; use psi or jensen_shannon`);
  const prediction = policy.prediction ? rule('drift_policy.prediction', policy.prediction, 'policy') : undefined;
  const features = new Map<string, DriftRule>();
  for (const [name, value] of Object.entries(policy.features ?? {})) {
    const resolved = rule(`drift_policy.features.${name}`, value, 'feature');
    const stats = manifest.reference_stats.features[name];
    if (stats === undefined) throw new PolicyError(`drift_policy.features.${name}: no such feature in reference_stats`);
    if (stats.kind === 'categorical' && (resolved.method === 'ks' || resolved.method === 'wasserstein'))
      throw new PolicyError(`drift_policy.features.${name}: ${resolved.method} needs a numeric feature`);
    features.set(name, resolved);
  }
  const usable = (r: DriftRule | undefined, fallback: DriftRule, kind: 'numeric' | 'categorical'): DriftRule =>
    r !== undefined && (kind === 'numeric' || r.method === 'psi' || r.method === 'jensen_shannon') ? r : fallback;
  return {
    numeric,
    categorical,
    prediction: { numeric: usable(prediction, numeric, 'numeric'), categorical: usable(prediction, categorical, 'categorical') },
    features,
    datasetShare: policy.dataset_share ?? DEFAULT_DATASET_SHARE,
    psiEpsilon: policy.psi_epsilon ?? PSI_EPSILON,
    minRows: policy.min_rows ?? 0,
  };
}

/** The rule for one feature of a kind. */
export function ruleFor(policy: ResolvedPolicy, name: string, kind: 'numeric' | 'categorical'): DriftRule {
  return policy.features.get(name) ?? (kind === 'numeric' ? policy.numeric : policy.categorical);
}

function rule(where: string, value: { method: string; warn: number; alert: number }, source: DriftRule['source']): DriftRule {
  const method = ALIASES[value.method.toLowerCase()];
  if (method === undefined) throw new PolicyError(`${where}.method: unknown drift method \`${value.method}\` (psi, jensen_shannon, ks, wasserstein)`);
  if (!(value.warn >= 0) || !(value.alert >= value.warn))
    throw new PolicyError(`${where}: thresholds must satisfy 0 <= warn <= alert (warn ${value.warn}, alert ${value.alert})`);
  return { method, warn: value.warn, alert: value.alert, source };
}
