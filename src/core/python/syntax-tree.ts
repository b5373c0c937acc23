/**
 * A plain-JavaScript copy of a tree-sitter parse. Walking web-tree-sitter `Node` objects crosses
 * into wasm on every property access and allocates wrappers, so the tree is copied once with a
 * cursor and the scope analysis then runs on ordinary objects.
 */
import type { Range } from '../diagnostic';
import type { SyntaxProblem } from './facts';

/** One node of the copied tree. Offsets are UTF-16 code units into the cell source. */
export interface SyntaxNode {
  /** The grammar node type (`identifier`, `call`, `ERROR`, ...). */
  type: string;
  /** The field name under which the parent holds this node (`left`, `body`, ...), if any. */
  field: string | null;
  start: number;
  end: number;
  /** Named children, plus anonymous tokens inside ERROR nodes (the error heuristics need `=`). */
  children: SyntaxNode[];
}

/** The subset of web-tree-sitter's TreeCursor that the copy needs (keeps this file type-only). */
export interface CursorLike {
  readonly nodeType: string;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  readonly currentFieldName: string | null;
  readonly startIndex: number;
  readonly endIndex: number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

/** Copies the tree under `cursor` and collects the syntax problems tree-sitter recovered from. */
export function copyTree(cursor: CursorLike, lines: LineIndex): { root: SyntaxNode; problems: SyntaxProblem[] } {
  const problems: SyntaxProblem[] = [];
  const copy = (insideError: boolean): SyntaxNode => {
    const type = cursor.nodeType;
    const node: SyntaxNode = { type, field: cursor.currentFieldName, start: cursor.startIndex, end: cursor.endIndex, children: [] };
    const isError = type === 'ERROR';
    if (isError && !insideError) {
      problems.push({ range: lines.range(node.start, node.end), message: 'invalid syntax' });
    }
    if (cursor.gotoFirstChild()) {
      const keepTokens = isError;
      do {
        if (cursor.nodeIsMissing) {
          // Missing tokens are zero-width placeholders; they carry no facts, only a message.
          const what = cursor.nodeIsNamed ? cursor.nodeType : `\`${cursor.nodeType}\``;
          problems.push({ range: lines.range(cursor.startIndex, cursor.endIndex), message: `missing ${what}` });
          continue;
        }
        if (cursor.nodeIsNamed || keepTokens) node.children.push(copy(insideError || isError));
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    return node;
  };
  const root = copy(false);
  return { root, problems };
}

/** Returns the first child held under `field`, if any. */
export function field(node: SyntaxNode, name: string): SyntaxNode | undefined {
  for (const child of node.children) if (child.field === name) return child;
  return undefined;
}

/** Returns every child held under `field`. */
export function fields(node: SyntaxNode, name: string): SyntaxNode[] {
  return node.children.filter((child) => child.field === name);
}

/** Converts UTF-16 offsets to 0-based line/character positions for one source text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(source: string) {
    // Python (and tree-sitter) accept \r\n and lone \r as line ends; editors count them the same way.
    for (let i = 0; i < source.length; i++) {
      const code = source.charCodeAt(i);
      if (code === 10) this.starts.push(i + 1);
      else if (code === 13) {
        if (source.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  /** The position of `offset`. */
  position(offset: number): { line: number; character: number } {
    const starts = this.starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: offset - (starts[low] ?? 0) };
  }

  /** The range between two offsets. */
  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
}
