import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Range } from '../../../src/core/diagnostic';
import { loadPythonParser, MUTATING_METHODS, type CellFacts, type PythonParser } from '../../../src/core/python';

let parser: PythonParser;
before(async () => {
  parser = await loadPythonParser();
});

const at = (r: Range): string => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
const mutations = (f: CellFacts): string[] =>
  f.mutations.map((m) => `${m.name} ${m.kind}${m.method === undefined ? '' : ` ${m.method}`} ${at(m.range)}${m.deferred ? ' deferred' : ''}`);

describe('mutations', () => {
  it('records subscript, .loc and attribute assignments on the root global', () => {
    const f = parser.facts('df["x"] = 1\ndf.loc[m, "y"] = 2\ncfg.model.depth = 3\ndf["n"] += 1');
    assert.deepEqual(mutations(f), [
      'df subscript-assign 0:0-0:11',
      'df subscript-assign 1:0-1:18',
      'cfg attribute-assign 2:0-2:19',
      'df subscript-assign 3:0-3:12',
    ]);
    assert.deepEqual(f.defs, []);
  });

  it('records mutating method calls and inplace=True on globals', () => {
    const f = parser.facts('rows.append(r)\ndf.dropna(inplace=True)\ndf.fillna(0, inplace=False)\nd.update(a=1)');
    assert.deepEqual(mutations(f), ['rows method-call append 0:0-0:14', 'df inplace-kwarg dropna 1:0-1:23', 'd method-call update 3:0-3:13']);
  });

  it('keeps the mutating method names in one table', () => {
    assert.deepEqual([...MUTATING_METHODS].sort(), [
      'add',
      'append',
      'clear',
      'discard',
      'extend',
      'insert',
      'pop',
      'remove',
      'reverse',
      'setdefault',
      'sort',
      'update',
    ]);
  });

  it('ignores mutations of function locals and defers those of globals in functions', () => {
    const src = 'def f(items):\n    acc = []\n    acc.append(1)\n    items.sort()\n    LOG.append(2)\n    df["x"] = 0';
    assert.deepEqual(mutations(parser.facts(src)), ['LOG method-call append 4:4-4:17 deferred', 'df subscript-assign 5:4-5:15 deferred']);
  });

  it('does not treat a new object returned by a call as the global', () => {
    assert.deepEqual(mutations(parser.facts('df.copy().x = 1\nmake().append(2)')), []);
  });
});

describe('calls', () => {
  it('describes callee, root, method, ranges and arguments', () => {
    const f = parser.facts('scaler.fit_transform(X[cols], *extra, y=target.values, **opts)');
    assert.equal(f.calls.length, 1);
    const [call] = f.calls;
    assert.equal(call?.callee, 'scaler.fit_transform');
    assert.equal(call?.root, 'scaler');
    assert.equal(call?.method, 'fit_transform');
    assert.equal(at(call?.range ?? (undefined as never)), '0:0-0:62');
    assert.equal(at(call?.calleeRange ?? (undefined as never)), '0:0-0:20');
    assert.deepEqual(
      call?.args.map((a) => [a.keyword ?? null, a.text, a.names, at(a.range), a.unpack ?? null]),
      [
        [null, 'X[cols]', ['X', 'cols'], '0:21-0:28', null],
        [null, 'extra', ['extra'], '0:31-0:36', '*'],
        ['y', 'target.values', ['target'], '0:40-0:53', null],
        [null, 'opts', ['opts'], '0:57-0:61', '**'],
      ],
    );
    assert.equal(call?.deferred, false);
    assert.equal(call?.inFunction, undefined);
  });

  it('lists names read in arguments, excluding names local to lambdas in them', () => {
    const f = parser.facts('df.apply(lambda r: r[c] + k, axis=1)');
    assert.deepEqual(
      f.calls[0]?.args.map((a) => a.names),
      [['c', 'k'], []],
    );
  });

  it('sets assignedTo for the value and its receiver chain, pairwise for tuples', () => {
    const src = [
      'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)',
      'X = df.drop(columns=["y"]).values',
      'Z = scaler.fit(A).transform(f(B))',
      'a, b = load(), other()',
      'print(len(X))',
    ].join('\n');
    const f = parser.facts(src);
    assert.deepEqual(
      f.calls.map((c) => `${c.callee} -> ${c.assignedTo.join(',')}`),
      [
        'train_test_split -> X_train,X_test,y_train,y_test',
        'df.drop -> X',
        'scaler.fit -> Z',
        'scaler.fit(A).transform -> Z',
        'f -> ',
        'load -> a',
        'other -> b',
        'print -> ',
        'len -> ',
      ],
    );
    assert.equal(f.calls[3]?.root, undefined);
    assert.equal(f.calls[3]?.method, 'transform');
  });

  it('marks calls in functions as deferred, with the enclosing function name', () => {
    const src = 'def train(X):\n    model = fit(X)\n    key = lambda r: score(r)\n    return model';
    const f = parser.facts(src);
    assert.deepEqual(
      f.calls.map((c) => [c.callee, c.deferred, c.inFunction, c.assignedTo]),
      [
        ['fit', true, 'train', []],
        ['score', true, 'train', []],
      ],
    );
  });
});

describe('imports', () => {
  it('records module, member, bound name and range for every import form', () => {
    const src = 'import numpy as np, os.path\nfrom sklearn.model_selection import train_test_split as tts, KFold\nfrom . import utils\nfrom pandas import *';
    const f = parser.facts(src);
    assert.deepEqual(
      f.imports.map((i) => [i.module, i.member ?? null, i.boundName, at(i.range)]),
      [
        ['numpy', null, 'np', '0:7-0:18'],
        ['os.path', null, 'os', '0:20-0:27'],
        ['sklearn.model_selection', 'train_test_split', 'tts', '1:36-1:59'],
        ['sklearn.model_selection', 'KFold', 'KFold', '1:61-1:66'],
        ['.', 'utils', 'utils', '2:14-2:19'],
        ['pandas', '*', '*', '3:19-3:20'],
      ],
    );
    assert.deepEqual(
      f.defs.map((d) => `${d.name} ${d.kind} ${at(d.range)}`),
      ['np import 0:16-0:18', 'os import 0:20-0:22', 'tts import 1:56-1:59', 'KFold import 1:61-1:66', 'utils import 2:14-2:19', '* star-import 3:19-3:20'],
    );
  });

  it('keeps imports inside functions local', () => {
    const f = parser.facts('def f():\n    import json\n    return json.dumps(x)');
    assert.deepEqual(f.imports, []);
    assert.deepEqual(
      f.uses.map((u) => u.name),
      ['x'],
    );
  });
});

describe('functions', () => {
  it('lists every parameter kind in order, with name and definition ranges', () => {
    const src = '@cache\ndef f(a, /, b: int, *args, c=1, d: str = "x", **kw):\n    pass';
    const [fn] = parser.facts(src).functions;
    assert.deepEqual(fn?.params, ['a', 'b', 'args', 'c', 'd', 'kw']);
    assert.equal(fn?.kind, 'def');
    assert.equal(at(fn?.nameRange ?? (undefined as never)), '1:4-1:5');
    assert.equal(at(fn?.range ?? (undefined as never)), '0:0-2:8');
  });

  it('collects global reads of nested functions and comprehensions into the outer function too', () => {
    const src = 'def pipeline(df):\n    def clean(x):\n        return x.fillna(FILL)\n    return [clean(c) for c in COLS]';
    const f = parser.facts(src);
    assert.deepEqual(
      f.functions.map((fn) => [fn.name, fn.kind, fn.globalReads.map((u) => u.name)]),
      [
        ['pipeline', 'def', ['FILL', 'COLS']],
        ['clean', 'nested', ['FILL']],
      ],
    );
  });

  it('includes builtins among global reads, for the consumer to filter', () => {
    const [fn] = parser.facts('def n(rows):\n    return len(rows) + total').functions;
    assert.deepEqual(
      fn?.globalReads.map((u) => u.name),
      ['len', 'total'],
    );
  });
});
