/**
 * A real VS Code host for tests on machines without the Electron build: code-server 4.100.3
 * (the VS Code 1.100 workbench and Node extension host), driven by Debian's chromium through
 * playwright-core. Both live in test/host/node_modules, installed by test/host/install.sh.
 *
 * Facts this relies on are in shared HOST-TESTING.md: code-server must run in its own process
 * group (a lone PID leaves its file watcher behind), and it rejects extension-development
 * flags on its command line but accepts them in the workbench URL's `payload` parameter.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The repository root: the nearest folder up from here whose package.json is nb2prod's. */
export const REPO_ROOT = findRepoRoot(__dirname);
/** The folder whose dist/ and out/ this file was built into (the repo root or `--into DIR`). */
export const BUILD_ROOT = join(__dirname, '..', '..', '..');
/** test/host in the source tree: package.json, install.sh and node_modules with code-server. */
export const HOST_DIR = join(REPO_ROOT, 'test', 'host');
/** Hand-made notebooks the host tests open. */
export const FIXTURES_DIR = join(REPO_ROOT, 'test', 'fixtures', 'host');
/** Where screenshots and logs of host runs go (gitignored). */
export const RESULTS_DIR = join(REPO_ROOT, 'test-results');
export const CHROMIUM = '/usr/bin/chromium';
const CODE_SERVER_ENTRY = join(HOST_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const PLAYWRIGHT = join(HOST_DIR, 'node_modules', 'playwright-core');

function findRepoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'nb2prod') return dir;
  }
  throw new Error(`no nb2prod package.json above ${from}`);
}

/** What is missing to run host tests here (empty when everything is in place). */
export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (!existsSync(CODE_SERVER_ENTRY)) missing.push(`code-server (${join('test', 'host', 'node_modules')} is not installed)`);
  if (!existsSync(PLAYWRIGHT)) missing.push('playwright-core (in test/host/node_modules)');
  if (!existsSync(CHROMIUM)) missing.push(`${CHROMIUM} (Debian package chromium)`);
  return missing;
}

/** A fresh temporary folder for one host run; short, because code-server puts sockets in it. */
export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `nb2prod-${label}-`));
}

/**
 * Copies what the VSIX ships (package.json, dist/ of this build, docs/, media/, README, LICENSE,
 * .vscodeignore) into `dest`, so that the extension under test is the build these tests belong
 * to, even when that build went to `--into DIR` rather than the root's dist/.
 */
export function stageExtension(dest: string): string {
  mkdirSync(dest, { recursive: true });
  cpSync(join(BUILD_ROOT, 'dist'), join(dest, 'dist'), { recursive: true });
  for (const entry of ['package.json', 'README.md', 'LICENSE', '.vscodeignore', 'docs', 'media']) {
    const from = join(REPO_ROOT, entry);
    if (existsSync(from)) cpSync(from, join(dest, entry), { recursive: true });
  }
  return dest;
}

/** Copies the host fixtures into a fresh workspace folder, so that tests may edit and save. */
export function stageWorkspace(dest: string): string {
  cpSync(FIXTURES_DIR, dest, { recursive: true });
  return dest;
}

/** A running code-server. */
export interface CodeServer {
  port: number;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Everything code-server wrote to stdout and stderr so far. */
  output(): string;
  /** Kills the whole process group and waits for the leader to exit. */
  stop(): Promise<void>;
}

/** Options for one code-server instance; every folder is created fresh by the caller. */
export interface CodeServerOptions {
  /** Scratch folder for user data, XDG dirs and extensions. */
  home: string;
  /** Extra environment for the server and its extension host. */
  env?: Record<string, string>;
}

/** Runs code-server's CLI once (e.g. `--install-extension`) with the same folders `startCodeServer` uses. */
export async function codeServerCli(home: string, args: string[]): Promise<string> {
  const child = spawn(process.execPath, [CODE_SERVER_ENTRY, ...folderArgs(home), ...args], {
    env: serverEnv(home),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`code-server ${args.join(' ')} exited with ${code}:\n${output}`);
  return output;
}

/** Starts code-server on a free port and waits until /healthz answers. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { home } = options;
  const settingsDir = join(home, 'user-data', 'User');
  mkdirSync(settingsDir, { recursive: true });
  // A quiet workbench: no welcome page, no trust prompt, no update or telemetry traffic.
  writeFileSync(
    join(settingsDir, 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'workbench.enableExperiments': false,
        'workbench.tips.enabled': false,
        'git.enabled': false,
        'update.mode': 'none',
        // The suites check rules of every tier; the leakage suite checks the default tier itself.
        'nb2prod.select': ['PREVIEW'],
      },
      null,
      2,
    ),
  );
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      CODE_SERVER_ENTRY,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      ...folderArgs(home),
    ],
    // detached: setsid, so that the server, its extension host and file watcher share one group.
    { detached: true, env: { ...serverEnv(home), ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const server: CodeServer = { port, url: `http://127.0.0.1:${port}`, output: () => output, stop: () => stopGroup(child) };
  try {
    await waitForHealth(server.url, child, 60_000);
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\ncode-server output:\n${output}`);
  }
  return server;
}

function folderArgs(home: string): string[] {
  return ['--user-data-dir', join(home, 'user-data'), '--extensions-dir', join(home, 'extensions')];
}

function serverEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: join(home, 'xdg-config'), XDG_DATA_HOME: join(home, 'xdg-data') };
  // node:test marks its children; an extension host that inherits this would report to it.
  delete env['NODE_TEST_CONTEXT'];
  delete env['NODE_OPTIONS'];
  return env;
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // The group is already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  // Children that ignored SIGTERM (the file watcher) go with the group.
  signal('SIGKILL');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before it was healthy`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms`);
}

/** The parts of playwright-core's API the host tests use (its types live outside the root's reach). */
export interface Browser {
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}

/** A playwright page, reduced to what the host tests use. */
export interface Page {
  goto(url: string, options?: { timeout?: number; waitUntil?: 'load' | 'domcontentloaded' }): Promise<unknown>;
  exposeFunction(name: string, callback: (...args: never[]) => unknown): Promise<void>;
  on(event: 'console', listener: (message: { type(): string; text(): string }) => void): void;
  on(event: 'pageerror', listener: (error: Error) => void): void;
  keyboard: { press(key: string): Promise<void>; type(text: string, options?: { delay?: number }): Promise<void> };
  locator(selector: string): Locator;
  /** The page's frames, webviews' iframes included. */
  frames(): Frame[];
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  waitForTimeout(ms: number): Promise<void>;
}

/** A playwright frame, reduced to what the host tests use. */
export interface Frame {
  locator(selector: string): Locator;
}

/** A playwright locator, reduced to what the host tests use. */
export interface Locator {
  first(): Locator;
  filter(options: { hasText: string | RegExp }): Locator;
  count(): Promise<number>;
  innerText(options?: { timeout?: number }): Promise<string>;
  isVisible(): Promise<boolean>;
  waitFor(options?: { state?: 'visible' | 'attached'; timeout?: number }): Promise<void>;
  click(options?: { timeout?: number }): Promise<void>;
  fill(value: string, options?: { timeout?: number }): Promise<void>;
}

/** Launches Debian's chromium headless with a fresh profile, as HOST-TESTING.md prescribes. */
export async function launchBrowser(): Promise<Browser> {
  const require = createRequire(join(HOST_DIR, 'package.json'));
  const { chromium } = require('playwright-core') as {
    chromium: { launch(options: Record<string, unknown>): Promise<Browser> };
  };
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Removes a scratch folder, ignoring a file watcher that is still letting go of it. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
