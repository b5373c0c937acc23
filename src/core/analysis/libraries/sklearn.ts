/** scikit-learn. */
import { classifier, clusterer, each, fitting, metric, source, outlierDetector, regressor, statelessTransformer, transformer, type LibraryTable } from './types';

const classifiers = [
  'LogisticRegression', 'LogisticRegressionCV', 'RidgeClassifier', 'RidgeClassifierCV', 'SGDClassifier', 'Perceptron',
  'PassiveAggressiveClassifier', 'SVC', 'LinearSVC', 'NuSVC', 'KNeighborsClassifier', 'RadiusNeighborsClassifier', 'NearestCentroid',
  'DecisionTreeClassifier', 'ExtraTreeClassifier', 'RandomForestClassifier', 'ExtraTreesClassifier', 'GradientBoostingClassifier',
  'HistGradientBoostingClassifier', 'AdaBoostClassifier', 'BaggingClassifier', 'VotingClassifier', 'StackingClassifier', 'GaussianNB',
  'MultinomialNB', 'BernoulliNB', 'ComplementNB', 'CategoricalNB', 'MLPClassifier', 'LinearDiscriminantAnalysis',
  'QuadraticDiscriminantAnalysis', 'GaussianProcessClassifier', 'DummyClassifier', 'CalibratedClassifierCV', 'OneVsRestClassifier',
  'OneVsOneClassifier', 'MultiOutputClassifier', 'ClassifierChain', 'LabelPropagation', 'LabelSpreading',
];

const regressors = [
  'LinearRegression', 'Ridge', 'RidgeCV', 'Lasso', 'LassoCV', 'LassoLars', 'Lars', 'ElasticNet', 'ElasticNetCV', 'SGDRegressor',
  'HuberRegressor', 'TheilSenRegressor', 'RANSACRegressor', 'BayesianRidge', 'ARDRegression', 'PoissonRegressor', 'GammaRegressor',
  'TweedieRegressor', 'QuantileRegressor', 'OrthogonalMatchingPursuit', 'PassiveAggressiveRegressor', 'SVR', 'LinearSVR', 'NuSVR',
  'KNeighborsRegressor', 'RadiusNeighborsRegressor', 'DecisionTreeRegressor', 'ExtraTreeRegressor', 'RandomForestRegressor',
  'ExtraTreesRegressor', 'GradientBoostingRegressor', 'HistGradientBoostingRegressor', 'AdaBoostRegressor', 'BaggingRegressor',
  'VotingRegressor', 'StackingRegressor', 'MLPRegressor', 'GaussianProcessRegressor', 'DummyRegressor', 'KernelRidge',
  'MultiOutputRegressor', 'RegressorChain', 'TransformedTargetRegressor', 'IsotonicRegression', 'PLSRegression', 'CCA',
];

const clusterers = [
  'KMeans', 'MiniBatchKMeans', 'BisectingKMeans', 'DBSCAN', 'HDBSCAN', 'OPTICS', 'AgglomerativeClustering', 'Birch', 'MeanShift',
  'SpectralClustering', 'AffinityPropagation', 'GaussianMixture', 'BayesianGaussianMixture', 'KernelDensity',
];

const outlierDetectors = ['IsolationForest', 'OneClassSVM', 'SGDOneClassSVM', 'LocalOutlierFactor', 'EllipticEnvelope'];


const metrics = [
  'accuracy_score', 'balanced_accuracy_score', 'f1_score', 'fbeta_score', 'precision_score', 'recall_score', 'roc_auc_score',
  'average_precision_score', 'log_loss', 'brier_score_loss', 'matthews_corrcoef', 'cohen_kappa_score', 'jaccard_score',
  'hamming_loss', 'zero_one_loss', 'hinge_loss', 'top_k_accuracy_score', 'confusion_matrix', 'classification_report',
  'precision_recall_fscore_support', 'roc_curve', 'precision_recall_curve', 'det_curve', 'mean_squared_error',
  'root_mean_squared_error', 'mean_absolute_error', 'median_absolute_error', 'mean_absolute_percentage_error',
  'mean_squared_log_error', 'r2_score', 'explained_variance_score', 'max_error', 'mean_poisson_deviance', 'mean_gamma_deviance',
  'mean_tweedie_deviance', 'd2_absolute_error_score', 'silhouette_score',
];

const sources = [
  'load_iris', 'load_digits', 'load_wine', 'load_breast_cancer', 'load_diabetes', 'load_linnerud', 'load_files', 'load_svmlight_file',
  'fetch_california_housing', 'fetch_openml', 'fetch_20newsgroups', 'fetch_20newsgroups_vectorized', 'fetch_covtype', 'fetch_kddcup99',
  'fetch_lfw_people', 'fetch_olivetti_faces', 'fetch_rcv1', 'fetch_species_distributions', 'make_classification', 'make_regression',
  'make_blobs', 'make_moons', 'make_circles', 'make_friedman1', 'make_multilabel_classification', 'make_sparse_uncorrelated',
];

export const sklearn: LibraryTable = {
  name: 'scikit-learn',
  modules: ['sklearn'],
  classes: {
    ...each(classifiers, classifier),
    ...each(regressors, regressor),
    ...each(clusterers, clusterer),
    ...each(outlierDetectors, outlierDetector),
    // Scaling and other learned numeric transformations.
    StandardScaler: transformer('scaling'),
    MinMaxScaler: transformer('scaling'),
    MaxAbsScaler: transformer('scaling'),
    RobustScaler: transformer('scaling'),
    Normalizer: statelessTransformer('scaling'),
    FunctionTransformer: statelessTransformer('transformation'),
    Binarizer: statelessTransformer('transformation'),
    QuantileTransformer: transformer('transformation'),
    PowerTransformer: transformer('transformation'),
    PolynomialFeatures: statelessTransformer('transformation'),
    SplineTransformer: transformer('transformation'),
    // Imputation.
    SimpleImputer: transformer('imputation'),
    KNNImputer: transformer('imputation'),
    IterativeImputer: transformer('imputation'),
    // Categorical encoding.
    OneHotEncoder: transformer('encoding'),
    OrdinalEncoder: transformer('encoding'),
    LabelEncoder: transformer('encoding'),
    LabelBinarizer: transformer('encoding'),
    MultiLabelBinarizer: transformer('encoding'),
    TargetEncoder: transformer('encoding'),
    DictVectorizer: transformer('encoding'),
    // Discretization.
    KBinsDiscretizer: transformer('discretization'),
    // Text vectorization.
    CountVectorizer: transformer('text-vectorization'),
    TfidfVectorizer: transformer('text-vectorization'),
    TfidfTransformer: transformer('text-vectorization'),
    HashingVectorizer: statelessTransformer('text-vectorization'),
    // Dimensionality reduction.
    PCA: transformer('dimensionality-reduction'),
    IncrementalPCA: transformer('dimensionality-reduction'),
    KernelPCA: transformer('dimensionality-reduction'),
    TruncatedSVD: transformer('dimensionality-reduction'),
    NMF: transformer('dimensionality-reduction'),
    FactorAnalysis: transformer('dimensionality-reduction'),
    FastICA: transformer('dimensionality-reduction'),
    TSNE: transformer('dimensionality-reduction'),
    Isomap: transformer('dimensionality-reduction'),
    LocallyLinearEmbedding: transformer('dimensionality-reduction'),
    GaussianRandomProjection: transformer('dimensionality-reduction'),
    SparseRandomProjection: transformer('dimensionality-reduction'),
    // Feature selection.
    SelectKBest: transformer('feature-selection'),
    SelectPercentile: transformer('feature-selection'),
    SelectFromModel: transformer('feature-selection'),
    VarianceThreshold: transformer('feature-selection'),
    RFE: transformer('feature-selection'),
    RFECV: transformer('feature-selection'),
    SequentialFeatureSelector: transformer('feature-selection'),
    GenericUnivariateSelect: transformer('feature-selection'),
    SelectFpr: transformer('feature-selection'),
    SelectFdr: transformer('feature-selection'),
    // Splitters, searches and composition.
    KFold: { role: 'splitter', shuffles: 'option' },
    StratifiedKFold: { role: 'splitter', shuffles: 'option' },
    GroupKFold: { role: 'splitter', shuffles: 'never' },
    StratifiedGroupKFold: { role: 'splitter', shuffles: 'option' },
    RepeatedKFold: { role: 'splitter', shuffles: 'always' },
    RepeatedStratifiedKFold: { role: 'splitter', shuffles: 'always' },
    ShuffleSplit: { role: 'splitter', shuffles: 'always' },
    StratifiedShuffleSplit: { role: 'splitter', shuffles: 'always' },
    GroupShuffleSplit: { role: 'splitter', shuffles: 'always' },
    LeaveOneOut: { role: 'splitter', shuffles: 'never' },
    LeaveOneGroupOut: { role: 'splitter', shuffles: 'never' },
    TimeSeriesSplit: { role: 'splitter', shuffles: 'never' },
    GridSearchCV: { role: 'search' },
    RandomizedSearchCV: { role: 'search' },
    HalvingGridSearchCV: { role: 'search' },
    HalvingRandomSearchCV: { role: 'search' },
    Pipeline: { role: 'composite' },
    ColumnTransformer: { role: 'composite' },
    FeatureUnion: { role: 'composite' },
  },
  functions: {
    ...Object.fromEntries(metrics.map((name) => [name, metric])),
    ...Object.fromEntries(sources.map((name) => [name, source])),
    train_test_split: { role: 'split', shuffles: 'option' },
    cross_val_score: { role: 'cross-validation' },
    cross_validate: { role: 'cross-validation' },
    cross_val_predict: { role: 'cross-validation' },
    learning_curve: { role: 'cross-validation' },
    validation_curve: { role: 'cross-validation' },
    permutation_test_score: { role: 'cross-validation' },
    make_pipeline: { role: 'compose' },
    make_column_transformer: { role: 'compose' },
    make_union: { role: 'compose' },
    resample: { role: 'resampling-function' },
    shuffle: { role: 'shuffle' },
    scale: fitting('scaling'),
    minmax_scale: fitting('scaling'),
    robust_scale: fitting('scaling'),
    // `normalize` scales each sample (row) to unit norm on its own: nothing is learned across rows.
    quantile_transform: fitting('transformation'),
    power_transform: fitting('transformation'),
  },
};
