// The evaluation on public leakage examples (`npm run leakage-eval`): label parsing, matching by
// file, code and cell or nearby line, and one run over a synthetic folder written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Label, matchLabels, parseLabels, type Reported, tally } from '../../scripts/leakage-eval';
import { buildRoot } from '../helpers/paths';

const HEADER = 'repository,commit,path,cell,expected,model,covered,reason';

function label(position: number | undefined, expected: string, covered = true): Label {
  return { repository: 'o/n', commit: 'c', path: 'p.py', position, expected, model: 'M', covered, reason: 'r' };
}

const reported = (code: string, position: number): Reported => ({ code, position, message: '' });

test('labels: NONE rows need no cell, leak rows need a 1-based cell and a known code', () => {
  const labels = parseLabels(`${HEADER}\no/n,c,a.py,8,LK201,LogisticRegression,yes,why\no/n,c,b.ipynb,,NONE,,,clean\n`);
  assert.deepEqual(
    labels.map((l) => [l.path, l.position, l.expected, l.covered]),
    [
      ['a.py', 8, 'LK201', true],
      ['b.ipynb', undefined, 'NONE', false],
    ],
  );
  assert.throws(() => parseLabels(`${HEADER}\no/n,c,a.py,,LK201,M,yes,why\n`), /labels row 2: cell must be a 1-based cell or line, not ""/);
  assert.throws(() => parseLabels(`${HEADER}\no/n,c,a.py,3,NB101,M,yes,why\n`), /labels row 2: expected must be an LK code, PR301, PR302 or NONE, not "NB101"/);
});

test('a .py finding matches within the tolerance, nearest first, one label per finding', () => {
  const labels = [label(10, 'LK201'), label(12, 'LK201'), label(40, 'LK203', false)];
  const found = [reported('LK201', 13), reported('LK201', 11), reported('LK203', 44), reported('LK207', 40), reported('NB106', 1)];
  const outcome = matchLabels(labels, found, true, 3);
  assert.deepEqual(
    outcome.matched.map((m) => `${m.label.expected}@${m.label.position}=${m.found.position}`),
    ['LK201@10=11', 'LK201@12=13'],
  );
  // 44 is 4 lines from 40: out of tolerance. The LK207 is unexpected; NB106 is not measured.
  assert.deepEqual(
    outcome.missed.map((l) => l.position),
    [40],
  );
  assert.deepEqual(
    outcome.unexpected.map((f) => `${f.code}@${f.position}`),
    ['LK203@44', 'LK207@40'],
  );
});

test('an .ipynb finding matches only in the labelled cell', () => {
  const outcome = matchLabels([label(5, 'LK201')], [reported('LK201', 6), reported('LK201', 5)], false, 3);
  assert.deepEqual(
    outcome.matched.map((m) => m.found.position),
    [5],
  );
  assert.deepEqual(
    outcome.unexpected.map((f) => f.position),
    [6],
  );
});

test('totals: overall, per code, and recall on covered and not covered shapes', () => {
  const outcome = matchLabels([label(10, 'LK201'), label(40, 'LK203', false)], [reported('LK201', 10), reported('LK205', 2)], true, 3);
  const totals = tally([outcome]);
  assert.deepEqual(totals.overall, { truePositives: 1, falsePositives: 1, falseNegatives: 1, precision: 0.5, recall: 0.5 });
  // No label expects LK205, so its finding is left out of the labelled codes' precision.
  assert.deepEqual(totals.labelledCodes, { truePositives: 1, falsePositives: 0, falseNegatives: 1, precision: 1, recall: 0.5 });
  assert.deepEqual(Object.keys(totals.perCode), ['LK201', 'LK203', 'LK205']);
  assert.equal(totals.perCode['LK205']?.precision, 0);
  assert.equal(totals.covered.recall, 1);
  assert.equal(totals.notCovered.recall, 0);
});

test('a run over a synthetic folder: one leak found in a script, a clean notebook stays clean', () => {
  const root = mkdtempSync(join(tmpdir(), 'nb2prod-leakage-eval-'));
  try {
    const repo = join(root, 'corpus', 'someone+demo');
    mkdirSync(repo, { recursive: true });
    writeFileSync(join(repo, '.commit'), 'someone/demo 1111111\n');
    writeFileSync(
      join(repo, 'leak.py'),
      [
        'import pandas as pd',
        'from sklearn.preprocessing import StandardScaler',
        'from sklearn.model_selection import train_test_split',
        'from sklearn.linear_model import LogisticRegression',
        '',
        'frame = pd.read_csv("loans.csv")',
        'features = frame.drop(columns=["paid"])',
        'scaled = StandardScaler().fit_transform(features)',
        'X_train, X_test, y_train, y_test = train_test_split(scaled, frame["paid"], random_state=1)',
        'clf = LogisticRegression().fit(X_train, y_train)',
        'print(clf.score(X_test, y_test))',
        '',
      ].join('\n'),
    );
    const cells = [
      'import pandas as pd\nfrom sklearn.pipeline import make_pipeline\nfrom sklearn.preprocessing import StandardScaler\nfrom sklearn.model_selection import train_test_split\nfrom sklearn.linear_model import LogisticRegression',
      'frame = pd.read_csv("loans.csv")\nX_train, X_test, y_train, y_test = train_test_split(frame.drop(columns=["paid"]), frame["paid"], random_state=1)',
      'model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X_train, y_train)\nprint(model.score(X_test, y_test))',
    ];
    const ipynb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { language_info: { name: 'python' } },
      cells: [
        { cell_type: 'markdown', id: 'm0', metadata: {}, source: 'A clean twin' },
        ...cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
      ],
    };
    writeFileSync(join(repo, 'clean.ipynb'), JSON.stringify(ipynb));
    const labels = join(root, 'labels.csv');
    writeFileSync(
      labels,
      `${HEADER}\nsomeone/demo,1111111,leak.py,8,LK201,LogisticRegression,yes,scaled before the split\n` +
        'someone/demo,1111111,clean.ipynb,,NONE,,,pipeline fitted after the split\n',
    );
    const out = join(root, 'out');
    execFileSync(process.execPath, [join(buildRoot, 'out', 'scripts', 'leakage-eval.js'), join(root, 'corpus'), '--labels', labels, '--out', out], {
      encoding: 'utf8',
    });
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { overall: unknown; problems: string[] };
    assert.deepEqual(results.overall, { truePositives: 1, falsePositives: 0, falseNegatives: 0, precision: 1, recall: 1 });
    assert.deepEqual(results.problems, []);
    assert.match(readFileSync(join(out, 'labels-result.csv'), 'utf8'), /someone\/demo,leak\.py,8,LK201,yes,found,LK201 at 8/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
