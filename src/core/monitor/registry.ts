/**
 * A file-based model registry, git-friendly:
 *
 *   REGISTRY/versions/<version>/manifest.json   + the artifacts it lists (by file name)
 *   REGISTRY/history.jsonl                       append-only: every decision, promotion, rollback
 *   REGISTRY/aliases.json                        the current aliases, derived from the history
 *   REGISTRY/.lock                               held while anything is written
 *
 * The history is the source of truth: `aliases.json` is rewritten from it after each event, so
 * scripts can read the champion without replaying. Every write is atomic (temp file + rename,
 * a version folder is staged and renamed into place) and happens under the lock, so concurrent
 * promotions are serialised and a crash leaves the previous state.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { Manifest } from '../artifacts/manifest';
import { writeFileAtomic } from './atomic';
import { evaluateGate, type GateResult } from './gate';
import { withLock, type LockOptions } from './lock';
import { readManifestFile } from '../artifacts/manifest-file';

/** The alias promotion moves. */
export const CHAMPION = 'champion';

/** One line of history.jsonl. */
export interface RegistryEvent {
  seq: number;
  time: string;
  /** promote / reject: a gate decision; override: promoted by a person despite the gate. */
  action: 'promote' | 'reject' | 'override' | 'rollback';
  alias: string;
  version: string;
  /** The alias's version before this event (unchanged for `reject`). */
  previous: string | null;
  reasons: string[];
  actor: string;
  gate?: GateResult;
}

/** A version in the registry. */
export interface VersionInfo {
  version: string;
  manifest: Manifest | null;
  error: string | null;
}

/** Something about the registry or the candidate makes the request impossible (exit 2). */
export class RegistryError extends Error {}

const gateResultSchema = z.object({ decision: z.enum(['promote', 'reject']), reasons: z.array(z.string()) }).passthrough();

/** One history line as written by `append`; unknown extra fields are kept (a newer writer). */
const registryEventSchema = z
  .object({
    seq: z.number().int().positive(),
    time: z.string(),
    action: z.enum(['promote', 'reject', 'override', 'rollback']),
    alias: z.string().min(1),
    version: z.string().min(1),
    previous: z.string().nullable(),
    reasons: z.array(z.string()),
    actor: z.string(),
    gate: gateResultSchema.optional(),
  })
  .passthrough();

/**
 * Reads and validates the history. Only a missing file means an empty registry: an unreadable
 * file, a line that is not JSON, an event of the wrong shape or out of sequence throws a
 * RegistryError naming the line, because the champion is derived from this file and a gate that
 * read a damaged history as empty would promote the next candidate unchecked.
 */
export function readHistory(registry: string): RegistryEvent[] {
  const path = join(registry, 'history.jsonl');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new RegistryError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); refusing to decide without the history`);
  }
  const events: RegistryEvent[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${path} line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new RegistryError(`${where}: not JSON; repair or remove the line, then run again`);
    }
    const parsed = registryEventSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RegistryError(`${where}: not a registry event (${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'})`);
    }
    const event = parsed.data as RegistryEvent;
    const previous = events[events.length - 1];
    if (previous && event.seq <= previous.seq)
      throw new RegistryError(`${where}: seq ${event.seq} does not follow ${previous.seq}; the history was edited or merged out of order`);
    events.push(event);
  });
  return events;
}

/**
 * The champion stack after replaying the history: promotions push, rollbacks go back to an
 * earlier entry (or push a version that was never champion), so "rollback" undoes step by step.
 */
export function championStack(history: readonly RegistryEvent[], alias = CHAMPION): string[] {
  const stack: string[] = [];
  for (const event of history) {
    if (event.alias !== alias) continue;
    if (event.action === 'promote' || event.action === 'override') stack.push(event.version);
    else if (event.action === 'rollback') {
      const at = stack.lastIndexOf(event.version);
      if (at >= 0) stack.length = at + 1;
      else stack.push(event.version);
    }
  }
  return stack;
}

/** The current champion version, or null. */
export function currentChampion(history: readonly RegistryEvent[]): string | null {
  const stack = championStack(history);
  return stack.length > 0 ? stack[stack.length - 1]! : null;
}

/** Every version folder with its manifest (or why it cannot be read). */
export function listVersions(registry: string): VersionInfo[] {
  const dir = join(registry, 'versions');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => {
      const read = readManifestFile(join(dir, d.name, 'manifest.json'));
      return read.ok ? { version: d.name, manifest: read.manifest, error: null } : { version: d.name, manifest: null, error: read.error };
    })
    .sort((a, b) => (a.manifest?.run.created_utc ?? '').localeCompare(b.manifest?.run.created_utc ?? '') || a.version.localeCompare(b.version));
}

/** Options of promote and rollback. */
export interface RegistryOptions extends LockOptions {
  /** Who acts (default: user@host). */
  actor?: string;
  /** Promote even if the gate fails; the text is recorded as the reason (a manual approval). */
  override?: string;
  /** A reason for a rollback. */
  reason?: string;
  /** Clock, for tests. */
  now?: () => Date;
}

/** What a promotion did. */
export interface PromoteResult {
  event: RegistryEvent;
  /** True when the candidate was already the champion (nothing recorded). */
  unchanged: boolean;
}

/** Registers the candidate folder (manifest.json + artifacts) and applies the gate. */
export async function promote(registry: string, candidateDir: string, options: RegistryOptions = {}): Promise<PromoteResult> {
  const read = readManifestFile(join(candidateDir, 'manifest.json'));
  if (!read.ok) throw new RegistryError(read.error);
  const candidate = read.manifest;
  const version = candidate.model.version;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(version)) throw new RegistryError(`model.version \`${version}\` cannot name a folder`);
  const files = artifactFiles(candidateDir, candidate);
  mkdirSync(join(registry, 'versions'), { recursive: true });
  return withLock(
    join(registry, '.lock'),
    () => {
      const history = readHistory(registry);
      const current = currentChampion(history);
      if (current === version) return { event: [...history].reverse().find((e) => e.version === version && e.action !== 'reject')!, unchanged: true };
      storeVersion(registry, version, candidateDir, files);
      const championManifest = current === null ? null : readStored(registry, current);
      const gate = evaluateGate(candidate, championManifest);
      const action = gate.decision === 'promote' ? 'promote' : options.override !== undefined ? 'override' : 'reject';
      const reasons =
        action === 'override'
          ? [...gate.reasons, `gate failed; promoted by ${actor(options)}: ${options.override}`]
          : action === 'reject'
            ? [...gate.reasons, 'flagged for manual review']
            : gate.reasons;
      const event = append(registry, history, { action, alias: CHAMPION, version, previous: current, reasons, actor: actor(options), gate }, options);
      return { event, unchanged: false };
    },
    options,
  );
}

/** Re-points the champion to `to` (default: the previous champion) with an audit line. */
export async function rollback(registry: string, to: string | undefined, options: RegistryOptions = {}): Promise<RegistryEvent> {
  if (!existsSync(join(registry, 'versions'))) throw new RegistryError(`${registry}: not a registry (no versions/ folder)`);
  return withLock(
    join(registry, '.lock'),
    () => {
      const history = readHistory(registry);
      const stack = championStack(history);
      const current = stack.length > 0 ? stack[stack.length - 1]! : null;
      const target = to ?? (stack.length >= 2 ? stack[stack.length - 2]! : null);
      if (target === null)
        throw new RegistryError(current === null ? 'no champion to roll back' : `champion ${current} has no predecessor; name a version with --to`);
      if (target === current) throw new RegistryError(`${target} is already the champion`);
      readStored(registry, target);
      const reasons = [options.reason ?? `rolled back from ${current ?? 'none'} to ${target}`];
      return append(registry, history, { action: 'rollback', alias: CHAMPION, version: target, previous: current, reasons, actor: actor(options) }, options);
    },
    options,
  );
}

/** The manifest of a stored version; RegistryError when it is missing or invalid. */
export function readStored(registry: string, version: string): Manifest {
  const read = readManifestFile(join(registry, 'versions', version, 'manifest.json'));
  if (!read.ok) throw new RegistryError(`version ${version}: ${read.error}`);
  return read.manifest;
}

/** The candidate's artifact files, each checked against its manifest sha256. */
function artifactFiles(candidateDir: string, manifest: Manifest): string[] {
  const files: string[] = [];
  for (const entry of manifest.artifacts) {
    // Manifest paths are relative to the project root (artifacts/model.joblib); the candidate
    // folder is the folder holding manifest.json, so files are looked up by name there.
    const name = basename(entry.path);
    const path = join(candidateDir, name);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      throw new RegistryError(`artifact ${entry.path}: ${path} does not exist`);
    }
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (sha !== entry.sha256) throw new RegistryError(`artifact ${entry.path}: sha256 ${sha} differs from the manifest (${entry.sha256})`);
    files.push(name);
  }
  return files;
}

/** Copies the version into versions/<version> through a staging folder renamed into place. */
function storeVersion(registry: string, version: string, candidateDir: string, files: string[]): void {
  const target = join(registry, 'versions', version);
  const manifestText = readFileSync(join(candidateDir, 'manifest.json'), 'utf8');
  if (existsSync(target)) {
    if (readFileSync(join(target, 'manifest.json'), 'utf8') !== manifestText)
      throw new RegistryError(`version ${version} is already registered with a different manifest`);
    return;
  }
  const staging = mkdtempSync(join(registry, 'versions', `.staging-${version}-`));
  try {
    for (const name of files) copyFileSync(join(candidateDir, name), join(staging, name));
    copyFileSync(join(candidateDir, 'manifest.json'), join(staging, 'manifest.json'));
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

function append(registry: string, history: RegistryEvent[], fields: Omit<RegistryEvent, 'seq' | 'time'>, options: RegistryOptions): RegistryEvent {
  const event: RegistryEvent = { seq: (history[history.length - 1]?.seq ?? 0) + 1, time: (options.now?.() ?? new Date()).toISOString(), ...fields };
  const all = [...history, event];
  // The whole file is rewritten atomically: a crash can lose the newest line, never tear one.
  writeFileAtomic(join(registry, 'history.jsonl'), `${all.map((e) => JSON.stringify(e)).join('\n')}\n`);
  const champion = currentChampion(all);
  writeFileAtomic(
    join(registry, 'aliases.json'),
    `${JSON.stringify({ [CHAMPION]: champion === null ? null : { version: champion, path: `versions/${champion}` }, updated: event.time, seq: event.seq }, null, 2)}\n`,
  );
  return event;
}

function actor(options: RegistryOptions): string {
  if (options.actor !== undefined) return options.actor;
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return `pid ${process.pid}@${hostname()}`;
  }
}
