/**
 * The globals a pickle/joblib artifact may reference (PR305), as data. Unpickling imports and
 * calls whatever `module.name` a pickle names, so anything else is treated as code execution.
 *
 * - `exact`: full `module.name` strings.
 * - `modules`: module prefixes whose public, undotted names are allowed (`sklearn` covers
 *   `sklearn.linear_model._logistic.LogisticRegression`). Dotted names are never covered by a
 *   prefix, because pickle resolves `name` with getattr, so `sklearn.base` + `os.system` would
 *   reach `os.system` through sklearn's own import of `os`.
 * - `deniedNames`: names refused even under an allowed prefix (re-exported loaders and shells).
 */
export const PICKLE_ALLOWLIST = {
  exact: [
    // numpy arrays, dtypes and scalars as numpy pickles them (numpy 1.x and 2.x module paths).
    'numpy.core.multiarray._reconstruct',
    'numpy._core.multiarray._reconstruct',
    'numpy.core.multiarray.scalar',
    'numpy._core.multiarray.scalar',
    'numpy.ndarray',
    'numpy.dtype',
    // numpy scalar types, pickled where estimators keep a `dtype` parameter.
    'numpy.float64',
    'numpy.float32',
    'numpy.float16',
    'numpy.int64',
    'numpy.int32',
    'numpy.int16',
    'numpy.int8',
    'numpy.uint8',
    'numpy.bool_',
    'numpy.object_',
    'numpy.str_',
    // The numpy functions a TransformedTargetRegressor holds for a log or square-root target
    // (numpy pickles a ufunc by its name in the module that defines it).
    ...['numpy.core._multiarray_umath', 'numpy._core._multiarray_umath'].flatMap((module) =>
      ['log1p', 'expm1', 'log', 'exp', 'sqrt', 'square'].map((name) => `${module}.${name}`),
    ),
    // Masked arrays (a search's cv_results_ holds them).
    'numpy.ma.core._mareconstruct',
    'numpy.ma.core.MaskedArray',
    'numpy.random._pickle.__randomstate_ctor',
    'numpy.random._pickle.__bit_generator_ctor',
    'numpy.random._pickle.__generator_ctor',
    // joblib's inline array header (the array bytes follow it in the file).
    'joblib.numpy_pickle.NumpyArrayWrapper',
    'sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper',
    // Protocol 0/1 object reconstruction and protocol 2's spelling of bytes.
    'copyreg._reconstructor',
    'copy_reg._reconstructor',
    '_codecs.encode',
    // Plain containers and values.
    'builtins.object',
    'builtins.slice',
    'builtins.set',
    'builtins.frozenset',
    'builtins.complex',
    'builtins.bytearray',
    'builtins.range',
    'collections.OrderedDict',
    'collections.defaultdict',
    // Sparse matrices that fitted vectorizers and encoders hold.
    'scipy.sparse._csr.csr_matrix',
    'scipy.sparse._csc.csc_matrix',
    'scipy.sparse._coo.coo_matrix',
    'scipy.sparse.csr.csr_matrix',
    'scipy.sparse.csc.csc_matrix',
    // Private sklearn names are not covered by the prefix; these are values fitted estimators
    // hold (a search's `scorer_` when it scores with the estimator's own `score`).
    'sklearn.metrics._scorer._passthrough_scorer',
    // A search's `scorer_` with `scoring="accuracy"` and the like (scikit-learn 1.2 and 1.3 names).
    'sklearn.metrics._scorer._PredictScorer',
    'sklearn.metrics._scorer._ProbaScorer',
    'sklearn.metrics._scorer._ThresholdScorer',
  ],
  modules: ['sklearn'],
  deniedNames: [
    'load',
    'loads',
    'eval',
    'exec',
    'compile',
    'open',
    'system',
    'popen',
    'getattr',
    'setattr',
    '__import__',
    'import_module',
    'run',
    'call',
    'check_output',
    'Popen',
  ],
  /** Modules under an allowed prefix that re-export joblib or other loaders. */
  deniedModules: ['sklearn.externals', 'sklearn.utils._joblib'],
} as const;

/**
 * The module a pickle's module name means. Protocol 0-2 pickles written by Python 3 spell
 * builtins and copyreg with their Python 2 names; the unpickler maps them back (fix_imports).
 */
export function canonicalModule(module: string): string {
  return module === '__builtin__' ? 'builtins' : module === 'copy_reg' ? 'copyreg' : module;
}

/** `module.name` with the module as canonicalModule spells it (`__builtin__.slice` -> `builtins.slice`). */
export function canonicalGlobal(global: string): string {
  const dot = global.indexOf('.');
  return dot < 0 ? global : `${canonicalModule(global.slice(0, dot))}${global.slice(dot)}`;
}

/** Whether `module.name` is allowed by PICKLE_ALLOWLIST. */
export function isAllowedGlobal(rawModule: string, name: string): boolean {
  const module = canonicalModule(rawModule);
  if ((PICKLE_ALLOWLIST.exact as readonly string[]).includes(`${module}.${name}`)) return true;
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return false;
  if ((PICKLE_ALLOWLIST.deniedNames as readonly string[]).includes(name)) return false;
  const under = (prefix: string): boolean => module === prefix || module.startsWith(`${prefix}.`);
  if (PICKLE_ALLOWLIST.deniedModules.some(under)) return false;
  return PICKLE_ALLOWLIST.modules.some(under);
}
