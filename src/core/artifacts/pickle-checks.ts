/**
 * What verify reports per check, and the checks of one static pickle scan (PR305, failing closed
 * when the scan could not read the whole file). Shared by `nb2prod verify`, `verify --scan` and the
 * Python prediction backend, which scans before it lets Python load anything.
 */
import { canonicalGlobal } from './pickle-allowlist';
import type { PickleScan } from './pickle-scan';

/** One check's outcome. */
export interface VerifyCheck {
  status: 'pass' | 'fail' | 'warn';
  /** `hash`, `size`, `missing`, `external-data`, `parse`, `session`, `signature`, `fingerprint`, `golden`
   *  (`conversion-parity` when the golden outputs are the Python pipeline's), `pickle`. */
  check: string;
  artifact: string | null;
  message: string;
  expected?: string;
  found?: string;
  action?: string;
  /** A rule code when the failure is a rule's (PR305). */
  code?: string;
}

/** The PR305 and fail-closed checks of one scan (shared with `verify --scan`). */
export function pickleChecks(scan: PickleScan, recorded: readonly string[] | undefined, checks: VerifyCheck[]): void {
  const artifact = scan.path;
  if (!scan.complete) {
    checks.push({
      status: 'fail',
      check: 'pickle',
      artifact,
      message: 'the static scan could not read the whole file, so it is treated as unsafe',
      found: scan.error ?? 'unknown',
      action: 'do not load it; re-export the artifact from training (uncompressed or zlib-compressed joblib)',
      code: 'PR305',
    });
  }
  for (const name of scan.unsafe) {
    const g = scan.globals.find((x) => x.global === name)!;
    checks.push({
      status: 'fail',
      check: 'pickle',
      artifact,
      code: 'PR305',
      message: `unpickling imports and can call \`${name}\`, which is outside the allowlist${g.nested ? ' (inside a nested pickle of an object array)' : ''}`,
      expected: 'only sklearn, numpy and joblib array globals',
      found: `${name} at byte ${g.firstOffset}${scan.compression === 'none' ? '' : ` of the decompressed ${scan.compression} stream`}`,
      action: 'do not load this file; rebuild it from training code you trust, or export the model to ONNX',
    });
  }
  if (recorded) {
    // Training records protocol 2's spellings (`__builtin__.slice`), a joblib file protocol 4's.
    const known = new Set(recorded.map(canonicalGlobal));
    const unrecorded = scan.globals.filter((g) => !known.has(canonicalGlobal(g.global)) && g.allowed).map((g) => g.global);
    if (unrecorded.length > 0)
      checks.push({
        status: 'warn',
        check: 'pickle',
        artifact,
        message: 'globals that training did not record',
        expected: 'a subset of the manifest `globals`',
        found: unrecorded.join(', '),
        action: 're-run training to refresh the manifest',
      });
  }
  if (scan.complete && scan.unsafe.length === 0) {
    checks.push({
      status: 'pass',
      check: 'pickle',
      artifact,
      message: `static scan: ${scan.globals.length} globals, all allowed (${scan.arrays} inline arrays skipped, ${scan.nestedPickles} nested pickles scanned${scan.compression === 'none' ? '' : `, ${scan.compression}`})`,
    });
  }
}
