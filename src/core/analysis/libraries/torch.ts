/** PyTorch: `random_split` datasets, and `torch.save`/`torch.load` of models. */
import type { LibraryTable } from './types';

export const torch: LibraryTable = {
  name: 'PyTorch',
  modules: ['torch'],
  classes: {},
  functions: {
    random_split: { role: 'split', shuffles: 'always' },
    save: { role: 'save' },
    load: { role: 'load' },
  },
};
