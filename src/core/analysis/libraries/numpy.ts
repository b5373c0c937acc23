/** NumPy: sources, row/column combinators, positional splits and shuffles of row indexes (statistics are shared with pandas' method table). */
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
    split: { role: 'positional-split' },
    array_split: { role: 'positional-split' },
    permutation: { role: 'shuffle' },
    shuffle: { role: 'shuffle' },
    repeat: { role: 'resampling-function', always: true },
    tile: { role: 'resampling-function', always: true },
  },
};

/** NumPy functions and methods that return positions ordered by value: top-k selections, not rows. */
export const ORDER_POSITIONS: ReadonlySet<string> = new Set(['argsort', 'argpartition', 'argmax', 'argmin']);
