/**
 * `npm run corpus -- DIR... [--out DIR] [--sample N] [--seed N] [--select CODES] [--include-py]`
 *
 * Checks folders of public notebooks (fetched for the run, never committed) the way a new user
 * would, and writes what an audit needs into `--out` (default `corpus-out/`):
 *  - `summary.md` and `summary.json`: per-rule counts, findings per notebook (mean, median, p90,
 *    max), files that could not be read;
 *  - `sample.csv`: a seeded random sample of up to N findings per rule, with repository, commit,
 *    path, cell, line, message and the source line, and empty `verdict` / `reason` columns to fill
 *    in (TRUE, FALSE or NOISE; see REAL-WORLD.md). Audited samples go to `test/corpus/audits/`.
 *
 * Each DIR is one repository: its commit comes from `git rev-parse HEAD` there, or from a
 * `.commit` file (`owner/name <sha>`) written when a snapshot was unpacked without git.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { analyzeNotebook, type AnalyzeOptions } from '../src/core/engine';
import { findNotebookFiles, loadNotebookFile } from '../src/core/notebook';
import { RULES } from '../src/core/rules/registry';
import { csvLine } from './csv';
import { prng } from './prng';

interface Options extends AnalyzeOptions {
  dirs: string[];
  out: string;
  sample: number;
  seed: number;
  includePy: boolean;
}

/** One finding, flattened for the sample. */
interface Row {
  repository: string;
  commit: string;
  path: string;
  cell: number;
  line: number;
  code: string;
  message: string;
  text: string;
}

/** Distribution of findings per notebook. */
export interface Spread {
  notebooks: number;
  findings: number;
  mean: number;
  median: number;
  p90: number;
  max: number;
  withAny: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { dirs: [], out: 'corpus-out', sample: 10, seed: 1, includePy: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--out') options.out = value();
    else if (arg === '--sample') options.sample = Number(value());
    else if (arg === '--seed') options.seed = Number(value());
    else if (arg === '--select') options.select = value().split(',');
    else if (arg === '--ignore') options.ignore = value().split(',');
    else if (arg === '--include-py') options.includePy = true;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else options.dirs.push(arg);
  }
  if (options.dirs.length === 0) throw new Error('usage: npm run corpus -- DIR... [--out DIR] [--sample N] [--seed N] [--select CODES] [--include-py]');
  return options;
}

/** `owner/name` and commit of a repository folder. */
export function identify(dir: string): { repository: string; commit: string } {
  const marker = join(dir, '.commit');
  if (existsSync(marker)) {
    const [repository = basename(dir), commit = 'unknown'] = readFileSync(marker, 'utf8').trim().split(/\s+/);
    return { repository: repository.replace('+', '/'), commit };
  }
  try {
    const commit = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { repository: basename(resolve(dir)).replace('+', '/'), commit };
  } catch {
    return { repository: basename(resolve(dir)), commit: 'unknown' };
  }
}

/** Mean, median, 90th percentile and maximum of findings per notebook. */
export function spread(perNotebook: readonly number[]): Spread {
  const sorted = [...perNotebook].sort((a, b) => a - b);
  const n = sorted.length;
  const total = sorted.reduce((a, b) => a + b, 0);
  const at = (q: number): number => (n === 0 ? 0 : (sorted[Math.min(n - 1, Math.ceil(q * n) - 1)] ?? 0));
  return {
    notebooks: n,
    findings: total,
    mean: n === 0 ? 0 : Math.round((total / n) * 100) / 100,
    median: at(0.5),
    p90: at(0.9),
    max: sorted[n - 1] ?? 0,
    withAny: sorted.filter((c) => c > 0).length,
  };
}

/** Up to `k` rows per code, drawn without replacement by a seeded shuffle. */
function sampleRows(rows: readonly Row[], k: number, seed: number): Row[] {
  const random = prng(seed);
  const byCode = new Map<string, Row[]>();
  for (const row of rows) {
    const list = byCode.get(row.code);
    if (list) list.push(row);
    else byCode.set(row.code, [row]);
  }
  const picked: Row[] = [];
  for (const code of [...byCode.keys()].sort()) {
    const pool = [...(byCode.get(code) ?? [])];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [pool[i], pool[j]] = [pool[j] as Row, pool[i] as Row];
    }
    picked.push(...pool.slice(0, k));
  }
  return picked;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const rows: Row[] = [];
  const perNotebook: number[] = [];
  const perRepository: Record<string, Spread & { commit: string }> = {};
  const errors: string[] = [];
  for (const dir of options.dirs) {
    const { repository, commit } = identify(dir);
    const { files, errors: walkErrors } = await findNotebookFiles([dir]);
    errors.push(...walkErrors.map((e) => e.message));
    const counts: number[] = [];
    for (const path of files.filter((f) => f.endsWith('.ipynb') || (options.includePy && f.endsWith('.py')))) {
      try {
        const notebook = await loadNotebookFile(path);
        const diagnostics = await analyzeNotebook(notebook, options);
        counts.push(diagnostics.length);
        for (const d of diagnostics) {
          const source = notebook.cells[d.cell]?.source ?? '';
          const text = (source.split('\n')[d.range.start.line] ?? '').trim().slice(0, 200);
          rows.push({ repository, commit, path: relative(dir, path), cell: d.cell + 1, line: d.range.start.line + 1, code: d.code, message: d.message, text });
        }
      } catch (error) {
        const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
        errors.push(message.startsWith(path) ? message : `${path}: ${message}`);
      }
    }
    perNotebook.push(...counts);
    perRepository[repository] = { commit, ...spread(counts) };
  }

  const byRule = Object.fromEntries(RULES.map((r) => [r.code, rows.filter((row) => row.code === r.code).length]));
  const summary = { seconds: (Date.now() - started) / 1000, overall: spread(perNotebook), repositories: perRepository, byRule, errors };
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(options.out, 'summary.md'), summaryMarkdown(summary));
  const header = ['repository', 'commit', 'path', 'cell', 'line', 'code', 'message', 'text', 'verdict', 'reason'];
  const sample = sampleRows(rows, options.sample, options.seed).map((r) =>
    csvLine([r.repository, r.commit, r.path, r.cell, r.line, r.code, r.message, r.text, '', '']),
  );
  writeFileSync(join(options.out, 'sample.csv'), [csvLine(header), ...sample, ''].join('\n'));
  process.stdout.write(summaryMarkdown(summary));
  process.stdout.write(`\nwrote ${options.out}/summary.md, summary.json and sample.csv (${sample.length} findings)\n`);
}

function summaryMarkdown(summary: {
  seconds: number;
  overall: Spread;
  repositories: Record<string, Spread & { commit: string }>;
  byRule: Record<string, number>;
  errors: string[];
}): string {
  const spreadRow = (name: string, s: Spread): string =>
    `| ${name} | ${s.notebooks} | ${s.findings} | ${s.mean} | ${s.median} | ${s.p90} | ${s.max} | ${s.notebooks === 0 ? 0 : Math.round((100 * s.withAny) / s.notebooks)}% |`;
  return [
    '# Corpus run',
    '',
    `${summary.overall.notebooks} notebooks in ${summary.seconds.toFixed(1)} s; ${summary.errors.length} could not be read.`,
    '',
    '| repository | notebooks | findings | mean | median | p90 | max | with any |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...Object.entries(summary.repositories).map(([name, s]) => spreadRow(`${name}@${s.commit.slice(0, 12)}`, s)),
    spreadRow('all', summary.overall),
    '',
    '| rule | findings |',
    '| --- | --- |',
    ...Object.entries(summary.byRule)
      .filter(([, n]) => n > 0)
      .map(([code, n]) => `| ${code} | ${n} |`),
    '',
    ...(summary.errors.length > 0 ? ['Could not be read:', '', ...summary.errors.map((e) => `- ${e}`), ''] : []),
  ].join('\n');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`corpus: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
}
