/**
 * The library APIs that draw random numbers, and how each is seeded: one line per API. NB111
 * matches calls against these qualified names (after resolving import aliases).
 *
 * Two kinds of seeding exist. Most APIs take their seed as an argument (`random_state`,
 * `seed`): a call without it, or with `None`, is unseeded. The others draw from a global
 * generator (`np.random.rand`, `random.shuffle`, `torch.rand`) that a seeding call such as
 * `np.random.seed(0)` must set earlier in the notebook.
 */

/** A process-wide random generator that module-level draws use. */
export type GlobalGenerator = 'numpy' | 'random' | 'torch';

/** A keyword argument condition, compared on the argument's source text. */
export interface KeywordCondition {
  keyword: string;
  values: readonly string[];
}

/** One API that draws random numbers. */
export interface RandomApi {
  /**
   * The qualified name (`sklearn.model_selection.KFold`), or `.name` for a method on any object
   * that is not an imported module (`.sample` for `df.sample(...)`).
   */
  api: string;
  /** The argument that seeds it; absent for draws from a global generator. */
  argument?: string;
  /** The argument's position when it can be passed positionally (`default_rng(0)`). */
  position?: number;
  /** The global generator a call draws from, for APIs without a seed argument. */
  generator?: GlobalGenerator;
  /** It draws only when this keyword has one of these values (`KFold(shuffle=True)`). */
  when?: KeywordCondition;
  /** It does not draw when this keyword has one of these values (`train_test_split(shuffle=False)`). */
  unless?: KeywordCondition;
  /**
   * Keywords that make its results depend on the seed. Without any of them the seed only breaks
   * ties between equally good splits (a decision tree with `splitter="best"` and every feature),
   * so runs almost always agree: NB111 reports it in the preview tier only.
   */
  randomWith?: readonly string[];
}

/** A call that seeds global generators. */
export interface SeedingApi {
  api: string;
  generators: readonly GlobalGenerator[];
}

const TRUE = ['True'];
const keyword = (name: string, values: readonly string[]): KeywordCondition => ({ keyword: name, values });
const state = (api: string, extra: Partial<RandomApi> = {}): RandomApi => ({ api, argument: 'random_state', ...extra });
const draw = (api: string, generator: GlobalGenerator, extra: Partial<RandomApi> = {}): RandomApi => ({ api, generator, ...extra });

export const RANDOM_APIS: readonly RandomApi[] = [
  state('sklearn.model_selection.train_test_split', { unless: keyword('shuffle', ['False']) }),
  state('sklearn.model_selection.KFold', { when: keyword('shuffle', TRUE) }),
  state('sklearn.model_selection.StratifiedKFold', { when: keyword('shuffle', TRUE) }),
  state('sklearn.model_selection.RepeatedKFold'),
  state('sklearn.model_selection.RepeatedStratifiedKFold'),
  state('sklearn.model_selection.ShuffleSplit'),
  state('sklearn.model_selection.StratifiedShuffleSplit'),
  state('sklearn.model_selection.GroupShuffleSplit'),
  state('sklearn.model_selection.RandomizedSearchCV'),
  state('sklearn.ensemble.RandomForestClassifier'),
  state('sklearn.ensemble.RandomForestRegressor'),
  state('sklearn.ensemble.ExtraTreesClassifier'),
  state('sklearn.ensemble.ExtraTreesRegressor'),
  state('sklearn.ensemble.GradientBoostingClassifier', { randomWith: ['subsample', 'max_features'] }),
  state('sklearn.ensemble.GradientBoostingRegressor', { randomWith: ['subsample', 'max_features'] }),
  state('sklearn.ensemble.HistGradientBoostingClassifier'),
  state('sklearn.ensemble.HistGradientBoostingRegressor'),
  state('sklearn.ensemble.BaggingClassifier'),
  state('sklearn.ensemble.BaggingRegressor'),
  state('sklearn.ensemble.AdaBoostClassifier'),
  state('sklearn.ensemble.AdaBoostRegressor'),
  state('sklearn.ensemble.IsolationForest'),
  state('sklearn.tree.DecisionTreeClassifier', { randomWith: ['splitter', 'max_features'] }),
  state('sklearn.tree.DecisionTreeRegressor', { randomWith: ['splitter', 'max_features'] }),
  state('sklearn.cluster.KMeans'),
  state('sklearn.cluster.MiniBatchKMeans'),
  state('sklearn.neural_network.MLPClassifier'),
  state('sklearn.neural_network.MLPRegressor'),
  state('sklearn.linear_model.SGDClassifier'),
  state('sklearn.linear_model.SGDRegressor'),
  state('sklearn.linear_model.Perceptron'),
  state('sklearn.decomposition.PCA', { when: keyword('svd_solver', ['"randomized"', "'randomized'", '"arpack"', "'arpack'"]) }),
  state('sklearn.decomposition.TruncatedSVD'),
  state('sklearn.manifold.TSNE'),
  state('sklearn.mixture.GaussianMixture'),
  state('sklearn.svm.SVC', { when: keyword('probability', TRUE) }),
  state('sklearn.datasets.make_classification'),
  state('sklearn.datasets.make_regression'),
  state('sklearn.datasets.make_blobs'),
  state('sklearn.datasets.make_moons'),
  state('sklearn.datasets.make_circles'),
  state('imblearn.over_sampling.SMOTE'),
  state('imblearn.over_sampling.RandomOverSampler'),
  state('imblearn.under_sampling.RandomUnderSampler'),
  // pandas: DataFrame.sample / Series.sample(n, frac, replace, weights, random_state, ...).
  state('.sample', { position: 4 }),
  { api: 'numpy.random.default_rng', argument: 'seed', position: 0 },
  { api: 'numpy.random.RandomState', argument: 'seed', position: 0 },
  { api: 'random.Random', argument: 'x', position: 0 },
  ...[
    'rand',
    'randn',
    'randint',
    'random',
    'random_sample',
    'ranf',
    'sample',
    'choice',
    'shuffle',
    'permutation',
    'normal',
    'uniform',
    'binomial',
    'poisson',
    'exponential',
    'beta',
    'gamma',
    'standard_normal',
    'multivariate_normal',
    'lognormal',
    'laplace',
  ].map((name) => draw(`numpy.random.${name}`, 'numpy')),
  ...[
    'random',
    'randint',
    'randrange',
    'choice',
    'choices',
    'shuffle',
    'sample',
    'uniform',
    'gauss',
    'normalvariate',
    'betavariate',
    'expovariate',
    'triangular',
    'getrandbits',
  ].map((name) => draw(`random.${name}`, 'random')),
  ...['rand', 'randn', 'randint', 'randperm', 'rand_like', 'randn_like', 'randint_like', 'normal', 'bernoulli', 'multinomial'].map((name) =>
    draw(`torch.${name}`, 'torch'),
  ),
  draw('torch.utils.data.DataLoader', 'torch', { when: keyword('shuffle', TRUE) }),
];

export const SEEDING_APIS: readonly SeedingApi[] = [
  { api: 'numpy.random.seed', generators: ['numpy'] },
  { api: 'random.seed', generators: ['random'] },
  { api: 'torch.manual_seed', generators: ['torch'] },
  { api: 'lightning.seed_everything', generators: ['numpy', 'random', 'torch'] },
  { api: 'lightning.pytorch.seed_everything', generators: ['numpy', 'random', 'torch'] },
  { api: 'pytorch_lightning.seed_everything', generators: ['numpy', 'random', 'torch'] },
  { api: 'transformers.set_seed', generators: ['numpy', 'random', 'torch'] },
  { api: 'keras.utils.set_random_seed', generators: ['numpy', 'random'] },
  { api: 'tensorflow.keras.utils.set_random_seed', generators: ['numpy', 'random'] },
];

/** How each global generator is named in messages, and the module and function that seed it. */
export const GENERATORS: Readonly<Record<GlobalGenerator, { label: string; module: string; seedFunction: string }>> = {
  numpy: { label: "NumPy's global random generator", module: 'numpy.random', seedFunction: 'seed' },
  random: { label: "the `random` module's generator", module: 'random', seedFunction: 'seed' },
  torch: { label: "PyTorch's global random generator", module: 'torch', seedFunction: 'manual_seed' },
};

const BY_API = new Map(RANDOM_APIS.map((entry) => [entry.api, entry]));
const SEEDERS = new Map(SEEDING_APIS.map((entry) => [entry.api, entry]));

/** The table line for a qualified callee, if it draws random numbers. */
export function randomApi(qualified: string): RandomApi | undefined {
  return BY_API.get(qualified);
}

/** The table line for a qualified callee, if it seeds global generators. */
export function seedingApi(qualified: string): SeedingApi | undefined {
  return SEEDERS.get(qualified);
}
