/**
 * Lazy loading of web-tree-sitter and the Python grammar, and the cached `facts(source)` entry
 * point. Nothing is loaded at import time: the extension imports this module during activation
 * and pays for the wasm runtime (~60 ms) only at the first analysis.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { CellFacts } from './facts';
import { LruCache } from './cache';
import { Extractor } from './extract';
import { joinedLines } from './line-joins';
import { copyTree, LineIndex, type GrammarTables } from './syntax-tree';

/** A loaded Python parser. `facts` is synchronous and memoised by source text. */
export interface PythonParser {
  /**
   * Facts of one cell's (magic-masked) source. Results are cached and shared between callers:
   * treat them as read-only.
   */
  facts(source: string): CellFacts;
}

/** How many distinct cell sources keep their facts; a few large notebooks' worth. */
export const FACTS_CACHE_CAPACITY = 5000;

let loading: Promise<PythonParser> | undefined;
let loaded: PythonParser | undefined;

/** Loads web-tree-sitter and the Python grammar once; later calls share the same parser. */
export function loadPythonParser(): Promise<PythonParser> {
  loading ??= createParser()
    .then((parser) => (loaded = parser))
    .catch((error: unknown) => {
      // Let a later call retry instead of caching the failure forever.
      loading = undefined;
      throw error;
    });
  return loading;
}

/**
 * The parser once `loadPythonParser()` has resolved, for synchronous code that runs after an
 * analysis (the scaffold planner checks the Python it renders); undefined before.
 */
export function loadedPythonParser(): PythonParser | undefined {
  return loaded;
}

async function createParser(): Promise<PythonParser> {
  // `require` (not `import()`) so that bundles pick web-tree-sitter's CommonJS build: its ES
  // module build needs `import.meta.url`, which a CommonJS bundle does not have. esbuild wraps
  // the required module in a closure, so it still only runs here, at the first analysis.
  const { Parser, Language } = require('web-tree-sitter') as typeof import('web-tree-sitter');
  const runtimeWasm = locateWasm('web-tree-sitter.wasm', () => resolveFromNodeModules('web-tree-sitter/web-tree-sitter.wasm'));
  await Parser.init({ locateFile: () => runtimeWasm });
  // tree-sitter-python has no exports map, so its package.json is the one file we can resolve.
  const grammarWasm = locateWasm('tree-sitter-python.wasm', () =>
    path.join(path.dirname(resolveFromNodeModules('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
  );
  const language = await Language.load(grammarWasm);
  const parser = new Parser();
  parser.setLanguage(language);
  const grammar: GrammarTables = {
    types: language.types,
    named: language.types.map((_, id) => language.nodeTypeIsNamed(id)),
    fields: language.fields,
  };
  const cache = new LruCache<string, CellFacts>(FACTS_CACHE_CAPACITY);
  return {
    facts(source: string): CellFacts {
      const cached = cache.get(source);
      if (cached !== undefined) return cached;
      const tree = parser.parse(source);
      if (tree === null) throw new Error('tree-sitter returned no tree');
      const lines = new LineIndex(source);
      const cursor = tree.walk();
      let copied: ReturnType<typeof copyTree>;
      try {
        copied = copyTree(cursor, lines, grammar, tree.rootNode.hasError);
      } finally {
        // Trees and cursors live in wasm memory, which the JS garbage collector cannot free.
        cursor.delete();
        tree.delete();
      }
      const facts = new Extractor(lines).run(copied.root);
      facts.syntaxErrors.push(...copied.problems, ...joinedLines(copied.root, lines));
      facts.syntaxErrors.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
      cache.set(source, facts);
      return facts;
    },
  };
}

/**
 * The bundles (dist/extension.js, dist/cli.js) ship both wasm files next to themselves; the
 * transpiled sources and tests find them in node_modules instead.
 */
function locateWasm(file: string, fallback: () => string): string {
  const beside = path.join(__dirname, file);
  return existsSync(beside) ? beside : fallback();
}

/**
 * `require.resolve` behind a parameter: esbuild would otherwise try to bundle the literal
 * specifiers (and warn), although the bundles never take this path.
 */
function resolveFromNodeModules(specifier: string): string {
  return require.resolve(specifier);
}
