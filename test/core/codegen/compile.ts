/**
 * Test helpers: generated modules are transpiled with esbuild into a temporary folder inside
 * the build folder (so `zod` and `onnxruntime-node` resolve from the repository's node_modules)
 * and required, as a service would load them.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { buildRoot, repoRoot } from '../../helpers/paths';

/** The runner's fixture manifests that have an ONNX model, by fixture name. */
export function fixtureManifests(): { name: string; manifest: string; artifacts: string }[] {
  const models = join(repoRoot, 'test', 'fixtures', 'models');
  return readdirSync(models)
    .sort()
    .map((name) => ({ name, artifacts: join(models, name, 'artifacts') }))
    .filter((f) => existsSync(join(f.artifacts, 'manifest.json')))
    .map((f) => ({ ...f, manifest: join(f.artifacts, 'manifest.json') }));
}

/** A fresh temporary folder under the build folder; remove it with `cleanup`. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(buildRoot, `${prefix}-`));
}

/** Removes a temporary folder. */
export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Copies a fixture's artifacts folder into `dir` (to tamper with it). */
export function copyArtifacts(from: string, dir: string): string {
  const to = join(dir, 'artifacts');
  cpSync(from, to, { recursive: true });
  return to;
}

/** Transpiles a generated module to CommonJS in `dir` and requires it. */
export function compileAndLoad<T = Record<string, unknown>>(text: string, dir: string, name: string): T {
  const { code } = transformSync(text, { loader: 'ts', format: 'cjs', target: 'node20', sourcefile: `${name}.ts` });
  const file = join(dir, `${name}.js`);
  writeFileSync(file, code);
  return require(file) as T;
}

/** Hand-picked parts of a generated module's API the tests use. */
export interface GeneratedApi {
  loadModel(dir: string): Promise<{ predict(rows: readonly unknown[]): Promise<PredictionLike[]>; release(): Promise<void> }>;
  validateRows(rows: readonly unknown[]): { accepted: { index: number }[]; errors: IssueLike[]; warnings: IssueLike[] };
  InferenceModel: new (session: unknown) => { predict(rows: readonly unknown[]): Promise<PredictionLike[]> };
  InvalidInputError: new (...args: never[]) => Error & { issues: IssueLike[] };
  ModelIntegrityError: new (...args: never[]) => Error;
  MODEL_INFO: { runId: string; commit: string | null };
}

/** A row issue of a generated module. */
export interface IssueLike {
  row: number;
  feature: string | null;
  message: string;
}

/** A prediction of a generated module. */
export interface PredictionLike {
  outputs: Record<string, unknown>;
  label?: unknown;
  probabilities?: Record<string, number>;
  value?: number;
  warnings: IssueLike[];
}
