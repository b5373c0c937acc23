/**
 * The codegen child: `nb2prod codegen` alone, bundled with ts-morph into dist/codegen.js. The
 * VS Code command forks it, so the extension host never loads the TypeScript compiler and the
 * VSIX needs no node_modules for it.
 */
import { codegen } from './codegen';

codegen(process.argv.slice(2)).then(
  (result) => {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.exitCode;
  },
  (error: unknown) => {
    process.stderr.write(`nb2prod: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
