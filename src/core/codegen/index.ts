/**
 * `nb2prod codegen`: a typed Node.js inference module generated from a manifest with ts-morph,
 * type-checked before it is written. The module needs only `zod` and `onnxruntime-node` at run
 * time, and gives a service the runner's guarantees: the model's bytes are hash-checked before
 * the session is created, every row is validated against the signature, outputs are typed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadManifest } from '../artifacts/manifest-file';
import { codegenProject, typeCheck } from './check';
import { emitModule } from './emit';
import { planModule, type CodegenPlan } from './plan';

export { CodegenError, ManifestError } from './plan';
export { loadTsMorph } from './ast';
export type { CodegenPlan } from './plan';

/** The generated module did not type-check: it was not written. */
export class CodegenCheckError extends Error {
  constructor(
    readonly diagnostics: readonly string[],
    readonly text: string,
  ) {
    super(
      `the generated module does not type-check (${diagnostics.length} error${diagnostics.length === 1 ? '' : 's'}); nothing was written:\n  ${diagnostics.slice(0, 20).join('\n  ')}`,
    );
  }
}

/** A generated module. */
export interface GeneratedModule {
  text: string;
  plan: CodegenPlan;
  /** The compiler's errors; empty when the module type-checks (or `check` was off). */
  diagnostics: string[];
  timings: { planMs: number; emitMs: number; checkMs: number };
}

/** Options of `generateModule`. */
export interface GenerateOptions {
  /** Type-check the module (default true). Only tests turn it off, to look at unchecked text. */
  check?: boolean;
  /** The project root artifact paths are relative to (default: from the manifest's location). */
  root?: string;
}

/** Generates the module for `manifestPath`, to be written at `outPath`; throws ManifestError or CodegenError when the manifest is unusable. */
export async function generateModule(manifestPath: string, outPath: string, options: GenerateOptions = {}): Promise<GeneratedModule> {
  const t0 = performance.now();
  const loaded = await loadManifest(manifestPath, options.root);
  const plan = planModule(loaded, outPath);
  const t1 = performance.now();
  const { morph, project, folder } = codegenProject();
  const file = project.createSourceFile(join(folder, `${basename(outPath).replace(/\.[cm]?tsx?$/, '')}.ts`), '', { overwrite: true });
  try {
    const text = emitModule(morph, file, plan);
    const t2 = performance.now();
    let diagnostics: string[] = [];
    if (options.check !== false) {
      // Check exactly the text that will be written, header included.
      file.replaceWithText(text);
      diagnostics = typeCheck(morph, file);
    }
    return { text, plan, diagnostics, timings: { planMs: t1 - t0, emitMs: t2 - t1, checkMs: performance.now() - t2 } };
  } finally {
    project.removeSourceFile(file);
  }
}

/** What writing did. */
export interface WriteResult extends GeneratedModule {
  status: 'created' | 'updated' | 'unchanged';
}

/** Generates, type-checks and writes the module; throws CodegenCheckError (writing nothing) when it does not type-check. */
export async function writeModule(manifestPath: string, outPath: string, options: GenerateOptions = {}): Promise<WriteResult> {
  const generated = await generateModule(manifestPath, outPath, options);
  if (generated.diagnostics.length > 0) throw new CodegenCheckError(generated.diagnostics, generated.text);
  const previous = existsSync(outPath) ? readFileSync(outPath, 'utf8') : null;
  // An unchanged module is not rewritten, so watchers and build caches see no change.
  if (previous !== generated.text) writeFileSync(outPath, generated.text);
  return { ...generated, status: previous === null ? 'created' : previous === generated.text ? 'unchanged' : 'updated' };
}
