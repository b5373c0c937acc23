import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadPythonParser, type PythonParser } from '../../../src/core/python';
import { dottedParts, moduleAssignments, someExpr } from '../../../src/core/python/expressions';

let parser: PythonParser;
before(async () => {
  parser = await loadPythonParser();
});

/** Each bound name with the text of the value it gets, `(part)` when unpacked. */
function assignments(source: string): string[] {
  const found = moduleAssignments(parser.facts(source).flow ?? []);
  return [...found]
    .sort((a, b) => a[0] - b[0])
    .map(([offset, { value, unpacked }]) => {
      const name = /^\w+/.exec(source.slice(offset))?.[0] ?? '';
      return `${name} = ${source.slice(value.start, value.end)}${unpacked ? ' (part)' : ''}`;
    });
}

describe('module assignments', () => {
  it('maps every plainly bound name to its value, through chains, annotations and blocks', () => {
    assert.deepEqual(assignments('a = b = f(1)\nc: int = 2\nif x:\n    d = "p"\nfor i in y:\n    e = i\nwith g() as h:\n    k = 3'), [
      'a = f(1)',
      'b = f(1)',
      'c = 2',
      'd = "p"',
      'e = i',
      'h = g()',
      'k = 3',
    ]);
  });

  it('marks names unpacked from a tuple of plain names, and skips other targets', () => {
    assert.deepEqual(assignments('a, (b, *c) = f()\nd, e.x = 1, 2\nn += 1\ndef f():\n    m = 1'), ['a = f() (part)', 'b = f() (part)', 'c = f() (part)']);
  });
});

describe('expression helpers', () => {
  it('spells dotted names and finds sub-expressions', () => {
    const source = 'x = np.log(df["a"]) + 1';
    const value = moduleAssignments(parser.facts(source).flow ?? []).get(0)?.value;
    assert.ok(value !== undefined);
    assert.equal(
      someExpr(value, (e) => e.kind === 'string' && e.value === 'a'),
      true,
    );
    assert.equal(
      someExpr(value, (e) => e.kind === 'name' && e.name === 'x'),
      false,
    );
    assert.deepEqual(value.kind === 'operator' && value.operands[0]?.kind === 'call' ? dottedParts(value.operands[0].callee) : undefined, ['np', 'log']);
  });
});
