/** What every CLI command returns, and the one shape of a usage or input error (exit 2). */

/** What a run printed and its exit code; commands are pure so tests can call them in-process. */
export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** A one-line refusal: unusable arguments or unreadable input, exit 2, nothing else printed. */
export function usageError(message: string): CliResult {
  return { stdout: '', stderr: `nb2prod: ${message}\n`, exitCode: 2 };
}
