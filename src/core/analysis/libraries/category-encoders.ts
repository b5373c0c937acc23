/** category_encoders: every encoder learns its mapping (and often target statistics) in `fit`. */
import { transformer, type LibraryTable } from './types';

const encoders = [
  'TargetEncoder',
  'OneHotEncoder',
  'OrdinalEncoder',
  'BinaryEncoder',
  'BaseNEncoder',
  'CatBoostEncoder',
  'CountEncoder',
  'GLMMEncoder',
  'HashingEncoder',
  'HelmertEncoder',
  'JamesSteinEncoder',
  'LeaveOneOutEncoder',
  'MEstimateEncoder',
  'SumEncoder',
  'WOEEncoder',
  'BackwardDifferenceEncoder',
  'PolynomialEncoder',
  'QuantileEncoder',
  'SummaryEncoder',
  'GrayEncoder',
];

export const categoryEncoders: LibraryTable = {
  name: 'category_encoders',
  modules: ['category_encoders'],
  classes: Object.fromEntries(encoders.map((name) => [name, transformer('encoding')])),
  functions: {},
};
