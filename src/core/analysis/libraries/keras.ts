/** Keras (standalone or `tensorflow.keras`): models, preprocessing layers that `adapt`, and the text tokenizer. */
import { anyTask, source, transformer, type LibraryTable } from './types';

export const keras: LibraryTable = {
  name: 'Keras',
  modules: ['keras', 'tensorflow', 'tf'],
  classes: {
    Sequential: anyTask,
    Model: anyTask,
    Tokenizer: transformer('text-vectorization'),
    TextVectorization: transformer('text-vectorization'),
    Normalization: transformer('scaling'),
    Discretization: transformer('discretization'),
    StringLookup: transformer('encoding'),
    IntegerLookup: transformer('encoding'),
    CategoryEncoding: transformer('encoding'),
  },
  functions: {
    load_model: { role: 'load' },
    load_data: source,
    text_dataset_from_directory: source,
    image_dataset_from_directory: source,
  },
};
