/**
 * The `nb2prod` command line. Exit codes (DESIGN.md): 0 nothing found, 1 findings,
 * 2 usage error or unreadable input (other files are still checked).
 */
import { parseArgs } from 'node:util';
import { checkPaths } from './check';
import { scaffold } from './scaffold';
import { drift } from './drift';
import { outcomes } from './outcomes';
import { promoteCommand, rollbackCommand } from './registry';
import { verify } from './verify';
import { predict } from './predict';
import { codegen } from './codegen';
import { formatJson } from './reporters/json';
import { formatSarif } from './reporters/sarif';
import { formatText } from './reporters/text';
import { unknownCodes } from '../core/rules/registry';
import { usageError, type CliResult } from './result';

declare const NB2PROD_VERSION: string | undefined;
const VERSION = typeof NB2PROD_VERSION === 'string' ? NB2PROD_VERSION : '0.0.0-dev';

const USAGE = `Usage: nb2prod <command> [options]

Commands:
  check PATH...   Report hidden state, execution-order problems, data leakage, and preprocessing
                  that production cannot reproduce.
                  PATH: a .ipynb, a percent-format or plain .py, or a folder (searched recursively).
    --format text|json|sarif   Output format (default: text).
    --select CODES             Comma-separated codes or prefixes to run (e.g. NB101,NB10).
    --ignore CODES             Comma-separated codes or prefixes to skip.
                  Each file is checked with the nearest nb2prod.toml, or pyproject.toml with
                  [tool.nb2prod], above it. --select replaces its select and ignore; --ignore adds.

  scaffold NOTEBOOK --out DIR   Plan and write a production project (src/data, src/model, src/utils, tests).
    --dry-run                  Print the plan (create / overwrite / unchanged per file); write nothing.
    --force                    Overwrite existing files that differ.

  verify --manifest FILE        Check artifacts against the manifest: sha256 and size, ONNX signature,
                               preprocessing fingerprint, golden rows, static pickle scan (PR305).
  verify --scan FILE...        Statically scan pickle/joblib files (never unpickles).
  predict --manifest FILE --input ROWS   Validate rows (.json, .jsonl, .csv) and predict with onnxruntime.
    --backend onnx|python|both   onnxruntime, the project's Python (joblib), or both compared against
                               the manifest's tolerance (default: onnx when there is an ONNX model).
    --python PATH              Interpreter of the python backend (default: NB2PROD_PYTHON, else python3).
    --format text|json         Output format of verify and predict (default: text).
  codegen --manifest FILE --out FILE.ts   Generate a typed Node.js inference module (zod + onnxruntime-node)
                  for the manifest's ONNX model, type-checked before it is written.

  drift --manifest FILE --data FILE   Drift of a batch (.csv or .jsonl, streamed) against the manifest's
                  reference statistics, judged by its drift_policy. Exit 1 when the batch drifted.
    --format text|json         Output format (default: text).
    --prediction-column NAME   Column holding predictions (default: prediction; log lines: outputs).
    --no-model                 Without predictions in the batch, do not run the manifest's ONNX model.

  outcomes --log FILE --labels FILE   Join late labels to a prediction log (docs/monitoring.md) and
                  report realised metrics per window. Exit 1 when a window is worse than training.
    --manifest FILE            Training metrics to compare with.   --window day|week (default: day)
    --label-column NAME  --min-rows N (default 30)  --tolerance X (default 0.1 = 10%)  --format text|json

  promote --candidate DIR --registry DIR   Register a trained version and apply its promotion gate.
                  Exit 1 when the gate fails (recorded; flagged for manual review).
    --approve REASON           Promote despite a failed gate, recording who and why.
  rollback --registry DIR [--to VERSION]   Re-point the champion (default: the previous one).

  --help, --version

Exit codes: 0 nothing found, 1 findings, 2 usage error or unreadable input.
`;

class UsageError extends Error {}

export async function main(argv: readonly string[]): Promise<CliResult> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      return { stdout: USAGE, stderr: '', exitCode: command === undefined ? 2 : 0 };
    }
    if (command === '--version') return { stdout: `${VERSION}\n`, stderr: '', exitCode: 0 };
    // `nb2prod COMMAND --help` (anywhere before a `--`) prints the usage, for every command.
    const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
    if (options.includes('--help') || options.includes('-h')) return { stdout: USAGE, stderr: '', exitCode: 0 };
    if (command === 'check') return await check(rest);
    if (command === 'scaffold') return await scaffold(rest);
    if (command === 'drift') return await drift(rest);
    if (command === 'outcomes') return await outcomes(rest);
    if (command === 'promote') return await promoteCommand(rest);
    if (command === 'rollback') return await rollbackCommand(rest);
    if (command === 'verify') return await verify(rest);
    if (command === 'predict') return await predict(rest);
    if (command === 'codegen') return await codegen(rest);
    throw new UsageError(`unknown command \`${command}\` (try \`nb2prod --help\`)`);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      return usageError((error as Error).message);
    }
    throw error;
  }
}

async function check(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      select: { type: 'string', multiple: true },
      ignore: { type: 'string', multiple: true },
    },
  });
  if (positionals.length === 0) throw new UsageError('check needs at least one PATH');
  const format = values.format;
  if (format !== 'text' && format !== 'json' && format !== 'sarif') {
    throw new UsageError(`unknown format \`${format}\` (expected text, json or sarif)`);
  }
  const select = splitCodes(values.select);
  const ignore = splitCodes(values.ignore);
  const unknown = unknownCodes([...select, ...ignore]);
  if (unknown.length > 0) throw new UsageError(`unknown rule code or prefix: ${unknown.join(', ')}`);

  const results = await checkPaths(positionals, { select, ignore });
  const found = results.some((r) => r.diagnostics.length > 0);
  const broken = results.some((r) => r.error !== null);
  const exitCode = broken ? 2 : found ? 1 : 0;
  if (format === 'text') return { ...formatText(results), exitCode };
  const stderr = results
    .filter((r) => r.error !== null)
    .map((r) => `error: ${r.error}\n`)
    .join('');
  const stdout = format === 'json' ? formatJson(results) : formatSarif(results, VERSION);
  return { stdout, stderr, exitCode };
}

function splitCodes(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** parseArgs reports unknown or malformed options as TypeErrors with an ERR_PARSE_ARGS_* code. */
function isParseArgsError(error: unknown): boolean {
  const code: unknown = (error as { code?: unknown } | null)?.code;
  return error instanceof TypeError && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (result) => {
      process.exitCode = result.exitCode;
      // A reader that stops early (`nb2prod predict ... | head`) closes the pipe: the rest of the
      // output is not wanted, and the verdict (the exit code) stands.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
        process.exit(result.exitCode);
      });
      process.stdout.write(result.stdout);
      process.stderr.write(result.stderr);
    },
    (error: unknown) => {
      // A bug in nb2prod itself: still one line, and exit 2 so CI does not read it as "clean".
      process.stderr.write(`nb2prod: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
