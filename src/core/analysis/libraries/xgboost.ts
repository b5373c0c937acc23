/** XGBoost: the scikit-learn API and the native `train` API. */
import { anyTask, classifier, ranker, regressor, type LibraryTable } from './types';

export const xgboost: LibraryTable = {
  name: 'XGBoost',
  modules: ['xgboost'],
  classes: {
    XGBClassifier: classifier,
    XGBRegressor: regressor,
    XGBRanker: ranker,
    XGBRFClassifier: classifier,
    XGBRFRegressor: regressor,
    DMatrix: { role: 'data-container' },
    Booster: anyTask,
  },
  functions: {
    train: { role: 'train', dataArgument: 1 },
    cv: { role: 'cross-validation' },
  },
};
