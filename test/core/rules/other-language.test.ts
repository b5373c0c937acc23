// Notebooks written for another kernel (shell, Julia, Sage) whose metadata was stripped: one NB000
// notice on the first code cell and nothing else; with the metadata they are skipped silently; a
// Python notebook with a few broken cells keeps its NB000 findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import type { KernelInfo, Notebook } from '../../../src/core/notebook/model';
import { compact, notebook, type CellSpec } from '../../helpers/notebooks';

const all = async (nb: Notebook): Promise<string[]> => (await analyzeNotebook(nb)).map(compact);
const withKernel = (cells: readonly CellSpec[], kernel: KernelInfo, language = 'python'): Notebook => ({ ...notebook(cells), kernel, language });

const SHELL: CellSpec[] = [
  { md: '# Versioning a project' },
  'mkdir project\ncd project',
  'git init',
  'ls -a',
  '# Write a file and commit it:\necho "hi" > notes.txt\ngit add notes.txt',
  'git commit -m "First"',
  'cat notes.txt',
];

const JULIA: CellSpec[] = [
  'println("start")',
  'square(v) = v .* v',
  'function total(xs)\n    s = 0\n    for v in xs\n        s += v\n    end\n    return s\nend',
  'using Statistics',
  '@time total(1:10)',
];

const R: CellSpec[] = [
  'library(dplyr)',
  'scores <- read.csv("scores.csv")',
  'top <- scores %>% filter(points > 10)',
  'mean_of <- function(v) {\n  sum(v) / length(v)\n}',
  'summary(top)',
];

const SAGE: CellSpec[] = [
  '7 * 6',
  'g = cos(x) ^ 2 + 1',
  'g.diff(x)',
  'find_root(g - 2, 0, 1)',
  'a, b = var("a,b")\nplot3d(a ^ 2 - b ^ 2, (a, -1, 1), (b, -1, 1))',
];

test('a shell notebook without metadata gets one NB000 on its first code cell and nothing else', async () => {
  const [d, ...rest] = await analyzeNotebook(notebook(SHELL));
  assert.deepEqual(rest, []);
  assert.ok(d);
  assert.equal(compact(d), 'NB000 cell 1 0:0-0:13');
  assert.equal(
    d.message,
    'This notebook is shell code (no metadata names its kernel; 3 of 6 code cells do not parse as Python, 6 are shell commands: ' +
      "`mkdir`, `git`, `ls`, `echo`), which nb2prod does not analyse: save it with its kernel's metadata (`kernelspec`) and nb2prod will skip it.",
  );
  assert.deepEqual(d.data, { language: 'shell' });
});

test('a Julia notebook without metadata gets one NB000 and nothing else', async () => {
  const [d, ...rest] = await analyzeNotebook(notebook(JULIA));
  assert.deepEqual(rest, []);
  assert.ok(d);
  assert.equal(compact(d), 'NB000 cell 0 0:0-0:16');
  assert.match(
    d.message,
    /^This notebook is Julia code \(no metadata names its kernel; 4 of 5 code cells do not parse as Python, 5 read like Julia: `println`, /,
  );
});

test('an R notebook without metadata gets one NB000 and nothing else', async () => {
  const [d, ...rest] = await analyzeNotebook(notebook(R));
  assert.deepEqual(rest, []);
  assert.ok(d);
  assert.equal(compact(d), 'NB000 cell 0 0:0-0:14');
  assert.match(
    d.message,
    /^This notebook is R code \(no metadata names its kernel; 1 of 5 code cells do not parse as Python, 4 read like R: `library\(\)`, `<-`, `%>%`, `function\(\) \{`\)/,
  );
});

test('a Sage notebook without metadata gets one NB000 instead of undefined names for its symbols', async () => {
  const [d, ...rest] = await analyzeNotebook(notebook(SAGE));
  assert.deepEqual(rest, []);
  assert.ok(d);
  assert.equal(compact(d), 'NB000 cell 0 0:0-0:5');
  assert.equal(
    d.message,
    "This notebook is Sage code (no metadata names its kernel; its cells use Sage's own names and syntax: `^` powers of undefined symbols, " +
      "`find_root`, `var`, `plot3d`), which nb2prod does not analyse: save it with its kernel's metadata (`kernelspec`) and nb2prod will skip it.",
  );
  // Sage's generator syntax is evidence on its own account.
  const ring = ['R.<t> = PolynomialRing(QQ)', 'p = t + 1', 'p * p'];
  assert.deepEqual(await all(notebook(ring)), ['NB000 cell 0 0:0-0:26']);
});

test('with metadata naming the kernel, shell, Julia and Sage notebooks are skipped silently', async () => {
  assert.deepEqual(await all(withKernel(SHELL, { name: 'bash', displayName: 'Bash', language: 'bash' }, 'bash')), []);
  assert.deepEqual(await all(withKernel(JULIA, { name: 'julia-1.6', displayName: 'Julia 1.6.0', language: 'julia' }, 'julia')), []);
  assert.deepEqual(await all(withKernel(SAGE, { name: 'sagemath', displayName: 'SageMath 9.5', language: 'sage' }, 'sage')), []);
  assert.deepEqual(await all(withKernel(R, { name: 'ir', displayName: 'R', language: 'R' }, 'r')), []);
  // A kernelspec that names the kernel but not its language is enough.
  assert.deepEqual(await all(withKernel(JULIA, { name: 'julia-1.6' })), []);
  assert.deepEqual(await all(withKernel(SHELL, { displayName: 'Bash' })), []);
});

test('metadata that says Python wins over code that reads like shell: those cells are Python errors', async () => {
  const nb = withKernel(SHELL, { name: 'python3', displayName: 'Python 3', language: 'python' });
  assert.deepEqual(await all(nb), ['NB000 cell 2 0:0-0:3', 'NB000 cell 4 1:0-1:4', 'NB000 cell 5 0:0-0:3']);
});

test('a Python notebook with two broken cells keeps its NB000 findings', async () => {
  const cells: CellSpec[] = [
    'import pandas as pd',
    'wget https://example.com/data.csv',
    'df = pd.read_csv("data.csv")',
    'git clone https://example.com/repo.git',
    'df.describe()',
    'df.plot()',
  ];
  const found = await all(notebook(cells));
  assert.deepEqual(found, ['NB000 cell 1 0:0-0:4', 'NB000 cell 3 0:0-0:9']);
  // Two broken cells that read like Julia do not make a Python notebook Julia either.
  const julia = ['import numpy as np', 'xs = np.arange(3)', 'using Printf\nprintln(xs)', 'for x in xs:\n    print(x)', 'function f(x)', 'print(xs.sum())'];
  assert.deepEqual(await all(notebook(julia)), ['NB000 cell 2 0:0-0:5', 'NB000 cell 4 0:9-0:10']);
});
