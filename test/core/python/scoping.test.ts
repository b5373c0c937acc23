import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Range } from '../../../src/core/diagnostic';
import { loadPythonParser, type CellFacts, type PythonParser } from '../../../src/core/python';

let parser: PythonParser;
before(async () => {
  parser = await loadPythonParser();
});

const at = (r: Range): string => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
const uses = (f: CellFacts): string[] => f.uses.map((u) => `${u.name} ${at(u.range)}${u.deferred ? ' deferred' : ''}`);
const names = (src: string): string[] => parser.facts(src).uses.map((u) => u.name);

describe('function scopes', () => {
  it('reads globals from a function body as deferred uses, but not parameters', () => {
    const f = parser.facts('def feat(df):\n    return df * SCALE + offset');
    assert.deepEqual(uses(f), ['SCALE 1:16-1:21 deferred', 'offset 1:24-1:30 deferred']);
    assert.deepEqual(
      f.functions[0]?.globalReads.map((u) => `${u.name} ${at(u.range)}`),
      ['SCALE 1:16-1:21', 'offset 1:24-1:30'],
    );
  });

  it('makes a name local everywhere in the function when it is assigned anywhere in it', () => {
    // Python raises UnboundLocalError for the first read: it never sees the global `total`.
    assert.deepEqual(names('def f():\n    print(total)\n    total = 1'), ['print']);
    assert.deepEqual(names('def f():\n    for row in rows:\n        pass\n    return row'), ['rows']);
    assert.deepEqual(names('def f():\n    import os\n    return os.getcwd()'), []);
    assert.deepEqual(names('def f():\n    with g() as h: return h'), ['g']);
  });

  it('resolves `global` declarations to the module scope for reads and writes', () => {
    const f = parser.facts('def bump():\n    global counter\n    counter += step');
    assert.deepEqual(uses(f), ['counter 2:4-2:11 deferred', 'step 2:15-2:19 deferred']);
    assert.deepEqual(
      f.defs.map((d) => `${d.name} ${d.kind} ${d.deferred}`),
      ['bump def false', 'counter global true'],
    );
    assert.deepEqual(
      f.mutations.map((m) => `${m.name} ${m.kind} ${m.deferred}`),
      ['counter augassign true'],
    );
  });

  it('treats enclosing function locals as closures, and nonlocal names as theirs', () => {
    const src = 'def outer(a):\n    b = 1\n    def inner():\n        nonlocal b\n        b += a\n        return b + c\n    return inner';
    const f = parser.facts(src);
    assert.deepEqual(uses(f), ['c 5:19-5:20 deferred']);
    assert.deepEqual(
      f.functions.map((fn) => `${fn.name} ${fn.kind} ${fn.globalReads.map((u) => u.name).join(',')}`),
      ['outer def c', 'inner nested c'],
    );
  });

  it('evaluates decorators, defaults and annotations at definition time', () => {
    const f = parser.facts('@register(REG)\ndef f(x: Frame = DEFAULT, *, k=K) -> Out:\n    return x');
    assert.deepEqual(uses(f), ['register 0:1-0:9', 'REG 0:10-0:13', 'Frame 1:9-1:14', 'DEFAULT 1:17-1:24', 'K 1:31-1:32', 'Out 1:37-1:40']);
    assert.deepEqual(f.functions[0]?.globalReads, []);
  });

  it('ignores annotations of function locals and names in string annotations', () => {
    assert.deepEqual(names('def f(a: "Frame") -> "Out":\n    x: Local = a\n    return x'), []);
  });

  it('scopes lambdas like functions, with defaults evaluated now', () => {
    const f = parser.facts('key = lambda row, k=K: row[col] * k');
    assert.deepEqual(uses(f), ['K 0:20-0:21', 'col 0:27-0:30 deferred']);
    assert.deepEqual(
      f.functions.map((fn) => [fn.name, fn.kind, at(fn.nameRange), fn.params]),
      [['<lambda>', 'lambda', '0:6-0:12', ['row', 'k']]],
    );
  });
});

describe('class bodies', () => {
  it('runs the class body now and hides its names from methods', () => {
    const src = 'class Model(Base):\n    rate = RATE\n    scaled = rate * 2\n    def step(self):\n        return rate + self.scaled';
    const f = parser.facts(src);
    assert.deepEqual(uses(f), ['Base 0:12-0:16', 'RATE 1:11-1:15', 'rate 4:15-4:19 deferred']);
    assert.deepEqual(
      f.functions.map((fn) => `${fn.name} ${fn.kind} ${fn.params.join(',')}`),
      ['Model.step method self'],
    );
  });

  it('reads the global when a class attribute is bound only later in the body', () => {
    assert.deepEqual(names('class C:\n    size = size + 1'), ['size']);
  });

  it('names methods of nested classes with their dotted path', () => {
    const f = parser.facts('class A:\n    class B:\n        def m(self): pass');
    assert.deepEqual(
      f.functions.map((fn) => fn.name),
      ['A.B.m'],
    );
    assert.deepEqual(
      f.defs.map((d) => d.name),
      ['A'],
    );
  });
});

describe('comprehensions', () => {
  it('keeps comprehension variables local and reads the rest now at module scope', () => {
    const f = parser.facts('out = [x * SCALE for x in xs if x > lo]');
    assert.deepEqual(uses(f), ['SCALE 0:11-0:16', 'xs 0:26-0:28', 'lo 0:36-0:38']);
    assert.deepEqual(
      f.defs.map((d) => d.name),
      ['out'],
    );
  });

  it('handles nested clauses, dict and set comprehensions and generator arguments', () => {
    assert.deepEqual(names('{k: v for k, vs in items for v in vs}'), ['items']);
    assert.deepEqual(names('s = {w for w in words}\ntotal = sum(v for v in vals)'), ['words', 'sum', 'vals']);
  });

  it('evaluates only the first iterable in the enclosing scope (class bodies)', () => {
    const src = 'class C:\n    xs = [1]\n    ys = [x for x in xs]\n    zs = [xs for x in xs]';
    // `xs` as the first iterable is the class attribute; inside the comprehension it is the global.
    assert.deepEqual(uses(parser.facts(src)), ['xs 3:10-3:12']);
  });

  it('defers reads of comprehensions inside functions', () => {
    assert.deepEqual(uses(parser.facts('def f(rows):\n    return [r for r in rows if r in KEEP]')), ['KEEP 1:36-1:40 deferred']);
  });
});

describe('reads', () => {
  it('reads only the root of attributes, not attribute or keyword names', () => {
    const f = parser.facts('model.fit(X, sample_weight=w.values).score');
    assert.deepEqual(
      f.uses.map((u) => u.name),
      ['model', 'X', 'w'],
    );
  });

  it('reads f-string interpolations, including nested format specs', () => {
    assert.deepEqual(names('print(f"{name!r:>{width}} {{literal}}")'), ['print', 'name', 'width']);
  });

  it('reads the exception classes of except clauses', () => {
    assert.deepEqual(names('try:\n    pass\nexcept (KeyError, CustomError):\n    pass'), ['KeyError', 'CustomError']);
  });
});
