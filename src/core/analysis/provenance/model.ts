/**
 * The data-provenance model: abstract values (data, fitted objects, predictions) and the events
 * the interpreter records while it walks the notebook (fits, splits, evaluations, saves). Rules
 * read only these plain records.
 */
import type { Range } from '../../diagnostic';
import type { PreprocessingPattern } from '../libraries';

/** A place in the notebook: a cell index and a range in its source. */
export interface Location {
  cell: number;
  range: Range;
}

/**
 * Which rows of a dataset a value holds, as a bit set: a value built from train and test
 * parts (`pd.concat([X_train, X_test])`) holds both bits.
 */
export const Rows = {
  /** Not known: function parameters analysed without a call, values of unknown origin. */
  unknown: 0,
  /** Every row of an unsplit dataset. */
  all: 1,
  train: 2,
  validation: 4,
  test: 8,
} as const;

/** Whether rows include held-out data (test or validation) together with data a model learns from. */
export function includesHeldOutAndMore(rows: number): boolean {
  return (rows & Rows.all) !== 0 || ((rows & (Rows.test | Rows.validation)) !== 0 && (rows & Rows.train) !== 0);
}

/** Whether rows are held-out only (test and/or validation). */
export function heldOutOnly(rows: number): boolean {
  return rows !== 0 && (rows & (Rows.all | Rows.train)) === 0;
}

/** A readable name for a rows bit set (`train`, `test`, `train+test`, `all`). */
export function rowsName(rows: number): string {
  if (rows === Rows.unknown) return 'unknown';
  const names = (['all', 'train', 'validation', 'test'] as const).filter((n) => (rows & Rows[n]) !== 0);
  return names.join('+');
}

/** What an object is for provenance; `unknown` until a method call reveals it. */
export type ObjectRole = 'transformer' | 'estimator' | 'resampler' | 'splitter' | 'search' | 'composite' | 'data-model' | 'unknown';

/** A (mutable) object the notebook constructs: an estimator, transformer, splitter, pipeline... */
export interface ObjectState {
  id: number;
  /** The class name when resolved (`StandardScaler`); undefined when it cannot be resolved. */
  className?: string;
  role: ObjectRole;
  pattern?: PreprocessingPattern;
  /** A transformer that learns nothing from rows (FunctionTransformer, Normalizer): its fits leak nothing. */
  stateless?: boolean;
  /** For resamplers: whether they add (synthetic or duplicated) rows, rather than only removing some. */
  oversamples?: boolean;
  /** For splitters: whether they order rows randomly (KFold(shuffle=True), ShuffleSplit). */
  shuffles?: boolean;
  /** Pipeline steps, a search's estimator, a wrapper's inner model. */
  parts: ObjectState[];
  /** Every fit of this object, in order. */
  fits: FitEvent[];
  /** The fit whose state the object holds now. */
  current?: FitEvent;
  /** Where the object was created. */
  created?: Location;
  /** For statsmodels-style models: the data given to the constructor. */
  constructorData?: Value;
  /** The object came from `joblib.load` and friends. */
  loaded?: Location;
  /** Methods called on it (to decide the role of objects of unknown classes). */
  methods: Set<string>;
  /** For instances of notebook classes: attributes set on `self` (`self.scaler = StandardScaler()`). */
  attributes?: Map<string, Value>;
}

/** The kind of learning a fit event performs. */
export type FitKind = 'transformer' | 'estimator' | 'resampler' | 'statistic' | 'function';

/** Learning from rows: `scaler.fit(X)`, `model.fit(X, y)`, `df.mean()`, `pd.get_dummies(df)`. */
export interface FitEvent {
  id: number;
  kind: FitKind;
  /** The fitted object, for object fits. */
  object?: ObjectState;
  /** What leaks, as DESIGN.md names it: `StandardScaler.fit_transform`, `pd.get_dummies`, `DataFrame.mean`. */
  api: string;
  /** The call's method (`fit`, `fit_transform`, `mean`). */
  method: string;
  pattern?: PreprocessingPattern;
  /** Rows the fit learned from. */
  rows: number;
  datasets: number[];
  /** The learning data (X). */
  data: Value;
  /** The target (y) of an estimator fit, when given. */
  target?: Value;
  /** Fits whose state was already baked into the learning data. */
  learnedIn: FitEvent[];
  /** Transformer fits applied to the learning data, in order. */
  chainIn: FitEvent[];
  location: Location;
  /** The fit's call is inside a notebook function (which one). */
  inFunction?: string;
  /** For calls inside notebook functions: the module-level call of the outermost function, where the leak happens. */
  callSite?: Location;
  /** Recorded while analysing a function that nothing calls: it may never run. */
  speculative: boolean;
  /** The innermost `for` loop around the fit, if any. */
  loop?: number;
  /** For statistics: whether the statistic was combined with data (filled, mapped, subtracted). */
  applied: boolean;
  /** The validation data passed to the fit (`eval_set`, `validation_data`), if any. */
  monitor?: Value;
  /** The fit stops early or keeps a checkpoint by the monitored data (`early_stopping_rounds`, `callbacks`). */
  selectsByMonitor?: boolean;
  /** Document order of the event, to compare with other events. */
  order: number;
  /** Dynamic code or unknown calls fed this fit. */
  uncertain: boolean;
  /**
   * Its held-out rows are those of an unlabelled test file (Kaggle's `test.csv`, read under a test
   * name, never scored and never a target): learning from them cannot reach any score.
   */
  transductive?: boolean;
}

/** How rows were split. */
export type SplitKind = 'train_test_split' | 'cv' | 'random_split' | 'slice' | 'sample' | 'index' | 'name';

/** A split of a dataset into train and held-out parts. */
export interface SplitEvent {
  id: number;
  kind: SplitKind;
  /** The splitting call as reported (`sklearn.model_selection.train_test_split`, `DataFrame.sample`). */
  api: string;
  callSite?: Location;
  /** Whether rows are ordered randomly before splitting (LK206 cares). */
  shuffles: boolean;
  /** The call that put the rows in random order before a positional split (`df.sample(frac=1)`, `rng.permutation(n)`). */
  shuffledBy?: Shuffle;
  /** Datasets of the split input. */
  datasets: number[];
  /** For `name` splits: the rows role the name gave (`test = pd.read_csv("test.csv")` gives test). */
  role?: number;
  /** The value that was split (its first array for multi-array splits). */
  input: Value;
  location: Location;
  speculative: boolean;
  order: number;
}

/** Scoring a model: `model.score(X, y)`, `accuracy_score(y_test, pred)`, `model.evaluate(...)`. */
export interface EvaluationEvent {
  id: number;
  model: ObjectState;
  /** The model's fit at evaluation time. */
  fit?: FitEvent;
  /** The evaluated rows (of the features or predictions). */
  data: Value;
  /** The true labels it is scored against (`y_test`), when given. */
  target?: Value;
  /** The scoring call: `sklearn.metrics.accuracy_score`, `RandomForestClassifier.score`. */
  api: string;
  location: Location;
  callSite?: Location;
  speculative: boolean;
  loop?: number;
  order: number;
}

/** Cross-validation of a model on data: `cross_val_score(model, X, y)`, `GridSearchCV(...).fit(X, y)`. */
export interface CrossValidationEvent {
  id: number;
  model: ObjectState;
  data: Value;
  api: string;
  /** The splitter passed as `cv=`, when it is an object. */
  splitter?: ObjectState;
  location: Location;
  speculative: boolean;
  order: number;
}

/** Applying a fitted object to data: `transform`, `predict`, `predict_proba`. */
export interface ApplyEvent {
  id: number;
  object: ObjectState;
  fit?: FitEvent;
  method: string;
  data: Value;
  location: Location;
  inFunction?: string;
  speculative: boolean;
  order: number;
}

/** Writing objects to disk: `joblib.dump(model, path)`, `model.save(path)`. */
export interface SaveEvent {
  id: number;
  objects: ObjectState[];
  api: string;
  location: Location;
  speculative: boolean;
  order: number;
  /** Datasets numbered above this were read after the save. */
  datasetMark: number;
}

/** Reading a fitted object from disk. */
export interface LoadEvent {
  id: number;
  object: ObjectState;
  /** Datasets numbered above this were read after the load. */
  datasetMark: number;
  location: Location;
  order: number;
}

/** A call that orders rows at random. */
export interface Shuffle {
  api: string;
  location: Location;
}

/** Why data counts as ordered in time. */
export interface TimeOrder {
  reason: string;
  location: Location;
}

/** What an abstract value is. */
export type ValueKind = 'data' | 'object' | 'module' | 'function' | 'class' | 'tuple' | 'statistic' | 'unknown' | 'constant';

/** An abstract value. Data values are immutable except through explicit in-place mutations. */
export interface Value {
  kind: ValueKind;
  rows: number;
  datasets: number[];
  /** Fits whose learned state is baked into this value (transformer outputs, filled statistics). */
  learned: FitEvent[];
  /** Transformer fits applied to this data, in order (LK205 compares train and test chains). */
  chain: FitEvent[];
  /** The split that gave the value its rows role. */
  split?: SplitEvent;
  timeOrder?: TimeOrder;
  /** For objects. */
  object?: ObjectState;
  /** For modules and names imported from them: the qualified name (`sklearn.preprocessing.StandardScaler`). */
  qualified?: string;
  /** For notebook functions and classes: the name under which they are defined. */
  definition?: string;
  /** For tuples and lists: the elements. */
  items?: Value[];
  /** For dicts: the literal key of each element of `items`, where known. */
  keys?: (string | number | undefined)[];
  /** For statistics: the fit that computed them. */
  statistic?: FitEvent;
  /** For predictions: the model and its fit, and the rows predicted. */
  prediction?: { model: ObjectState; fit?: FitEvent };
  /** For split iterators and fold indexes: the role each element plays. */
  foldOf?: SplitEvent;
  /** For constants: the literal (numbers, strings, True/False/None). */
  literal?: string | number;
  /** Derived from unknown calls or dynamic code. */
  uncertain: boolean;
  /** A parameter of a function analysed without a call: its rows are unknown. */
  parameter?: boolean;
  /**
   * For data put together side by side (`np.hstack`, `np.c_`, `pd.concat(axis=1)`): the blocks, in
   * order. The value's `chain` is its first block's; each block keeps its own.
   */
  columnBlocks?: Value[];
  /** What iterating over the value yields (`kf.split(X)`, `enumerate(...)`, `zip(...)`). */
  element?: Value;
  /** A `groupby(...)` result: statistics over it are group aggregations. */
  grouped?: boolean;
  /** A `rolling`/`expanding`/`ewm`/`resample` window: statistics over it are per row, not over all rows. */
  windowed?: boolean;
  /** The pandas or NumPy type, when known (`DataFrame`, `Series`, `SeriesGroupBy`, `ndarray`), for naming calls. */
  frame?: string;
  /** Fresh from a source or a row selection: a name with a role word may give it its role. */
  fresh?: boolean;
  /** Rows (or row indexes) in random order: positional parts taken from it are a random split. */
  shuffled?: Shuffle;
  /**
   * Fits of `learned` known to live only in some columns (`df["label"] = s > s.quantile(0.8)`):
   * selecting other columns leaves them behind. Fits not listed live in every column. Never mutated.
   */
  columnFits?: ReadonlyMap<FitEvent, readonly string[]>;
}

/** Everything provenance found in one notebook. */
export interface Provenance {
  fits: FitEvent[];
  splits: SplitEvent[];
  evaluations: EvaluationEvent[];
  crossValidations: CrossValidationEvent[];
  applications: ApplyEvent[];
  saves: SaveEvent[];
  loads: LoadEvent[];
  /**
   * Leaks found while values flowed: a fit on rows that include held-out data whose state reached
   * train or held-out data of a split (or a cross-validation) of the same dataset.
   */
  contaminations: Contamination[];
  /** The notebook uses `exec`, `eval`, `getattr`, `globals()` or `**kwargs` where values flow. */
  dynamic: boolean;
}

/** A fit on rows that include held-out data reaching split or cross-validated data. */
export interface Contamination {
  fit: FitEvent;
  /** Where the contaminated data got its role, or the cross-validation that splits it. */
  split?: SplitEvent;
  crossValidation?: CrossValidationEvent;
  /** The contaminated value. */
  value: Value;
  /**
   * The fit also learned from an unlabelled competition file, and this split (or cross-validation)
   * divides the labelled rows it learned from into training and held-out parts (a leak all the same).
   */
  labelledRowsDivided?: boolean;
  /**
   * The fit learned every row of a split part that this later split divides again (into training
   * and validation rows): the validation rows shaped the fit.
   */
  fittedPartSplit?: boolean;
}
