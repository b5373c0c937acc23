/**
 * The UI test: the packaged VSIX installed into a fresh code-server, driven like a user would
 * (Quick Open, command palette, Problems panel), with the Problems panel read from the DOM.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  codeServerCli,
  launchBrowser,
  REPO_ROOT,
  RESULTS_DIR,
  removeDir,
  sleep,
  stageExtension,
  stageWorkspace,
  startCodeServer,
  tempDir,
  type Frame,
  type Page,
} from './harness';

/** What the UI run saw. */
export interface UiRun {
  vsixBytes: number;
  /** The files inside the VSIX, as vsce lists them. */
  vsixFiles: string[];
  /** The Problems panel's text. */
  problems: string;
  screenshot: string;
  /**
   * The cell dependency graph webview beside a notebook with stale cells (status bar and lenses in
   * view), or why it could not be taken. It is an artifact for people, not an assertion: the graph
   * itself is asserted in the integration suite (views.suite.ts).
   */
  graphScreenshot: string;
  /** Run Test Prediction on 3,000 rows pasted into the panel: its status line and the rows of its table. */
  prediction: { status: string; tableRows: number };
  packageMs: number;
  uiMs: number;
}

/**
 * Packages the extension with exactly the vsce command of `npm run package` (read from
 * package.json), minus its build step: the build this test belongs to is staged instead.
 */
export function packageVsix(outDir: string): { vsix: string; files: string[] } {
  const stage = stageExtension(join(outDir, 'package'));
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const step = (manifest.scripts['package'] ?? '')
    .split('&&')
    .map((s) => s.trim())
    .find((s) => s.startsWith('vsce package'));
  if (!step) throw new Error('package.json scripts.package has no `vsce package` step');
  const args = step.split(/\s+/).slice(1);
  const out = args[args.indexOf('--out') + 1];
  if (!args.includes('--out') || !out) throw new Error('scripts.package must name its output with --out');
  const vsce = join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const run = (vsceArgs: string[]): string =>
    execFileSync(process.execPath, [vsce, ...vsceArgs], { cwd: stage, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  run(args);
  const files = run(['ls', '--no-dependencies'])
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return { vsix: join(stage, out), files };
}

/** Installs the VSIX, opens the hidden-state fixture, runs Analyze Notebook and reads Problems. */
export async function runUiTest(): Promise<UiRun> {
  const started = Date.now();
  const home = tempDir('ui');
  try {
    const { vsix, files } = packageVsix(home);
    const packageMs = Date.now() - started;
    await codeServerCli(home, ['--install-extension', vsix]);
    const workspace = stageWorkspace(join(home, 'workspace'));
    // A model for the prediction panel (artifacts/manifest.json and the artifacts it lists).
    cpSync(join(REPO_ROOT, 'test', 'fixtures', 'models', 'linear-classifier'), join(workspace, 'model'), { recursive: true });
    const server = await startCodeServer({ home });
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await quickOpen(page, 'hidden-state.ipynb');
      // Wait until the cells' editors have rendered their text (`total` is read in the last cell).
      await page.locator('.notebook-editor .monaco-editor .view-lines').filter({ hasText: /total/ }).first().waitFor({ timeout: 30_000 });
      await runCommand(page, 'nb2prod: Analyze Notebook');
      const problems = await readProblems(page, ['NB101', 'NB102']);
      mkdirSync(RESULTS_DIR, { recursive: true });
      const screenshot = join(RESULTS_DIR, 'ui-problems-panel.png');
      await page.screenshot({ path: screenshot });
      const prediction = await predictInPanel(page);
      // Under load code-server can take longer than any sane wait to render a second notebook;
      // that must not fail the Problems-panel assertions this test is about.
      const graphScreenshot = await showDependencyGraph(page).catch(
        (error: unknown) => `not taken: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
      return {
        vsixBytes: statSync(vsix).size,
        vsixFiles: files,
        problems,
        screenshot,
        graphScreenshot,
        prediction,
        packageMs,
        uiMs: Date.now() - started - packageMs,
      };
    } finally {
      await browser.close();
      await server.stop();
    }
  } finally {
    removeDir(home);
  }
}

/**
 * Opens the notebook with stale cells, shows its dependency graph beside it and takes a
 * screenshot once the webview has loaded: the graph, the notebook's CodeLenses and the
 * reproducibility verdict in the status bar are all in view.
 */
async function showDependencyGraph(page: Page): Promise<string> {
  await page.keyboard.press('Escape');
  await quickOpen(page, 'history-stale.ipynb');
  // Editors render spaces as non-breaking spaces, hence `\s` rather than ' '.
  await page
    .locator('.notebook-editor .monaco-editor .view-lines')
    .filter({ hasText: /total\s=\sy/ })
    .first()
    .waitFor({ timeout: 30_000 });
  await page
    .locator('.statusbar-item')
    .filter({ hasText: /Not reproducible/ })
    .first()
    .waitFor({ timeout: 30_000 });
  await runCommand(page, 'nb2prod: Show Cell Dependency Graph');
  await findFrame(page, 'svg.graph', 60_000);
  await sleep(500);
  const screenshot = join(RESULTS_DIR, 'ui-dependency-graph.png');
  await page.screenshot({ path: screenshot });
  return screenshot;
}

/**
 * Runs Run Test Prediction from the palette (the workspace has one manifest) and predicts 3,000
 * rows pasted into the panel's JSON editor, two of them invalid and after the first thousand: what
 * the page says and how many rows its table lays out.
 */
async function predictInPanel(page: Page): Promise<{ status: string; tableRows: number }> {
  await page.keyboard.press('Escape');
  await runCommand(page, 'nb2prod: Run Test Prediction');
  const panel = await findFrame(page, '#predict-json', 60_000);
  // The page is ready once the extension's init message has described the model.
  await panel
    .locator('#status')
    .filter({ hasText: /model, \d+ inputs/ })
    .waitFor({ timeout: 60_000 });
  const cities = ['berlin', 'paris', 'rome'];
  const rows = Array.from({ length: 3000 }, (_, i) => ({ age: i === 1500 || i === 2500 ? 'x' : 20 + (i % 50), income: 30000 + i, city: cities[i % 3] }));
  await panel.locator('#json').fill(JSON.stringify(rows));
  await panel.locator('#predict-json').click();
  const status = panel.locator('#status').filter({ hasText: /rows predicted/ });
  await status.waitFor({ timeout: 60_000 });
  await page.screenshot({ path: join(RESULTS_DIR, 'ui-prediction-panel.png') });
  return { status: await status.innerText(), tableRows: await panel.locator('#results tbody tr').count() };
}

/**
 * The frame that holds `selector`. A webview's content lives two iframes down (webview host, then
 * content) and takes a few seconds to appear under code-server, whose webview service worker
 * starts slowly.
 */
async function findFrame(page: Page, selector: string, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames())
      if (
        (await frame
          .locator(selector)
          .count()
          .catch(() => 0)) > 0
      )
        return frame;
    if (Date.now() > deadline) throw new Error(`no webview showed ${selector} within ${timeoutMs} ms`);
    await sleep(500);
  }
}

/** Opens a workspace file through Quick Open (the command palette without its `>`). */
async function quickOpen(page: Page, file: string): Promise<void> {
  await retry(async () => {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 5_000 });
    await page.keyboard.press('Backspace');
    await page.keyboard.type(file, { delay: 10 });
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: file }).first();
    await row.waitFor({ timeout: 5_000 });
    await page.keyboard.press('Enter');
  }, page);
}

/**
 * Runs a command from the palette. The remote extension host registers contributed commands a
 * few seconds after the workbench loads, so the palette is reopened until the command is listed.
 */
async function runCommand(page: Page, title: string): Promise<void> {
  await retry(async () => {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 5_000 });
    await page.keyboard.type(title, { delay: 10 });
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
    await row.waitFor({ timeout: 3_000 });
    await page.keyboard.press('Enter');
  }, page);
}

/** Waits until the Problems panel lists every code in `codes`, and returns the panel's text. */
async function readProblems(page: Page, codes: string[]): Promise<string> {
  const panel = page.locator('.markers-panel');
  let text = '';
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    // Analyze Notebook focuses the panel itself; open it by keyboard only if that did not happen.
    if (!(await panel.first().isVisible())) await page.keyboard.press('Control+Shift+M');
    text = (await panel.first().isVisible()) ? await panel.first().innerText({ timeout: 2_000 }) : '';
    if (codes.every((code) => text.includes(code))) return text;
    await sleep(500);
  }
  throw new Error(`the Problems panel never listed ${codes.join(', ')}; it showed:\n${text}`);
}

async function retry(step: () => Promise<void>, page: Page, attempts = 10): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await page.keyboard.press('Escape');
      await sleep(1_000);
    }
  }
}
