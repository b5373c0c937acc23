// `nb2prod COMMAND --help` prints the usage and exits 0 for every command, and a `--help` after
// `--` is an argument, not the option.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main';

const COMMANDS = ['check', 'scaffold', 'verify', 'predict', 'drift', 'outcomes', 'promote', 'rollback', 'codegen'];

test('every command takes --help and -h, with or without other arguments', async () => {
  for (const command of COMMANDS) {
    for (const args of [
      [command, '--help'],
      [command, '--manifest', 'm.json', '-h'],
    ]) {
      const result = await main(args);
      assert.equal(result.exitCode, 0, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stdout, /^Usage: nb2prod <command> \[options\]/, args.join(' '));
      assert.ok(result.stdout.includes(`  ${command} `), `the usage lists ${command}`);
    }
  }
});

test('after --, --help is a path like any other', async () => {
  const result = await main(['check', '--', '--help']);
  assert.equal(result.exitCode, 2);
  assert.match(result.stderr, /--help: no such file or directory/);
});
