/**
 * `npm run leakage-eval -- FOLDER --labels CSV [--labels CSV...] [--out DIR] [--tolerance N]`
 *
 * Measures the leakage rules on public code that this project did not write. FOLDER holds one
 * folder per repository, `owner+name/`, unpacked for the run and never committed (as for
 * `npm run corpus`, a `.commit` file or a git checkout says which commit). The labels are data:
 * `test/corpus/leakage/labels.csv`, written by hand before the first run, one row per expected
 * leak (`repository,commit,path,cell,expected,model,covered,reason`) and a `NONE` row for each
 * file with no leak. `cell` is 1-based among all cells of an `.ipynb`, or the 1-based file line
 * of a `.py`.
 *
 * Every labelled file is checked with the corpora's selection (LEAKAGE_SELECT: the LK rules,
 * PR301, PR302 and every preview pattern). A finding matches a label when the file and code are
 * equal and it is in the labelled cell (`.ipynb`) or within `--tolerance` lines of the labelled
 * line (`.py`, default 3), one to one, nearest first. Recall counts labelled leaks found;
 * precision counts the reported LK/PR301/PR302 findings on the labelled files that match a label.
 * Writes `summary.md`, `results.json` and `labels-result.csv` into `--out` (default
 * `leakage-eval-out/`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNotebook } from '../src/core/engine';
import { cellToFile, loadNotebookFile } from '../src/core/notebook';
import { LEAKAGE_SELECT } from '../test/helpers/leakage-run';
import { identify } from './corpus';
import { csvLine, csvRecords } from './csv';

/** One row of the labels file. */
export interface Label {
  repository: string;
  commit: string;
  path: string;
  /** 1-based cell of an `.ipynb` or 1-based line of a `.py`; undefined on `NONE` rows. */
  position: number | undefined;
  /** An nb2prod code, or `NONE` for a file with no leak. */
  expected: string;
  model: string;
  /** Whether the rule doc plainly describes the labelled shape. */
  covered: boolean;
  reason: string;
}

/** One reported finding, placed like a label: 1-based cell (`.ipynb`) or file line (`.py`). */
export interface Reported {
  code: string;
  position: number;
  message: string;
}

/** The outcome of one file: matched labels, missed labels and unmatched findings. */
export interface FileOutcome {
  matched: { label: Label; found: Reported }[];
  missed: Label[];
  unexpected: Reported[];
}

/** Precision and recall with their counts; null when a denominator is 0. */
export interface Score {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number | null;
  recall: number | null;
}

/** Whether a code is one this evaluation measures (the rest of PREVIEW is out of scope). */
export const isMeasured = (code: string): boolean => code.startsWith('LK') || code === 'PR301' || code === 'PR302';

/** Labels from the CSV text; a row with a bad field is an error naming the row. */
export function parseLabels(text: string): Label[] {
  return csvRecords(text).map((row, i) => {
    const where = `labels row ${i + 2}`;
    const expected = (row['expected'] ?? '').trim();
    if (!/^(LK2\d\d|PR30[12]|NONE)$/.test(expected)) throw new Error(`${where}: expected must be an LK code, PR301, PR302 or NONE, not "${expected}"`);
    const cell = (row['cell'] ?? '').trim();
    const position = cell === '' ? undefined : Number(cell);
    if (expected !== 'NONE' && (position === undefined || !Number.isInteger(position) || position < 1)) {
      throw new Error(`${where}: cell must be a 1-based cell or line, not "${cell}"`);
    }
    return {
      repository: row['repository'] ?? '',
      commit: row['commit'] ?? '',
      path: row['path'] ?? '',
      position,
      expected,
      model: row['model'] ?? '',
      covered: (row['covered'] ?? '').trim() === 'yes',
      reason: row['reason'] ?? '',
    };
  });
}

/**
 * Matches one file's findings to its labels: same code, same cell for an `.ipynb`, at most
 * `tolerance` lines apart for a `.py`; each finding matches one label, the nearest first.
 * Findings of codes this evaluation does not measure are left out.
 */
export function matchLabels(labels: readonly Label[], found: readonly Reported[], isScript: boolean, tolerance: number): FileOutcome {
  const leaks = labels.filter((l) => l.expected !== 'NONE');
  const measured = found.filter((f) => isMeasured(f.code));
  const free = new Set(measured.map((_, i) => i));
  const matched: FileOutcome['matched'] = [];
  const missed: Label[] = [];
  for (const label of leaks) {
    let best = -1;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const i of free) {
      const f = measured[i] as Reported;
      if (f.code !== label.expected) continue;
      const distance = Math.abs(f.position - (label.position ?? 0));
      if (distance > (isScript ? tolerance : 0) || distance >= bestDistance) continue;
      best = i;
      bestDistance = distance;
    }
    if (best < 0) missed.push(label);
    else {
      free.delete(best);
      matched.push({ label, found: measured[best] as Reported });
    }
  }
  return { matched, missed, unexpected: [...free].sort((a, b) => a - b).map((i) => measured[i] as Reported) };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 100) / 100;
}

export function score(truePositives: number, falsePositives: number, falseNegatives: number): Score {
  return {
    truePositives,
    falsePositives,
    falseNegatives,
    precision: ratio(truePositives, truePositives + falsePositives),
    recall: ratio(truePositives, truePositives + falseNegatives),
  };
}

/** Totals over files (see `tally`). */
export interface Totals {
  overall: Score;
  /**
   * Precision over the findings of codes that at least one label expects: a code nobody
   * labelled anywhere (the labeller did not look for that kind of leak) counts apart.
   */
  labelledCodes: Score;
  perCode: Record<string, Score>;
  /** Recall on labels whose shape the rule doc plainly describes. */
  covered: Score;
  notCovered: Score;
}

/** Totals over files: overall, per code, and recall per covered / not covered by the rule docs. */
export function tally(outcomes: readonly FileOutcome[]): Totals {
  const matched = outcomes.flatMap((o) => o.matched);
  const missed = outcomes.flatMap((o) => o.missed);
  const unexpected = outcomes.flatMap((o) => o.unexpected);
  const codes = [...new Set([...matched.map((m) => m.label.expected), ...missed.map((l) => l.expected), ...unexpected.map((f) => f.code)])].sort();
  const perCode = Object.fromEntries(
    codes.map((code) => [
      code,
      score(
        matched.filter((m) => m.label.expected === code).length,
        unexpected.filter((f) => f.code === code).length,
        missed.filter((l) => l.expected === code).length,
      ),
    ]),
  );
  // Unmatched findings have no label, so they belong to neither side: the split is recall only.
  const side = (covered: boolean): Score =>
    score(matched.filter((m) => m.label.covered === covered).length, 0, missed.filter((l) => l.covered === covered).length);
  const labelled = new Set([...matched.map((m) => m.label.expected), ...missed.map((l) => l.expected)]);
  return {
    overall: score(matched.length, unexpected.length, missed.length),
    labelledCodes: score(matched.length, unexpected.filter((f) => labelled.has(f.code)).length, missed.length),
    perCode,
    covered: side(true),
    notCovered: side(false),
  };
}

/** The findings of one file, placed like labels. */
async function check(file: string): Promise<Reported[]> {
  const notebook = await loadNotebookFile(file);
  const diagnostics = await analyzeNotebook(notebook, { select: [...LEAKAGE_SELECT] });
  const isScript = file.endsWith('.py');
  return diagnostics.map((d) => {
    const cell = notebook.cells[d.cell];
    const line = cell ? cellToFile(cell, d.range.start)?.line : undefined;
    return { code: d.code, position: isScript ? (line ?? d.range.start.line) + 1 : d.cell + 1, message: d.message };
  });
}

interface Options {
  folder: string;
  /** Label files, read in order and joined (codes labelled later live in files of their own). */
  labels: string[];
  out: string;
  tolerance: number;
}

function parseArgs(argv: string[]): Options {
  const usage = 'usage: npm run leakage-eval -- FOLDER --labels CSV [--labels CSV...] [--out DIR] [--tolerance N]';
  const options: Partial<Options> & { labels: string[] } = { labels: [], out: 'leakage-eval-out', tolerance: 3 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--labels') options.labels.push(value());
    else if (arg === '--out') options.out = value();
    else if (arg === '--tolerance') options.tolerance = Number(value());
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}\n${usage}`);
    else options.folder = arg;
  }
  if (!options.folder || options.labels.length === 0) throw new Error(usage);
  return options as Options;
}

const percent = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(2));
const scoreRow = (name: string, s: Score): string =>
  `| ${name} | ${s.truePositives} | ${s.falsePositives} | ${s.falseNegatives} | ${percent(s.precision)} | ${percent(s.recall)} |`;

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const labels = options.labels.flatMap((file) => parseLabels(readFileSync(file, 'utf8')));
  const files = new Map<string, Label[]>();
  for (const label of labels) {
    const key = `${label.repository}\t${label.path}`;
    files.set(key, [...(files.get(key) ?? []), label]);
  }
  const outcomes: (FileOutcome & { repository: string; path: string })[] = [];
  const problems: string[] = [];
  for (const [key, fileLabels] of files) {
    const [repository = '', path = ''] = key.split('\t');
    const dir = join(options.folder, repository.replace('/', '+'));
    const full = join(dir, path);
    const expectedCommit = fileLabels[0]?.commit ?? '';
    if (!existsSync(full)) {
      problems.push(`${repository}/${path}: not in ${options.folder}; its labels count as missed`);
      outcomes.push({ repository, path, matched: [], missed: fileLabels.filter((l) => l.expected !== 'NONE'), unexpected: [] });
      continue;
    }
    const { commit } = identify(dir);
    if (commit !== expectedCommit) problems.push(`${repository}: folder is at ${commit}, labels are for ${expectedCommit}`);
    let found: Reported[] = [];
    try {
      found = await check(full);
    } catch (error) {
      problems.push(`${repository}/${path}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    outcomes.push({ repository, path, ...matchLabels(fileLabels, found, path.endsWith('.py'), options.tolerance) });
  }

  const totals = tally(outcomes);
  mkdirSync(options.out, { recursive: true });
  writeFileSync(
    join(options.out, 'results.json'),
    `${JSON.stringify({ generated: new Date().toISOString(), select: LEAKAGE_SELECT, tolerance: options.tolerance, ...totals, problems, files: outcomes }, null, 2)}\n`,
  );
  const rows = outcomes.flatMap((o) => [
    ...o.matched.map((m) => [
      o.repository,
      o.path,
      m.label.position ?? '',
      m.label.expected,
      m.label.covered ? 'yes' : 'no',
      'found',
      `${m.found.code} at ${m.found.position}`,
    ]),
    ...o.missed.map((l) => [o.repository, o.path, l.position ?? '', l.expected, l.covered ? 'yes' : 'no', 'missed', '']),
    ...o.unexpected.map((f) => [o.repository, o.path, f.position, f.code, '', 'unexpected', f.message]),
  ]);
  writeFileSync(
    join(options.out, 'labels-result.csv'),
    [csvLine(['repository', 'path', 'cell', 'code', 'covered', 'status', 'found']), ...rows.map((r) => csvLine(r)), ''].join('\n'),
  );
  const leaks = labels.filter((l) => l.expected !== 'NONE').length;
  const summary = [
    '# Leakage evaluation on public code',
    '',
    `${files.size} files from ${new Set(labels.map((l) => l.repository)).size} repositories, ${leaks} labelled leaks, ` +
      `${[...files.values()].filter((rows) => rows.every((l) => l.expected === 'NONE')).length} clean files; .py lines match within ${options.tolerance}.`,
    '',
    '| scope | found | unexpected | missed | precision | recall |',
    '| --- | --- | --- | --- | --- | --- |',
    scoreRow('all', totals.overall),
    scoreRow('codes with labels', totals.labelledCodes),
    ...Object.entries(totals.perCode).map(([code, s]) => scoreRow(code, s)),
    scoreRow('covered by the rule docs (recall)', totals.covered),
    scoreRow('not covered (recall)', totals.notCovered),
    '',
    ...(problems.length > 0 ? ['Problems:', '', ...problems.map((p) => `- ${p}`), ''] : []),
  ].join('\n');
  writeFileSync(join(options.out, 'summary.md'), summary);
  process.stdout.write(`${summary}\nwrote ${options.out}/summary.md, results.json and labels-result.csv\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`leakage-eval: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
}
