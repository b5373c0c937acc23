/** Plain data the scaffold planner returns: file changes and a report of where each cell went. */

/** What applying a change does to one file. */
export type FileChangeKind = 'create' | 'overwrite' | 'unchanged';

/** One file of the planned project. */
export interface FileChange {
  /** Path relative to the target folder, with `/` separators. */
  path: string;
  kind: FileChangeKind;
  /** The planned content. */
  content: string;
  /** What is on disk now, for `overwrite` (and `unchanged`). */
  previous?: string;
}

/** Where a notebook cell went. */
export interface CellPlacement {
  /** 0-based index among all cells. */
  cell: number;
  /** The main role of the cell's statements. */
  role: string;
  /** Generated files that hold its code. */
  placedIn: string[];
  /** The first lines of its statements left out of the project, when others of the cell are placed. */
  leftOut: string[];
}

/** What could and could not be placed, for the CLI, the extension and the generated README. */
export interface ScaffoldReport {
  cells: CellPlacement[];
  /** Sentences about code left out on purpose (exploration, unused, other models). */
  leftOut: string[];
  /** Mechanical fixes the generated training makes. */
  fixed: string[];
  /** What a person must check. */
  review: string[];
  /** Why no project could be planned; empty when one was. */
  problems: string[];
}

/** The result of planning. */
export interface ScaffoldPlan {
  /** False when the notebook cannot become a working project; `changes` is then empty. */
  ok: boolean;
  changes: FileChange[];
  report: ScaffoldReport;
}

/** Planner options; everything a plan depends on is passed in, so planning does no I/O. */
export interface ScaffoldOptions {
  /** Files already in the target folder (path -> content); missing ones are created. */
  existing?: ReadonlyMap<string, string>;
  /** The notebook's file name as the README and docstrings name it (default: the notebook's path). */
  notebookName?: string;
  /** The Python distribution name (default: derived from the notebook's file name). */
  projectName?: string;
  /** Templates by project path (default: the embedded ones). */
  templates?: Readonly<Record<string, string>>;
}
