/** LightGBM: the scikit-learn API and the native `train` API. */
import { estimator, type LibraryTable } from './types';

export const lightgbm: LibraryTable = {
  name: 'LightGBM',
  modules: ['lightgbm'],
  classes: {
    LGBMClassifier: estimator,
    LGBMRegressor: estimator,
    LGBMRanker: estimator,
    Dataset: { role: 'data-container' },
    Booster: estimator,
  },
  functions: {
    train: { role: 'train', dataArgument: 1 },
    cv: { role: 'cross-validation' },
  },
};
