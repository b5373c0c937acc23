// The layers of ARCHITECTURE.md, enforced: every import in src/ goes where the layer table allows,
// every folder of src/core has a row, and no module imports itself back through others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { repoRoot } from './helpers/paths';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? tsFiles(full) : name.endsWith('.ts') ? [full] : [];
  });
}

const IMPORTS_VSCODE = /(?:from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/;

/** One relative import of a file: where it points, and whether it runs when the module loads. */
interface Import {
  specifier: string;
  /** A static import of values (not `import type`, not a lazy `require` or `import()` in a function). */
  eager: boolean;
}

const STATIC = /^\s*(import|export)\s+(type\s+)?(?:[^;'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const LAZY = /(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(source: string): Import[] {
  const found: Import[] = [];
  for (const m of source.matchAll(STATIC)) found.push({ specifier: m[3]!, eager: m[2] === undefined });
  for (const m of source.matchAll(LAZY)) found.push({ specifier: m[1]!, eager: false });
  return found;
}

/** The unit of a file under src/: `core/<folder or top-level file>`, `cli` or `extension`. */
function unitOf(file: string): string {
  const parts = relative(join(repoRoot, 'src'), file).split(/[\\/]/);
  if (parts[0] !== 'core') return parts[0]!;
  return `core/${parts[1]!.replace(/\.ts$/, '')}`;
}

/** The layer table of ARCHITECTURE.md: unit -> units it may import. */
function layerTable(): Map<string, string[]> {
  const doc = readFileSync(join(repoRoot, 'ARCHITECTURE.md'), 'utf8');
  const section = /<!-- layers:start -->([\s\S]*?)<!-- layers:end -->/.exec(doc);
  assert.ok(section, 'ARCHITECTURE.md has no layers table');
  const table = new Map<string, string[]>();
  for (const line of section[1]!.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 5 || cells[1] === 'Unit' || cells[1]!.startsWith('---')) continue;
    table.set(
      cells[1]!,
      cells[3]!
        .split(',')
        .map((u) => u.trim())
        .filter((u) => u !== ''),
    );
  }
  return table;
}

function allowed(table: Map<string, string[]>, from: string, to: string): boolean {
  return (table.get(from) ?? []).some((u) => u === to || (u === 'core/*' && to.startsWith('core/')));
}

/** Resolves a relative specifier to a .ts file of src/, if it names one. */
function resolve(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = join(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), base].find((c) => c.endsWith('.ts') && existsSync(c));
}

const srcFiles = (): string[] => tsFiles(join(repoRoot, 'src'));

test('no file outside src/extension imports vscode', () => {
  const src = join(repoRoot, 'src');
  const offenders = tsFiles(src)
    .map((file) => relative(repoRoot, file))
    .filter((file) => !file.startsWith(join('src', 'extension')))
    .filter((file) => IMPORTS_VSCODE.test(readFileSync(join(repoRoot, file), 'utf8')));
  assert.deepEqual(offenders, []);
});

test('the check itself recognises every import form', () => {
  for (const line of ["import * as vscode from 'vscode';", 'import type { Uri } from "vscode";', "const v = require('vscode');", "await import('vscode')"]) {
    assert.match(line, IMPORTS_VSCODE);
  }
  assert.doesNotMatch("import { x } from './vscode-like';", IMPORTS_VSCODE);
  assert.deepEqual(
    importsOf("import type {\n  A,\n  B,\n} from '../a';\nimport { c } from './c';\nexport { d } from './d';\nimport './e';\nconst f = require('./f');"),
    [
      { specifier: '../a', eager: false },
      { specifier: './c', eager: true },
      { specifier: './d', eager: true },
      { specifier: './e', eager: true },
      { specifier: './f', eager: false },
    ],
  );
});

test('every folder and top-level module of src/core has a row in the layer table', () => {
  const table = layerTable();
  const units = new Set(srcFiles().map(unitOf));
  assert.deepEqual([...units].filter((u) => !table.has(u)).sort(), []);
  assert.deepEqual([...table.keys()].filter((u) => !units.has(u)).sort(), [], 'rows for units that no longer exist');
});

test('every import in src/ goes down the layer table of ARCHITECTURE.md', () => {
  const table = layerTable();
  const upward: string[] = [];
  for (const file of srcFiles()) {
    const from = unitOf(file);
    for (const { specifier } of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolve(file, specifier);
      if (target === undefined) continue;
      const to = unitOf(target);
      if (to !== from && !allowed(table, from, to)) upward.push(`${relative(repoRoot, file)} -> ${relative(repoRoot, target)} (${from} may not import ${to})`);
    }
  }
  assert.deepEqual(upward, []);
});

test('no module of src/ imports itself back through eager imports', () => {
  const graph = new Map<string, string[]>();
  for (const file of srcFiles()) {
    const targets = importsOf(readFileSync(file, 'utf8'))
      .filter((i) => i.eager)
      .map((i) => resolve(file, i.specifier));
    graph.set(
      file,
      targets.filter((t): t is string => t !== undefined),
    );
  }
  // Tarjan's strongly connected components: any component of two or more files is a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(relative(repoRoot, w));
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  assert.deepEqual(cycles, []);
});
