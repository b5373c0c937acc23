// The BLIND held-out leakage corpus (scripts/fixtures/make_leakage_heldout.py ->
// test/fixtures/leakage-heldout/): realistic notebooks written without reading the rule
// implementations or the tuning corpus' notebooks, and never used to tune the engine. This file
// runs the engine over every notebook, matches findings to the hand-written expectations with
// the tuning corpus' own harness (test/helpers/leakage-run.ts and leakage-harness.ts), prints precision and recall overall, per rule and per preprocessing
// pattern, lists every false positive and false negative, and writes the numbers to
// test-results/leakage-heldout-metrics.json.
//
// The numbers are quoted as they are. The test asserts ONLY that the harness ran on every
// notebook and a held-out precision floor; recall, per-rule numbers and the data.model /
// data.source agreement are reported, not asserted. Do not tune the detector against these
// notebooks (see the docstring of make_leakage_heldout.py).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths';
import { pct } from '../helpers/leakage-harness';
import { corpusReport, loadCorpus, runCorpus, writeCorpusMetrics, type CorpusRun } from '../helpers/leakage-run';

const CORPUS = loadCorpus(join(repoRoot, 'test', 'fixtures', 'leakage-heldout'));
const METRICS_FILE = join(repoRoot, 'test-results', 'leakage-heldout-metrics.json');
/** A floor for a corpus the engine was not tuned on; the numbers are reported, not tuned. */
const MIN_PRECISION = 0.8;

describe('leakage held-out corpus', () => {
  let run: CorpusRun;
  before(async () => {
    run = await runCorpus(CORPUS);
    console.log(corpusReport('HELD-OUT leakage corpus', CORPUS, run));
    writeCorpusMetrics(METRICS_FILE, CORPUS, run, {
      corpus: 'test/fixtures/leakage-heldout (blind, held-out: not used to tune the engine)',
      thresholds: { precision: MIN_PRECISION, recall: null },
    });
  });

  test('the harness ran on every notebook', () => {
    const onDisk = readdirSync(CORPUS.dir)
      .filter((f) => f.endsWith('.ipynb'))
      .sort();
    assert.deepEqual([...CORPUS.expectations.keys()].sort(), onDisk, 'expected.json and the notebooks on disk differ');
    assert.ok(onDisk.length > 0, 'no held-out notebooks');
    assert.deepEqual(Object.fromEntries(run.errors), {}, 'the engine failed on some held-out notebooks');
    assert.deepEqual([...run.observed.keys()].sort(), onDisk);
  });

  test(`overall precision >= ${MIN_PRECISION} (held-out floor)`, () => {
    const { overall } = run.result;
    assert.ok(
      overall.precision !== null && overall.precision >= MIN_PRECISION,
      `precision ${pct(overall.precision)} (TP ${overall.tp}, FP ${overall.fp}; floor ${pct(MIN_PRECISION)}). ` + `Details above and in ${METRICS_FILE}.`,
    );
  });
});
