// The engine runs under plain node: only src/extension may import `vscode`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './helpers/paths';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? tsFiles(full) : name.endsWith('.ts') ? [full] : [];
  });
}

const IMPORTS_VSCODE = /(?:from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/;

test('no file outside src/extension imports vscode', () => {
  const src = join(repoRoot, 'src');
  const offenders = tsFiles(src)
    .map((file) => relative(repoRoot, file))
    .filter((file) => !file.startsWith(join('src', 'extension')))
    .filter((file) => IMPORTS_VSCODE.test(readFileSync(join(repoRoot, file), 'utf8')));
  assert.deepEqual(offenders, []);
});

test('the check itself recognises every import form', () => {
  for (const line of ["import * as vscode from 'vscode';", 'import type { Uri } from "vscode";', "const v = require('vscode');", "await import('vscode')"]) {
    assert.match(line, IMPORTS_VSCODE);
  }
  assert.doesNotMatch("import { x } from './vscode-like';", IMPORTS_VSCODE);
});
