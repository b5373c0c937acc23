import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskMagics, type MaskedCell } from '../../../src/core/notebook';
import { range } from '../../../src/core/diagnostic';

/** Masks `source`, checks that the mask kept every offset and line break, and returns the result. */
function mask(source: string): MaskedCell {
  const masked = maskMagics(source);
  if (masked.python !== null) {
    assert.equal(masked.python.length, source.length, 'same length');
    const breaks = (text: string): string[] => [...text.matchAll(/\r\n|\r|\n/g)].map((m) => `${m.index}:${m[0]}`);
    assert.deepEqual(breaks(masked.python), breaks(source), 'same line breaks');
  }
  return masked;
}

test('line magics become `0` at the same indentation', () => {
  const m = mask('%matplotlib inline\nimport numpy as np\nif True:\n    %load_ext autoreload\n    %autoreload 2\n%env X=1\n%cd /tmp');
  assert.equal(m.python, '0                 \nimport numpy as np\nif True:\n    0                   \n    0            \n0       \n0       ');
  assert.deepEqual(
    m.magics.map((x) => x.name),
    ['%matplotlib', '%load_ext', '%autoreload', '%env', '%cd'],
  );
  assert.deepEqual(m.magics[1]?.range, range(3, 4, 3, 24));
  assert.deepEqual(m.magicDefinitions, []);
});

test('shell escapes, including `!!` and backslash continuations', () => {
  const m = mask('!pip install x\n!!ls\nfor f in fs:\n    !cp $f \\\n      dst\nx = 1');
  assert.equal(m.python, '0             \n0   \nfor f in fs:\n    0       \n         \nx = 1');
  assert.deepEqual(m.magics, [
    { name: '!', range: range(0, 0, 0, 14) },
    { name: '!!', range: range(1, 0, 1, 4) },
    { name: '!', range: range(3, 4, 4, 9) },
  ]);
});

test("IPython's autocall escapes (`/f a`, `,f a b`, `;f a b`, a lone `;`) are masked; a continuation line starting with `,` is Python", () => {
  const m = mask('plt.plot(x)\n;\n/print 1\n,print a b\nxs = f(1\n, 2)');
  assert.equal(m.python, 'plt.plot(x)\n0\n0       \n0         \nxs = f(1\n, 2)');
  assert.deepEqual(
    m.magics.map((x) => x.name),
    [';', '/', ','],
  );
});

test('`x = !cmd` and `x = %magic args` keep the assignment', () => {
  const m = mask('files = !ls *.csv\na, b = %sx echo 1 2\nself.out = !!pwd');
  assert.equal(m.python, 'files = 0        \na, b = 0           \nself.out = 0    ');
  assert.deepEqual(m.magicDefinitions, [
    { name: 'files', range: range(0, 0, 0, 5), kind: 'assign' },
    { name: 'a', range: range(1, 0, 1, 1), kind: 'assign' },
    { name: 'b', range: range(1, 3, 1, 4), kind: 'assign' },
  ]);
  assert.deepEqual(
    m.magics.map((x) => [x.name, x.range]),
    [
      ['!', range(0, 8, 0, 17)],
      ['%sx', range(1, 7, 1, 19)],
      ['!!', range(2, 11, 2, 16)],
    ],
  );
  // Comparisons are Python, not assignments of a shell escape.
  assert.equal(mask('x == !y').python, 'x == !y');
});

test('help with `?` and `??`, as prefix and suffix', () => {
  const m = mask('obj?\nobj.attr??\n?obj\n??obj.method\nnp.*load*?\n%timeit?\n  df.head?');
  assert.equal(m.python, 'obj \nobj.attr  \n+obj\n0;obj.method\n0         \n0       \n  df.head ');
  assert.deepEqual(
    m.magics.map((x) => x.name),
    ['?', '??', '?', '??', '?', '?', '?'],
  );
});

test('%time, %timeit and %prun keep their statement at its column', () => {
  const m = mask('%time model.fit(X, y)\n%timeit -n 10 -r 3 f(x)\n%prun -l 5 g()\n%time\nfor i in r:\n    %time y = f(i)');
  assert.equal(m.python, '0;    model.fit(X, y)\n0;                 f(x)\n0;         g()\n0    \nfor i in r:\n    0;    y = f(i)');
  assert.deepEqual(
    m.magics.map((x) => [x.name, x.range]),
    [
      ['%time', range(0, 0, 0, 6)],
      ['%timeit', range(1, 0, 1, 19)],
      ['%prun', range(2, 0, 2, 11)],
      ['%time', range(3, 0, 3, 5)],
      ['%time', range(5, 4, 5, 10)],
    ],
  );
});

test('a %time statement may continue over lines and brackets', () => {
  const m = mask('%time x = f(\n    %notmagic)\n!ls');
  assert.equal(m.python, '0;    x = f(\n    %notmagic)\n0  ');
});

test('%run defines anything; %store -r defines its names', () => {
  const m = mask('%run -i prep.py\n%store -r df model\n%store -r\n%store df');
  assert.equal(m.python, '0              \n0                 \n0        \n0        ');
  assert.deepEqual(m.magicDefinitions, [
    { name: '*', range: range(0, 0, 0, 15), kind: 'run' },
    { name: 'df', range: range(1, 10, 1, 12), kind: 'store' },
    { name: 'model', range: range(1, 13, 1, 18), kind: 'store' },
    { name: '*', range: range(2, 0, 2, 9), kind: 'store' },
  ]);
});

test('cell magics whose body is Python mask only their first line', () => {
  const timed = mask('%%time\nx = 1\n!ls');
  assert.equal(timed.python, '0     \nx = 1\n0  ');
  assert.deepEqual(
    timed.magics.map((x) => x.name),
    ['%%time', '!'],
  );
  const captured = mask('\n%%capture --no-stderr out\nprint(1)');
  assert.equal(captured.python, '\n0                        \nprint(1)');
  assert.deepEqual(captured.magicDefinitions, [{ name: 'out', range: range(1, 22, 1, 25), kind: 'assign' }]);
  assert.equal(mask('%%timeit -n 5\nf()').python, '0            \nf()');
});

test('cell magics running another language make the cell not Python', () => {
  for (const name of ['bash', 'html', 'writefile', 'sh', 'javascript', 'latex', 'markdown', 'sql', 'R', 'perl', 'ruby', 'script', 'svg', 'js', 'someunknown']) {
    const m = mask(`%%${name} arg\nx = 1\n`);
    assert.equal(m.python, null, name);
    assert.deepEqual(m.magics, [{ name: `%%${name}`, range: range(0, 0, 0, name.length + 2) }]);
  }
});

test('`%` inside strings, comments, brackets and the modulo operator is left alone', () => {
  const source = 'a = 5 % 3\nb = a %time\ns = """\n%notmagic\n!nothing\n"""\nt = "%d" % 3  # %also\nf(\n  !x,\n%y)\nu = \'\\\n%z\'\nv = 1 \\\n  %w';
  assert.equal(mask(source).python, source);
  assert.deepEqual(mask(source).magics, []);
});

test('CRLF line breaks and non-ASCII text keep their offsets', () => {
  const m = mask('%pip install é😀\r\nx = "é"\r\n!echo 😀');
  assert.equal(m.python, '0               \r\nx = "é"\r\n0       ');
  assert.deepEqual(m.magics[1]?.range, range(2, 0, 2, 8));
});

test('plain Python is returned unchanged', () => {
  const source = 'import os\n\ndef f(x):\n    return x % 2\n';
  assert.deepEqual(mask(source), { python: source, magicDefinitions: [], magics: [], ownNamespace: [] });
});

test('spaces after `%` and `%%` are still magics, as IPython reads them', () => {
  const m = mask('% matplotlib inline\n%  reset -f\nx = 1');
  assert.equal(m.python, '0                  \n0          \nx = 1');
  assert.deepEqual(
    m.magics.map((x) => [x.name, x.range]),
    [
      ['%matplotlib', range(0, 0, 0, 19)],
      ['%reset', range(1, 0, 1, 11)],
    ],
  );
  assert.equal(mask('%% HTML\n<b>x</b>').python, null);
  assert.equal(mask('%%  time\nx = 1').python, '0       \nx = 1');
  assert.deepEqual(
    mask('%%  time\nx = 1').magics.map((x) => x.name),
    ['%%time'],
  );
});

test('shell aliases and automagics typed without `%` are masked when their argument is not Python', () => {
  const source =
    'ls ../input\ncat f.txt | head\nls -la\ncd /kaggle/input\nrm -rf out\ncp a b\nmkdir data\npip install lightgbm\nmatplotlib inline\ncd ..\nls *.csv\nrun prep.py';
  const m = mask(source);
  assert.equal(
    m.python,
    source
      .split('\n')
      .map((line) => `0${' '.repeat(line.length - 1)}`)
      .join('\n'),
  );
  assert.deepEqual(
    m.magics.map((x) => x.name),
    ['%ls', '%cat', '%ls', '%cd', '%rm', '%cp', '%mkdir', '%pip', '%matplotlib', '%cd', '%ls', '%run'],
  );
  assert.deepEqual(m.magicDefinitions, [{ name: '*', range: range(11, 0, 11, 11), kind: 'run' }]);
});

test('alias names used as Python stay Python', () => {
  const source = 'ls\nls = [1]\nls.sort()\nls(x)\nll - 1\ncat, dog = pets\nrm if x else y\nless in more\ncp[0] = 1\nfor ls in x:\n    pass';
  assert.deepEqual(mask(source), { python: source, magicDefinitions: [], magics: [], ownNamespace: [] });
});
