/**
 * Runs the mocha integration suite (test/host/suite) inside code-server's real extension host,
 * with the extension loaded from a development folder, as @vscode/test-electron would do it
 * with the desktop build.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SuiteResults } from './suite/index';
import { launchBrowser, RESULTS_DIR, removeDir, stageExtension, stageWorkspace, startCodeServer, tempDir } from './harness';

/** What one run of the suite produced. */
export interface IntegrationRun {
  /** The exit code the workbench reported (0 when `run()` resolved). */
  exitCode: number;
  results: SuiteResults;
  /** Wall time from starting code-server to the suite's exit. */
  hostMs: number;
}

/** Starts code-server, opens the workbench with the suite as extensionTestsPath, and waits for it. */
export async function runIntegrationSuite(timeoutMs = 180_000): Promise<IntegrationRun> {
  const started = Date.now();
  const home = tempDir('integration');
  const extensionDir = stageExtension(join(home, 'extension'));
  const workspace = stageWorkspace(join(home, 'workspace'));
  const resultsFile = join(home, 'nb2prod-test-results.json');
  const testsIndex = join(__dirname, 'suite', 'index.js');
  const server = await startCodeServer({ home, env: { NB2PROD_TEST_RESULTS: resultsFile } });
  const browser = await launchBrowser();
  const console: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('console', (message) => console.push(`[${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => console.push(`[pageerror] ${error.message}`));
    const exited = new Promise<number>((resolve) => void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code)));
    // code-server takes the development flags only through the workbench URL's payload.
    const remote = (path: string): string => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(extensionDir)],
      ['extensionTestsPath', remote(testsIndex)],
    ]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`, {
      waitUntil: 'domcontentloaded',
      timeout: 60_000,
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const exitCode = await Promise.race([
      exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the suite did not finish within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    if (!existsSync(resultsFile)) throw new Error(`the suite exited with ${exitCode} but wrote no results file`);
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResults;
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, 'integration-results.json'), JSON.stringify(results, null, 2));
    return { exitCode, results, hostMs: Date.now() - started };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- workbench console (last 60 lines) ---\n${console.slice(-60).join('\n')}`);
  } finally {
    // Keep the page console for anyone debugging a failure after the run.
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, 'integration-console.log'), `${console.join('\n')}\n--- code-server ---\n${server.output()}`);
    await browser.close();
    await server.stop();
    removeDir(home);
  }
}
