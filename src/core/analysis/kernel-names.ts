/**
 * Names the kernel (or the interpreter) provides without any cell binding them, beyond the
 * builtins every kernel has: `%pylab` injects NumPy's and pyplot's namespaces from where it
 * runs, a PySpark kernel starts with `spark`, `sc` and `sqlContext`, and Python sets `__file__`
 * when it runs a `.py` file (Jupyter does not, so in an `.ipynb` it stays undefined).
 */
import { isAutomagic } from '../notebook/magics';
import { offsetAt } from '../notebook/positions';
import { PYLAB_MODULES, PYLAB_NAMES } from '../python/pylab';
import type { AnalysedNotebook } from './analysed-notebook';
import type { GlobalUse } from './graph';
import { perAnalysis } from './memo';

/** A set of names that exist from one point of the notebook on. */
interface KernelNames {
  cell: number;
  /** Offset in the cell's source from which the names exist. */
  offset: number;
  names: ReadonlySet<string>;
}

/** What the `pyspark` shell (and the PySpark kernels built on it) defines before the first cell. */
const PYSPARK_NAMES: ReadonlySet<string> = new Set(['spark', 'sc', 'sqlContext', 'sqlCtx', 'sql', 'SparkContext', 'SparkSession', 'SQLContext']);

/** `get_ipython().run_line_magic('pylab', 'inline')` or `.magic('pylab inline')`, as scripts exported from notebooks run it. */
const EXPORTED_PYLAB = /^[ \t]*get_ipython\(\)\.(?:run_line_magic\(\s*(['"])pylab\1\s*,\s*(['"])([^'"]*)\2|magic\(\s*(['"])pylab\b([^'"]*)\4)/gm;

const kernelNames = perAnalysis((analysed: AnalysedNotebook): KernelNames[] => {
  const found: KernelNames[] = [];
  if (analysed.notebook.format !== 'ipynb') found.push({ cell: 0, offset: 0, names: new Set(['__file__']) });
  if (usesPySpark(analysed)) found.push({ cell: 0, offset: 0, names: PYSPARK_NAMES });
  for (const { cell, python, magics } of analysed.cells) {
    if (python === null) continue;
    for (const magic of magics) {
      if (magic.name !== '%pylab') continue;
      const line = cell.source.split(/\r\n|\r|\n/)[magic.range.start.line] ?? '';
      found.push({ cell: cell.index, offset: offsetAt(python, magic.range.end), names: pylabNames(line) });
    }
    for (const match of python.matchAll(EXPORTED_PYLAB)) {
      found.push({ cell: cell.index, offset: (match.index ?? 0) + match[0].length, names: pylabNames(match[3] ?? match[5] ?? '') });
    }
  }
  return found;
});

/** `%pylab --no-import-all` binds only the modules. */
function pylabNames(options: string): ReadonlySet<string> {
  return /--no-import-all\b/.test(options) ? PYLAB_MODULES : PYLAB_NAMES;
}

/**
 * What the PySpark shell's objects are used for: `sc.textFile(...)`, `spark.read...`,
 * `sqlContext.sql(...)`. Calling one of these on an undefined `sc` is a notebook started by
 * `pyspark` (with `PYSPARK_DRIVER_PYTHON=jupyter`), whatever its kernelspec says.
 */
const SPARK_API = new Map<string, ReadonlySet<string>>([
  [
    'sc',
    new Set([
      'textFile',
      'parallelize',
      'broadcast',
      'wholeTextFiles',
      'accumulator',
      'addFile',
      'addPyFile',
      'setLogLevel',
      'hadoopFile',
      'sequenceFile',
      'pickleFile',
      'binaryFiles',
      'emptyRDD',
      'union',
      'range',
    ]),
  ],
  ['spark', new Set(['read', 'readStream', 'sql', 'createDataFrame', 'table', 'range', 'sparkContext', 'catalog', 'udf', 'conf'])],
  [
    'sqlContext',
    new Set([
      'sql',
      'read',
      'createDataFrame',
      'table',
      'registerDataFrameAsTable',
      'registerFunction',
      'jsonFile',
      'parquetFile',
      'inferSchema',
      'cacheTable',
      'udf',
    ]),
  ],
]);

/**
 * The kernel is a PySpark one (its kernelspec says so), some cell imports `pyspark`, or the
 * notebook calls the Spark API on `sc`, `spark` or `sqlContext`.
 */
function usesPySpark(analysed: AnalysedNotebook): boolean {
  const kernel = analysed.notebook.kernel;
  if (/spark/i.test(`${kernel?.name ?? ''} ${kernel?.displayName ?? ''}`)) return true;
  return analysed.cells.some(
    (c) =>
      (c.facts?.imports.some((i) => i.module === 'pyspark' || i.module.startsWith('pyspark.')) ?? false) ||
      (c.facts?.calls.some((call) => SPARK_API.get(call.root ?? '')?.has(call.callee.split('.')[1] ?? '') ?? false) ?? false),
  );
}

/**
 * True when the kernel provides the name `use` reads at that point: a read inside a function
 * may run after any of them, an eager read only after. A statement that is only an automagic's
 * name (`pwd`, `ls`) runs the magic when no variable has that name, as here.
 */
export function providedByKernel(analysed: AnalysedNotebook, use: GlobalUse): boolean {
  if (isAutomagic(use.name) && !use.deferred && isWholeStatement(analysed, use)) return true;
  return kernelNames(analysed).some((k) => k.names.has(use.name) && (use.deferred || k.cell < use.cell || (k.cell === use.cell && k.offset <= use.offset)));
}

/** The read is a statement on its own: `pwd`. */
function isWholeStatement(analysed: AnalysedNotebook, use: GlobalUse): boolean {
  const python = analysed.cells[use.cell]?.python;
  if (python == null || use.statementStart === undefined || use.statementEnd === undefined) return false;
  return python.slice(use.statementStart, use.statementEnd).trim() === use.name;
}
