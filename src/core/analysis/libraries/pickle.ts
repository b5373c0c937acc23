/** pickle and its drop-in replacements (`dill`, `cloudpickle`), and skops. */
import type { LibraryTable } from './types';

export const pickle: LibraryTable = {
  name: 'pickle',
  modules: ['pickle', 'dill', 'cloudpickle', 'skops'],
  classes: {},
  functions: { dump: { role: 'save' }, load: { role: 'load' }, loads: { role: 'load' } },
};
