/**
 * Entry point of the integration suite inside the VS Code extension host, in the shape
 * @vscode/test-electron expects (`run()` resolves when every test passed). It also writes a
 * JSON results file, because under code-server mocha's output only reaches the page console.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';

/** The results file the host harness reads after the run. */
export interface SuiteResults {
  /** Number of tests that ran (passed + failed). */
  total: number;
  passes: string[];
  failures: { title: string; message: string }[];
  durationMs: number;
  /** Measurements the suite took along the way (activation time, first analysis...). */
  measurements: Record<string, number>;
}

/** Filled by the suites (see helpers.ts) and written out with the results. */
export const measurements: Record<string, number> = {};

/**
 * Where results go: `NB2PROD_TEST_RESULTS` when the launcher sets it, else a fixed file next to
 * the workspace folder (outside it, so the tests' own file searches never see it).
 */
export function resultsPath(): string {
  const fromEnv = process.env['NB2PROD_TEST_RESULTS'];
  if (fromEnv) return fromEnv;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) throw new Error('the integration suite needs a workspace folder (the host fixtures)');
  return join(dirname(folder), 'nb2prod-test-results.json');
}

/** Runs every `*.suite.js` next to this file with mocha; rejects when any test failed. */
export async function run(): Promise<void> {
  // mocha is a root devDependency, resolved at run time from the build's out/ folder.
  const Mocha = require('mocha') as typeof import('mocha');
  // NB2PROD_TEST_GREP runs a subset while debugging (it reaches the extension host through
  // code-server's environment).
  const grep = process.env['NB2PROD_TEST_GREP'];
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, ...(grep ? { grep } : {}) });
  for (const file of readdirSync(__dirname)
    .filter((f) => f.endsWith('.suite.js'))
    .sort())
    mocha.addFile(join(__dirname, file));

  const results: SuiteResults = { total: 0, passes: [], failures: [], durationMs: 0, measurements };
  const started = Date.now();
  const failed = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (test) => results.passes.push(test.fullTitle()));
    runner.on('fail', (test, error: Error) => results.failures.push({ title: test.fullTitle(), message: error.stack ?? error.message }));
  });
  results.durationMs = Date.now() - started;
  results.total = results.passes.length + results.failures.length;
  writeFileSync(resultsPath(), JSON.stringify(results, null, 2));
  if (failed > 0) throw new Error(`${failed} integration test(s) failed`);
}
