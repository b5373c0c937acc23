/**
 * The shape of the library tables: what a class or function of a data-science library does to
 * data provenance. One table per library; adding an API is one line in that library's file.
 */

/** What fitting a preprocessing object learns from rows, used to name the leak in messages and data. */
export type PreprocessingPattern =
  | 'scaling'
  | 'imputation'
  | 'encoding'
  | 'discretization'
  | 'text-vectorization'
  | 'group-aggregation'
  | 'dimensionality-reduction'
  | 'feature-selection'
  | 'transformation';

/**
 * What a model predicts. `any` is a model whose task comes from its loss or its target rather
 * than its class (a Keras model, a native Booster); `clustering` and `outlier-detection` are
 * unsupervised: they learn no target, so they are never scored against one.
 */
export type EstimatorTask = 'classification' | 'regression' | 'ranking' | 'clustering' | 'outlier-detection' | 'any';

/** What a class is, for provenance. */
export type ClassRole =
  /**
   * Learns statistics from rows in `fit`, applies them in `transform`. `stateless` ones
   * (FunctionTransformer, Normalizer, HashingVectorizer) transform each row on its own and learn
   * nothing, so fitting them on all rows leaks nothing.
   */
  | { role: 'transformer'; pattern: PreprocessingPattern; stateless?: boolean }
  /** A model: `fit` then `predict`/`score`; `task` says what it predicts. */
  | { role: 'estimator'; task: EstimatorTask }
  /** Generates or duplicates rows in `fit_resample` (SMOTE and friends). */
  | { role: 'resampler'; oversamples: boolean }
  /** A cross-validation splitter iterated as `for tr, te in cv.split(X)`; `shuffles` when it orders rows randomly. */
  | { role: 'splitter'; shuffles: 'always' | 'option' | 'never' }
  /** Wraps an estimator and cross-validates it inside `fit` (GridSearchCV). */
  | { role: 'search' }
  /** Chains steps (`Pipeline`, `make_pipeline`, `ColumnTransformer`); its role is its last step's. */
  | { role: 'composite' }
  /** A model whose data is given to the constructor and fitted by a bare `fit()` (statsmodels). */
  | { role: 'data-model' }
  /** Wraps arrays into a library's own data container (`xgb.DMatrix`, `lgb.Dataset`). */
  | { role: 'data-container' };

/** What a function (or a module-level callable) does, for provenance. */
export type FunctionRole =
  /** Reads data from outside the notebook. */
  | { role: 'source' }
  /** Splits its positional arguments into train and held-out parts (`train_test_split`). */
  | { role: 'split'; shuffles: 'always' | 'option' }
  /** Cross-validates an estimator (argument 0) on data (arguments 1 and 2). */
  | { role: 'cross-validation' }
  /** Scores predictions: arguments are (y_true, y_pred). */
  | { role: 'metric' }
  /** Learns from the rows it is given and returns transformed rows (`pd.get_dummies`, `pd.qcut`). */
  | { role: 'fitting-function'; pattern: PreprocessingPattern }
  /** Splits its first argument into consecutive parts by position (`np.split(idx, [a, b])`): train, validation..., test. */
  | { role: 'positional-split' }
  /** Orders rows at random (`np.random.permutation`): positional parts taken from the result are random splits. */
  | { role: 'shuffle' }
  /**
   * Duplicates rows to rebalance classes: `sklearn.utils.resample(..., replace=True)`, or always
   * (`np.repeat`, `np.tile` of rows or of row indexes) when `always` is set.
   */
  | { role: 'resampling-function'; always?: boolean }
  /** Combines rows or columns of its arguments (`pd.concat`, `np.hstack`). */
  | { role: 'combine' }
  /** Builds a composite from its arguments (`make_pipeline`, `make_column_transformer`). */
  | { role: 'compose' }
  /** Trains a model from data, functional style (`xgb.train(params, dtrain)`); returns the model. */
  | { role: 'train'; dataArgument: number }
  /** Writes an object to disk (`joblib.dump(obj, path)`). */
  | { role: 'save' }
  /** Reads a fitted object from disk (`joblib.load`). */
  | { role: 'load' }
  /** Converts a date/time column (marks data as time-aware). */
  | { role: 'datetime' };

/** One library's table: the module names it answers for, and its classes and functions by name. */
export interface LibraryTable {
  /** Display name, used in messages. */
  name: string;
  /** First segments of the modules it covers (`sklearn`). */
  modules: readonly string[];
  classes: Readonly<Record<string, ClassRole>>;
  functions: Readonly<Record<string, FunctionRole>>;
}

// Short constructors keep each table entry to one line.
export const transformer = (pattern: PreprocessingPattern): ClassRole => ({ role: 'transformer', pattern });
export const statelessTransformer = (pattern: PreprocessingPattern): ClassRole => ({ role: 'transformer', pattern, stateless: true });
export const classifier: ClassRole = { role: 'estimator', task: 'classification' };
export const regressor: ClassRole = { role: 'estimator', task: 'regression' };
export const ranker: ClassRole = { role: 'estimator', task: 'ranking' };
export const clusterer: ClassRole = { role: 'estimator', task: 'clustering' };
export const outlierDetector: ClassRole = { role: 'estimator', task: 'outlier-detection' };
export const anyTask: ClassRole = { role: 'estimator', task: 'any' };
/** Table entries for every name of a list, with one role. */
export const each = (names: readonly string[], role: ClassRole): Record<string, ClassRole> => Object.fromEntries(names.map((n) => [n, role]));
export const oversampler: ClassRole = { role: 'resampler', oversamples: true };
export const undersampler: ClassRole = { role: 'resampler', oversamples: false };
export const source: FunctionRole = { role: 'source' };
export const metric: FunctionRole = { role: 'metric' };
export const fitting = (pattern: PreprocessingPattern): FunctionRole => ({ role: 'fitting-function', pattern });
