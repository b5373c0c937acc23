/**
 * Exercise templates: teaching notebooks keep cells with blanks the student fills in, which do
 * not run (or fail) on purpose. Findings of the name and syntax rules in such a cell restate the
 * exercise, so they are a preview pattern. Only unmistakable blanks count; a `# TODO` note in
 * ordinary code does not.
 */
import type { AnalysedCell } from './analysed-notebook';

/** A comment `# YOUR CODE HERE`, `## type your code here`, `# your answer here`, `# write your code` (not text in a string). */
const YOUR_CODE =
  /#[^\n'"]*\byour (?:own )?(?:code|answer|solution)(?: goes)? here\b|#[^\n'"]*\b(?:write|type|insert|enter|put|add) your (?:own )?(?:code|answer|solution)\b|#\s*your (?:code|answer|solution)\b/i;
/** `x = ...` (Ellipsis as the value) or `return ...`, alone on its line. */
const ELLIPSIS_VALUE = /(?:^|\n)[ \t]*(?:[^\n#'"=]*[^\n#'"=!<>]=|return)[ \t]*\.\.\.[ \t]*(?:#[^\n]*)?(?=\n|$)/;
/** A commented-out slot whose value is Ellipsis, alone on its line: `# f = ...`, `# Z[i, j] = ...`. */
const COMMENTED_SLOT = /(?:^|\n)[ \t]*#[ \t]*[A-Za-z_][\w.[\], ]*=[ \t]*\.\.\.[ \t]*(?=\n|$)/;
/** `raise NotImplementedError` inside a function (left for the student to replace). */
const NOT_IMPLEMENTED = /(?:^|\n)[ \t]+raise[ \t]+NotImplementedError\b/;
/** `=`, `(` or `,` followed by nothing but a `# TODO` (`# FIXME`, `# your ...`, `# fill ...`) comment to the end of the line. */
const EMPTY_SLOT = /(?:[^=!<>]=|[(,])[ \t]*#[ \t]*(?:TODO|FIXME|YOUR\b|FILL\b)[^\n]*(?=\n|$)/i;
/** A class statement: there `raise NotImplementedError` is an abstract method, not a blank. */
const CLASS = /(?:^|\n)[ \t]*class[ \t]/;

/** Whether the cell has a deliberate blank for a student to fill in. */
export function isExerciseBlank({ cell, facts }: AnalysedCell): boolean {
  if (cell.kind !== 'code' || facts === null) return false;
  // String literals as spaces: only code and comments can hold a blank.
  let code = cell.source;
  for (const { start, end } of facts.strings) code = code.slice(0, start) + ' '.repeat(end - start) + code.slice(end);
  if (YOUR_CODE.test(code) || ELLIPSIS_VALUE.test(code) || COMMENTED_SLOT.test(code)) return true;
  if (NOT_IMPLEMENTED.test(code) && !CLASS.test(code)) return true;
  // `df = # TODO`: an assignment whose value is a comment.
  if (facts.syntaxErrors.some((e) => e.emptyAssignment)) return true;
  // `count = # TODO` at the end of the cell, `f(# TODO)`: a slot whose value is a comment, in a cell
  // that does not parse (a call written over lines with a comment after `(` parses).
  if (facts.syntaxErrors.length > 0 && EMPTY_SLOT.test(code)) return true;
  // `model = ____(x)`: a name of underscores only (`_` and `__` are IPython's output history).
  return facts.uses.some((u) => /^_{3,}$/.test(u.name)) || facts.defs.some((d) => /^_{3,}$/.test(d.name));
}
