/** NumPy: sources and row/column combinators (statistics are shared with pandas' method table). */
import { source, type LibraryTable } from './types';

export const numpy: LibraryTable = {
  name: 'NumPy',
  modules: ['numpy'],
  classes: {},
  functions: {
    load: source,
    loadtxt: source,
    genfromtxt: source,
    fromfile: source,
    concatenate: { role: 'combine' },
    hstack: { role: 'combine' },
    vstack: { role: 'combine' },
    column_stack: { role: 'combine' },
    c_: { role: 'combine' },
    r_: { role: 'combine' },
    stack: { role: 'combine' },
    append: { role: 'combine' },
    digitize: { role: 'fitting-function', pattern: 'discretization' },
  },
};
