// Builds everything nb2prod runs from one esbuild configuration:
//  - dist/extension.js and dist/cli.js: the shipped bundles (the VSIX and the `nb2prod` bin);
//  - dist/*.wasm: the tree-sitter runtime and Python grammar, loaded lazily at first analysis;
//  - out/: every TypeScript file transpiled one-to-one, for node:test and the host-test suite.
import { build } from 'esbuild';
import { copyFileSync, cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
// `--into DIR` builds into DIR/dist and DIR/out instead of the repo root, so that parallel
// builds (benchmarks, a second checkout's tests) never delete each other's output. DIR must
// be inside the repository so that node_modules still resolves from the transpiled files.
const intoFlag = process.argv.indexOf('--into');
const target = intoFlag > 0 ? join(root, process.argv[intoFlag + 1]) : root;

function tsFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) found.push(...tsFiles(full));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) found.push(full);
  }
  return found;
}

rmSync(join(target, 'dist'), { recursive: true, force: true });
rmSync(join(target, 'out'), { recursive: true, force: true });
mkdirSync(join(target, 'dist'), { recursive: true });

const { version } = require('./package.json');
const common = {
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  define: { NB2PROD_VERSION: JSON.stringify(version) },
};
// jsonc-parser's UMD build requires its modules dynamically, which a bundle cannot follow;
// its ES module build bundles cleanly, so bundles prefer `module` entry points.
// Minified bundles parse faster at every CLI start and extension activation; the source maps keep stack traces readable.
const bundle = { ...common, bundle: true, minify: true, mainFields: ['module', 'main'] };

await Promise.all([
  build({
    ...bundle,
    entryPoints: [join(root, 'src/extension/extension.ts')],
    outfile: join(target, 'dist/extension.js'),
    // onnxruntime-node has native binaries: it is shipped in node_modules, never bundled.
    external: ['vscode', 'onnxruntime-node'],
  }),
  build({
    ...bundle,
    // The inference child process (src/core/runner/child.ts), forked by the CLI and the extension.
    entryPoints: [join(root, 'src/core/runner/child.ts')],
    outfile: join(target, 'dist/runner.js'),
    external: ['onnxruntime-node'],
  }),
  build({
    ...bundle,
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile: join(target, 'dist/cli.js'),
    banner: { js: '#!/usr/bin/env node' },
    // ts-morph bundles the TypeScript compiler (~10 MB): `codegen` requires it at first use from
    // node_modules, so no other command parses it.
    external: ['onnxruntime-node', 'ts-morph'],
  }),
  build({
    ...bundle,
    // The codegen child (`nb2prod codegen` alone, ts-morph bundled in), which the VS Code command
    // forks: the VSIX ships no node_modules with ts-morph, and the extension host never loads it.
    entryPoints: [join(root, 'src/cli/codegen-main.ts')],
    outfile: join(target, 'dist/codegen.js'),
    external: ['onnxruntime-node'],
  }),
  build({
    ...common,
    entryPoints: ['src', 'test', 'scripts', 'bench'].flatMap((d) => tsFiles(join(root, d))),
    outdir: join(target, 'out'),
    outbase: root,
    bundle: false,
  }),
]);

for (const wasm of ['web-tree-sitter/web-tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm']) {
  const from = require.resolve(wasm);
  copyFileSync(from, join(target, 'dist', wasm.split('/')[1]));
}

// onnxruntime-node cannot be bundled (native binary), so dist/ carries its own node_modules with
// exactly what runs on linux-x64: the bundles resolve it there first, and the VSIX ships dist/
// alone (vsce --no-dependencies), without every platform's binaries.
const ortRoot = dirname(require.resolve('onnxruntime-node/package.json'));
// onnxruntime-common's exports map hides package.json: find its folder from its main entry.
const ortCommonMain = createRequire(join(ortRoot, 'package.json')).resolve('onnxruntime-common');
const ortCommon = ortCommonMain.slice(0, ortCommonMain.lastIndexOf('/onnxruntime-common/') + '/onnxruntime-common'.length);
const shipped = [
  [ortRoot, 'onnxruntime-node', ['package.json', 'dist', 'bin/napi-v6/linux/x64']],
  [ortCommon, 'onnxruntime-common', ['package.json', 'dist/cjs']],
];
for (const [from, name, entries] of shipped) {
  for (const entry of entries) {
    cpSync(join(from, entry), join(target, 'dist', 'node_modules', name, entry), {
      recursive: true,
      filter: (source) => !source.endsWith('.map') && !source.endsWith('.d.ts'),
    });
  }
}

// The declaration files the codegen type check reads (src/core/codegen/check.ts looks in
// dist/types/node_modules first), laid out as in node_modules: zod's CommonJS typings,
// onnxruntime-node's and onnxruntime-common's, @types/node (without the TypeScript <=5.6 copy;
// ts-morph's compiler is newer) and undici-types, which @types/node imports.
const typesDir = join(target, 'dist', 'types', 'node_modules');
const packageDir = (name) => dirname(require.resolve(`${name}/package.json`));
const declarations = [
  [packageDir('zod'), 'zod', (f) => f.endsWith('.d.cts') && !f.includes('/src/')],
  [ortRoot, 'onnxruntime-node', (f) => f.endsWith('.d.ts')],
  // dist/cjs/package.json marks that folder CommonJS in a `"type": "module"` package.
  [ortCommon, 'onnxruntime-common', (f) => f.includes('/dist/cjs/') && (f.endsWith('.d.ts') || f.endsWith('/package.json'))],
  [packageDir('@types/node'), '@types/node', (f) => f.endsWith('.d.ts') && !f.includes('/ts5.6/')],
  [dirname(createRequire(join(packageDir('@types/node'), 'package.json')).resolve('undici-types/package.json')), 'undici-types', (f) => f.endsWith('.d.ts')],
];
for (const [from, name, keep] of declarations) {
  mkdirSync(join(typesDir, name), { recursive: true });
  copyFileSync(join(from, 'package.json'), join(typesDir, name, 'package.json'));
  cpSync(from, join(typesDir, name), {
    recursive: true,
    filter: (source) => (statSync(source).isDirectory() ? !source.endsWith('/node_modules') : keep(source)),
  });
}
