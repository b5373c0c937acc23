/**
 * Statements that tree-sitter joins across a line break Python does not continue over.
 *
 * tree-sitter-python's scanner emits a NEWLINE token only where the grammar can take one, so
 * after `=` or a binary operator it skips the line break as whitespace and reads the next line
 * as the rest of the statement, with no ERROR node: `df = # TODO` followed by `df.head()` parses
 * as `df = df.head()`. Python ends a logical line at every line break outside brackets, strings
 * and backslash continuations, so such a statement is a SyntaxError. This finds them on the
 * copied tree, by scanning each simple statement's text for a line break at bracket depth 0.
 */
import type { SyntaxProblem } from './facts';
import type { LineIndex, SyntaxNode } from './syntax-tree';

/** Statements that end at the end of their logical line (compound statements' headers are left out). */
const SIMPLE_STATEMENTS = new Set([
  'expression_statement',
  'return_statement',
  'delete_statement',
  'raise_statement',
  'assert_statement',
  'global_statement',
  'nonlocal_statement',
  'type_alias_statement',
]);

/** Each simple statement that runs over a line break Python would end it at. */
export function joinedLines(root: SyntaxNode, lines: LineIndex): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const visit = (node: SyntaxNode): void => {
    if (SIMPLE_STATEMENTS.has(node.type)) {
      const problem = joinedLine(node, lines);
      if (problem !== undefined) problems.push(problem);
      return;
    }
    for (const child of node.children) visit(child);
  };
  visit(root);
  return problems;
}

function joinedLine(statement: SyntaxNode, lines: LineIndex): SyntaxProblem | undefined {
  const text = lines.slice(statement.start, statement.end);
  if (!text.includes('\n') && !text.includes('\r')) return undefined;
  const at = bareLineBreak(text);
  if (at === undefined) return undefined;
  // The code on the broken line, without its trailing comment and spaces.
  const lineStart = Math.max(text.lastIndexOf('\n', at.codeEnd - 1), text.lastIndexOf('\r', at.codeEnd - 1)) + 1;
  const start = statement.start + Math.max(0, lineStart);
  const end = statement.start + at.codeEnd;
  const emptyValue = /=\s*$/.test(text.slice(0, at.codeEnd)) && !/[=!<>]=\s*$/.test(text.slice(0, at.codeEnd));
  const message = emptyValue
    ? `the assignment has no value: the line ends after \`=\`${at.comment ? ' (a comment is not a value)' : ''}, and Python does not continue a statement on the next line outside brackets`
    : 'the statement is cut by a line break: Python does not continue a statement on the next line outside brackets or without a `\\`';
  return { range: lines.range(start, end), message, ...(emptyValue && at.comment ? { emptyAssignment: true as const } : {}) };
}

/**
 * The first line break in `text` outside brackets, strings and backslash continuations, with
 * where the code before it ends (before a comment and trailing spaces); undefined when none.
 */
function bareLineBreak(text: string): { codeEnd: number; comment: boolean } | undefined {
  let depth = 0;
  let quote: string | null = null;
  let codeEnd = 0;
  let comment = false;
  for (let j = 0; j < text.length; j++) {
    const ch = text[j] as string;
    if (quote !== null) {
      if (ch === '\\') j++;
      else if (text.startsWith(quote, j)) {
        j += quote.length - 1;
        quote = null;
        codeEnd = j + 1;
      } else if (quote.length === 1 && (ch === '\n' || ch === '\r')) quote = null;
      continue;
    }
    if (ch === '#') {
      comment = true;
      while (j + 1 < text.length && text[j + 1] !== '\n' && text[j + 1] !== '\r') j++;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      if (depth === 0) return { codeEnd, comment };
      comment = false;
      if (ch === '\r' && text[j + 1] === '\n') j++;
      continue;
    }
    if (ch === '\\' && (text[j + 1] === '\n' || text[j + 1] === '\r')) {
      j += text[j + 1] === '\r' && text[j + 2] === '\n' ? 2 : 1;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = text.startsWith(ch.repeat(3), j) ? ch.repeat(3) : ch;
      j += quote.length - 1;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    if (ch !== ' ' && ch !== '\t') codeEnd = j + 1;
  }
  return undefined;
}
