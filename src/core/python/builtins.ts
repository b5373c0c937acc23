/**
 * Names that are always defined in a Jupyter kernel without any cell binding them: CPython's
 * builtins plus the globals IPython injects into the user namespace. The rules use this to
 * tell an undefined notebook name from a builtin one.
 */

/** `dir(builtins)` of CPython 3.11 (3.12 adds none); regenerate with the command in the comment below. */
// python3 -c "import builtins; print(sorted(dir(builtins)))"
const PYTHON_BUILTINS: readonly string[] = [
  'ArithmeticError', 'AssertionError', 'AttributeError', 'BaseException', 'BaseExceptionGroup',
  'BlockingIOError', 'BrokenPipeError', 'BufferError', 'BytesWarning', 'ChildProcessError',
  'ConnectionAbortedError', 'ConnectionError', 'ConnectionRefusedError', 'ConnectionResetError',
  'DeprecationWarning', 'EOFError', 'Ellipsis', 'EncodingWarning', 'EnvironmentError', 'Exception',
  'ExceptionGroup', 'False', 'FileExistsError', 'FileNotFoundError', 'FloatingPointError',
  'FutureWarning', 'GeneratorExit', 'IOError', 'ImportError', 'ImportWarning', 'IndentationError',
  'IndexError', 'InterruptedError', 'IsADirectoryError', 'KeyError', 'KeyboardInterrupt',
  'LookupError', 'MemoryError', 'ModuleNotFoundError', 'NameError', 'None', 'NotADirectoryError',
  'NotImplemented', 'NotImplementedError', 'OSError', 'OverflowError', 'PendingDeprecationWarning',
  'PermissionError', 'ProcessLookupError', 'RecursionError', 'ReferenceError', 'ResourceWarning',
  'RuntimeError', 'RuntimeWarning', 'StopAsyncIteration', 'StopIteration', 'SyntaxError',
  'SyntaxWarning', 'SystemError', 'SystemExit', 'TabError', 'TimeoutError', 'True', 'TypeError',
  'UnboundLocalError', 'UnicodeDecodeError', 'UnicodeEncodeError', 'UnicodeError',
  'UnicodeTranslateError', 'UnicodeWarning', 'UserWarning', 'ValueError', 'Warning',
  'ZeroDivisionError', '__build_class__', '__debug__', '__doc__', '__import__', '__loader__',
  '__name__', '__package__', '__spec__', 'abs', 'aiter', 'all', 'anext', 'any', 'ascii', 'bin',
  'bool', 'breakpoint', 'bytearray', 'bytes', 'callable', 'chr', 'classmethod', 'compile',
  'complex', 'copyright', 'credits', 'delattr', 'dict', 'dir', 'divmod', 'enumerate', 'eval',
  'exec', 'exit', 'filter', 'float', 'format', 'frozenset', 'getattr', 'globals', 'hasattr',
  'hash', 'help', 'hex', 'id', 'input', 'int', 'isinstance', 'issubclass', 'iter', 'len',
  'license', 'list', 'locals', 'map', 'max', 'memoryview', 'min', 'next', 'object', 'oct', 'open',
  'ord', 'pow', 'print', 'property', 'quit', 'range', 'repr', 'reversed', 'round', 'set',
  'setattr', 'slice', 'sorted', 'staticmethod', 'str', 'sum', 'super', 'tuple', 'type', 'vars',
  'zip',
];

/**
 * Globals IPython defines in every kernel namespace. `__file__` is deliberately absent: it is
 * not defined in notebooks, so code relying on it breaks there.
 */
const IPYTHON_GLOBALS: readonly string[] = [
  'display', 'get_ipython', 'In', 'Out', '_', '__', '___', '_i', '_ii', '_iii', '_oh', '_ih', '_dh',
  'exit', 'quit', '__name__', '__builtins__', '__doc__',
];

/** Every always-defined name, for membership tests. */
export const BUILTIN_NAMES: ReadonlySet<string> = new Set([...PYTHON_BUILTINS, ...IPYTHON_GLOBALS]);

/** IPython's numbered output and input history variables: `_1`, `_i1`, ... */
const HISTORY_NAME = /^_i?\d+$/;

/** True when `name` needs no binding in a notebook: a builtin, an IPython global or a history variable. */
export function isBuiltinName(name: string): boolean {
  return BUILTIN_NAMES.has(name) || HISTORY_NAME.test(name);
}
