/** CatBoost. */
import { estimator, type LibraryTable } from './types';

export const catboost: LibraryTable = {
  name: 'CatBoost',
  modules: ['catboost'],
  classes: {
    CatBoostClassifier: estimator,
    CatBoostRegressor: estimator,
    CatBoostRanker: estimator,
    CatBoost: estimator,
    Pool: { role: 'data-container' },
  },
  functions: {
    cv: { role: 'cross-validation' },
  },
};
