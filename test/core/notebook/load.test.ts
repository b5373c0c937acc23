import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeNotebook } from '../../../src/core/engine';
import { compact } from '../../helpers/notebooks';
import { decodeText, findNotebookFiles, loadNotebookFile, NotebookError, parseNotebookText } from '../../../src/core/notebook';

const notebook = JSON.stringify({
  cells: [{ cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source: ['x = 1'] }],
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5,
});

async function loadError(path: string): Promise<string> {
  try {
    await loadNotebookFile(path);
  } catch (error) {
    assert.ok(error instanceof NotebookError);
    return error.message;
  }
  assert.fail('expected an error');
}

function withTempDir(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nb2prod-load-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'loads .ipynb, percent and plain .py files by extension',
  withTempDir(async (dir) => {
    writeFileSync(join(dir, 'a.ipynb'), notebook);
    writeFileSync(join(dir, 'b.py'), '# %%\nx = 1\n');
    writeFileSync(join(dir, 'c.PY'), '\ufeffx = 1\n');
    assert.equal((await loadNotebookFile(join(dir, 'a.ipynb'))).format, 'ipynb');
    assert.equal((await loadNotebookFile(join(dir, 'b.py'))).format, 'percent');
    const script = await loadNotebookFile(join(dir, 'c.PY'));
    assert.equal(script.format, 'script');
    assert.equal(script.cells[0]?.source, 'x = 1\n', 'the BOM is not part of the source');
  }),
);

test(
  'one-line errors for missing, binary, non-UTF-8 and unsupported files',
  withTempDir(async (dir) => {
    assert.equal(await loadError(join(dir, 'missing.ipynb')), `${join(dir, 'missing.ipynb')}: cannot read file (no such file or directory)`);
    writeFileSync(join(dir, 'bin.ipynb'), Buffer.from([0x7b, 0x0a, 0x00, 0xff, 0x10]));
    assert.equal(await loadError(join(dir, 'bin.ipynb')), `${join(dir, 'bin.ipynb')}: binary file (NUL byte), expected UTF-8 text at byte 2`);
    writeFileSync(join(dir, 'latin1.py'), Buffer.from('x = "caf\xe9"\n', 'latin1'));
    assert.equal(await loadError(join(dir, 'latin1.py')), `${join(dir, 'latin1.py')}: not valid UTF-8 text at byte 8`);
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    assert.equal(await loadError(join(dir, 'notes.txt')), `${join(dir, 'notes.txt')}: unsupported file type ".txt", expected .ipynb or .py`);
    mkdirSync(join(dir, 'folder.ipynb'));
    assert.equal(await loadError(join(dir, 'folder.ipynb')), `${join(dir, 'folder.ipynb')}: not a regular file`);
    writeFileSync(join(dir, 'bad.ipynb'), '{"nbformat": 4,');
    assert.equal(await loadError(join(dir, 'bad.ipynb')), `${join(dir, 'bad.ipynb')}: invalid JSON: unexpected end of file (expected a property name) at 1:16`);
  }),
);

test('decodeText rejects truncated UTF-8 sequences at their first byte', () => {
  assert.equal(decodeText('a.py', Buffer.from('é', 'utf8')), 'é');
  assert.throws(() => decodeText('a.py', Buffer.from([0x61, 0xe2, 0x82])), { message: 'a.py: not valid UTF-8 text at byte 1' });
  assert.throws(() => parseNotebookText('a.md', '# x'), { message: 'a.md: unsupported file type ".md", expected .ipynb or .py' });
});

test(
  'folders expand recursively to sorted notebook files, skipping tooling folders',
  withTempDir(async (dir) => {
    const files = ['b.ipynb', 'a.py', 'sub/deep/c.ipynb', 'sub/d.py', 'sub/readme.md'];
    const skipped = ['node_modules/x.py', '.git/y.py', '.ipynb_checkpoints/a-checkpoint.ipynb', '.hidden/z.py', '__pycache__/m.py', '.venv/v.py', 'venv/w.py'];
    for (const file of [...files, ...skipped]) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), '');
    }
    // A symlink loop back to the root must not be followed forever.
    symlinkSync(dir, join(dir, 'sub', 'loop'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.py'));
    const result = await findNotebookFiles([dir, join(dir, 'missing'), join(dir, 'sub', 'readme.md')]);
    assert.deepEqual(result.files, [
      join(dir, 'a.py'),
      join(dir, 'b.ipynb'),
      join(dir, 'sub', 'd.py'),
      join(dir, 'sub', 'deep', 'c.ipynb'),
      join(dir, 'sub', 'readme.md'),
    ]);
    assert.deepEqual(result.errors, [{ path: join(dir, 'missing'), message: `${join(dir, 'missing')}: no such file or directory` }]);
  }),
);

test(
  'thousands of files are found',
  withTempDir(async (dir) => {
    for (let i = 0; i < 30; i++) {
      mkdirSync(join(dir, `d${i}`));
      for (let j = 0; j < 100; j++) writeFileSync(join(dir, `d${i}`, `n${j}.py`), '');
    }
    const result = await findNotebookFiles([dir]);
    assert.equal(result.files.length, 3000);
    assert.deepEqual(result.errors, []);
  }),
);

test(
  'a cell whose source is null (as Kaggle exports an empty cell) is read as empty, and the rest is checked',
  withTempDir(async (dir) => {
    const cells = [
      { cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source: ['x = 1'] },
      { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: null },
      { cell_type: 'markdown', metadata: {}, source: null },
      { cell_type: 'code', execution_count: 2, metadata: {}, outputs: [], source: ['print(x, y)'] },
    ];
    writeFileSync(join(dir, 'kaggle.ipynb'), JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 1 }, null, 1));
    const nb = await loadNotebookFile(join(dir, 'kaggle.ipynb'));
    assert.deepEqual(
      nb.cells.map((c) => [c.kind, c.source]),
      [
        ['code', 'x = 1'],
        ['code', ''],
        ['markdown', ''],
        ['code', 'print(x, y)'],
      ],
    );
    const found = (await analyzeNotebook(nb, { select: ['NB102'] })).map(compact);
    assert.deepEqual(found, ['NB102 cell 3 0:9-0:10']);
  }),
);
