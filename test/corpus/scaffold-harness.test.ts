// The scaffold corpus harness (`npm run scaffold-corpus`): each step's outcome, the first error
// line, the metric comparison and the table, on a tiny notebook folder written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvRecords } from '../../scripts/csv';
import { firstErrorLine, generatedMetric, readList, refusalReason, relativeGap, resultsMarkdown, type Result } from '../../scripts/scaffold-corpus';
import { buildRoot, repoRoot } from '../helpers/paths';

const python = process.env['NB2PROD_PYTHON'] ?? '/usr/bin/python3';
const probe = spawnSync(python, ['-c', 'import sklearn, pandas, joblib, pytest'], { encoding: 'utf8' });
const skip = probe.status === 0 ? false : `${python} lacks the sklearn stack`;

test('the first error line: a traceback gives its exception, pytest its first E line, else the first stderr line', () => {
  const traceback = 'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n    f()\nKeyError: \'price\'\n';
  assert.equal(firstErrorLine(traceback), "KeyError: 'price'");
  assert.equal(firstErrorLine('', '..F\nE   AssertionError: golden rows differ\nE   more\n'), 'E   AssertionError: golden rows differ');
  assert.equal(firstErrorLine('\nnb2prod: no manifest\nsecond\n'), 'nb2prod: no manifest');
  assert.equal(firstErrorLine('', ''), '(no output)');
});

test('a scaffold refusal is summed up by the lines between its header and what could be placed', () => {
  const stderr =
    'nb2prod: cannot scaffold a.ipynb:\n  The model `m` (cell 3) could not be traced:\n    Unsupported feature selection `x`.\n  What could be placed:\n    cell 1: training\n  Nothing was written.\n';
  assert.equal(refusalReason(stderr), 'The model `m` (cell 3) could not be traced: Unsupported feature selection `x`.');
  assert.equal(refusalReason('nb2prod: something else\n'), undefined);
});

test('the metric gap is relative to the notebook value, and absent without one', () => {
  assert.equal(relativeGap('0.8', 0.78), 0.025000000000000022);
  assert.equal(relativeGap('-', 0.78), undefined);
  assert.equal(relativeGap('0.8', undefined), undefined);
  assert.equal(generatedMetric('accuracy', { accuracy: 0.7 }), 0.7);
  assert.equal(generatedMetric('rmse', { mse: 4, mae: 1 }), 2);
  assert.equal(generatedMetric('r2', { mse: 4 }), undefined);
});

test('the table counts the notebooks that pass each step and lists each failure once', () => {
  const entry = { repository: 'o/n', commit: '0123456789', path: 'a.ipynb', data: ['a.csv'], metric: 'accuracy', notebookValue: '0.8' };
  const passed: Result = {
    entry,
    steps: { scaffold: 'pass', train: 'pass', pytest: 'pass', verify: 'pass', predict: 'pass', drift: 'pass' },
    generatedValue: 0.79,
    generatedMetrics: { accuracy: 0.79 },
  };
  const failed: Result = {
    entry: { ...entry, path: 'b.ipynb' },
    steps: { scaffold: 'pass', train: 'fail', pytest: 'skipped', verify: 'skipped', predict: 'skipped', drift: 'skipped' },
    error: { step: 'train', line: "KeyError: 'x'" },
    generatedMetrics: {},
  };
  const table = resultsMarkdown([passed, failed]);
  assert.match(table, /\| o\/n@0123456 \| a\.ipynb \| pass \| pass \| pass \| pass \| pass \| pass \| accuracy 0\.8 \/ 0\.79 \(within 2%\) \|/);
  assert.match(table, /\| o\/n@0123456 \| b\.ipynb \| pass \| \*\*fail\*\* \| - \| - \| - \| - \| accuracy 0\.8 \/ - \|/);
  assert.match(table, /\| \*\*passed\*\* \| \| 2\/2 \| 1\/2 \| 1\/2 \| 1\/2 \| 1\/2 \| 1\/2 \| 1 within 2% \|/);
  assert.match(table, /- o\/n `b\.ipynb`: train: KeyError: 'x'/);
});

test('the committed list names at least 12 notebooks from at least 8 authors, each with a commit and data', () => {
  const entries = readList(readFileSync(join(repoRoot, 'test', 'corpus', 'scaffold', 'notebooks.csv'), 'utf8'));
  assert.ok(entries.length >= 12, `${entries.length} notebooks`);
  assert.ok(new Set(entries.map((e) => e.repository.split('/')[0])).size >= 8);
  for (const e of entries) {
    assert.match(e.commit, /^[0-9a-f]{40}$/, e.path);
    assert.ok(e.data.length > 0 && e.metric !== '', e.path);
  }
});

test('npm run scaffold-corpus: every step on a notebook that fits, skipped steps after a refusal', { skip, timeout: 600_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'nb2prod-scaffold-corpus-test-'));
  try {
    const folder = join(root, 'corpus', 'owner+name', 'study');
    mkdirSync(folder, { recursive: true });
    // Two numeric columns and a label that depends on them, with some overlap.
    const rows = Array.from({ length: 400 }, (_, i) => {
      const a = ((i * 37) % 101) / 10;
      const b = ((i * 53) % 89) / 10;
      return `${i},${a},${b},${a + b + ((i * 7) % 5) - 2 > 9 ? 1 : 0}`;
    });
    writeFileSync(join(folder, 'points.csv'), ['id,a,b,label', ...rows, ''].join('\n'));
    const cell = (source: string) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source });
    const notebook = (cells: string[]) => JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: cells.map(cell) });
    writeFileSync(
      join(folder, 'fits.ipynb'),
      notebook([
        'import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\nfrom sklearn.metrics import accuracy_score\nfrom sklearn.model_selection import train_test_split',
        'df = pd.read_csv("points.csv")',
        'X_train, X_test, y_train, y_test = train_test_split(df[["a", "b"]], df["label"], test_size=0.25, random_state=0)',
        'model = LogisticRegression().fit(X_train, y_train)\nprint(accuracy_score(y_test, model.predict(X_test)))',
      ]),
    );
    writeFileSync(join(folder, 'no-model.ipynb'), notebook(['import pandas as pd', 'df = pd.read_csv("points.csv")\ndf.describe()']));
    const list = join(root, 'list.csv');
    const commit = '0123456789abcdef0123456789abcdef01234567';
    writeFileSync(
      list,
      `repository,commit,path,data,metric,notebook_value,note\nowner/name,${commit},study/fits.ipynb,points.csv,accuracy,-,\nowner/name,${commit},study/no-model.ipynb,points.csv,accuracy,-,\n`,
    );
    const out = join(root, 'out');
    const run = spawnSync(
      process.execPath,
      [join(buildRoot, 'out', 'scripts', 'scaffold-corpus.js'), join(root, 'corpus'), '--list', list, '--out', out, '--python', python],
      { encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    const results = csvRecords(readFileSync(join(out, 'results.csv'), 'utf8'));
    const steps = (r: Record<string, string>) => ['scaffold', 'train', 'pytest', 'verify', 'predict', 'drift'].map((s) => r[s]);
    assert.deepEqual(steps(results[0]!), ['pass', 'pass', 'pass', 'pass', 'pass', 'pass'], results[0]!['first_error']);
    assert.match(results[0]!['generated_metrics']!, /accuracy=0\.\d+/);
    assert.deepEqual(steps(results[1]!), ['fail', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    assert.equal(results[1]!['failed_step'], 'scaffold');
    assert.notEqual(results[1]!['first_error'], '');
    assert.match(readFileSync(join(out, 'results.md'), 'utf8'), /Every step passed for 1 of 2 notebooks\./);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
