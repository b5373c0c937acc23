/**
 * `npm run scaffold-corpus -- CORPUS_DIR [--list CSV] [--out DIR] [--python PATH] [--only TEXT]`
 *
 * Takes public notebooks from the scaffold corpus list (`test/corpus/scaffold/notebooks.csv` by
 * default: repository, commit, path, data files, the notebook's own headline metric) through what
 * a user of `nb2prod scaffold` does, each step with a timeout, in a fresh temporary folder (the
 * corpus is read, never written):
 *
 *   scaffold -> train -> generated pytest -> verify -> predict on raw rows -> drift on a raw sample
 *
 * A step after a failed one is `skipped`. Writes `results.csv` and `results.md` into `--out`
 * (default `scaffold-corpus-out/`): per notebook each step's result, the first line of the first
 * error, and the generated held-out metric next to the notebook's.
 *
 * CORPUS_DIR holds one folder per repository named `owner+name` (as /work/corpus/extract.sh
 * unpacks them). The notebooks and their data are fetched for the run and never committed.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { csvLine, csvRecords } from './csv';
import { findRepoRoot } from './repo-root';

/** One notebook of the list. */
export interface Entry {
  repository: string;
  commit: string;
  /** The notebook's path inside its repository. */
  path: string;
  /** Data files the notebook reads, relative to its folder, separated by `;`. */
  data: string[];
  /** The notebook's headline metric name (as the manifest names it: accuracy, r2, rmse, ...). */
  metric: string;
  /** Its value in the notebook's saved outputs, or `-` when it kept none. */
  notebookValue: string;
}

export const STEPS = ['scaffold', 'train', 'pytest', 'verify', 'predict', 'drift'] as const;
export type Step = (typeof STEPS)[number];
export type Outcome = 'pass' | 'fail' | 'skipped';

/** What happened to one notebook. */
export interface Result {
  entry: Entry;
  steps: Record<Step, Outcome>;
  /** The failed step and the first line of its error. */
  error?: { step: Step; line: string };
  /** The generated project's held-out metric of the notebook's metric name, when training wrote one. */
  generatedValue?: number;
  /** Every metric training wrote. */
  generatedMetrics: Record<string, number>;
}

interface Options {
  corpus: string;
  list: string;
  out: string;
  python: string;
  only?: string;
  keep: boolean;
}

/** Seconds each step may take before it counts as failed. */
const TIMEOUTS: Record<Step, number> = { scaffold: 120, train: 900, pytest: 600, verify: 120, predict: 300, drift: 300 };
/** Raw rows sent to `predict`, and the most rows of the raw sample sent to `drift`. */
const PREDICT_ROWS = 20;
const DRIFT_ROWS = 2000;

function parseArgs(argv: string[]): Options {
  const root = findRepoRoot(__dirname);
  const options: Options = {
    corpus: '',
    list: join(root, 'test', 'corpus', 'scaffold', 'notebooks.csv'),
    out: 'scaffold-corpus-out',
    python: process.env['NB2PROD_PYTHON'] ?? '/usr/bin/python3',
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--list') options.list = value();
    else if (arg === '--out') options.out = value();
    else if (arg === '--python') options.python = value();
    else if (arg === '--only') options.only = value();
    else if (arg === '--keep') options.keep = true;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else options.corpus = arg;
  }
  if (!options.corpus) throw new Error('usage: npm run scaffold-corpus -- CORPUS_DIR [--list CSV] [--out DIR] [--python PATH] [--only TEXT] [--keep]');
  return options;
}

/** The list's rows as entries. */
export function readList(text: string): Entry[] {
  return csvRecords(text).map((r) => ({
    repository: r['repository'] ?? '',
    commit: r['commit'] ?? '',
    path: r['path'] ?? '',
    data: (r['data'] ?? '')
      .split(';')
      .map((d) => d.trim())
      .filter((d) => d !== ''),
    metric: r['metric'] ?? '',
    notebookValue: r['notebook_value'] ?? '-',
  }));
}

/**
 * The line of a failed command's output that says what went wrong: a Python traceback's exception
 * line (its last line naming an error), else the first non-empty line of stderr, else of stdout.
 */
export function firstErrorLine(stderr: string, stdout = ''): string {
  const lines = (text: string): string[] =>
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
  const err = lines(stderr);
  if (err.some((l) => l.startsWith('Traceback'))) {
    const exception = [...err].reverse().find((l) => /^[\w.]+(Error|Exception|Warning|Exit|Interrupt)\b/.test(l));
    if (exception) return exception;
  }
  const pytestFailure = lines(stdout).find((l) => /^E\s+\S/.test(l));
  if (pytestFailure) return pytestFailure;
  return err[0] ?? lines(stdout)[0] ?? '(no output)';
}

/**
 * What a scaffold refusal says after its `cannot scaffold NOTEBOOK:` header and before the list of
 * what could be placed: the cell and the edit it asks for, on one line.
 */
export function refusalReason(stderr: string): string | undefined {
  const lines = stderr.split(/\r?\n/);
  const header = lines.findIndex((l) => /cannot scaffold .*:\s*$/.test(l));
  if (header < 0) return undefined;
  const end = lines.findIndex((l, i) => i > header && /^\s*(What could be placed:|Nothing was written\.)/.test(l));
  const reason = lines
    .slice(header + 1, end < 0 ? undefined : end)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return reason.length > 0 ? reason.join(' ') : undefined;
}

/**
 * The generated value of the notebook's metric: the one training wrote under that name, or an RMSE
 * as the square root of the MSE it wrote (training records MSE; notebooks often print its root).
 */
export function generatedMetric(name: string, metrics: Record<string, number>): number | undefined {
  if (metrics[name] !== undefined) return metrics[name];
  if (name === 'rmse' && metrics['mse'] !== undefined) return Math.sqrt(metrics['mse']);
  return undefined;
}

/** How far the generated metric is from the notebook's, relative to the notebook's; undefined without both. */
export function relativeGap(notebookValue: string, generated: number | undefined): number | undefined {
  const expected = Number(notebookValue);
  if (generated === undefined || notebookValue.trim() === '' || !Number.isFinite(expected) || expected === 0) return undefined;
  return Math.abs(generated - expected) / Math.abs(expected);
}

interface Run {
  ok: boolean;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, seconds: number): Run {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: seconds * 1000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', MPLBACKEND: 'Agg' },
  });
  const timedOut = r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
  const stderr = timedOut ? `timed out after ${seconds} s\n${r.stderr ?? ''}` : (r.stderr ?? r.error?.message ?? '');
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr };
}

/** The corpus folder of a repository (`owner/name` is unpacked as `owner+name`). */
function repositoryFolder(corpus: string, repository: string): string {
  return join(corpus, repository.replace('/', '+'));
}

/** Runs every step for one notebook in `work` (a fresh folder) and says what happened. */
export function runNotebook(entry: Entry, corpus: string, work: string, python: string, cli: string): Result {
  const steps = Object.fromEntries(STEPS.map((s) => [s, 'skipped'])) as Record<Step, Outcome>;
  const result: Result = { entry, steps, generatedMetrics: {} };
  const fail = (step: Step, line: string): Result => {
    steps[step] = 'fail';
    result.error = { step, line: line.slice(0, 300) };
    return result;
  };
  const node = (args: string[], step: Step, cwd: string): Run => run(process.execPath, [cli, ...args], cwd, TIMEOUTS[step]);

  // A copy of the notebook and its data files, keeping their places relative to each other.
  const source = join(repositoryFolder(corpus, entry.repository), entry.path);
  const folder = join(work, 'notebook');
  const notebook = join(folder, basename(entry.path));
  mkdirSync(folder, { recursive: true });
  if (!existsSync(source)) return fail('scaffold', `notebook not found: ${source}`);
  copyFileSync(source, notebook);
  for (const data of entry.data) {
    const from = join(dirname(source), data);
    if (!existsSync(from)) return fail('scaffold', `data file not found: ${from}`);
    const to = resolve(folder, data);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
  }

  const project = join(work, 'project');
  const scaffolded = node(['scaffold', notebook, '--out', project], 'scaffold', work);
  if (!scaffolded.ok) return fail('scaffold', refusalReason(scaffolded.stderr) ?? firstErrorLine(scaffolded.stderr, scaffolded.stdout));
  steps.scaffold = 'pass';
  // The project reads its data where the notebook did, relative to the project root.
  for (const data of entry.data) {
    const to = resolve(project, data);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(resolve(folder, data), to);
  }

  const trained = run(python, ['-m', 'src.model.train'], project, TIMEOUTS.train);
  const manifestPath = join(project, 'artifacts', 'manifest.json');
  if (!trained.ok || !existsSync(manifestPath)) return fail('train', firstErrorLine(trained.stderr, trained.stdout));
  steps.train = 'pass';
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { metrics?: Record<string, number>; signature?: { inputs?: Array<{ name: string }> } };
  result.generatedMetrics = manifest.metrics ?? {};
  result.generatedValue = generatedMetric(entry.metric, result.generatedMetrics);

  const tested = run(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], project, TIMEOUTS.pytest);
  const skippedTests = /(\d+) skipped/.exec(tested.stdout);
  if (!tested.ok) return fail('pytest', firstErrorLine(tested.stderr, tested.stdout));
  if (skippedTests) return fail('pytest', `${skippedTests[1]} generated tests skipped`);
  steps.pytest = 'pass';

  const verified = node(['verify', '--manifest', manifestPath, '--format', 'json'], 'verify', project);
  if (!verified.ok) return fail('verify', verifyProblem(verified));
  steps.verify = 'pass';

  // Raw rows as the file holds them, cut to the columns the model takes (the signature refuses
  // columns it does not know, such as an id the notebook never used).
  const [firstData] = entry.data;
  const raw = resolve(folder, firstData ?? '');
  const inputs = (manifest.signature?.inputs ?? []).map((i) => i.name);
  const rows = join(work, 'raw-rows.csv');
  const sample = join(work, 'raw-sample.csv');
  const cut = run(python, ['-c', CUT_ROWS, raw, rows, sample, JSON.stringify(inputs), String(PREDICT_ROWS), String(DRIFT_ROWS)], work, TIMEOUTS.predict);
  if (!cut.ok) return fail('predict', `raw rows: ${firstErrorLine(cut.stderr, cut.stdout)}`);
  const predicted = node(
    ['predict', '--manifest', manifestPath, '--input', rows, '--backend', 'python', '--python', python, '--format', 'json'],
    'predict',
    project,
  );
  const predictProblem = rowsProblem(predicted);
  if (predictProblem) return fail('predict', predictProblem);
  steps.predict = 'pass';

  const drifted = node(['drift', '--manifest', manifestPath, '--data', sample, '--format', 'json'], 'drift', project);
  const driftVerdict = verdictOf(drifted.stdout);
  if (!drifted.ok || driftVerdict !== 'ok')
    return fail('drift', driftVerdict ? `verdict ${driftVerdict}: ${driftSummary(drifted.stdout)}` : firstErrorLine(drifted.stderr, drifted.stdout));
  steps.drift = 'pass';
  return result;
}

/**
 * Python that writes the first N raw rows with the model's input columns, and a seeded sample of at
 * most M raw rows with every column. A column the model takes that the file lacks is an error naming it.
 */
const CUT_ROWS = [
  'import json, sys, pandas as pd',
  'raw, rows, sample, inputs, n, m = sys.argv[1:7]',
  'frame = pd.read_csv(raw)',
  'inputs = json.loads(inputs)',
  'missing = [c for c in inputs if c not in frame.columns]',
  'if missing: sys.exit(f"ValueError: the model takes columns the raw file does not have: {missing}")',
  'frame[inputs].head(int(n)).to_csv(rows, index=False)',
  'frame.sample(n=min(int(m), len(frame)), random_state=0).to_csv(sample, index=False)',
].join('\n');

function verifyProblem(r: Run): string {
  try {
    const report = JSON.parse(r.stdout) as { checks?: Array<{ status?: string; check?: string; message?: string }> };
    const failed = (report.checks ?? []).find((c) => c.status === 'fail');
    if (failed) return `${failed.check ?? 'check'}: ${failed.message ?? ''}`.trim();
  } catch {
    // Not JSON: fall back to the text.
  }
  return firstErrorLine(r.stderr, r.stdout);
}

/** Why `predict` did not answer every raw row, or undefined when it did. */
function rowsProblem(r: Run): string | undefined {
  let report: { ok?: boolean; rows?: Array<{ status: string; issues?: Array<{ message: string }> }> };
  try {
    report = JSON.parse(r.stdout) as typeof report;
  } catch {
    return firstErrorLine(r.stderr, r.stdout);
  }
  const rejected = (report.rows ?? []).filter((row) => row.status === 'rejected');
  if (rejected.length > 0)
    return `${rejected.length} of ${report.rows?.length ?? 0} raw rows rejected: ${rejected[0]?.issues?.map((i) => i.message).join('; ') ?? ''}`;
  if (!r.ok || report.ok === false) return firstErrorLine(r.stderr, r.stdout);
  return undefined;
}

function verdictOf(stdout: string): string | undefined {
  try {
    return (JSON.parse(stdout) as { verdict?: { status?: string } }).verdict?.status;
  } catch {
    return undefined;
  }
}

function driftSummary(stdout: string): string {
  const verdict = (JSON.parse(stdout) as { verdict: { drifted?: string[]; warned?: string[]; reasons?: string[] } }).verdict;
  return [
    ...(verdict.reasons ?? []),
    verdict.drifted?.length ? `drifted ${verdict.drifted.join(', ')}` : '',
    verdict.warned?.length ? `warned ${verdict.warned.join(', ')}` : '',
  ]
    .filter((s) => s)
    .join('; ');
}

const HEADER = [
  'repository',
  'commit',
  'path',
  ...STEPS,
  'metric',
  'notebook_value',
  'generated_value',
  'within_2pct',
  'failed_step',
  'first_error',
  'generated_metrics',
];

function format(value: number | undefined): string {
  return value === undefined ? '-' : String(Number(value.toPrecision(4)));
}

/** The results as CSV rows (header first). */
export function resultsCsv(results: Result[]): string {
  const lines = results.map((r) => {
    const gap = relativeGap(r.entry.notebookValue, r.generatedValue);
    return csvLine([
      r.entry.repository,
      r.entry.commit,
      r.entry.path,
      ...STEPS.map((s) => r.steps[s]),
      r.entry.metric,
      r.entry.notebookValue,
      format(r.generatedValue),
      gap === undefined ? '-' : gap <= 0.02 ? 'yes' : 'no',
      r.error?.step ?? '',
      r.error?.line ?? '',
      Object.entries(r.generatedMetrics)
        .map(([k, v]) => `${k}=${format(v)}`)
        .join(' '),
    ]);
  });
  return [csvLine(HEADER), ...lines, ''].join('\n');
}

/** The results as a markdown table with per-step pass counts. */
export function resultsMarkdown(results: Result[]): string {
  const mark: Record<Outcome, string> = { pass: 'pass', fail: '**fail**', skipped: '-' };
  const cell = (s: string): string => s.replace(/\|/g, '\\|');
  const rows = results.map((r) => {
    const gap = relativeGap(r.entry.notebookValue, r.generatedValue);
    const compare = `${r.entry.metric} ${r.entry.notebookValue} / ${format(r.generatedValue)}${gap === undefined ? '' : gap <= 0.02 ? ' (within 2%)' : ` (${(100 * gap).toFixed(1)}% apart)`}`;
    return `| ${r.entry.repository}@${r.entry.commit.slice(0, 7)} | ${cell(r.entry.path)} | ${STEPS.map((s) => mark[r.steps[s]]).join(' | ')} | ${compare} |`;
  });
  const counts = STEPS.map((s) => `${results.filter((r) => r.steps[s] === 'pass').length}/${results.length}`);
  const within = results.filter((r) => (relativeGap(r.entry.notebookValue, r.generatedValue) ?? 1) <= 0.02).length;
  const allSteps = results.filter((r) => STEPS.every((s) => r.steps[s] === 'pass')).length;
  const failures = results.filter((r) => r.error).map((r) => `- ${r.entry.repository} \`${cell(r.entry.path)}\`: ${r.error!.step}: ${cell(r.error!.line)}`);
  return [
    `| notebook | path | ${STEPS.join(' | ')} | metric: notebook / generated |`,
    `| --- | --- | ${STEPS.map(() => '---').join(' | ')} | --- |`,
    ...rows,
    `| **passed** | | ${counts.join(' | ')} | ${within} within 2% |`,
    '',
    `Every step passed for ${allSteps} of ${results.length} notebooks.`,
    '',
    ...(failures.length > 0 ? ['First error of each failed notebook:', '', ...failures, ''] : []),
  ].join('\n');
}

export function main(argv = process.argv.slice(2)): Result[] {
  const options = parseArgs(argv);
  const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  const entries = readList(readFileSync(options.list, 'utf8')).filter((e) => !options.only || `${e.repository}/${e.path}`.includes(options.only));
  const results: Result[] = [];
  for (const entry of entries) {
    const work = mkdtempSync(join(tmpdir(), 'nb2prod-scaffold-corpus-'));
    const started = Date.now();
    try {
      results.push(runNotebook(entry, resolve(options.corpus), work, options.python, cli));
    } finally {
      if (!options.keep) rmSync(work, { recursive: true, force: true });
    }
    const last = results[results.length - 1]!;
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    process.stdout.write(
      `${entry.repository} ${entry.path}: ${STEPS.map((s) => `${s} ${last.steps[s]}`).join(', ')} (${seconds} s)${last.error ? `\n  ${last.error.step}: ${last.error.line}` : ''}${options.keep ? `\n  kept ${work}` : ''}\n`,
    );
  }
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, 'results.csv'), resultsCsv(results));
  writeFileSync(join(options.out, 'results.md'), resultsMarkdown(results));
  process.stdout.write(`\nwrote ${options.out}/results.csv and results.md\n`);
  return results;
}

if (require.main === module) {
  try {
    main();
  } catch (error: unknown) {
    process.stderr.write(`scaffold-corpus: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
