/** imbalanced-learn. */
import { classifier, oversampler, undersampler, type LibraryTable } from './types';

export const imblearn: LibraryTable = {
  name: 'imbalanced-learn',
  modules: ['imblearn'],
  classes: {
    SMOTE: oversampler,
    SMOTENC: oversampler,
    SMOTEN: oversampler,
    ADASYN: oversampler,
    BorderlineSMOTE: oversampler,
    SVMSMOTE: oversampler,
    KMeansSMOTE: oversampler,
    RandomOverSampler: oversampler,
    SMOTEENN: oversampler,
    SMOTETomek: oversampler,
    RandomUnderSampler: undersampler,
    NearMiss: undersampler,
    TomekLinks: undersampler,
    EditedNearestNeighbours: undersampler,
    ClusterCentroids: undersampler,
    Pipeline: { role: 'composite' },
    BalancedRandomForestClassifier: classifier,
    BalancedBaggingClassifier: classifier,
    EasyEnsembleClassifier: classifier,
    RUSBoostClassifier: classifier,
  },
  functions: {
    make_pipeline: { role: 'compose' },
  },
};
