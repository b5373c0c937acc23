// `nb2prod check`: formats, exit codes and bad input, through `main` and the real bundled bin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { cliPath } from '../helpers/paths';

/** A pretty-printed notebook, as Jupyter writes it (indent 1, sources as line arrays). */
function ipynb(cells: string[]): string {
  return JSON.stringify(
    {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } },
      cells: cells.map((source, i) => ({
        id: `c${i}`,
        cell_type: 'code',
        execution_count: null,
        metadata: {},
        outputs: [],
        source: source.split(/(?<=\n)/),
      })),
    },
    null,
    1,
  );
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nb2prod-cli-'));
  writeFileSync(join(dir, 'bad.ipynb'), ipynb(['import pandas as pd\ndf = pd.read_csv(path)', 'path = "a.csv"\nprint(threshold)']));
  writeFileSync(join(dir, 'clean.ipynb'), ipynb(['x = 1', 'print(x)']));
  writeFileSync(join(dir, 'script.py'), '# %%\nimport os\n\n# %%\nprint(later)\n\n# %%\nlater = os.getcwd()\n');
  writeFileSync(join(dir, 'plain.py'), 'print(nothing_here)\n');
  return dir;
}

test('text format: notebook cells and script lines, 1-based, with a summary; exit 1', async () => {
  const dir = workspace();
  const result = await main(['check', dir]);
  assert.equal(result.exitCode, 1);
  assert.equal(result.stderr, '');
  assert.deepEqual(result.stdout.trimEnd().split('\n'), [
    `${join(dir, 'bad.ipynb')}:cell 1:2:18: NB101 \`path\` is read before it is defined: it is only defined in cell 2, which comes later, so running the notebook top to bottom raises \`NameError\`.`,
    `${join(dir, 'bad.ipynb')}:cell 2:2:7: NB102 \`threshold\` is read here but not defined in any cell; it may come from a deleted cell or interactive state, so a fresh kernel raises \`NameError\`.`,
    `${join(dir, 'plain.py')}:1:7: NB102 \`nothing_here\` is read here but not defined in any cell; it may come from a deleted cell or interactive state, so a fresh kernel raises \`NameError\`.`,
    `${join(dir, 'script.py')}:5:7: NB101 \`later\` is read before it is defined: it is only defined in cell 3, which comes later, so running the notebook top to bottom raises \`NameError\`.`,
    'Found 4 problems in 4 files checked.',
  ]);
});

test('clean input exits 0', async () => {
  const dir = workspace();
  const result = await main(['check', join(dir, 'clean.ipynb')]);
  assert.equal(result.exitCode, 0);
  assert.equal(result.stdout, 'All checks passed (1 file checked).\n');
});

test('json format has exactly the documented shape', async () => {
  const dir = workspace();
  const result = await main(['check', join(dir, 'bad.ipynb'), join(dir, 'clean.ipynb'), '--format', 'json']);
  assert.equal(result.exitCode, 1);
  const parsed = JSON.parse(result.stdout);
  assert.equal(parsed.version, 1);
  assert.deepEqual(
    parsed.files.map((f: { path: string }) => f.path),
    [join(dir, 'bad.ipynb'), join(dir, 'clean.ipynb')],
  );
  assert.deepEqual(parsed.files[0].diagnostics[0], {
    code: 'NB101',
    name: 'use-before-define',
    severity: 'error',
    message: '`path` is read before it is defined: it is only defined in cell 2, which comes later, so running the notebook top to bottom raises `NameError`.',
    cell: 0,
    range: { start: { line: 1, character: 17 }, end: { line: 1, character: 21 } },
    related: [{ cell: 1, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } }, message: '`path` is defined here' }],
    data: { name: 'path', definedIn: 1 },
  });
  assert.deepEqual(parsed.files[1], { path: join(dir, 'clean.ipynb'), diagnostics: [], error: null });
});

test('sarif regions point at the JSON line of the .ipynb on disk', async () => {
  const dir = workspace();
  const file = join(dir, 'bad.ipynb');
  const result = await main(['check', file, '--format', 'sarif']);
  const log = JSON.parse(result.stdout);
  assert.equal(log.version, '2.1.0');
  const [first] = log.runs[0].results;
  assert.equal(first.ruleId, 'NB101');
  assert.equal(first.level, 'error');
  const region = first.locations[0].physicalLocation.region;
  const lines = ipynb(['import pandas as pd\ndf = pd.read_csv(path)', 'path = "a.csv"\nprint(threshold)']).split('\n');
  const line = lines[region.startLine - 1] ?? '';
  assert.match(line, /"df = pd\.read_csv\(path\)"/);
  assert.equal(line.slice(region.startColumn - 1, region.endColumn - 1), 'path');
  const rules = log.runs[0].tool.driver.rules as { id: string }[];
  assert.equal(rules[first.ruleIndex]?.id, 'NB101');
  assert.ok(rules.some((r) => r.id === 'NB102'));
});

test('--select and --ignore take codes and prefixes; unknown codes are usage errors', async () => {
  const dir = workspace();
  const file = join(dir, 'bad.ipynb');
  const selected = JSON.parse((await main(['check', file, '--format', 'json', '--select', 'NB102'])).stdout);
  assert.deepEqual(
    selected.files[0].diagnostics.map((d: { code: string }) => d.code),
    ['NB102'],
  );
  const ignored = await main(['check', file, '--ignore', 'NB1']);
  assert.equal(ignored.exitCode, 0);
  const unknown = await main(['check', file, '--select', 'XX1']);
  assert.equal(unknown.exitCode, 2);
  assert.equal(unknown.stderr, 'nb2prod: unknown rule code or prefix: XX1\n');
});

test('usage errors exit 2 with one line', async () => {
  assert.equal((await main(['frobnicate'])).exitCode, 2);
  assert.equal((await main(['check'])).stderr, 'nb2prod: check needs at least one PATH\n');
  assert.equal((await main(['check', '.', '--format', 'xml'])).exitCode, 2);
  const badFlag = await main(['check', '.', '--bogus']);
  assert.equal(badFlag.exitCode, 2);
  assert.equal(badFlag.stderr.split('\n').length, 2);
});

test('a bad file gets one line and exit 2, and the other files are still checked', async () => {
  const dir = workspace();
  writeFileSync(join(dir, 'truncated.ipynb'), ipynb(['x = 1']).slice(0, 80));
  writeFileSync(join(dir, 'garbage.ipynb'), Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x42]));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'latin1.py'), Buffer.from('x = "caf\xe9"\n', 'latin1'));
  const result = await main(['check', dir, join(dir, 'missing.ipynb')]);
  assert.equal(result.exitCode, 2);
  const errors = result.stderr.trimEnd().split('\n');
  assert.equal(errors.length, 5, result.stderr);
  for (const line of errors.slice(0, 4)) assert.match(line, /^error: .+/);
  assert.equal(errors[4], '4 files could not be checked.');
  assert.match(result.stdout, /Found 4 problems in 4 files checked\./);
});

test('when no file could be read, the summary does not say that all checks passed', async () => {
  const dir = workspace();
  const result = await main(['check', join(dir, 'missing.ipynb')]);
  assert.equal(result.exitCode, 2);
  assert.equal(result.stdout, 'No file was checked.\n');
  const mixed = await main(['check', join(dir, 'clean.ipynb'), join(dir, 'missing.ipynb')]);
  assert.equal(mixed.exitCode, 2);
  assert.equal(mixed.stdout, 'No problems in the 1 file checked.\n');
});

test('the bundled bin runs with the same exit codes', () => {
  const dir = workspace();
  const cli = cliPath;
  const found = spawnSync(process.execPath, [cli, 'check', join(dir, 'bad.ipynb'), '--format', 'json'], { encoding: 'utf8' });
  assert.equal(found.status, 1, found.stderr);
  assert.equal(JSON.parse(found.stdout).files[0].diagnostics.length, 2);
  const clean = spawnSync(process.execPath, [cli, 'check', join(dir, 'clean.ipynb')], { encoding: 'utf8' });
  assert.equal(clean.status, 0, clean.stderr);
  const missing = spawnSync(process.execPath, [cli, 'check', join(dir, 'nope.ipynb')], { encoding: 'utf8' });
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr.split('\n')[0]?.startsWith('error: '), true);
});

test('sarif and json name no made-up model class: a leak into a model of unknown class has no data.model', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nb2prod-cli-'));
  const cells = [
    'import pandas as pd\nfrom sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler\nfrom mystery import Thing',
    'df = pd.read_csv("data.csv")\nXs = StandardScaler().fit_transform(df.drop(columns=["y"]))',
    'X_train, X_test, y_train, y_test = train_test_split(Xs, df["y"], random_state=0)\nm = Thing()\nm.fit(X_train, y_train)\nprint(m.score(X_test, y_test))',
  ];
  const file = join(dir, 'unknown-model.ipynb');
  writeFileSync(file, ipynb(cells));
  const sarif = await main(['check', file, '--format', 'sarif', '--select', 'LK201']);
  const [result] = JSON.parse(sarif.stdout).runs[0].results;
  assert.equal(result.ruleId, 'LK201');
  assert.deepEqual(result.properties.data, { source: 'StandardScaler.fit_transform', pattern: 'scaling', confidence: 'high' });
  assert.match(result.message.text, /leak into the training of the model\.$/);
  const json = await main(['check', file, '--format', 'json', '--select', 'LK201']);
  assert.doesNotMatch(sarif.stdout + json.stdout, /Unknown/);
});
