// The leakage evaluation corpus (scripts/fixtures/make_leakage.py -> test/fixtures/leakage/):
// realistic notebooks with hand-written expected LK2xx / PR301 / PR302 findings. This file runs
// the engine over every fixture, matches findings to expectations, reports precision and recall
// overall, per rule and per preprocessing pattern, checks `data.model` / `data.source` of the
// matched findings, and writes the numbers to test-results/leakage-metrics.json.
//
// Running, reporting, matching and tallies come from test/helpers/leakage-run.ts and
// leakage-harness.ts (shared with the held-out and blind
// corpora); here an undefined precision or recall (n/a) fails.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadNotebookFile } from '../../src/core/notebook';
import { repoRoot } from '../helpers/paths';
import { evaluateCorpus, matchFile, pct, PATTERNS, RULE_CODES, tally, type Expectation, type FileResult, type Observed } from '../helpers/leakage-harness';
import { corpusReport, isLk, lkInCleanNotebooks, loadCorpus, runCorpus, writeCorpusMetrics, type CorpusRun } from '../helpers/leakage-run';

const CORPUS = loadCorpus(join(repoRoot, 'test', 'fixtures', 'leakage'));
const METRICS_FILE = join(repoRoot, 'test-results', 'leakage-metrics.json');
const MIN_PRECISION = 0.95;
const MIN_RECALL = 0.9;
const MIN_FIXTURES = 32;

describe('leakage corpus: expectations', () => {
  test('expected.json has conventions and covers every fixture on disk', () => {
    assert.ok(CORPUS.notes['_conventions'] && typeof CORPUS.notes['_conventions'] === 'object', 'expected.json needs "_conventions"');
    const onDisk = readdirSync(CORPUS.dir)
      .filter((f) => f.endsWith('.ipynb'))
      .sort();
    assert.deepEqual([...CORPUS.expectations.keys()].sort(), onDisk);
    assert.ok(CORPUS.expectations.size >= MIN_FIXTURES, `${CORPUS.expectations.size} fixtures, at least ${MIN_FIXTURES} wanted`);
    assert.ok(CORPUS.cleanFiles.length > 0 && [...CORPUS.expectations.values()].some((e) => e.length === 0), 'the corpus needs clean notebooks');
  });

  test('every expectation is well-formed and points at a line of a code cell', async () => {
    const problems: string[] = [];
    for (const [file, expected] of CORPUS.expectations) {
      const notebook = await loadNotebookFile(join(CORPUS.dir, file));
      const cells = notebook.cells.length;
      assert.ok(cells >= 8 && cells <= 25, `${file}: ${cells} cells (8-25 wanted)`);
      for (const e of expected) {
        const where = `${file} ${e.code} cell ${e.cell} line ${e.line}`;
        if (!(RULE_CODES as readonly string[]).includes(e.code)) problems.push(`${where}: unknown code`);
        if (e.pattern !== undefined && !(PATTERNS as readonly string[]).includes(e.pattern)) problems.push(`${where}: unknown pattern`);
        if (e.model === undefined || e.model === '' || !e.source) problems.push(`${where}: model (a class or null) and source are required`);
        if (e.source && !/^[A-Za-z_][\w.]*\.[A-Za-z_]\w*$/.test(e.source)) problems.push(`${where}: source "${e.source}" is not <Class or module>.<name>`);
        const cell = notebook.cells[e.cell];
        if (cell?.kind !== 'code') problems.push(`${where}: not a code cell`);
        else if (e.line < 0 || e.line >= cell.source.split('\n').length) problems.push(`${where}: no such line`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test('every rule and every preprocessing pattern has expectations', () => {
    const all = [...CORPUS.expectations.values()].flat();
    for (const code of RULE_CODES)
      assert.ok(
        all.some((e) => e.code === code),
        `no expectation for ${code}`,
      );
    for (const pattern of PATTERNS)
      assert.ok(
        all.some((e) => e.pattern === pattern && isLk(e.code)),
        `no leak for pattern ${pattern}`,
      );
  });
});

describe('leakage corpus: harness', () => {
  const exp = (code: string, cell: number, line: number, source = 'S.fit', model = 'M'): Expectation => ({ code, cell, line, source, model });
  const obs = (code: string, cell: number, line: number, source?: string, model?: string): Observed => ({ code, cell, line, source, model });

  test('matches by code, cell and start line, one to one', () => {
    const r = matchFile(
      [exp('LK201', 3, 1), exp('LK201', 3, 2), exp('LK205', 5, 0)],
      [obs('LK201', 3, 1, 'S.fit', 'M'), obs('LK201', 3, 1, 'S.fit', 'M'), obs('LK202', 5, 0), obs('LK205', 5, 0, 'X.y', 'M')],
    );
    assert.equal(r.matches.length, 2);
    assert.deepEqual(
      r.falseNegatives.map((e) => `${e.code}@${e.cell}:${e.line}`),
      ['LK201@3:2'],
    );
    assert.deepEqual(
      r.falsePositives.map((f) => `${f.code}@${f.cell}:${f.line}`),
      ['LK201@3:1', 'LK202@5:0'],
    );
  });

  test('prefers the finding whose source agrees when two share a line', () => {
    const r = matchFile(
      [exp('LK201', 2, 2, 'A.fit_transform'), exp('LK201', 2, 2, 'B.fit_transform')],
      [obs('LK201', 2, 2, 'B.fit_transform', 'M'), obs('LK201', 2, 2, 'A.fit_transform', 'M')],
    );
    assert.deepEqual(
      r.matches.map((m) => [m.expected.source, m.found.source]),
      [
        ['A.fit_transform', 'A.fit_transform'],
        ['B.fit_transform', 'B.fit_transform'],
      ],
    );
  });

  test('tallies precision, recall and mismatches; undefined ratios are null', () => {
    const results = new Map<string, FileResult>([
      ['a.ipynb', matchFile([exp('LK201', 1, 0, 'S.fit', 'LogisticRegression')], [obs('LK201', 1, 0, 'S.fit')])],
      ['b.ipynb', matchFile([exp('LK203', 4, 1)], [obs('PR301', 2, 0)])],
    ]);
    const c = evaluateCorpus(results);
    assert.deepEqual([c.overall.tp, c.overall.fp, c.overall.fn], [1, 1, 1]);
    assert.equal(c.overall.precision, 0.5);
    assert.equal(c.modelMismatches.length, 1);
    assert.equal(c.sourceMismatches.length, 0);
    assert.equal(c.perRule['LK202']!.precision, null);
    assert.equal(c.perRule['PR301']!.precision, 0);
    assert.equal(tally(0, 0, 0).recall, null);
  });
});

describe('leakage corpus: the engine against the ground truth', () => {
  let run: CorpusRun;
  before(async () => {
    run = await runCorpus(CORPUS);
    console.log(corpusReport('leakage corpus', CORPUS, run));
    writeCorpusMetrics(METRICS_FILE, CORPUS, run, {
      corpus: 'test/fixtures/leakage (tuning corpus)',
      thresholds: { precision: MIN_PRECISION, recall: MIN_RECALL },
    });
  });

  const notImplemented = (): string =>
    run.observed.size > 0 && [...run.observed.values()].every((f) => f.length === 0)
      ? ' The engine reported no LK/PR301/PR302 finding on any fixture: the rules are not implemented (or not registered) yet.'
      : '';
  const errorsNote = (): string =>
    run.errors.size > 0 ? ` Analysis failed on ${run.errors.size} fixture(s): ${[...run.errors].map(([f, m]) => `${f} (${m})`).join('; ')}.` : '';

  test(`overall precision >= ${MIN_PRECISION} and recall >= ${MIN_RECALL}`, () => {
    const { overall } = run.result;
    const ok = overall.precision !== null && overall.precision >= MIN_PRECISION && overall.recall !== null && overall.recall >= MIN_RECALL;
    assert.ok(
      ok,
      `precision ${pct(overall.precision)} (TP ${overall.tp}, FP ${overall.fp}; need ${pct(MIN_PRECISION)}), ` +
        `recall ${pct(overall.recall)} (TP ${overall.tp}, FN ${overall.fn}; need ${pct(MIN_RECALL)}).` +
        `${notImplemented()}${errorsNote()} Details above and in ${METRICS_FILE}.`,
    );
  });

  test('every preprocessing pattern is caught at least once', () => {
    const missed = PATTERNS.filter((p) => (run.result.perPattern[p]?.tp ?? 0) === 0);
    assert.deepEqual(missed, [], `patterns never caught: ${missed.join(', ')}.${notImplemented()}${errorsNote()}`);
  });

  test('notebooks without an expected leak produce no LK finding', () => {
    const noisy = lkInCleanNotebooks(CORPUS, run).map((f) => `${f.file}: ${f.code} cell ${f.cell} line ${f.line} (${f.source ?? '?'})`);
    assert.ok(!CORPUS.cleanFiles.some((f) => run.errors.has(f)), `analysis failed on a clean notebook.${errorsNote()}`);
    assert.deepEqual(noisy, [], `LK findings in clean notebooks:\n  ${noisy.join('\n  ')}`);
  });

  test('the metrics file is written', () => {
    assert.ok(existsSync(METRICS_FILE));
  });
});
