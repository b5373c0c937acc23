import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULES, ruleSelected, unknownCodes } from '../../../src/core/rules/registry';

test('rules are sorted by code, with unique codes and kebab-case names', () => {
  const codes = RULES.map((r) => r.code);
  assert.deepEqual(codes, [...codes].sort());
  assert.equal(new Set(codes).size, codes.length);
  for (const rule of RULES) {
    assert.match(rule.code, /^(NB|LK|PR)\d{3}$/);
    assert.match(rule.name, /^[a-z]+(-[a-z]+)*$/);
  }
});

test('select and ignore take codes and prefixes; the most specific entry wins', () => {
  assert.equal(ruleSelected('NB101'), true);
  assert.equal(ruleSelected('NB101', ['NB10']), true);
  assert.equal(ruleSelected('NB101', ['LK']), false);
  assert.equal(ruleSelected('NB101', [], ['NB']), false);
  assert.equal(ruleSelected('NB101', ['NB101'], ['NB']), true);
  assert.equal(ruleSelected('NB101', ['NB'], ['NB101']), false);
  assert.equal(ruleSelected('NB101', ['NB101'], ['NB101']), false);
  assert.equal(ruleSelected('NB101', ['nb1']), true);
  assert.equal(ruleSelected('NB101', ['ALL'], ['NB102']), true);
});

test('unknown codes are reported so typos are not silently ignored', () => {
  assert.deepEqual(unknownCodes(['NB101', 'NB', 'ALL', 'XX9', 'NB999']), ['XX9', 'NB999']);
});
