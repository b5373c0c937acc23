// Names the kernel provides (`%pylab`, PySpark, a script's `__file__`) and Python 2 notebooks:
// NB000/NB101/NB102 stay silent where the kernel defines the name, and still fire on the twin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import type { Notebook } from '../../../src/core/notebook/model';
import { compact, notebook, type CellSpec } from '../../helpers/notebooks';

const NAME_RULES = ['NB000', 'NB101', 'NB102'];
const check = async (nb: Notebook): Promise<string[]> => (await analyzeNotebook(nb, { select: NAME_RULES })).map(compact);
const findings = (cells: readonly CellSpec[]): Promise<string[]> => check(notebook(cells));

test('%pylab inline defines NumPy and pyplot names in the cells after it', async () => {
  assert.deepEqual(await findings(['%pylab inline', 'x = linspace(0, 1)\nfigure()\nplot(x, np.sin(x))\nplt.show()']), []);
  assert.deepEqual(await findings(['%pylab', 'a = array([1, 2])']), []);
  // Only after it: a read above the magic still fails in a fresh kernel.
  assert.deepEqual(await findings(['plot([1])', '%pylab inline']), ['NB102 cell 0 0:0-0:4']);
  // A name neither pylab nor any cell defines is still undefined.
  assert.deepEqual(await findings(['%pylab inline', 'plot(xs)']), ['NB102 cell 1 0:5-0:7']);
});

test('%pylab --no-import-all defines only np, plt and the modules', async () => {
  assert.deepEqual(await findings(['%pylab inline --no-import-all', 'np.zeros(3)\nplt.figure()\nfigure()']), ['NB102 cell 1 2:0-2:6']);
});

test('a script exported from a notebook runs %pylab as get_ipython().run_line_magic', async () => {
  const script: Notebook = {
    ...notebook(["get_ipython().run_line_magic('pylab', 'inline')\nhist(randn(100))\nprint(undefined_thing)"]),
    format: 'script',
    path: 'k.py',
  };
  assert.deepEqual(await check(script), ['NB102 cell 0 2:6-2:21']);
});

test('PySpark: sc, spark and sqlContext are defined when a cell imports pyspark', async () => {
  assert.deepEqual(
    await findings(['from pyspark.sql import functions as F', 'df = spark.read.csv("a.csv")\nrdd = sc.parallelize([1])\nsqlContext.sql("select 1")']),
    [],
  );
  assert.deepEqual(await findings(['import pandas as pd', 'print(spark, sc)']), ['NB102 cell 1 0:6-0:11', 'NB102 cell 1 0:13-0:15']);
});

test('PySpark: a notebook started by pyspark shows it by calling the Spark API on sc, spark or sqlContext', async () => {
  assert.deepEqual(await findings(['!hdfs dfs -ls /', 'data = sc.textFile("hdfs://host/file.txt")\ncounts = data.count()']), []);
  assert.deepEqual(await findings(['df = spark.read.json("people.json")']), []);
  // `sc` used some other way is an ordinary undefined name.
  assert.deepEqual(await findings(['print(sc.shape)']), ['NB102 cell 0 0:6-0:8']);
});

test('PySpark: the kernelspec alone is enough', async () => {
  const nb: Notebook = { ...notebook(['rdd = sc.textFile("a.txt")']), kernel: { name: 'pysparkkernel', displayName: 'PySpark' } };
  assert.deepEqual(await check(nb), []);
});

test('__file__ is defined in .py files but not in an .ipynb', async () => {
  const cells = ['import os\nhere = os.path.dirname(__file__)'];
  assert.deepEqual(await check({ ...notebook(cells), format: 'script', path: 'train.py' }), []);
  assert.deepEqual(await check({ ...notebook(cells), format: 'percent', path: 'train.py' }), []);
  assert.deepEqual(await findings(cells), ['NB102 cell 0 1:23-1:31']);
});

test('a Python 2 kernel gives one NB000 on the first code cell instead of a finding per line', async () => {
  const cells: CellSpec[] = [{ md: '# Old' }, 'import numpy as np', 'for i in xrange(3):\n    print i', 'name = unicode(raw_input())'];
  const nb: Notebook = { ...notebook(cells), kernel: { name: 'python2', displayName: 'Python 2', languageVersion: '2.7.12' } };
  const [d, ...rest] = await analyzeNotebook(nb);
  assert.deepEqual(rest, []);
  assert.ok(d);
  assert.equal(compact(d), 'NB000 cell 1 0:0-0:18');
  assert.equal(d.message, 'This notebook is Python 2 code (its kernel is `python2`), which nb2prod does not analyse: port it to Python 3 to have it checked.');
  assert.deepEqual(d.data, { python2: true });
});

test('a Python 2 kernel whose code is valid Python 3 is analysed as usual; its old builtins count as evidence', async () => {
  const kernel = { name: 'python2', displayName: 'Python 2' };
  assert.deepEqual(await check({ ...notebook(['import numpy as np', 'print(np.zeros(3), threshold)']), kernel }), ['NB102 cell 1 0:19-0:28']);
  assert.deepEqual(await check({ ...notebook(['total = reduce(lambda a, b: a + b, [1, 2])']), kernel }), ['NB000 cell 0 0:0-0:42']);
  // Without the kernel's word, an undefined `reduce` is a plain missing import.
  assert.deepEqual(await findings(['total = reduce(lambda a, b: a + b, [1, 2])']), ['NB102 cell 0 0:8-0:14']);
});

test('Python 2 code without metadata: a print statement, or a Python 2 builtin no cell defines', async () => {
  const printed = await analyzeNotebook(notebook(['import numpy as np', 'x = np.zeros(3)\nprint x', 'y = zz']));
  assert.deepEqual(printed.map(compact), ['NB000 cell 1 1:0-1:7']);
  assert.equal(
    printed[0]?.message,
    'This notebook is Python 2 code (it has a Python 2 `print` statement), which nb2prod does not analyse: port it to Python 3 to have it checked.',
  );
  assert.deepEqual(await findings(['for i in xrange(3):\n    pass']), ['NB000 cell 0 0:9-0:15']);
  assert.deepEqual(await findings(['try:\n    pass\nexcept ValueError, e:\n    pass']), ['NB000 cell 0 2:0-2:21']);
});

test('Python 3 twins: print(x), a notebook that defines its own xrange, and a plain syntax error', async () => {
  assert.deepEqual(await findings(['x = 1\nprint (x)\nprint(x)']), []);
  assert.deepEqual(await findings(['xrange = range', 'for i in xrange(3):\n    pass']), []);
  const broken = await analyzeNotebook(notebook(['def f(:\n    pass']), { select: NAME_RULES });
  assert.deepEqual(
    broken.map((d) => d.data),
    [{}],
  );
});

test('after globals()/locals()/vars() writes or exec at module level, later reads are not NB102', async () => {
  const silent: CellSpec[][] = [
    ['for k, v in {"a": 1}.items():\n    globals()[k] = v', 'print(a)'],
    ['globals().update({"a": 1})', 'print(a)'],
    ['locals()["a"] = 1', 'print(a)'],
    ['vars()["a"] = 1\nprint(a)'],
    ['exec("a = 1")', 'print(a)'],
    ['def load(names):\n    for n in names:\n        globals()[n] = 0', 'load(["a"])\nprint(a)'],
  ];
  for (const cells of silent) assert.deepEqual(await findings(cells), [], cells.join(' | '));
});

test('dynamic-definition twins: reads of globals() and function-local writes still let NB102 fire', async () => {
  assert.deepEqual(await findings(['if "a" in globals():\n    pass', 'print(a)']), ['NB102 cell 1 0:6-0:7']);
  assert.deepEqual(await findings(['x = globals()["b"] == 1', 'print(a)']), ['NB102 cell 1 0:6-0:7']);
  assert.deepEqual(await findings(['def f():\n    locals()["a"] = 1\n    exec("a = 2")', 'print(a)']), ['NB102 cell 1 0:6-0:7']);
});

test('valid IPython is not NB000: spaced magics and shell aliases; a bare alias name runs the alias', async () => {
  assert.deepEqual(await findings(['% matplotlib inline', 'ls ../input\ncat train.csv | head -5', 'pwd', 'ls']), []);
  assert.deepEqual(await findings(['%% HTML\n<b>bold</b>', '% reset -f\nx = 1']), []);
  assert.deepEqual(await findings(['% pylab inline', 'plot(linspace(0, 1))']), []);
});

test('alias twins: a real syntax error still fires, and an alias name read in an expression is still undefined', async () => {
  assert.deepEqual(await findings(['ls ../input\nx = (']), ['NB000 cell 0 1:0-1:5']);
  assert.deepEqual(await findings(['print(pwd)']), ['NB102 cell 0 0:6-0:9']);
});

test('`%bash` with one `%` is not valid IPython: NB000 stays, and says to write `%%bash`; the cell magic and `%sx` are silent', async () => {
  // IPython 8 turns `%bash` into a line magic that does not exist and parses `echo hi` as Python: SyntaxError.
  assert.deepEqual(await findings(['%bash\necho hi > out.txt']), ['NB000 cell 0 1:5-1:7']);
  const [d] = await analyzeNotebook(notebook(['%bash\necho hi > out.txt']), { select: ['NB000'] });
  assert.equal(
    d?.message,
    'Syntax error: invalid syntax. `%bash` is a cell magic only, so IPython runs the lines below it as Python: write `%%bash` to run the cell with it.',
  );
  assert.deepEqual(d?.data, { cellMagic: 'bash' });
  assert.deepEqual(await findings(['%%bash\necho hi > out.txt', '%sx echo hi', 'files = %sx ls', 'print(files)']), []);
});

test('a Python 3 print( call in a cell with a syntax error is not taken for a Python 2 print statement', async () => {
  assert.deepEqual(await findings(['x = 1', 'print(f(x),0.06,x\ny = 2']), ['NB000 cell 1 0:0-1:5']);
});

test('NB101: a guarded loop-carried value is not read before definition, in either tier', async () => {
  const guarded = 'for i in range(3):\n    p = i * 2\n    if i > 0:\n        total = total + p\n    else:\n        total = p';
  const byDefault = async (cells: CellSpec[]): Promise<string[]> => (await analyzeNotebook(notebook(cells))).filter((d) => d.code === 'NB101').map(compact);
  assert.deepEqual(await byDefault([guarded]), []);
  // The loop analysis (analysis/loops.ts) sees that the first iteration binds `total`.
  const selected = await analyzeNotebook(notebook([guarded]), { select: ['NB101'] });
  assert.deepEqual(selected.map(compact), []);
  // Twin: the same read outside a loop stays in the default tier.
  assert.deepEqual(await byDefault(['p = 2\ntotal = total + p\ntotal = p']), ['NB101 cell 0 1:8-1:13']);
});

test('a Python 3 kernel that reads `unicode` under a version guard is not taken for Python 2', async () => {
  const cells = ['import sys', 'if sys.version_info < (3, 0):\n    text = unicode("a")\nelse:\n    text = str("a")'];
  const python3: Notebook = { ...notebook(cells), kernel: { name: 'python3', displayName: 'Python 3', languageVersion: '3.7.3' } };
  assert.deepEqual((await analyzeNotebook(python3, { select: ['NB000'] })).map(compact), []);
  // The twin without kernel metadata: the read of a removed builtin is the evidence.
  assert.deepEqual((await analyzeNotebook(notebook(cells), { select: ['NB000'] })).map(compact), ['NB000 cell 1 1:11-1:18']);
});
