/**
 * The last check before a plan is returned: every rendered Python module must define (or
 * import) every global name its code reads. A generated function that reads a name nothing
 * defines would train until it raises `NameError`, so such a plan is refused instead, with one
 * line per name saying the file, the function and the name.
 */
import type { Range } from '../diagnostic';
import type { FunctionFacts } from '../python/facts';
import { isBuiltinName } from '../python/builtins';
import { loadedPythonParser, type PythonParser } from '../python/parser';

/** A global read that nothing in its module binds. */
export interface UndefinedRead {
  /** The module's path in the project. */
  path: string;
  /** The innermost function the read is in (`Class.method` for methods); undefined at module level. */
  function?: string;
  /** The name read. */
  name: string;
  /** 0-based line of the first such read. */
  line: number;
}

// Every module has these, whether it is imported or run (`__file__` included, unlike a notebook).
const MODULE_GLOBALS = new Set(['__file__', '__name__', '__doc__', '__spec__', '__package__', '__loader__', '__builtins__', '__path__', '__cached__']);

/** The undefined global reads of rendered Python files (path -> content), at most one per file and name. */
export function undefinedReads(files: Readonly<Record<string, string>>, parser: PythonParser | undefined = loadedPythonParser()): UndefinedRead[] {
  if (parser === undefined) throw new Error('the Python parser is not loaded: analyse the notebook before planning its project');
  const found: UndefinedRead[] = [];
  for (const path of Object.keys(files)
    .filter((p) => p.endsWith('.py'))
    .sort()) {
    const facts = parser.facts(files[path]!);
    // A star import binds names nobody can list: such a module is not checked.
    if (facts.defs.some((d) => d.kind === 'star-import' || d.name === '*')) continue;
    const bound = new Set(facts.defs.map((d) => d.name));
    const reported = new Set<string>();
    const report = (name: string, range: Range, fn: FunctionFacts | undefined): void => {
      if (bound.has(name) || isBuiltinName(name) || MODULE_GLOBALS.has(name) || reported.has(name)) return;
      reported.add(name);
      found.push({ path, ...(fn !== undefined ? { function: fn.name } : {}), name, line: range.start.line });
    };
    for (const use of facts.uses) if (!use.deferred) report(use.name, use.range, undefined);
    for (const fn of facts.functions) for (const read of fn.globalReads) report(read.name, read.range, innermost(read.range, facts.functions));
  }
  return found;
}

/** One line per undefined read, for the plan's problems. */
export function describeUndefinedRead(read: UndefinedRead): string {
  const where = read.function === undefined ? 'module-level code' : `\`${read.function}\``;
  return `${read.path}:${read.line + 1}: ${where} reads \`${read.name}\`, which nothing in the generated file defines or imports.`;
}

function innermost(range: Range, functions: readonly FunctionFacts[]): FunctionFacts | undefined {
  const around = functions.filter((f) => f.kind !== 'lambda' && contains(f.range, range));
  return around.find((f) => around.every((g) => g === f || contains(g.range, f.range)));
}

function contains(outer: Range, inner: Range): boolean {
  const before = (a: Range['start'], b: Range['start']): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}
