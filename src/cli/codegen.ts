/**
 * `nb2prod codegen --manifest FILE --out FILE.ts`: writes a typed Node.js inference module for
 * the manifest's ONNX model, type-checked first. Exit 0 written (or already up to date),
 * 1 the generated module does not type-check (nothing written; the compiler's errors on
 * stderr), 2 usage error or unusable manifest (one line). ts-morph (it bundles the TypeScript
 * compiler) is loaded at the first codegen only, and is external to the CLI bundle: it resolves
 * from node_modules at run time, so other commands never parse it.
 */
import { parseArgs } from 'node:util';
import { CodegenCheckError, CodegenError, loadTsMorph, ManifestError, writeModule } from '../core/codegen';
import { usageError, type CliResult } from './result';

/** An error message on one line: the first line, the first detail, and how many more there are. */
function oneLine(message: string): string {
  const [first = '', ...details] = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (details.length === 0) return first;
  return `${first.replace(/:$/, '')}: ${details[0]}${details.length > 1 ? ` (and ${details.length - 1} more)` : ''}`;
}

/** Runs `codegen` with its arguments (after the command name). */
export async function codegen(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { manifest: { type: 'string' }, out: { type: 'string' }, root: { type: 'string' } },
  });
  if (!values.manifest || !values.out) return usageError('codegen needs --manifest FILE and --out FILE.ts');
  if (positionals.length > 0) return usageError(`unexpected argument \`${positionals[0]}\``);
  if (!/\.[cm]?ts$/.test(values.out)) return usageError(`--out must name a TypeScript file (.ts), not \`${values.out}\``);
  try {
    loadTsMorph();
  } catch (error) {
    return usageError(`cannot load ts-morph: ${oneLine((error as Error).message)} (it must be installed next to nb2prod)`);
  }
  try {
    const result = await writeModule(values.manifest, values.out, values.root ? { root: values.root } : {});
    const lines = result.text.split('\n').length - 1;
    const ms = result.timings.planMs + result.timings.emitMs + result.timings.checkMs;
    const verb = result.status === 'unchanged' ? 'is up to date' : result.status === 'created' ? 'written' : 'updated';
    const notes = result.plan.notes.map((n) => `nb2prod: note: ${n}\n`).join('');
    return { stdout: `${values.out} ${verb}: ${lines} lines for run ${result.plan.runId}, type-checked (${Math.round(ms)} ms)\n`, stderr: notes, exitCode: 0 };
  } catch (error) {
    if (error instanceof CodegenCheckError) return { stdout: '', stderr: `nb2prod: ${error.message}\n`, exitCode: 1 };
    if (error instanceof ManifestError || error instanceof CodegenError) return usageError(oneLine(error.message));
    throw error;
  }
}
