/**
 * An exclusive lock file for the registry: created with O_EXCL ('wx'), so of several processes
 * exactly one succeeds; the others retry until a timeout. A lock left by a crashed process is
 * stale and broken when its pid is gone (same host) or it is older than `staleMs`. Breaking is
 * itself serialised by a second O_EXCL file, and the lock is removed only if it is still the
 * stale one that was read, so two processes can never both break and both take the lock.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

/** The lock could not be taken in time. */
export class LockTimeoutError extends Error {}

/** Options of `withLock`. */
export interface LockOptions {
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** A lock older than this is stale whatever its pid (default 10 min: promotions take seconds). */
  staleMs?: number;
}

interface Holder {
  pid: number;
  host: string;
  created: number;
  token: string;
}

/** Runs `fn` while holding the lock file at `path`. */
export async function withLock<T>(path: string, fn: () => Promise<T> | T, options: LockOptions = {}): Promise<T> {
  const token = await acquire(path, options.timeoutMs ?? 30_000, options.staleMs ?? 600_000);
  try {
    return await fn();
  } finally {
    release(path, token);
  }
}

async function acquire(path: string, timeoutMs: number, staleMs: number): Promise<string> {
  const token = `${process.pid}-${randomBytes(8).toString('hex')}`;
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    if (tryCreate(path, JSON.stringify({ pid: process.pid, host: hostname(), created: Date.now(), token } satisfies Holder))) return token;
    const holder = readHolder(path);
    if (holder !== null && isStale(holder, staleMs)) breakStale(path, holder);
    if (Date.now() > deadline)
      throw new LockTimeoutError(`could not lock ${path} within ${timeoutMs} ms${holder ? ` (held by pid ${holder.pid} on ${holder.host})` : ''}`);
    // Jittered back-off so waiting processes do not retry in lock-step.
    await new Promise((resolve) => setTimeout(resolve, Math.min(200, 5 + attempt * 5) * (0.5 + Math.random())));
  }
}

function tryCreate(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The lock's holder; null when the file vanished or is still being written (treated as live). */
function readHolder(path: string): Holder | null {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    if (typeof value.pid !== 'number' || typeof value.token !== 'string' || typeof value.created !== 'number') return null;
    return { pid: value.pid, host: String(value.host), created: value.created, token: value.token };
  } catch {
    return null;
  }
}

/** True when the holder's process is gone (same host only) or the lock is older than staleMs. */
export function isStale(holder: Holder, staleMs: number): boolean {
  if (Date.now() - holder.created > staleMs) return true;
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function breakStale(path: string, seen: Holder): void {
  const breaker = `${path}.break`;
  if (!tryCreate(breaker, String(process.pid))) {
    // A breaker left by a process that died while breaking: seconds old means abandoned.
    try {
      if (Date.now() - statSync(breaker).mtimeMs > 10_000) rmSync(breaker, { force: true });
    } catch {
      // Gone already.
    }
    return;
  }
  try {
    const now = readHolder(path);
    if (now !== null && now.token === seen.token) rmSync(path, { force: true });
  } finally {
    rmSync(breaker, { force: true });
  }
}

function release(path: string, token: string): void {
  const holder = readHolder(path);
  if (holder !== null && holder.token === token) rmSync(path, { force: true });
}
