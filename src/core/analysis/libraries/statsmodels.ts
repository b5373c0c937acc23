/** statsmodels: models receive their data in the constructor and are fitted by a bare `fit()`. */
import type { ClassRole, LibraryTable } from './types';

const dataModel: ClassRole = { role: 'data-model' };
const models = [
  'OLS',
  'WLS',
  'GLS',
  'GLM',
  'Logit',
  'Probit',
  'MNLogit',
  'Poisson',
  'NegativeBinomial',
  'QuantReg',
  'RLM',
  'ARIMA',
  'SARIMAX',
  'ExponentialSmoothing',
  'SimpleExpSmoothing',
  'Holt',
  'VAR',
  'AutoReg',
  'UnobservedComponents',
];

export const statsmodels: LibraryTable = {
  name: 'statsmodels',
  modules: ['statsmodels'],
  // The formula API spells models in lower case (`smf.ols`).
  classes: Object.fromEntries([...models, ...models.map((m) => m.toLowerCase())].map((name) => [name, dataModel])),
  functions: {},
};
