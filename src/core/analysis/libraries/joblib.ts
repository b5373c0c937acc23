/** joblib: how fitted scikit-learn objects are usually saved and loaded. */
import type { LibraryTable } from './types';

export const joblib: LibraryTable = {
  name: 'joblib',
  modules: ['joblib'],
  classes: {},
  functions: { dump: { role: 'save' }, load: { role: 'load' } },
};
