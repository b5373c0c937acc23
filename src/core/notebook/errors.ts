/**
 * The single error type of notebook loading. Its message is always one line,
 * `<file>: <problem> at <location>` (or `<file>: <problem>` when there is no location), so that
 * the CLI can print it as the reason a file was skipped without any stack trace.
 */
export class NotebookError extends Error {
  /** The file the error is about, as given by the caller. */
  readonly path: string;
  /** What is wrong, one sentence without the file or location. */
  readonly problem: string;
  /** A JSON path (`cells[3].source`), a 1-based `line:column`, or undefined. */
  readonly location: string | undefined;

  constructor(path: string, problem: string, location?: string) {
    const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
    const cleanProblem = oneLine(problem);
    const cleanLocation = location === undefined ? undefined : oneLine(location);
    super(`${oneLine(path)}: ${cleanProblem}${cleanLocation === undefined ? '' : ` at ${cleanLocation}`}`);
    this.name = 'NotebookError';
    this.path = path;
    this.problem = cleanProblem;
    this.location = cleanLocation;
  }
}
