// Project configuration: which file governs a notebook, how its keys become analysis options, how
// the user's own choices win over it, and the one-line errors for a bad file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ConfigLoader, isExcluded, optionsFor } from '../../../src/core/config';

/** A temporary folder holding `files` (path relative to it -> text). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'nb2prod-config-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function configPathFor(root: string, file: string): string | undefined {
  return new ConfigLoader().configFor(join(root, file))?.path.slice(root.length + 1);
}

test('the nearest configuration above a file governs it, and files further up are not merged', () => {
  const root = tree({
    'pyproject.toml': '[tool.nb2prod]\nignore = ["NB109"]\n',
    'a/nb2prod.toml': 'select = ["NB1"]\n',
    'a/b/c.ipynb': '',
    'd/e.ipynb': '',
  });
  assert.equal(configPathFor(root, 'a/b/c.ipynb'), 'a/nb2prod.toml');
  assert.equal(configPathFor(root, 'd/e.ipynb'), 'pyproject.toml');
  const loader = new ConfigLoader();
  assert.deepEqual(optionsFor(loader.configFor(join(root, 'a/b/c.ipynb')), join(root, 'a/b/c.ipynb')), { select: ['NB1'] });
});

test('in one folder nb2prod.toml wins over pyproject.toml', () => {
  const root = tree({ 'pyproject.toml': '[tool.nb2prod]\nignore = ["NB109"]\n', 'nb2prod.toml': 'ignore = ["NB110"]\n', 'n.ipynb': '' });
  assert.equal(configPathFor(root, 'n.ipynb'), 'nb2prod.toml');
});

test('a pyproject.toml without [tool.nb2prod] is passed over, even when it is not valid TOML', () => {
  const root = tree({
    'nb2prod.toml': 'ignore = ["NB110"]\n',
    'sub/pyproject.toml': '[project]\nname = "x"\n',
    'sub/n.ipynb': '',
    'other/pyproject.toml': '[[[',
  });
  assert.equal(configPathFor(root, 'sub/n.ipynb'), 'nb2prod.toml');
  assert.equal(configPathFor(root, 'other/n.ipynb'), 'nb2prod.toml');
});

test('no configuration anywhere gives no options and excludes nothing', () => {
  const root = tree({ 'n.ipynb': '' });
  const config = new ConfigLoader().configFor(join(root, 'n.ipynb'));
  // The temporary folder's ancestors hold no configuration on a test machine.
  assert.equal(config, undefined);
  assert.deepEqual(optionsFor(config, join(root, 'n.ipynb')), {});
  assert.equal(isExcluded(config, join(root, 'n.ipynb')), false);
});

const FULL = [
  '[tool.nb2prod]',
  'select = ["NB", "LK"]',
  'ignore = ["NB109"]',
  'extend-exclude = ["legacy", "scratch/*.ipynb"]',
  '',
  '[tool.nb2prod.per-file-ignores]',
  '"tests/**" = ["LK"]',
  '"*_eda.ipynb" = ["NB110", "NB111"]',
  '',
  '[tool.nb2prod.severity]',
  'NB1 = "info"',
  'NB104 = "error"',
  'LK201 = "hint"',
].join('\n');

test('select, ignore, per-file-ignores and severity become the options of each file', () => {
  const root = tree({ 'pyproject.toml': FULL });
  const loader = new ConfigLoader();
  const at = (file: string) => optionsFor(loader.configFor(join(root, file)), join(root, file));
  const severity = at('a.ipynb').severity ?? {};
  assert.equal(severity['NB101'], 'info');
  assert.equal(severity['NB104'], 'error', 'a code wins over a prefix that covers it');
  assert.equal(severity['LK201'], 'hint');
  assert.equal(severity['LK202'], undefined);
  assert.deepEqual(at('a.ipynb').ignore, ['NB109']);
  const off = (file: string) => Object.keys(at(file).severity ?? {}).filter((code) => at(file).severity?.[code] === 'off');
  assert.deepEqual(off('a.ipynb'), []);
  // A per-file ignore turns the codes off, so that no selection can bring them back there.
  assert.deepEqual(off('tests/unit/t.ipynb'), ['LK201', 'LK202', 'LK203', 'LK204', 'LK205', 'LK206', 'LK207']);
  assert.deepEqual(off('notebooks/sales_eda.ipynb'), ['NB110', 'NB111']);
  assert.deepEqual(at('a.ipynb').select, ['NB', 'LK']);
});

test('exclude: extend-exclude adds to the default folders, exclude replaces them', () => {
  const root = tree({ 'pyproject.toml': FULL, 'other/nb2prod.toml': 'exclude = ["*.py"]\n' });
  const loader = new ConfigLoader();
  const excluded = (file: string) => isExcluded(loader.configFor(join(root, file)), join(root, file));
  assert.equal(excluded('legacy/old.ipynb'), true);
  assert.equal(excluded('src/legacy/old.ipynb'), true, 'a name without a slash matches at any depth');
  assert.equal(excluded('scratch/try.ipynb'), true);
  assert.equal(excluded('scratch/deeper/try.ipynb'), false, '`*` stays within one folder');
  assert.equal(excluded('.venv/lib/x.ipynb'), true, 'the default list still applies');
  assert.equal(excluded('keep.ipynb'), false);
  assert.equal(excluded('other/script.py'), true);
  assert.equal(excluded('other/.venv/x.ipynb'), false, '`exclude` replaced the default list');
});

test('the user overrides: a select replaces the file selection, an ignore adds, a severity wins per code', () => {
  const root = tree({ 'pyproject.toml': FULL });
  const file = join(root, 'tests/t.ipynb');
  const config = new ConfigLoader().configFor(file);
  assert.deepEqual(optionsFor(config, file, { select: ['NB109'] }).select, ['NB109']);
  assert.equal(optionsFor(config, file, { select: ['NB109'] }).ignore, undefined);
  assert.equal(optionsFor(config, file, { select: ['LK201'], severity: { LK201: 'error' } }).severity?.['LK201'], 'off', 'per-file-ignores still apply');
  assert.deepEqual(optionsFor(config, file, { ignore: ['NB101'] }).ignore, ['NB109', 'NB101']);
  // PREVIEW alone chooses no rules: it joins the file's selection, whose ignore stays.
  assert.deepEqual(optionsFor(config, file, { select: ['PREVIEW'] }).select, ['NB', 'LK', 'PREVIEW']);
  assert.deepEqual(optionsFor(config, file, { select: ['PREVIEW'] }).ignore, ['NB109']);
  assert.deepEqual(optionsFor(config, file, { ignore: ['NB101'] }).select, ['NB', 'LK']);
  const severity = optionsFor(config, file, { severity: { NB104: 'warning' } }).severity ?? {};
  assert.equal(severity['NB104'], 'warning');
  assert.equal(severity['NB101'], 'info');
});

/** The one-line error a configuration gives, with the temporary folder cut off. */
function errorOf(name: string, text: string): string {
  const root = tree({ [name]: text });
  try {
    new ConfigLoader().configFor(join(root, 'n.ipynb'));
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.ok(!error.message.includes('\n'), 'one line');
    return error.message.slice(root.length + 1);
  }
  return 'no error';
}

test('a bad key or value is one line naming the file and the key', () => {
  assert.equal(
    errorOf('pyproject.toml', '[tool.nb2prod]\nselct = ["NB1"]\n'),
    'pyproject.toml: unknown key `tool.nb2prod.selct` (known: select, ignore, per-file-ignores, severity, exclude, extend-exclude)',
  );
  assert.equal(errorOf('nb2prod.toml', 'ignore = ["NB1", "XX9"]\n'), 'nb2prod.toml: key `ignore[1]`: is not a rule code or prefix');
  assert.equal(errorOf('nb2prod.toml', 'select = "NB1"\n'), 'nb2prod.toml: key `select`: Invalid input: expected array, received string');
  assert.equal(
    errorOf('pyproject.toml', '[tool.nb2prod.severity]\nNB101 = "loud"\n'),
    'pyproject.toml: key `tool.nb2prod.severity.NB101`: Invalid option: expected one of "error"|"warning"|"info"|"hint"|"off"',
  );
  assert.match(errorOf('nb2prod.toml', 'severity = { XX1 = "info" }\n'), /^nb2prod\.toml: key `severity(\.XX1)?`: /);
  assert.equal(
    errorOf('nb2prod.toml', '[per-file-ignores]\n"*.py" = ["NB1", 3]\n'),
    'nb2prod.toml: key `per-file-ignores.*.py[1]`: Invalid input: expected string, received number',
  );
});

test('invalid TOML is one line with the file, line and column', () => {
  assert.match(errorOf('nb2prod.toml', 'select = ["NB1"\n'), /^nb2prod\.toml:2:1: invalid TOML \(.+\)$/);
});
