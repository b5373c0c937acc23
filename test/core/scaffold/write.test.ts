// The writer: everything or nothing, never an overwrite without force.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaffoldConflictError, writePlan, type FileChange } from '../../../src/core/scaffold';

function sandbox(): string {
  return mkdtempSync(join(tmpdir(), 'nb2prod-write-'));
}

const changes: FileChange[] = [
  { path: 'src/a.py', kind: 'create', content: 'a = 1\n' },
  { path: 'README.md', kind: 'create', content: '# r\n' },
];

test('writes every planned file and leaves no staging folder', () => {
  const root = sandbox();
  try {
    const target = join(root, 'project');
    assert.deepEqual(writePlan(target, changes), ['src/a.py', 'README.md']);
    assert.equal(readFileSync(join(target, 'src', 'a.py'), 'utf8'), 'a = 1\n');
    assert.deepEqual(readdirSync(root), ['project']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('refuses to overwrite differing files without force, and changes nothing', () => {
  const root = sandbox();
  try {
    writeFileSync(join(root, 'README.md'), 'mine\n');
    const plan: FileChange[] = [
      { path: 'new.py', kind: 'create', content: 'x = 1\n' },
      { path: 'README.md', kind: 'overwrite', content: '# r\n', previous: 'mine\n' },
    ];
    assert.throws(
      () => writePlan(root, plan),
      (e: unknown) => e instanceof ScaffoldConflictError && e.paths.join() === 'README.md',
    );
    assert.equal(readFileSync(join(root, 'README.md'), 'utf8'), 'mine\n');
    assert.equal(existsSync(join(root, 'new.py')), false);
    writePlan(root, plan, { force: true });
    assert.equal(readFileSync(join(root, 'README.md'), 'utf8'), '# r\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a failure while staging leaves the target untouched', () => {
  const root = sandbox();
  try {
    const target = join(root, 'project');
    mkdirSync(target);
    // `src` is a file in the plan and a folder for `src/a.py`: staging fails before any move.
    const broken: FileChange[] = [
      { path: 'src', kind: 'create', content: 'x' },
      { path: 'src/a.py', kind: 'create', content: 'a = 1\n' },
    ];
    assert.throws(() => writePlan(target, broken));
    assert.deepEqual(readdirSync(target), []);
    assert.deepEqual(readdirSync(root), ['project']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
