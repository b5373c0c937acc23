/** XGBoost: the scikit-learn API and the native `train` API. */
import { estimator, type LibraryTable } from './types';

export const xgboost: LibraryTable = {
  name: 'XGBoost',
  modules: ['xgboost'],
  classes: {
    XGBClassifier: estimator,
    XGBRegressor: estimator,
    XGBRanker: estimator,
    XGBRFClassifier: estimator,
    XGBRFRegressor: estimator,
    DMatrix: { role: 'data-container' },
    Booster: estimator,
  },
  functions: {
    train: { role: 'train', dataArgument: 1 },
    cv: { role: 'cross-validation' },
  },
};
