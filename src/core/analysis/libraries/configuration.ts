/**
 * Calls whose result configures a computation rather than holding data: NB106 asks whether a
 * global a function reads is data (a DataFrame, an array, a fitted model) or configuration (a
 * size, a path, a logger, an optimizer). One line per API or family; the provenance tables in
 * this folder say what calls do to data, this one only which results are not data.
 *
 * Roles:
 * - `size`: a number or shape whatever the arguments (`len(df)`); an int derived from data
 *   is a setting (`vocab_size = len(vocab)`), not the data itself.
 * - `builder`: its result is configuration when every argument is (`range(10)`,
 *   `os.path.join("data", "x.csv")`), data otherwise (`list(df["a"])`).
 * - `tool`: a configured object that does work but keeps no rows: a logger, a compiled regex,
 *   a device, an optimizer, a loss, a stemmer or a pretrained tokenizer. Objects a notebook
 *   builds and then trains or fits (models, vectorizers, Keras' `Tokenizer`) are not listed:
 *   after `fit` they hold what they learned from the data.
 */

/** What a call's result is, for NB106. */
export type ConfigurationRole = 'size' | 'builder' | 'tool';

/** Qualified names (builtins bare) and their roles. */
const BY_NAME: Readonly<Record<string, ConfigurationRole>> = {
  len: 'size',
  range: 'builder',
  int: 'builder',
  float: 'builder',
  str: 'builder',
  bool: 'builder',
  round: 'builder',
  abs: 'builder',
  list: 'builder',
  tuple: 'builder',
  set: 'builder',
  frozenset: 'builder',
  dict: 'builder',
  'os.path.join': 'builder',
  'os.path.abspath': 'builder',
  'os.path.expanduser': 'builder',
  'os.path.dirname': 'builder',
  'os.getcwd': 'builder',
  'os.environ.get': 'builder',
  'os.getenv': 'builder',
  'pathlib.Path': 'builder',
  'pathlib.PurePath': 'builder',
  'torch.cuda.is_available': 'builder',
  're.compile': 'tool',
  'torch.device': 'tool',
  'nltk.corpus.stopwords.words': 'builder',
};

/** Families matched on the qualified name. */
const FAMILIES: readonly { pattern: RegExp; role: ConfigurationRole }[] = [
  // Loggers: `logging.getLogger(__name__)` and a project's own `get_logger(__name__)`.
  { pattern: /(?:^|\.)(?:getLogger|get_logger)$/, role: 'tool' },
  { pattern: /^torch\.optim\.(?:lr_scheduler\.)?[A-Z]\w*$/, role: 'tool' },
  { pattern: /^torch\.nn\.\w+Loss$/, role: 'tool' },
  { pattern: /^(?:tensorflow\.)?keras\.(?:optimizers|losses)\.[A-Z]\w*$/, role: 'tool' },
  { pattern: /^nltk\.(?:stem|tokenize)\.(?:\w+\.)?[A-Z]\w*$/, role: 'tool' },
  { pattern: /^nltk\.\w*(?:Stemmer|Lemmatizer|Tokenizer)$/, role: 'tool' },
  { pattern: /^(?:tensorflow\.)?keras\.callbacks\.[A-Z]\w*$/, role: 'tool' },
  { pattern: /^transformers\.\w*Tokenizer\w*(?:\.from_pretrained)?$/, role: 'tool' },
];

/** The role of a qualified callee (a bare name for builtins), or undefined when its result may be data. */
export function configurationRole(qualified: string): ConfigurationRole | undefined {
  return Object.hasOwn(BY_NAME, qualified) ? BY_NAME[qualified] : FAMILIES.find((f) => f.pattern.test(qualified))?.role;
}

/** Attributes whose value is a size, whatever object they are read from (`X.shape[0]`, `a.ndim`). */
export const SIZE_ATTRIBUTES: ReadonlySet<string> = new Set(['shape', 'ndim', 'size']);
