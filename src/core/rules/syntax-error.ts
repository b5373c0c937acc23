import { isExerciseBlank } from '../analysis/exercise-blanks';
import type { Finding, Rule } from './types';

/**
 * NB000: a code cell does not parse. Reported once per cell; the other rules still use
 * the facts of the parts that parse.
 */
export const syntaxError: Rule = {
  code: 'NB000',
  name: 'syntax-error',
  severity: 'error',
  docs: {
    summary: 'A code cell is not valid Python (after IPython magics are set aside).',
    why:
      'The cell cannot run. nb2prod keeps what the parts that do parse define, so other cells are still ' +
      "checked, but it does not report undefined names read in this cell until it parses: the parser's " +
      'recovery from a broken line would make them up. A Python 2 notebook (its kernelspec or language version ' +
      'says so, or it has a `print x` statement or reads `xrange`) gets one finding saying so instead of one per ' +
      'line: nb2prod analyses Python 3 only. So does a notebook written for another kernel whose metadata was stripped, ' +
      'when its code leaves no doubt: most of its cells are shell commands or Julia (and several do not parse as ' +
      "Python), or it uses Sage's own names and syntax (`var`, `R.<x> =`, `^` for powers). A notebook whose metadata " +
      'names another language is not analysed and gets no finding.',
    example: ['# %%', 'def train(df:', '    return df'].join('\n'),
    useInstead: ['# %%', 'def train(df):', '    return df'].join('\n'),
    fixSafety: 'No automatic fix.',
    preview:
      'A syntax error in a cell whose saved output is already an error is a preview pattern: the author ran the cell ' +
      'and kept the failure (lessons that show what invalid code does), so it is rarely news; in the second blind ' +
      'audit both NB000 findings judged not worth a warning were of this kind. So is a cell the parser accepts but whose ' +
      'saved output is Python failing to compile it (a regular expression typed into a code cell): its reads are not ' +
      "reported by NB101/NB102 either, since the cell never ran. A syntax error in an exercise template's cell is preview " +
      'too: a cell with a deliberate blank for the student (`df = # TODO`, `# YOUR CODE HERE`, a `____` name, `...` as a ' +
      'value, `raise NotImplementedError` in a function) fails on purpose until filled in; the fifth blind audit judged ' +
      'these NOISE. A `# TODO` note in ordinary code is not a blank.',
  },
  check(analysed) {
    const other = analysed.otherLanguage;
    if (other !== undefined) {
      const python2 = other.language === 'Python 2';
      const advice = python2 ? 'port it to Python 3 to have it checked' : "save it with its kernel's metadata (`kernelspec`) and nb2prod will skip it";
      return [
        {
          message: `This notebook is ${other.language} code (${other.reason}), which nb2prod does not analyse: ${advice}.`,
          cell: other.cell,
          range: other.range,
          related: [],
          data: python2 ? { python2: true } : { language: other.language },
        },
      ];
    }
    return analysed.cells.flatMap((analysedCell) => {
      const { cell, facts } = analysedCell;
      const first = facts?.syntaxErrors[0];
      if (!first) return facts && cell.savedSyntaxError !== undefined ? [savedSyntaxError(cell.source, cell.index, cell.savedSyntaxError)] : [];
      const more = facts.syntaxErrors.length - 1;
      const suffix = more > 0 ? ` (and ${more} more in this cell)` : '';
      const magic = cellOnlyMagic(cell.source);
      const hint =
        magic === undefined
          ? ''
          : ` \`%${magic}\` is a cell magic only, so IPython runs the lines below it as Python: write \`%%${magic}\` to run the cell with it.`;
      // The saved output already shows this cell failing: the author knows (and often means it).
      // An exercise's blank (`df = # TODO`, `# YOUR CODE HERE`) fails on purpose until filled in.
      const known = cell.executionSuccess === false || isExerciseBlank(analysedCell);
      return [
        {
          message: `Syntax error: ${first.message}${suffix}.${hint}`,
          cell: cell.index,
          range: first.range,
          related: [],
          data: magic === undefined ? {} : { cellMagic: magic },
          ...(known ? { preview: true } : {}),
        },
      ];
    });
  },
};

/**
 * A cell the parser accepts but Python did not (a regular expression typed into a code cell): its
 * saved output is the `SyntaxError`. Preview, like every syntax error the saved output shows.
 */
function savedSyntaxError(source: string, cell: number, error: string): Finding {
  const lines = source.split(/\r\n|\r|\n/);
  const reported = Number(/\bline (\d+)\)?\s*$/.exec(error)?.[1] ?? '1') - 1;
  const line = reported >= 0 && reported < lines.length ? reported : 0;
  const text = lines[line] ?? '';
  const indent = text.length - text.trimStart().length;
  return {
    message: `Syntax error: the saved output of this cell is \`${error}\`, so Python never ran it (nb2prod's parser accepts it, Python does not).`,
    cell,
    range: { start: { line, character: indent }, end: { line, character: text.trimEnd().length } },
    related: [],
    data: { savedOutput: true },
    preview: true,
  };
}

/**
 * IPython's magics that exist only as cell magics (`%%bash`). Written with one `%` on a cell's
 * first line, IPython takes them for a line magic, which does not exist, and the cell's other
 * lines for Python: the cell fails with `SyntaxError` before anything runs (IPython 8).
 */
const CELL_ONLY_MAGICS = new Set([
  'bash',
  'sh',
  'script',
  'perl',
  'ruby',
  'python2',
  'python3',
  'pypy',
  'html',
  'HTML',
  'svg',
  'SVG',
  'javascript',
  'js',
  'latex',
  'markdown',
  'writefile',
  'file',
  'capture',
]);

/** The cell-only magic a cell starts with, written as a line magic (`%bash` alone on the first line). */
function cellOnlyMagic(source: string): string | undefined {
  const name = /^\s*%(\w+)[ \t]*(?:\r?\n|$)/.exec(source)?.[1];
  return name !== undefined && CELL_ONLY_MAGICS.has(name) ? name : undefined;
}
