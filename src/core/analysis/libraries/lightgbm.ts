/** LightGBM: the scikit-learn API and the native `train` API. */
import { anyTask, classifier, ranker, regressor, type LibraryTable } from './types';

export const lightgbm: LibraryTable = {
  name: 'LightGBM',
  modules: ['lightgbm'],
  classes: {
    LGBMClassifier: classifier,
    LGBMRegressor: regressor,
    LGBMRanker: ranker,
    Dataset: { role: 'data-container' },
    Booster: anyTask,
  },
  functions: {
    train: { role: 'train', dataArgument: 1 },
    cv: { role: 'cross-validation' },
  },
};
