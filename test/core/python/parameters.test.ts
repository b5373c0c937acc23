import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadPythonParser, type PythonParser } from '../../../src/core/python';

let parser: PythonParser;
before(async () => {
  parser = await loadPythonParser();
});

/** Each def's parameter list as `(kind text, ...)`, with the list's own text. */
function lists(source: string): string[] {
  return parser.facts(source).functions.map((fn) => {
    const list = fn.parameterList;
    if (list === undefined) return `${fn.name}: none`;
    const items = list.items.map((p) => `${p.kind} ${source.slice(p.start, p.end)}`);
    return `${fn.name} ${source.slice(list.start, list.end)}: ${items.join(' | ')}`;
  });
}

describe('parameter lists', () => {
  it('gives each entry its kind and span, splats and markers included', () => {
    assert.deepEqual(lists('def f(a, b: int = 2, *args: str, c, **kw): pass\ndef g(a, /, *, b=1): pass'), [
      'f (a, b: int = 2, *args: str, c, **kw): plain a | default b: int = 2 | *args *args: str | plain c | **kwargs **kw',
      'g (a, /, *, b=1): plain a | / / | * * | default b=1',
    ]);
  });

  it('skips comments and type parameters, and keeps an empty list', () => {
    assert.deepEqual(lists('def f[T](\n    x,  # the input\n):\n    pass\ndef g(): pass'), ['f (\n    x,  # the input\n): plain x', 'g (): ']);
  });

  it('has none for lambdas', () => {
    assert.deepEqual(lists('h = lambda x=1: x'), ['<lambda>: none']);
  });
});
