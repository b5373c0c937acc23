/**
 * `nb2prod promote --candidate DIR --registry DIR [--approve REASON] [--actor NAME] [--format text|json]`
 * and `nb2prod rollback --registry DIR [--to VERSION] [--reason TEXT] [--actor NAME]`.
 * promote: exit 0 promoted (or already champion), 1 the gate failed and the version is flagged
 * for manual review (registered, decision recorded), 2 unusable candidate or registry.
 * rollback: exit 0 re-pointed, 2 nothing to roll back to.
 */
import { parseArgs } from 'node:util';
import type { RegistryEvent } from '../core/monitor/registry';
import { usageError, type CliResult } from './result';

/** `promote`. */
export async function promoteCommand(args: string[]): Promise<CliResult> {
  const { values } = parseArgs({
    args,
    options: {
      candidate: { type: 'string' },
      registry: { type: 'string' },
      approve: { type: 'string' },
      actor: { type: 'string' },
      format: { type: 'string', default: 'text' },
    },
  });
  if (values.candidate === undefined || values.registry === undefined)
    return usageError('promote needs --candidate DIR (the folder with manifest.json) and --registry DIR');
  if (values.format !== 'text' && values.format !== 'json') return usageError(`unknown format \`${values.format}\` (expected text or json)`);
  const registry = require('../core/monitor/registry') as typeof import('../core/monitor/registry');
  try {
    const result = await registry.promote(values.registry, values.candidate, { actor: values.actor, override: values.approve });
    const exitCode = result.event.action === 'reject' ? 1 : 0;
    if (values.format === 'json') return { stdout: `${JSON.stringify({ ...result.event, unchanged: result.unchanged }, null, 2)}\n`, stderr: '', exitCode };
    if (result.unchanged) return { stdout: `${result.event.version} is already the champion: nothing recorded\n`, stderr: '', exitCode: 0 };
    return {
      stdout: eventText(result.event),
      stderr: exitCode === 1 ? `nb2prod: gate failed: ${result.event.version} flagged for manual review (promote with --approve REASON after review)\n` : '',
      exitCode,
    };
  } catch (error) {
    return known(error, registry);
  }
}

/** `rollback`. */
export async function rollbackCommand(args: string[]): Promise<CliResult> {
  const { values } = parseArgs({
    args,
    options: {
      registry: { type: 'string' },
      to: { type: 'string' },
      reason: { type: 'string' },
      actor: { type: 'string' },
      format: { type: 'string', default: 'text' },
    },
  });
  if (values.registry === undefined) return usageError('rollback needs --registry DIR');
  const registry = require('../core/monitor/registry') as typeof import('../core/monitor/registry');
  try {
    const event = await registry.rollback(values.registry, values.to, { actor: values.actor, reason: values.reason });
    return { stdout: values.format === 'json' ? `${JSON.stringify(event, null, 2)}\n` : eventText(event), stderr: '', exitCode: 0 };
  } catch (error) {
    return known(error, registry);
  }
}

/** One history event as text. */
export function eventText(event: RegistryEvent): string {
  const head: Record<RegistryEvent['action'], string> = {
    promote: `promoted ${event.version} to ${event.alias}`,
    override: `promoted ${event.version} to ${event.alias} by manual approval (the gate failed)`,
    reject: `rejected ${event.version}: ${event.alias} stays ${event.previous ?? 'none'}`,
    rollback: `rolled ${event.alias} back to ${event.version}`,
  };
  return `${head[event.action]} (previous: ${event.previous ?? 'none'}; history #${event.seq} by ${event.actor})\n${event.reasons.map((r) => `  - ${r}`).join('\n')}\n`;
}

function known(error: unknown, registry: typeof import('../core/monitor/registry')): CliResult {
  const { LockTimeoutError } = require('../core/monitor/lock') as typeof import('../core/monitor/lock');
  if (error instanceof registry.RegistryError || error instanceof LockTimeoutError) return usageError((error as Error).message);
  throw error;
}
