/** The Python facts API: load the parser once, then ask for the facts of each cell. */
export type * from './facts';
export { loadPythonParser, FACTS_CACHE_CAPACITY, type PythonParser } from './parser';
export { isBuiltinName, BUILTIN_NAMES } from './builtins';
export { MUTATING_METHODS } from './calls';
