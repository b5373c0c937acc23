/**
 * A plain-JavaScript copy of a tree-sitter parse. Walking web-tree-sitter `Node` objects crosses
 * into wasm on every property access and allocates wrappers, so the tree is copied once with a
 * cursor and the scope analysis then runs on ordinary objects.
 */
import type { SyntaxProblem } from './facts';
import { LineIndex } from '../notebook/positions';

// Offsets and positions are converted in one place for the whole engine.
export { LineIndex };

/** One node of the copied tree. Offsets are UTF-16 code units into the cell source. */
export interface SyntaxNode {
  /** The grammar node type (`identifier`, `call`, `ERROR`, ...). */
  type: string;
  /** The field name under which the parent holds this node (`left`, `body`, ...), if any. */
  field: string | null;
  start: number;
  end: number;
  /** False for anonymous tokens (`=`, `(`), which are only kept inside ERROR nodes. */
  named: boolean;
  /** The source text, for identifiers only (names are all the analysis ever reads as text). */
  text: string;
  /** Named children, plus anonymous tokens inside ERROR nodes (the error heuristics need `=`). */
  children: SyntaxNode[];
}

/** The subset of web-tree-sitter's TreeCursor that the copy needs (keeps this file type-only). */
export interface CursorLike {
  readonly nodeTypeId: number;
  readonly nodeIsMissing: boolean;
  readonly currentFieldId: number;
  readonly startIndex: number;
  readonly endIndex: number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

/**
 * What the copy needs to know about the grammar, indexed by node type id and field id. Reading
 * ids and looking them up here costs one wasm call per node instead of several.
 */
export interface GrammarTables {
  types: readonly (string | undefined)[];
  named: readonly boolean[];
  fields: readonly (string | null | undefined)[];
}

/**
 * Copies the tree under `cursor` and collects the syntax problems tree-sitter recovered from.
 * `hasError` is the root's flag: without it no node can be missing and that check is skipped.
 */
export function copyTree(cursor: CursorLike, lines: LineIndex, grammar: GrammarTables, hasError: boolean): { root: SyntaxNode; problems: SyntaxProblem[] } {
  const problems: SyntaxProblem[] = [];
  const { types, named, fields: fieldNames } = grammar;
  const copy = (type: string, insideError: boolean): SyntaxNode => {
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    const text = type === 'identifier' ? lines.slice(start, end) : '';
    const node: SyntaxNode = { type, field: fieldNames[cursor.currentFieldId] ?? null, start, end, named: true, text, children: [] };
    const isError = type === 'ERROR';
    if (isError && !insideError) problems.push({ range: lines.range(start, end), message: 'invalid syntax' });
    if (cursor.gotoFirstChild()) {
      do {
        const id = cursor.nodeTypeId;
        // web-tree-sitter reports ERROR with an id outside the grammar's table.
        const childType = types[id] ?? 'ERROR';
        const isNamed = named[id] ?? true;
        if (hasError && cursor.nodeIsMissing) {
          // Missing tokens are zero-width placeholders; they carry no facts, only a message.
          const what = isNamed ? childType : `\`${childType}\``;
          problems.push({ range: lines.range(cursor.startIndex, cursor.endIndex), message: `missing ${what}` });
        } else if (isNamed) {
          node.children.push(copy(childType, insideError || isError));
        } else if (isError) {
          // Tokens matter only inside ERROR nodes, where `name =` still signals a binding.
          node.children.push({ type: childType, field: null, start: cursor.startIndex, end: cursor.endIndex, named: false, text: '', children: [] });
        }
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    return node;
  };
  return { root: copy('module', false), problems };
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
