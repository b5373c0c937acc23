/**
 * The library calls that read and write model and pickle artifacts, one line per API, so that
 * supporting another library is one line here. NB108 (artifact-from-nowhere) reads these tables.
 *
 * `api` is the fully qualified name after resolving the notebook's imports (`jl.load` after
 * `import joblib as jl` is `joblib.load`). `method` entries match a method call on any object
 * that is not an imported module (`model.save(path)`, `df.to_pickle(path)`).
 */

/** Where a call takes the path it reads or writes. */
export interface PathArgument {
  /** Positional index of the argument. */
  index: number;
  /** Keyword name of the same argument. */
  keyword: string;
  /**
   * `file`: the argument is an open file object (`pickle.load(f)`, `pickle.dump(x, open(p, "wb"))`),
   * whose path is found through the `open(...)` that made it. `receiver`: the path is the object
   * the method is called on (`Path("m.pkl").write_bytes(...)`).
   */
  via?: 'file' | 'receiver';
}

/** One API that reads or writes an artifact. */
export interface ArtifactCall {
  /** Qualified function name after import resolution; exclusive with `method`. */
  api?: string;
  /** Method name on a non-module receiver; exclusive with `api`. */
  method?: string;
  path: PathArgument;
  /**
   * Only paths with one of ARTIFACT_EXTENSIONS count (for general-purpose loaders such as
   * `np.load`, which mostly read plain arrays).
   */
  artifactsOnly?: boolean;
}

/** File extensions of serialized models and pickles. */
export const ARTIFACT_EXTENSIONS: readonly string[] = ['.pkl', '.pickle', '.joblib', '.pt', '.pth', '.h5', '.keras', '.sav', '.model'];

const arg = (index: number, keyword: string, via?: PathArgument['via']): PathArgument => (via ? { index, keyword, via } : { index, keyword });

/** Calls that load an artifact from a path. */
export const ARTIFACT_LOADERS: readonly ArtifactCall[] = [
  { api: 'joblib.load', path: arg(0, 'filename') },
  { api: 'pickle.load', path: arg(0, 'file', 'file') },
  { api: 'dill.load', path: arg(0, 'file', 'file') },
  { api: 'cloudpickle.load', path: arg(0, 'file', 'file') },
  { api: 'pandas.read_pickle', path: arg(0, 'filepath_or_buffer') },
  { api: 'torch.load', path: arg(0, 'f') },
  { api: 'keras.models.load_model', path: arg(0, 'filepath') },
  { api: 'keras.saving.load_model', path: arg(0, 'filepath') },
  { api: 'tensorflow.keras.models.load_model', path: arg(0, 'filepath') },
  { api: 'skops.io.load', path: arg(0, 'file') },
  { api: 'numpy.load', path: arg(0, 'file'), artifactsOnly: true },
];

/** Calls that write a file at a path (any file: a write of the loaded path is what matters). */
export const ARTIFACT_WRITERS: readonly ArtifactCall[] = [
  { api: 'joblib.dump', path: arg(1, 'filename') },
  { api: 'pickle.dump', path: arg(1, 'file', 'file') },
  { api: 'dill.dump', path: arg(1, 'file', 'file') },
  { api: 'cloudpickle.dump', path: arg(1, 'file', 'file') },
  { api: 'torch.save', path: arg(1, 'f') },
  { api: 'keras.models.save_model', path: arg(1, 'filepath') },
  { api: 'keras.saving.save_model', path: arg(1, 'filepath') },
  { api: 'tensorflow.keras.models.save_model', path: arg(1, 'filepath') },
  { api: 'skops.io.dump', path: arg(1, 'file') },
  { api: 'numpy.save', path: arg(0, 'file') },
  // A checkpoint callback writes its file during `fit(callbacks=[...])`, the only reason to make one.
  { api: 'keras.callbacks.ModelCheckpoint', path: arg(0, 'filepath') },
  { api: 'tensorflow.keras.callbacks.ModelCheckpoint', path: arg(0, 'filepath') },
  { api: 'shutil.copy', path: arg(1, 'dst') },
  { api: 'shutil.copy2', path: arg(1, 'dst') },
  { api: 'shutil.copyfile', path: arg(1, 'dst') },
  { api: 'shutil.move', path: arg(1, 'dst') },
  { api: 'urllib.request.urlretrieve', path: arg(1, 'filename') },
  { method: 'to_pickle', path: arg(0, 'path') },
  { method: 'save', path: arg(0, 'filepath') },
  { method: 'save_model', path: arg(0, 'fname') },
  { method: 'save_weights', path: arg(0, 'filepath') },
  { method: 'write_bytes', path: arg(0, 'data', 'receiver') },
];

/** Calls that open a file and return a file object; `open(path, "wb")` also writes `path`. */
export const FILE_OPENERS: readonly ArtifactCall[] = [
  { api: 'open', path: arg(0, 'file') },
  { api: 'io.open', path: arg(0, 'file') },
  { api: 'gzip.open', path: arg(0, 'filename') },
  { api: 'bz2.open', path: arg(0, 'filename') },
  { api: 'lzma.open', path: arg(0, 'filename') },
  { method: 'open', path: arg(0, 'mode', 'receiver') },
];

/** Where an opener takes its mode: `open(file, mode)`, `Path(p).open(mode)`. */
export function modeArgument(opener: ArtifactCall): PathArgument {
  return opener.path.via === 'receiver' ? arg(0, 'mode') : arg(1, 'mode');
}
