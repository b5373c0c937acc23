/** CatBoost. */
import { anyTask, classifier, ranker, regressor, type LibraryTable } from './types';

export const catboost: LibraryTable = {
  name: 'CatBoost',
  modules: ['catboost'],
  classes: {
    CatBoostClassifier: classifier,
    CatBoostRegressor: regressor,
    CatBoostRanker: ranker,
    CatBoost: anyTask,
    Pool: { role: 'data-container' },
  },
  functions: {
    cv: { role: 'cross-validation' },
  },
};
