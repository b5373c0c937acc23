/**
 * The parent side of the runner: forks the child (dist/runner.js in the bundles, child.js next
 * to this file in the test build), matches answers to requests, times requests out, and starts
 * a fresh child after a crash or a timeout. The IPC channel is unref'd while idle so a CLI run
 * can exit without waiting for the child.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  packTensors,
  unpackTensors,
  type InspectResult,
  type RunnerRequest,
  type RunnerResponse,
  type RunResult,
  type ScanResult,
  type WireTensor,
} from './protocol';

/** Options of a runner client. */
export interface RunnerOptions {
  /** The child's entry script; found next to this module by default. */
  entry?: string;
  /** Milliseconds before a request fails and its child is killed (default 30 s). */
  timeoutMs?: number;
}

/** A request the child did not answer: it crashed, timed out, or reported an error. */
export class RunnerError extends Error {}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout; child: ChildProcess };
type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;

/** Finds the child's entry: the bundled runner.js next to a bundle, or child.js next to this file. */
export function defaultRunnerEntry(): string {
  const candidates = [process.env['NB2PROD_RUNNER_ENTRY'], join(__dirname, 'runner.js'), join(__dirname, 'child.js')].filter((c): c is string => !!c);
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new RunnerError(`the runner entry is missing (looked for ${candidates.join(', ')}); rebuild nb2prod`);
  return found;
}

/** A connection to one runner child at a time. */
export class RunnerClient {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stderrTail = '';
  private started = 0;
  private readonly timeoutMs: number;

  constructor(private readonly options: RunnerOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** How many times a child was started after the first one (crashes and timeouts). */
  get restarts(): number {
    return Math.max(0, this.started - 1);
  }

  /** The current child's pid, if one is running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Hashes, parses and loads a model in the child. */
  inspect(path: string): Promise<InspectResult> {
    return this.request({ op: 'inspect', path }) as Promise<InspectResult>;
  }

  /** Runs the model whose bytes have `sha256` (loaded from `path` if not cached). */
  async run(path: string, sha256: string, feeds: Record<string, WireTensor>): Promise<Record<string, WireTensor>> {
    return (await this.runTimed(path, sha256, feeds)).outputs;
  }

  /** `run`, with the milliseconds `session.run` took in the child. */
  async runTimed(path: string, sha256: string, feeds: Record<string, WireTensor>): Promise<{ outputs: Record<string, WireTensor>; runMs: number }> {
    // Typed arrays cross as bytes (advanced serialization); repeated strings cross packed.
    const result = (await this.request({ op: 'run', path, sha256, feeds: packTensors(feeds) })) as RunResult;
    return { outputs: unpackTensors(result.outputs), runMs: result.runMs };
  }

  /** Reads, hashes and statically scans a pickle/joblib file in the child (never unpickled). */
  scanPickle(path: string, label: string): Promise<ScanResult> {
    return this.request({ op: 'scan', path, label }) as Promise<ScanResult>;
  }

  /** A round trip that loads nothing (tests and health checks); `timeoutMs` overrides the client's. */
  ping(delayMs = 0, timeoutMs = this.timeoutMs): Promise<{ pid: number; sessions: number }> {
    return this.request({ op: 'ping', delayMs }, timeoutMs) as Promise<{ pid: number; sessions: number }>;
  }

  /** Stops the child; later requests start a new one. */
  dispose(): void {
    const child = this.child;
    this.child = undefined;
    this.failAll('the runner was stopped');
    if (child && child.exitCode === null) child.kill();
  }

  private request(message: Distribute<RunnerRequest>, timeoutMs = this.timeoutMs): Promise<unknown> {
    const child = this.ensureChild();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RunnerError(`the runner did not answer within ${timeoutMs} ms; it was stopped and will restart on the next request`));
        // A stuck native call cannot be interrupted: kill this child (ours, by its handle).
        if (this.child === child) this.child = undefined;
        child.kill('SIGKILL');
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, child });
      child.channel?.ref();
      child.send({ ...message, id } as RunnerRequest, (error) => {
        if (error) this.settle(id, new RunnerError(`cannot reach the runner: ${error.message}`));
      });
    });
  }

  private ensureChild(): ChildProcess {
    if (this.child && this.child.exitCode === null && this.child.connected) return this.child;
    const entry = this.options.entry ?? defaultRunnerEntry();
    const child = fork(entry, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv: [],
      // Under Electron, process.execPath is the app: this makes it behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    this.started++;
    this.stderrTail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-2000);
    });
    child.on('message', (response: RunnerResponse) => {
      if (response.ok) this.settle(response.id, undefined, response.result);
      else this.settle(response.id, new RunnerError(response.error));
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const tail = this.stderrTail.trim().split('\n').slice(-3).join(' | ');
      this.failAll(`the runner process exited (${signal ?? `code ${code}`})${tail ? `: ${tail}` : ''}; it restarts on the next request`, child);
    });
    child.unref();
    child.channel?.unref();
    this.child = child;
    return child;
  }

  private settle(id: number, error?: Error, value?: unknown): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(id);
    if (this.pending.size === 0) this.child?.channel?.unref();
    if (error) entry.reject(error);
    else entry.resolve(value);
  }

  /** Fails the requests sent to `child` (all requests when omitted). */
  private failAll(message: string, child?: ChildProcess): void {
    for (const [id, entry] of [...this.pending]) if (!child || entry.child === child) this.settle(id, new RunnerError(message));
  }
}
