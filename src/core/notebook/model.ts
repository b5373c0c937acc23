/**
 * The notebook model every analysis runs on: plain data, independent of where the notebook
 * came from (an `.ipynb` file, a percent-format script, a plain script, or a live VS Code
 * notebook converted by the extension).
 */

/**
 * The number people see for the cell at 0-based `index`: 1-based among all cells, as
 * `nb2prod check`, rule messages and the editor count. JSON keeps the 0-based index.
 */
export function cellNumber(index: number): number {
  return index + 1;
}

/** `cell 3` for the cell at 0-based index 2. */
export function cellLabel(index: number): string {
  return `cell ${cellNumber(index)}`;
}

/** Which kind of file a notebook was read from. */
export type NotebookFormat = 'ipynb' | 'percent' | 'script';

/** The kind of a cell, as nbformat names it. */
export type CellKind = 'code' | 'markdown' | 'raw';

/** One cell of a notebook. */
export interface Cell {
  /** 0-based index among ALL cells (markdown and raw included), as DESIGN.md's JSON uses. */
  index: number;
  /** Code, markdown or raw. Only code cells are analysed as Python. */
  kind: CellKind;
  /** The cell's source text, joined into one string, exactly as stored (no trailing newline added). */
  source: string;
  /** The stored execution count; null when the cell never ran or the format has none. */
  executionCount: number | null;
  /** nbformat 4.5 cell id, when present. */
  id?: string;
  /** Number of stored outputs (0 for formats without outputs). */
  outputCount: number;
  /**
   * Whether the last execution succeeded, when known (VS Code's live execution summary, or an
   * error output in a saved notebook). Undefined when unknown.
   */
  executionSuccess?: boolean;
  /**
   * The message of a saved error output that Python raised compiling the cell itself
   * (`SyntaxError`, `IndentationError`, `TabError` with no call stack): the cell as it was run
   * never started, so it bound and read nothing. Absent otherwise.
   */
  savedSyntaxError?: string;
  /**
   * Where this cell's source starts in the file as stored on disk, so that reporters can
   * point at the real line of an `.ipynb` (SARIF) or a `.py`. Absent for live notebooks.
   */
  origin?: CellOrigin;
}

/**
 * How a cell's source maps onto the file as stored. For `.py` files the cell's line `l` is
 * file line `firstLine + l`. For `.ipynb` files with a `source` array, each source line is one
 * JSON string on its own file line: cell line `l` is at file line `lineMap[l]`.
 */
export interface CellOrigin {
  /** 0-based file line of the cell's first source line. */
  firstLine: number;
  /** For `.ipynb`: 0-based file line of each source line (same length as the cell's line count). */
  lineMap?: number[];
  /**
   * For `.ipynb`: every JSON string literal of the cell's `source`, in order, so that a cell
   * position maps to the exact column on disk (SARIF regions want real columns).
   */
  segments?: SourceSegment[];
  /**
   * For percent-format markdown cells: how many columns of each cell line were stripped from
   * the file line (the `# ` comment prefix), so columns still map exactly.
   */
  columnShift?: number[];
}

/** One JSON string literal of an `.ipynb` cell's `source`, as stored on disk. */
export interface SourceSegment {
  /** UTF-16 offset in the cell's source where this literal's decoded text starts. */
  offset: number;
  /** 0-based file line of the literal. */
  line: number;
  /** 0-based UTF-16 column on that line of the literal's first content character (after the quote). */
  character: number;
  /**
   * The literal as written on disk, quotes included, only when it is not escaped the way
   * `JSON.stringify` and Jupyter escape (e.g. `\u00e9` or `\/`); absent otherwise to save memory.
   */
  raw?: string;
}

/** What a notebook's metadata says about its kernel; each field only when present. */
export interface KernelInfo {
  /** `kernelspec.name`: `python3`, `python2`, `pysparkkernel`, ... */
  name?: string;
  /** `kernelspec.display_name`: `Python 2`, `PySpark`, ... */
  displayName?: string;
  /** The language the metadata names, lower-cased: `kernelspec.language`, else `language_info.name`. */
  language?: string;
  /** The language's version: `language_info.version` (`2.7.12`), else `codemirror_mode.version` (`2`). */
  languageVersion?: string;
}

/** A notebook, ready for analysis. */
export interface Notebook {
  /** The path it was read from (as given), or the URI string of a live notebook. */
  path: string;
  /** The format it was read from. */
  format: NotebookFormat;
  /** nbformat version as `major.minor` (`4.5`); absent for scripts. */
  nbformatVersion?: string;
  /** The kernel language, `python` unless the metadata says otherwise. */
  language: string;
  /** The kernel the notebook was saved with, when its metadata names one (`.ipynb` only). */
  kernel?: KernelInfo;
  /** Every cell, in document order. */
  cells: Cell[];
}
