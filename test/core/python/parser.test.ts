import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Range } from '../../../src/core/diagnostic';
import { BUILTIN_NAMES, isBuiltinName, loadPythonParser, type PythonParser } from '../../../src/core/python';
import { LruCache } from '../../../src/core/python/cache';

let parser: PythonParser;
before(async () => {
  parser = await loadPythonParser();
});

const at = (r: Range): string => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

describe('loading', () => {
  it('memoises the parser', async () => {
    assert.equal(await loadPythonParser(), parser);
  });
});

describe('positions', () => {
  it('counts characters in UTF-16 code units for non-ASCII names and strings', () => {
    const f = parser.facts('é = "ü"; print(é)');
    assert.deepEqual(
      f.defs.map((d) => `${d.name} ${at(d.range)}`),
      ['é 0:0-0:1'],
    );
    assert.deepEqual(
      f.uses.map((u) => `${u.name} ${at(u.range)} ${u.offset}`),
      ['print 0:9-0:14 9', 'é 0:15-0:16 15'],
    );
  });

  it('counts an emoji (a surrogate pair) as two characters', () => {
    const src = 's = "😀"; t = s\nu = "😀😀" + s';
    const f = parser.facts(src);
    // Line 0: `s = "` is 5 units, the emoji 2, then `"; t = ` 7 more: `s` is at 14.
    assert.deepEqual(
      f.uses.map((u) => `${u.name} ${at(u.range)} ${u.offset}`),
      ['s 0:14-0:15 14', 's 1:13-1:14 29'],
    );
    assert.equal(src.slice(14, 15), 's');
    assert.equal(src.slice(29, 30), 's');
  });

  it('handles \\r\\n line ends', () => {
    const f = parser.facts('a = 1\r\nb = a');
    assert.deepEqual(
      f.uses.map((u) => at(u.range)),
      ['1:4-1:5'],
    );
  });
});

describe('syntax errors', () => {
  it('reports an error node and keeps facts from the parts that parse', () => {
    const f = parser.facts('import numpy as np\nx = np.zeros(3\ny = 1\nprint(y)');
    assert.equal(f.syntaxErrors.length, 1);
    assert.equal(f.syntaxErrors[0]?.message, 'invalid syntax');
    assert.equal(f.syntaxErrors[0]?.range.start.line, 1);
    assert.deepEqual(
      f.imports.map((i) => i.boundName),
      ['np'],
    );
    assert.ok(
      f.defs.some((d) => d.name === 'x'),
      'a half-typed `x = ...` still binds x',
    );
    assert.ok(f.uses.some((u) => u.name === 'np'));
  });

  it('reports missing tokens by name', () => {
    const f = parser.facts('def f(:\n    return a\nb = a');
    assert.deepEqual(
      f.syntaxErrors.map((e) => `${e.message} ${at(e.range)}`),
      ['missing `)` 0:6-0:6'],
    );
    assert.deepEqual(
      f.defs.map((d) => d.name),
      ['f', 'b'],
    );
  });

  it('reports no errors for valid code', () => {
    assert.deepEqual(parser.facts('x = [1, 2]\nprint(*x)').syntaxErrors, []);
  });
});

describe('caching', () => {
  it('returns the same facts object for the same source', () => {
    const src = 'cached_value = compute()';
    assert.equal(parser.facts(src), parser.facts(src));
    assert.notEqual(parser.facts(src), parser.facts(`${src}\n`));
  });

  it('evicts the least recently used entry', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    assert.equal(cache.get('a'), 1);
    cache.set('c', 3);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.size, 2);
  });
});

describe('builtins', () => {
  it('knows Python builtins and IPython globals, not __file__', () => {
    for (const name of ['print', 'len', 'ValueError', 'None', '__name__', 'display', 'get_ipython', 'In', 'Out', '_', '___', '_ih', 'exit']) {
      assert.ok(isBuiltinName(name), name);
    }
    assert.equal(isBuiltinName('__file__'), false);
    assert.equal(isBuiltinName('df'), false);
    assert.ok(BUILTIN_NAMES.size > 150);
  });

  it('accepts IPython history variables', () => {
    assert.ok(isBuiltinName('_1'));
    assert.ok(isBuiltinName('_i12'));
    assert.equal(isBuiltinName('_x1'), false);
    assert.equal(isBuiltinName('_i'), true);
  });
});
