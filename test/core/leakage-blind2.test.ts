// The THIRD, BLIND leakage corpus (scripts/fixtures/make_leakage_blind2.py ->
// test/fixtures/leakage-blind2/): realistic notebooks written without reading the rule
// implementations or any other corpus' notebooks, and never used to tune the engine. This file
// runs the engine over every notebook, matches findings to the hand-written expectations with
// the shared harness (matchFile / evaluateCorpus / formatTable, from
// test/helpers/leakage-harness.ts), prints precision and recall overall, per rule and per
// preprocessing pattern, lists every false positive and false negative, and writes the numbers
// to test-results/leakage-blind2-metrics.json.
//
// The numbers are a measurement, quoted as they are. The test asserts ONLY that every notebook
// was analysed without an exception: no precision or recall threshold, no per-rule assertion.
// Do not tune the detector against these notebooks (see the docstring of
// make_leakage_blind2.py).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNotebook } from '../../src/core/engine';
import { loadNotebookFile } from '../../src/core/notebook';
import { repoRoot } from '../helpers/paths';
import {
  evaluateCorpus,
  formatTable,
  matchFile,
  type CorpusResult,
  type Expectation,
  type FileResult,
  type Observed,
} from '../helpers/leakage-harness';

const FIXTURE_DIR = join(repoRoot, 'test', 'fixtures', 'leakage-blind2');
const METRICS_FILE = join(repoRoot, 'test-results', 'leakage-blind2-metrics.json');
const SELECT = ['LK', 'PR301', 'PR302'];

type ExpectedFile = Record<string, Expectation[] | Record<string, string>>;

const expectedJson = JSON.parse(readFileSync(join(FIXTURE_DIR, 'expected.json'), 'utf8')) as ExpectedFile;
const CORPUS = new Map<string, Expectation[]>(
  Object.entries(expectedJson)
    .filter(([key]) => !key.startsWith('_'))
    .map(([key, value]) => [key, value as Expectation[]]),
);

const isLk = (code: string): boolean => code.startsWith('LK');
const cleanFiles = [...CORPUS].filter(([, exp]) => !exp.some((e) => isLk(e.code))).map(([file]) => file);

interface Run {
  observed: Map<string, Observed[]>;
  errors: Map<string, string>;
  result: CorpusResult;
  millis: number;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

async function runCorpus(): Promise<Run> {
  const observed = new Map<string, Observed[]>();
  const errors = new Map<string, string>();
  const perFile = new Map<string, FileResult>();
  const started = performance.now();
  for (const [file, expected] of CORPUS) {
    let found: Observed[] = [];
    try {
      const notebook = await loadNotebookFile(join(FIXTURE_DIR, file));
      found = (await analyzeNotebook(notebook, { select: SELECT })).map((d) => ({
        code: d.code,
        cell: d.cell,
        line: d.range.start.line,
        model: stringOrUndefined(d.data?.['model']),
        source: stringOrUndefined(d.data?.['source']),
      }));
      observed.set(file, found);
    } catch (error) {
      errors.set(file, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
    perFile.set(file, matchFile(expected, found));
  }
  return { observed, errors, result: evaluateCorpus(perFile), millis: performance.now() - started };
}

function report(run: Run): string {
  const { result } = run;
  const out: string[] = [];
  const expectedCount = [...CORPUS.values()].reduce((n, e) => n + e.length, 0);
  const foundCount = [...run.observed.values()].reduce((n, f) => n + f.length, 0);
  out.push(
    `BLIND2 leakage corpus: ${CORPUS.size} notebooks (${cleanFiles.length} without an LK leak), ` +
      `${expectedCount} expected findings, ${foundCount} reported (${run.millis.toFixed(0)} ms total)`,
  );
  out.push(formatTable('overall', { all: result.overall }));
  out.push(formatTable('rule', result.perRule));
  out.push(formatTable('pattern', result.perPattern, false));
  out.push(
    `matched findings with a different data.model: ${result.modelMismatches.length}, ` +
      `with a different data.source: ${result.sourceMismatches.length}`,
  );
  for (const m of [...result.modelMismatches, ...result.sourceMismatches]) {
    out.push(`  ${m.file} ${m.code} cell ${m.cell} line ${m.line}: ${m.field} ${JSON.stringify(m.found)} (expected ${JSON.stringify(m.expected)})`);
  }
  out.push(`missed (false negatives): ${result.falseNegatives.length}`);
  for (const e of result.falseNegatives) {
    out.push(`  ${e.file} ${e.code} cell ${e.cell} line ${e.line} (${e.source} -> ${e.model}${e.pattern ? `, ${e.pattern}` : ''})`);
  }
  out.push(`unexpected (false positives): ${result.falsePositives.length}`);
  for (const f of result.falsePositives) {
    out.push(`  ${f.file} ${f.code} cell ${f.cell} line ${f.line} (${f.source ?? '?'} -> ${f.model ?? '?'})`);
  }
  for (const [file, message] of run.errors) out.push(`  analysis failed on ${file}: ${message}`);
  return out.join('\n');
}

function writeMetrics(run: Run): void {
  const { result } = run;
  mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
  const metrics = {
    generated: new Date().toISOString(),
    corpus: 'test/fixtures/leakage-blind2 (third blind corpus: not used to tune the engine)',
    select: SELECT,
    matching: 'code + cell + range.start.line; precision = TP/(TP+FP), recall = TP/(TP+FN)',
    thresholds: { precision: null, recall: null },
    notebooks: CORPUS.size,
    cleanNotebooks: cleanFiles.length,
    expected: [...CORPUS.values()].reduce((n, e) => n + e.length, 0),
    reported: [...run.observed.values()].reduce((n, f) => n + f.length, 0),
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
    lkFindingsInCleanNotebooks: cleanFiles.flatMap((file) =>
      (run.observed.get(file) ?? []).filter((f) => isLk(f.code)).map((f) => ({ file, ...f })),
    ),
    analysisErrors: Object.fromEntries(run.errors),
    perFile: result.perFile,
  };
  writeFileSync(METRICS_FILE, `${JSON.stringify(metrics, null, 2)}\n`);
}

describe('leakage blind2 corpus', () => {
  let run: Run;
  before(async () => {
    run = await runCorpus();
    console.log(report(run));
    writeMetrics(run);
  });

  test('the harness ran on every notebook', () => {
    const onDisk = readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.ipynb')).sort();
    assert.deepEqual([...CORPUS.keys()].sort(), onDisk, 'expected.json and the notebooks on disk differ');
    assert.ok(onDisk.length > 0, 'no blind2 notebooks');
    assert.deepEqual(
      Object.fromEntries(run.errors),
      {},
      'the engine failed on some blind2 notebooks',
    );
    assert.deepEqual([...run.observed.keys()].sort(), onDisk);
  });
});
