// Running the engine over a leakage corpus (a folder of notebooks and its expected.json) and
// reporting the result: what the tuning, held-out and blind corpora's tests share. Matching and
// tallies are the pure functions of leakage-harness.ts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyzeNotebook } from '../../src/core/engine';
import { loadNotebookFile } from '../../src/core/notebook';
import { evaluateCorpus, formatTable, matchFile, type CorpusResult, type Expectation, type FileResult, type Observed } from './leakage-harness';

/** The rules the corpora measure. */
export const LEAKAGE_SELECT: readonly string[] = ['LK', 'PR301', 'PR302', 'PREVIEW'];

export const isLk = (code: string): boolean => code.startsWith('LK');

/** A corpus folder and its expectations per notebook (keys of expected.json starting with `_` are notes). */
export interface Corpus {
  dir: string;
  notes: Record<string, unknown>;
  expectations: Map<string, Expectation[]>;
  /** Notebooks with no expected LK finding. */
  cleanFiles: string[];
}

export function loadCorpus(dir: string): Corpus {
  const json = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, unknown>;
  const entries = Object.entries(json);
  const expectations = new Map(entries.filter(([key]) => !key.startsWith('_')).map(([key, value]) => [key, value as Expectation[]]));
  return {
    dir,
    notes: Object.fromEntries(entries.filter(([key]) => key.startsWith('_'))),
    expectations,
    cleanFiles: [...expectations].filter(([, e]) => !e.some((x) => isLk(x.code))).map(([file]) => file),
  };
}

/** What the engine reported on every notebook of a corpus, matched against the expectations. */
export interface CorpusRun {
  observed: Map<string, Observed[]>;
  /** Notebooks whose analysis threw, with the error. */
  errors: Map<string, string>;
  result: CorpusResult;
  millis: number;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export async function runCorpus(corpus: Corpus): Promise<CorpusRun> {
  const observed = new Map<string, Observed[]>();
  const errors = new Map<string, string>();
  const perFile = new Map<string, FileResult>();
  const started = performance.now();
  for (const [file, expected] of corpus.expectations) {
    let found: Observed[] = [];
    try {
      const notebook = await loadNotebookFile(join(corpus.dir, file));
      found = (await analyzeNotebook(notebook, { select: [...LEAKAGE_SELECT] })).map((d) => ({
        code: d.code,
        cell: d.cell,
        line: d.range.start.line,
        model: stringOrUndefined(d.data?.['model']),
        source: stringOrUndefined(d.data?.['source']),
      }));
    } catch (error) {
      // One broken analysis must not hide the numbers for the other notebooks: its expectations
      // count as missed, and the failure is reported by name.
      errors.set(file, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
    observed.set(file, found);
    perFile.set(file, matchFile(expected, found));
  }
  return { observed, errors, result: evaluateCorpus(perFile), millis: performance.now() - started };
}

const count = <T>(lists: Iterable<readonly T[]>): number => [...lists].reduce((n, list) => n + list.length, 0);

/** The printed report: tables overall, per rule and per pattern, then every mismatch, miss and false alarm. */
export function corpusReport(title: string, corpus: Corpus, run: CorpusRun): string {
  const { result } = run;
  const out = [
    `${title}: ${corpus.expectations.size} notebooks (${corpus.cleanFiles.length} without an LK leak), ` +
      `${count(corpus.expectations.values())} expected findings, ${count(run.observed.values())} reported (${run.millis.toFixed(0)} ms total)`,
    formatTable('overall', { all: result.overall }),
    formatTable('rule', result.perRule),
    formatTable('pattern', result.perPattern, false),
    `matched findings with a different data.model: ${result.modelMismatches.length}, with a different data.source: ${result.sourceMismatches.length}`,
  ];
  for (const m of [...result.modelMismatches, ...result.sourceMismatches]) {
    out.push(`  ${m.file} ${m.code} cell ${m.cell} line ${m.line}: ${m.field} ${JSON.stringify(m.found)} (expected ${JSON.stringify(m.expected)})`);
  }
  out.push(`missed (false negatives): ${result.falseNegatives.length}`);
  for (const e of result.falseNegatives)
    out.push(`  ${e.file} ${e.code} cell ${e.cell} line ${e.line} (${e.source} -> ${e.model}${e.pattern ? `, ${e.pattern}` : ''})`);
  out.push(`unexpected (false positives): ${result.falsePositives.length}`);
  for (const f of result.falsePositives) out.push(`  ${f.file} ${f.code} cell ${f.cell} line ${f.line} (${f.source ?? '?'} -> ${f.model ?? '?'})`);
  for (const [file, message] of run.errors) out.push(`  analysis failed on ${file}: ${message}`);
  return out.join('\n');
}

/** LK findings in notebooks where none was expected. */
export function lkInCleanNotebooks(corpus: Corpus, run: CorpusRun): (Observed & { file: string })[] {
  return corpus.cleanFiles.flatMap((file) => (run.observed.get(file) ?? []).filter((f) => isLk(f.code)).map((f) => ({ file, ...f })));
}

/** Writes the numbers as JSON (test-results/...), with `fields` (which corpus, which thresholds) first. */
export function writeCorpusMetrics(file: string, corpus: Corpus, run: CorpusRun, fields: Record<string, unknown>): void {
  const { result } = run;
  mkdirSync(dirname(file), { recursive: true });
  const metrics = {
    generated: new Date().toISOString(),
    ...fields,
    select: LEAKAGE_SELECT,
    matching: 'code + cell + range.start.line; precision = TP/(TP+FP), recall = TP/(TP+FN)',
    notebooks: corpus.expectations.size,
    cleanNotebooks: corpus.cleanFiles.length,
    expected: count(corpus.expectations.values()),
    reported: count(run.observed.values()),
    analysisMillis: Math.round(run.millis),
    overall: result.overall,
    perRule: result.perRule,
    perPattern: result.perPattern,
    mismatches: {
      model: result.modelMismatches.length,
      source: result.sourceMismatches.length,
      details: [...result.modelMismatches, ...result.sourceMismatches],
    },
    falsePositives: result.falsePositives,
    falseNegatives: result.falseNegatives,
    lkFindingsInCleanNotebooks: lkInCleanNotebooks(corpus, run),
    analysisErrors: Object.fromEntries(run.errors),
    perFile: result.perFile,
  };
  writeFileSync(file, `${JSON.stringify(metrics, null, 2)}\n`);
}
