// NB106 quick fix on cell sources: where the parameter goes, how call sites change, when it is unsafe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fix } from '../../../src/core/diagnostic';
import { analyzeNotebook } from '../../../src/core/engine';
import { applyFixToSources } from '../../../src/core/fixes/apply';
import { notebook } from '../../helpers/notebooks';

/** The first NB106 fix on the notebook, and the sources after applying it. */
async function fixOf(cells: string[]): Promise<{ fix: Fix | undefined; sources: string[] }> {
  const [d] = await analyzeNotebook(notebook(cells), { select: ['NB106'] });
  const fix = d?.fixes?.[0];
  return { fix, sources: fix ? applyFixToSources(cells, fix).sources : cells };
}

test('adds the parameter last and passes it by keyword at every call site', async () => {
  const cells = [
    'import pandas as pd\ndf = pd.DataFrame({"a": [1]})',
    'def add_features(x):\n    return x.join(df)',
    'a = add_features(df)\nb = add_features(\n    df,\n)',
  ];
  const { fix, sources } = await fixOf(cells);
  assert.equal(fix?.title, 'Add parameter `df` to `add_features` and pass it at 2 call sites');
  assert.equal(fix?.safety, 'safe');
  assert.deepEqual(sources.slice(1), ['def add_features(x, df):\n    return x.join(df)', 'a = add_features(df, df=df)\nb = add_features(\n    df, df=df,\n)']);
  assert.deepEqual((await analyzeNotebook(notebook(sources), { select: ['NB106'] })).length, 0);
});

test('signatures: empty, defaults, *args, bare *, **kwargs, positional-only, annotations', async () => {
  const cases: Array<[string, string]> = [
    ['def f():', 'def f(rows):'],
    ['def f(a, b=1):', 'def f(a, b=1, *, rows):'],
    ['def f(a, *args, k=2):', 'def f(a, *args, k=2, rows):'],
    ['def f(a, *, k):', 'def f(a, *, k, rows):'],
    ['def f(a, **kw):', 'def f(a, rows, **kw):'],
    ['def f(a=1, **kw):', 'def f(a=1, *, rows, **kw):'],
    ['def f(a, /):', 'def f(a, /, rows):'],
    ['def f(a: "list[int]" = (1, 2), b: int = 3,) -> int:', 'def f(a: "list[int]" = (1, 2), b: int = 3, *, rows,) -> int:'],
  ];
  for (const [before, after] of cases) {
    const { sources } = await fixOf(['rows = [1]', `${before}\n    return rows`]);
    assert.equal(sources[1], `${after}\n    return rows`, before);
  }
});

test('a call without arguments gets the keyword inside its parentheses', async () => {
  const { fix, sources } = await fixOf(['rows = [1]', 'def f():\n    return rows', 'print(f ())']);
  assert.equal(fix?.title, 'Add parameter `rows` to `f` and pass it at 1 call site');
  assert.equal(sources[2], 'print(f (rows=rows))');
});

test('a function that is never called gets only the parameter', async () => {
  const { fix } = await fixOf(['rows = [1]', 'def f():\n    return rows']);
  assert.equal(fix?.title, 'Add parameter `rows` to `f`');
  assert.equal(fix?.safety, 'safe');
});

test('unsafe when the function escapes: callback, stored, decorated', async () => {
  const escapes = ['df.apply(f)', 'handlers = [f]', 'g = f'];
  for (const use of escapes) {
    const { fix } = await fixOf(['import pandas as pd\ndf = pd.DataFrame()\nrows = [1]', 'def f(r):\n    return r + len(rows)', `${use}\nf(1)`]);
    assert.equal(fix?.safety, 'unsafe', use);
  }
  const { fix } = await fixOf(['import functools\nrows = [1]', '@functools.cache\ndef f():\n    return rows', 'f()']);
  assert.equal(fix?.safety, 'unsafe');
});

test('calls inside another function: safe where the name is the global there, unsafe otherwise', async () => {
  const global = await fixOf(['rows = [1]', 'def f():\n    return rows', 'def g():\n    return f(), rows']);
  assert.equal(global.fix?.safety, 'safe');
  assert.equal(global.sources[2], 'def g():\n    return f(rows=rows), rows');
  const local = await fixOf(['rows = [1]', 'def f():\n    return rows', 'def g(rows):\n    return f()']);
  assert.equal(local.fix?.safety, 'unsafe');
  const recursive = await fixOf(['rows = [1]', 'def f(n):\n    return rows if n == 0 else f(n - 1)']);
  assert.equal(recursive.fix?.safety, 'safe');
  assert.equal(recursive.sources[1], 'def f(n, rows):\n    return rows if n == 0 else f(n - 1, rows=rows)');
});

// A function that declares the global `global` gets no finding at all (its own state): see test/core/rules/function-reads-global.test.ts.
test('no fix for lambdas, methods, nested defs, functions bound twice, generator calls', async () => {
  const none = [
    ['rows = [1]', 'pick = lambda i: rows[i]'],
    ['rows = [1]', 'class A:\n    def m(self):\n        return rows'],
    ['rows = [1]', 'def outer():\n    def inner():\n        return rows\n    return inner'],
    ['rows = [1]', 'def f():\n    return rows', 'def f():\n    return 1'],
    ['rows = [1]', 'def f(xs):\n    return list(xs) + rows', 'f(x for x in rows)'],
  ];
  for (const cells of none) {
    const [d] = await analyzeNotebook(notebook(cells), { select: ['NB106'] });
    assert.ok(d, cells.join(' | '));
    assert.equal(d.fixes, undefined, cells.join(' | '));
  }
});
