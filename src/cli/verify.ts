/**
 * `nb2prod verify --manifest FILE` (every check) and `nb2prod verify --scan FILE...` (the static
 * pickle/joblib scan only). Exit 0 all checks pass, 1 any check failed, 2 unusable input.
 */
import { parseArgs } from 'node:util';
import { ManifestError } from '../core/artifacts/manifest-file';
import { scanPickleFile, type PickleScan } from '../core/artifacts/pickle-scan';
import { pickleChecks, type VerifyCheck } from '../core/artifacts/pickle-checks';
import { verifyManifest } from '../core/verify/verify';
import { usageError, type CliResult } from './result';

/** Runs `verify` with its arguments (after the command name). */
export async function verify(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { manifest: { type: 'string' }, scan: { type: 'boolean' }, root: { type: 'string' }, format: { type: 'string', default: 'text' } },
  });
  const format = values.format;
  if (format !== 'text' && format !== 'json') return usageError(`unknown format \`${format}\` (expected text or json)`);
  if (values.scan) {
    if (positionals.length === 0) return usageError('verify --scan needs at least one FILE');
    const scans = await Promise.all(positionals.map(scanPickleFile));
    const checks: VerifyCheck[] = [];
    for (const scan of scans) pickleChecks(scan, undefined, checks);
    const unreadable = scans.filter((s) => s.sha256 === null);
    const exitCode = unreadable.length > 0 ? 2 : checks.some((c) => c.status === 'fail') ? 1 : 0;
    const stdout = format === 'json' ? `${JSON.stringify({ version: 1, scans, checks }, null, 2)}\n` : scans.map(formatScan).join('') + formatChecks(checks);
    return { stdout, stderr: unreadable.map((s) => `nb2prod: ${s.path}: ${s.error}\n`).join(''), exitCode };
  }
  if (!values.manifest) return usageError('verify needs --manifest FILE or --scan FILE...');
  if (positionals.length > 0) return usageError(`unexpected argument \`${positionals[0]}\``);
  try {
    const report = await verifyManifest(values.manifest, values.root ? { root: values.root } : {});
    const exitCode = report.ok ? 0 : 1;
    if (format === 'json') return { stdout: `${JSON.stringify({ version: 1, ...report }, null, 2)}\n`, stderr: '', exitCode };
    const failed = report.checks.filter((c) => c.status === 'fail').length;
    const summary = report.ok ? `verified: ${report.checks.length} checks passed` : `${failed} check${failed === 1 ? '' : 's'} failed`;
    return { stdout: `${formatChecks(report.checks)}\n${summary} (${report.manifest})\n`, stderr: '', exitCode };
  } catch (error) {
    if (error instanceof ManifestError) return usageError(error.message);
    throw error;
  }
}

function formatScan(scan: PickleScan): string {
  const lines = [
    `${scan.path}: ${scan.complete ? 'scanned' : 'NOT fully scanned'}${scan.compression === 'none' ? '' : ` (${scan.compression})`}, ${scan.globals.length} globals, ${scan.arrays} inline arrays, ${scan.nestedPickles} nested pickles`,
  ];
  for (const g of scan.globals)
    lines.push(`  ${g.allowed ? 'ok     ' : 'UNSAFE '} ${g.global}${g.count > 1 ? ` (x${g.count})` : ''}${g.nested ? ' [nested]' : ''}`);
  return `${lines.join('\n')}\n`;
}

/** Checks as text: one line each, failures with expected / found / what to do. */
export function formatChecks(checks: readonly VerifyCheck[]): string {
  return (
    checks
      .map((c) => {
        const head = `${c.status.toUpperCase().padEnd(4)} ${c.code ? `${c.code} ` : ''}${c.check}${c.artifact ? ` ${c.artifact}` : ''}: ${c.message}`;
        const detail = [
          c.expected && `  expected: ${c.expected}`,
          c.found && `  found:    ${c.found}`,
          c.action && c.status !== 'pass' && `  to do:    ${c.action}`,
        ].filter(Boolean);
        return [head, ...detail].join('\n');
      })
      .join('\n') + (checks.length ? '\n' : '')
  );
}
