import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadPythonParser, type PythonParser } from '../../../src/core/python';
import { decodeStringLiteral, stringLiteralAt, stringValue } from '../../../src/core/python/strings';

let parser: PythonParser;
before(async () => {
  parser = await loadPythonParser();
});

/** Each listed literal as its source text. */
const strings = (source: string): string[] => parser.facts(source).strings.map((s) => source.slice(s.start, s.end));

describe('string literals in the facts', () => {
  it('lists every literal in source order, each part of a concatenation apart', () => {
    assert.deepEqual(strings('x = f(b"a", "b" \'c\')\n"""doc"""\ny = {"k": r"\\d"}'), ['b"a"', '"b"', "'c'", '"""doc"""', '"k"', 'r"\\d"']);
  });

  it('lists an f-string once, without the literals inside its fields', () => {
    assert.deepEqual(strings('p = f"{d[\'x\']}/m.pkl" + "y"'), ['f"{d[\'x\']}/m.pkl"', '"y"']);
  });

  it('lists no comments, and literals inside functions and decorators too', () => {
    assert.deepEqual(strings('# "no"\n@dec("a")\ndef f(p="b"):\n    return "c"  # "no"'), ['"a"', '"b"', '"c"']);
  });
});

describe('string literal values', () => {
  it('decodes prefixes and simple escapes, and refuses unterminated literals', () => {
    assert.deepEqual(decodeStringLiteral('"a\\tb"'), { prefix: '', value: 'a\tb' });
    assert.deepEqual(decodeStringLiteral("Rb'\\n'"), { prefix: 'rb', value: '\\n' });
    assert.deepEqual(decodeStringLiteral("'''x'''"), { prefix: '', value: 'x' });
    assert.equal(decodeStringLiteral('"open'), undefined);
    assert.deepEqual(stringLiteralAt('x = "/tmp/a"', 4, 12), { start: 4, end: 12, prefix: '', value: '/tmp/a' });
  });

  it('gives plain values only: no bytes, f-strings or escapes it does not decode', () => {
    assert.equal(stringValue('r"C:\\data"'), 'C:\\data');
    assert.equal(stringValue('b"x"'), undefined);
    assert.equal(stringValue('f"{x}"'), undefined);
    assert.equal(stringValue('"\\x41"'), undefined);
  });
});
