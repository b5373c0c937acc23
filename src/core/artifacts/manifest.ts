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

/** The manifest. */
export const manifestSchema = z.looseObject({
  manifest_version: z.literal(1),
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
  preprocessing: z.looseObject({ fingerprint: sha256 }),
  signature: z.looseObject({ inputs: z.array(signatureInputSchema).min(1), outputs: z.array(signatureOutputSchema).min(1) }),
  golden: z.looseObject({
    rows: z.array(z.looseObject({ inputs: z.record(z.string(), scalar), outputs: z.record(z.string(), z.unknown()) })),
    tolerance: z.looseObject({ absolute: number, relative: number }),
  }),
  reference_stats: z.looseObject({
    rows: z.number().int().nonnegative(),
    features: z.record(z.string(), distributionSchema),
    prediction: distributionSchema,
  }),
  drift_policy: z.looseObject({ method: z.string(), warn: number, alert: number }),
  metrics: z.record(z.string(), number),
  promotion: z.looseObject({
    gate: z.looseObject({ metric: z.string(), min_improvement: number }),
    baseline: z.looseObject({ run_id: z.string(), metric: z.string(), value: number.nullable() }).nullable(),
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

/** The JSON Schema shipped as `media/manifest.schema.json`, as the text committed there. */
export function manifestJsonSchemaText(): string {
  const schema = z.toJSONSchema(manifestSchema, { target: 'draft-2020-12' });
  const withId = { $id: 'https://nb2prod.dev/schemas/manifest.schema.json', title: 'nb2prod artifact manifest', ...schema };
  return `${JSON.stringify(withId, null, 2)}\n`;
}
