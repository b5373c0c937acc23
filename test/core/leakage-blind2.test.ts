// The THIRD, BLIND leakage corpus (scripts/fixtures/make_leakage_blind2.py ->
// test/fixtures/leakage-blind2/): realistic notebooks written without reading the rule
// implementations or any other corpus' notebooks, and never used to tune the engine. This file
// runs the engine over every notebook, matches findings to the hand-written expectations with
// the shared harness (test/helpers/leakage-run.ts and leakage-harness.ts), prints precision and recall overall, per rule and per
// preprocessing pattern, lists every false positive and false negative, and writes the numbers
// to test-results/leakage-blind2-metrics.json.
//
// The numbers are a measurement, quoted as they are. The test asserts ONLY that every notebook
// was analysed without an exception: no precision or recall threshold, no per-rule assertion.
// Do not tune the detector against these notebooks (see the docstring of
// make_leakage_blind2.py).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths';
import { corpusReport, loadCorpus, runCorpus, writeCorpusMetrics, type CorpusRun } from '../helpers/leakage-run';

const CORPUS = loadCorpus(join(repoRoot, 'test', 'fixtures', 'leakage-blind2'));
const METRICS_FILE = join(repoRoot, 'test-results', 'leakage-blind2-metrics.json');

describe('leakage blind2 corpus', () => {
  let run: CorpusRun;
  before(async () => {
    run = await runCorpus(CORPUS);
    console.log(corpusReport('BLIND2 leakage corpus', CORPUS, run));
    writeCorpusMetrics(METRICS_FILE, CORPUS, run, {
      corpus: 'test/fixtures/leakage-blind2 (third blind corpus: not used to tune the engine)',
      thresholds: { precision: null, recall: null },
    });
  });

  test('the harness ran on every notebook', () => {
    const onDisk = readdirSync(CORPUS.dir)
      .filter((f) => f.endsWith('.ipynb'))
      .sort();
    assert.deepEqual([...CORPUS.expectations.keys()].sort(), onDisk, 'expected.json and the notebooks on disk differ');
    assert.ok(onDisk.length > 0, 'no blind2 notebooks');
    assert.deepEqual(Object.fromEntries(run.errors), {}, 'the engine failed on some blind2 notebooks');
    assert.deepEqual([...run.observed.keys()].sort(), onDisk);
  });
});
