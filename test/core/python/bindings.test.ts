import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Range } from '../../../src/core/diagnostic';
import { loadPythonParser, type CellFacts, type PythonParser } from '../../../src/core/python';

let parser: PythonParser;
before(async () => {
  parser = await loadPythonParser();
});

/** `line:char-line:char`, compact enough to compare many ranges at once. */
const at = (r: Range): string => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
const defs = (f: CellFacts): string[] => f.defs.map((d) => `${d.name} ${d.kind} ${at(d.range)}${d.deferred ? ' deferred' : ''}`);
const uses = (f: CellFacts): string[] => f.uses.map((u) => `${u.name} ${at(u.range)}${u.deferred ? ' deferred' : ''}`);

describe('module-scope bindings', () => {
  it('binds plain, chained, tuple, nested and starred assignment targets', () => {
    const f = parser.facts('a, (b, *c) = d = [e] = f()');
    assert.deepEqual(defs(f), ['a assign 0:0-0:1', 'b assign 0:4-0:5', 'c assign 0:8-0:9', 'd assign 0:13-0:14', 'e assign 0:18-0:19']);
    assert.deepEqual(uses(f), ['f 0:23-0:24']);
  });

  it('binds annotated assignments but not bare annotations, and reads the annotation', () => {
    const f = parser.facts('x: int = 1\ny: Frame\nz: "Later" = 2');
    assert.deepEqual(defs(f), ['x assign 0:0-0:1', 'z assign 2:0-2:1']);
    assert.deepEqual(uses(f), ['int 0:3-0:6', 'Frame 1:3-1:8']);
  });

  it('treats augmented assignment as a read, a binding and a mutation', () => {
    const f = parser.facts('x += 1');
    assert.deepEqual(defs(f), ['x augassign 0:0-0:1']);
    assert.deepEqual(uses(f), ['x 0:0-0:1']);
    assert.deepEqual(
      f.mutations.map((m) => [m.name, m.kind, at(m.range)]),
      [['x', 'augassign', '0:0-0:6']],
    );
  });

  it('binds for, async for, with, except and walrus targets', () => {
    const src = [
      'for i, (j, k) in pairs: pass',
      'async for a in stream: pass',
      'with open(p) as fh, ctx() as (u, v): pass',
      'try: pass',
      'except ValueError as err: pass',
      'if (n := len(xs)) > 2: pass',
    ].join('\n');
    assert.deepEqual(defs(parser.facts(src)), [
      'i for 0:4-0:5',
      'j for 0:8-0:9',
      'k for 0:11-0:12',
      'a for 1:10-1:11',
      'fh with 2:16-2:18',
      'u with 2:30-2:31',
      'v with 2:33-2:34',
      'err except 4:21-4:24',
      'n walrus 5:4-5:5',
    ]);
  });

  it('binds a walrus inside a comprehension in the enclosing (module) scope', () => {
    const f = parser.facts('ok = [y for v in vals if (y := v * 2) > 0]');
    assert.deepEqual(defs(f), ['ok assign 0:0-0:2', 'y walrus 0:26-0:27']);
    // The body's `y` is that module-level `y` (a free variable of the comprehension); `v` is local.
    assert.deepEqual(uses(f), ['y 0:6-0:7', 'vals 0:17-0:21']);
  });

  it('binds def and class names, and match captures', () => {
    const src = 'def f(): pass\nclass C: pass\nmatch cmd:\n    case [first, *rest] | Point(x=first, y=rest): pass\n    case _: pass';
    const f = parser.facts(src);
    assert.deepEqual(defs(f).slice(0, 2), ['f def 0:4-0:5', 'C class 1:6-1:7']);
    assert.deepEqual(new Set(f.defs.slice(2).map((d) => d.name)), new Set(['first', 'rest']));
    assert.deepEqual(uses(f), ['cmd 2:6-2:9', 'Point 3:26-3:31']);
  });

  it('records del as a mutation, not a binding', () => {
    const f = parser.facts('del x, df["col"]');
    assert.deepEqual(defs(f), []);
    assert.deepEqual(uses(f), ['df 0:7-0:9']);
    assert.deepEqual(
      f.mutations.map((m) => `${m.name} ${m.kind} ${at(m.range)}`),
      ['x del 0:0-0:16', 'df del 0:0-0:16'],
    );
  });

  it('binds `global` names assigned in a function as deferred global definitions', () => {
    const f = parser.facts('def setup():\n    global model, seen\n    model = make()\n    return seen');
    assert.deepEqual(defs(f), ['setup def 0:4-0:9', 'model global 2:4-2:9 deferred']);
    assert.deepEqual(uses(f), ['make 2:12-2:16 deferred', 'seen 3:11-3:15 deferred']);
  });
});

describe('binding offsets', () => {
  it('binds assignments at the end of the statement, so `x = x + 1` reads first', () => {
    const f = parser.facts('x = x + 1');
    const [def] = f.defs;
    const [use] = f.uses;
    assert.equal(def?.bindOffset, 9);
    assert.equal(use?.offset, 4);
    assert.equal(use?.statementStart, 0);
    assert.equal(use?.statementEnd, 9);
    assert.ok((def?.bindOffset ?? 0) > (use?.offset ?? 0));
  });

  it('binds loop targets at the body, after the iterable is read', () => {
    const src = 'for x in x:\n    print(x)';
    const f = parser.facts(src);
    const bind = f.defs[0]?.bindOffset ?? -1;
    assert.equal(bind, src.indexOf('print'));
    assert.deepEqual(
      f.uses.filter((u) => u.name === 'x').map((u) => (u.offset ?? 0) >= bind),
      [false, true],
    );
  });

  it('binds def/class at the end of the definition, imports at the end of the statement', () => {
    const src = '@wrap\ndef f():\n    return 1\nimport numpy as np';
    const f = parser.facts(src);
    assert.deepEqual(
      f.defs.map((d) => [d.name, d.bindOffset, d.statementStart]),
      [
        ['f', src.indexOf('\nimport'), 0],
        ['np', src.length, src.indexOf('import')],
      ],
    );
  });

  it('binds with/except targets at their body and a walrus at the end of its expression', () => {
    const src = 'with a as b: pass\ntry: pass\nexcept E as e: pass\nz = (w := 3) + w';
    const f = parser.facts(src);
    const bindOf = (name: string): number | undefined => f.defs.find((d) => d.name === name)?.bindOffset;
    assert.equal(bindOf('b'), src.indexOf('pass'));
    assert.equal(bindOf('e'), src.lastIndexOf('pass'));
    assert.equal(bindOf('w'), src.indexOf(')', src.indexOf(':=')));
    const lastW = f.uses.find((u) => u.name === 'w');
    assert.ok((lastW?.offset ?? 0) >= (bindOf('w') ?? Infinity));
  });

  it('gives nested statements the offsets of their top-level statement', () => {
    const src = 'if ok:\n    y = f(y)';
    const f = parser.facts(src);
    assert.deepEqual(
      f.uses.map((u) => [u.name, u.statementStart, u.statementEnd]),
      [
        ['ok', 0, src.length],
        ['f', 0, src.length],
        ['y', 0, src.length],
      ],
    );
    assert.equal(f.defs[0]?.bindOffset, src.length);
  });
});
