/**
 * The ts-morph project the module is emitted into and type-checked in. The generated file lives
 * only in memory, at a path inside nb2prod's own installation, so that `zod`, `onnxruntime-node`
 * and `@types/node` resolve to the versions the generator was written against. The compiler
 * options are the strictest a user's project is likely to have (strict, noUncheckedIndexedAccess,
 * exactOptionalPropertyTypes, noUnused*, noPropertyAccessFromIndexSignature): code that passes
 * here passes in laxer projects too. The project is kept per process, so a second generation
 * reuses the parsed declaration files (what the benchmark calls warm).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as TsMorph from 'ts-morph';
import { loadTsMorph, type TsMorphModule } from './ast';
import { CodegenError } from './plan';

let project: TsMorph.Project | undefined;
let folder: string | undefined;

/** True when `dir`/node_modules holds both packages the generated module imports. */
function hasTypes(dir: string): boolean {
  const modules = join(dir, 'node_modules');
  return existsSync(join(modules, 'zod', 'package.json')) && existsSync(join(modules, 'onnxruntime-node', 'package.json'));
}

/**
 * The folder whose node_modules holds zod and onnxruntime-node (and @types/node) for the check.
 * A bundle in dist/ (dist/codegen.js in the VSIX, dist/cli.js in a checkout) uses the
 * declaration files scripts/build.mjs copies to dist/types/node_modules; otherwise it is the
 * nearest node_modules above this module. A bundle may sit next to a node_modules of its own that
 * ships only the native onnxruntime-node (the VSIX layout), so both packages must be present.
 */
export function typesRoot(from: string = __dirname): string {
  if (hasTypes(join(from, 'types'))) return join(from, 'types');
  for (let dir = from; ; dir = dirname(dir)) {
    if (hasTypes(dir)) return dir;
    if (dirname(dir) === dir)
      throw new CodegenError(`no node_modules with zod and onnxruntime-node above ${from}: the generated module cannot be type-checked`);
  }
}

/** The shared project and the folder its in-memory files are placed in. */
export function codegenProject(): { morph: TsMorphModule; project: TsMorph.Project; folder: string } {
  const morph = loadTsMorph();
  if (!project || !folder) {
    const { ts } = morph;
    const root = typesRoot();
    const typeRoots = [join(root, 'node_modules', '@types')];
    project = new morph.Project({
      skipAddingFilesFromTsConfig: true,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        lib: ['lib.es2022.d.ts'],
        types: existsSync(join(typeRoots[0]!, 'node')) ? ['node'] : [],
        typeRoots,
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        noImplicitOverride: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        noImplicitReturns: true,
        noFallthroughCasesInSwitch: true,
        noPropertyAccessFromIndexSignature: true,
        esModuleInterop: true,
        skipLibCheck: true,
        noEmit: true,
      },
    });
    // Never written: the folder only decides how imports resolve.
    folder = join(root, '.nb2prod-codegen');
  }
  return { morph, project, folder };
}

/** One diagnostic as `line:column message`, or the message alone when it has no position. */
function format(morph: TsMorphModule, diagnostic: TsMorph.Diagnostic): string {
  const raw = diagnostic.compilerObject;
  const message = morph.ts.flattenDiagnosticMessageText(raw.messageText, ' ');
  if (!raw.file || raw.start === undefined) return message;
  const { line, character } = raw.file.getLineAndCharacterOfPosition(raw.start);
  return `${line + 1}:${character + 1} ${message}`;
}

/** The compiler's errors for `file` as it is now (empty when it type-checks). */
export function typeCheck(morph: TsMorphModule, file: TsMorph.SourceFile): string[] {
  return file
    .getPreEmitDiagnostics()
    .filter((d) => d.getCategory() === morph.DiagnosticCategory.Error)
    .map((d) => format(morph, d));
}
