/**
 * The artifact manifest (`artifacts/manifest.json`, DESIGN.md), as one zod schema: the
 * scaffolded training writes it, the runner, `verify`, drift and promotion read it, and its
 * JSON Schema (`media/manifest.schema.json`) is generated from this definition so that Python
 * and other tools validate against the same thing. Objects are loose: fields may be added
 * (extend, don't rename), never removed or renamed.
 */
import { z } from 'zod';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');
const number = z.number();
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One artifact file written by training. */
export const artifactEntrySchema = z.looseObject({
  /** What it is for (`model`, `preprocessor`, `golden`, ...). */
  role: z.string(),
  /** Path relative to the project root. */
  path: z.string(),
  format: z.enum(['onnx', 'joblib', 'skops', 'json']),
  sha256,
  bytes: z.number().int().nonnegative(),
  /** For pickle-based formats: every `module.name` unpickling imports, found at training time. */
  globals: z.array(z.string()).optional(),
});

/** One model input, with what training saw of it. */
export const signatureInputSchema = z.looseObject({
  name: z.string(),
  /** The training column's dtype (`int64`, `float64`, `object`). */
  dtype: z.string(),
  /** The ONNX tensor element type the input is cast to (`float32`, `string`). */
  tensor_type: z.string(),
  required: z.boolean(),
  nullable: z.boolean(),
  min: number.nullable(),
  max: number.nullable(),
  categories: z.array(z.string()).nullable(),
  /** Hard limits (a row outside them is rejected); `min`/`max` are only what training saw. */
  valid_min: number.nullable().optional(),
  valid_max: number.nullable().optional(),
});

/** What prediction does with values training never saw: warn (default), reject, or ignore. */
export const inputPolicySchema = z.looseObject({
  out_of_range: z.enum(['warn', 'error', 'ignore']).optional(),
  unseen_category: z.enum(['warn', 'error', 'ignore']).optional(),
});

/** One model output. */
export const signatureOutputSchema = z.looseObject({
  name: z.string(),
  dtype: z.string(),
  shape: z.array(z.number().int().nullable()).optional(),
});

const numericStats = z.looseObject({
  kind: z.literal('numeric'),
  bin_edges: z.array(number),
  frequencies: z.array(number),
  quantiles: z.record(z.string(), number.nullable()),
  mean: number.nullable(),
  std: number.nullable(),
  missing_rate: number,
});
const categoricalStats = z.looseObject({
  kind: z.literal('categorical'),
  frequencies: z.record(z.string(), number),
  missing_rate: number,
});
/** Distribution of one feature or of the predictions on the training split. */
export const distributionSchema = z.discriminatedUnion('kind', [numericStats, categoricalStats]);

/** A drift method with its thresholds. */
const driftRule = z.looseObject({ method: z.string(), warn: number, alert: number });

/** The manifest format this nb2prod reads and training writes. */
export const MANIFEST_VERSION = 1;

/** The manifest. */
export const manifestSchema = z.looseObject({
  manifest_version: z.literal(MANIFEST_VERSION),
  run: z.looseObject({
    run_id: z.string().min(1),
    created_utc: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'an ISO 8601 UTC time'),
    git: z.looseObject({ commit: z.string().nullable(), dirty: z.boolean().nullable() }),
    config_sha256: sha256,
    random_seed: z.number().int().nullable(),
  }),
  environment: z.looseObject({
    python: z.string(),
    packages: z.record(z.string(), z.string().nullable()),
  }),
  data: z.looseObject({
    path: z.string().nullable(),
    sha256: sha256.nullable(),
    rows: z.number().int().nonnegative(),
  }),
  model: z.looseObject({
    name: z.string(),
    version: z.string(),
    task: z.enum(['classification', 'regression']),
    classes: z.array(scalar).nullable(),
  }),
  artifacts: z.array(artifactEntrySchema).min(1),
  /**
   * The project's own modules (`src.data.preprocessing`) the pickled model imports: its feature
   * engineering. The static scan admits their globals, and only when the module is a file of the project.
   */
  project_modules: z.array(z.string()).optional(),
  preprocessing: z.looseObject({
    fingerprint: sha256,
    /**
     * How `fingerprint` was computed. `onnx-ml-params/v1`: sha256 of the canonical JSON of every
     * ai.onnx.ml preprocessing node's attributes in the ONNX model (Imputer, Scaler,
     * OneHotEncoder, ...; floats as float32 bit patterns), defined in src/core/artifacts/fingerprint.ts;
     * `nb2prod verify` recomputes it from the model file. Absent: a fingerprint of another definition, not checked.
     */
    fingerprint_method: z.string().optional(),
    /** The fitted parameters behind the fingerprint, readable, so a mismatch can name what changed. */
    parameters: z.array(z.looseObject({ op: z.string(), attributes: z.record(z.string(), z.unknown()) })).optional(),
  }),
  signature: z.looseObject({ inputs: z.array(signatureInputSchema).min(1), outputs: z.array(signatureOutputSchema).min(1) }),
  input_policy: inputPolicySchema.optional(),
  golden: z.looseObject({
    rows: z.array(z.looseObject({ inputs: z.record(z.string(), scalar), outputs: z.record(z.string(), z.unknown()) })),
    tolerance: z.looseObject({ absolute: number, relative: number }),
    /**
     * Which backend produced the stored outputs. `python`: the fitted Pipeline itself (the
     * scaffolded training), so replaying them through the ONNX graph is the ONNX-vs-Python
     * conversion parity check. Absent: unspecified (replayed as plain golden rows).
     */
    backend: z.enum(['onnx', 'python']).optional(),
  }),
  reference_stats: z.looseObject({
    rows: z.number().int().nonnegative(),
    features: z.record(z.string(), distributionSchema),
    prediction: distributionSchema,
  }),
  /**
   * How drift is judged, frozen at training time: `method` with `warn`/`alert` thresholds for
   * numeric features (psi | ks | wasserstein | jensen_shannon); optional overrides for
   * categorical features, the predictions and single features; the share of alerting features
   * that makes the whole batch drifted; the PSI epsilon; the fewest rows worth judging.
   */
  drift_policy: z.looseObject({
    method: z.string(),
    warn: number,
    alert: number,
    bins: z.number().int().positive().optional(),
    min_rows: z.number().int().nonnegative().optional(),
    categorical: driftRule.optional(),
    prediction: driftRule.optional(),
    features: z.record(z.string(), driftRule).optional(),
    dataset_share: z.number().min(0).max(1).optional(),
    psi_epsilon: z.number().positive().optional(),
  }),
  metrics: z.record(z.string(), number),
  /** The held-out data the metrics were computed on; promotion compares only on equal hashes. */
  evaluation: z.looseObject({ data_sha256: sha256, rows: z.number().int().nonnegative() }).optional(),
  promotion: z.looseObject({
    /**
     * The gate: `metric` must improve on the champion's by at least `min_improvement`, or, when
     * `max_regression` is set, be worse by at most that much. `direction` overrides which way is
     * better (default: lower for log_loss, mae, mse, rmse, mape; higher otherwise).
     */
    gate: z.looseObject({
      metric: z.string(),
      min_improvement: number,
      max_regression: z.number().nonnegative().optional(),
      direction: z.enum(['higher', 'lower']).optional(),
    }),
    /** The champion the candidate was compared with; `eval_data_sha256` when it was re-scored on the candidate's evaluation data. */
    baseline: z.looseObject({ run_id: z.string(), metric: z.string(), value: number.nullable(), eval_data_sha256: sha256.optional() }).nullable(),
    decision: z.enum(['promote', 'reject']),
    reason: z.string(),
  }),
});

/** A parsed manifest. */
export type Manifest = z.infer<typeof manifestSchema>;

/** Validates a manifest; the issues come as `path: message` lines. */
export function validateManifest(value: unknown): { ok: true; manifest: Manifest } | { ok: false; issues: string[] } {
  const result = manifestSchema.safeParse(value);
  if (result.success) return { ok: true, manifest: result.data };
  return { ok: false, issues: result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
}

/**
 * Why a parsed JSON value is not a usable manifest, in one line to follow its path: not a
 * manifest at all (another tool's manifest.json), another version of the format, or its first
 * schema issues.
 */
export function manifestRefusal(value: unknown, issues: readonly string[]): string {
  const version = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)['manifest_version'] : undefined;
  if (version === undefined)
    return 'is not an nb2prod manifest: it has no `manifest_version` (the training of a project nb2prod scaffolded writes artifacts/manifest.json)';
  if (version !== MANIFEST_VERSION) return `has manifest_version ${JSON.stringify(version)}; this nb2prod reads version ${MANIFEST_VERSION}`;
  const shown = 3;
  return `is not a valid nb2prod manifest: ${issues.slice(0, shown).join('; ')}${issues.length > shown ? ` (and ${issues.length - shown} more)` : ''}`;
}

/** The JSON Schema shipped as `media/manifest.schema.json`, as the text committed there. */
export function manifestJsonSchemaText(): string {
  const schema = z.toJSONSchema(manifestSchema, { target: 'draft-2020-12' });
  const withId = { $id: 'https://nb2prod.dev/schemas/manifest.schema.json', title: 'nb2prod artifact manifest', ...schema };
  return `${JSON.stringify(withId, null, 2)}\n`;
}
