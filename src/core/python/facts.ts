/**
 * What one code cell does, as plain data extracted from its tree-sitter parse. Every range is
 * 0-based within the cell's source, with `character` in UTF-16 code units (editor terms).
 * Only module-scope (notebook-global) effects appear in `defs`, `uses` and `mutations`;
 * names local to functions, lambdas, comprehensions and class bodies are resolved away, and a
 * function's reads of globals appear both in `uses` (deferred) and its `functions` entry.
 */
import type { Range } from '../diagnostic';
import type { FlowStatement } from './flow';

/** How a global name got bound. */
export type DefinitionKind =
  | 'assign' // x = ..., x, y = ..., *rest = ..., x: int = ...
  | 'augassign' // x += 1 (also reads x)
  | 'import' // import x, import a.b (binds a), from m import x as y
  | 'star-import' // from m import * (binds unknown names; name is '*')
  | 'def' // def f(): ...
  | 'class' // class C: ...
  | 'for' // for x in ...
  | 'with' // with ... as x
  | 'except' // except E as x
  | 'walrus' // (x := ...)
  | 'global' // a `global x` declaration inside a function, binding x when called
  | 'magic'; // x = !cmd, x = %magic, %store -r x, %run (name '*': unknown names)

/** A global name bound by the cell. */
export interface Definition {
  name: string;
  kind: DefinitionKind;
  /** The range of the bound name (for imports: the alias or bound name). */
  range: Range;
  /** True when bound inside a function body (via `global`), i.e. only when that function runs. */
  deferred: boolean;
  /** UTF-16 offset of the bound name in the cell source (the start of `range`). */
  offset?: number;
  /** UTF-16 offset of the start of the top-level (module-body) statement containing the binding. */
  statementStart?: number;
  /**
   * UTF-16 offset at which the binding takes effect: the end of the statement for assignments,
   * augmented assignments and imports; the end of the definition for def/class; the start of the
   * body for `for`, `with`, `except ... as` and `case` captures; the end of `(x := ...)` for
   * walrus. A read at offset `o` in the same cell sees this binding iff `bindOffset <= o`, so
   * `x = x + 1` and `for x in x:` read `x` before binding it. Always set by the Python extractor.
   */
  bindOffset?: number;
}

/** A read of a global name. */
export interface Use {
  name: string;
  range: Range;
  /**
   * False when the read happens while the cell runs (module scope, default arguments,
   * decorators, class bodies, comprehensions at module scope); true when it happens only
   * later, when a function or lambda defined here is called.
   */
  deferred: boolean;
  /** UTF-16 offset of the name in the cell source (the start of `range`). Always set by the extractor. */
  offset?: number;
  /** UTF-16 offset of the start of the top-level (module-body) statement containing the read. */
  statementStart?: number;
  /** UTF-16 offset of the end of the top-level (module-body) statement containing the read. */
  statementEnd?: number;
}

/** How a global object is changed in place. */
export type MutationKind = 'subscript-assign' | 'attribute-assign' | 'del' | 'augassign' | 'method-call' | 'inplace-kwarg';

/** An in-place change of an existing global object. */
export interface Mutation {
  /** The root global name being changed (`df` in `df["x"] = 1`, `df.a.b = 2`, `df.drop(..., inplace=True)`). */
  name: string;
  kind: MutationKind;
  /** For method calls: the method name (`append`, `update`, `fillna`, ...). */
  method?: string;
  /** The whole statement or call range. */
  range: Range;
  deferred: boolean;
}

/** One argument of a call. */
export interface CallArgument {
  /** Keyword name, or undefined for positional arguments. */
  keyword?: string;
  /** The argument's source text. */
  text: string;
  /** The names read in the argument (roots of dotted names). */
  names: string[];
  range: Range;
  /** `*args` or `**kwargs` unpacking. */
  unpack?: '*' | '**';
}

/** A call expression. */
export interface Call {
  /** The callee as a dotted name when it is one (`pd.read_csv`, `model.fit`, `print`); else its text. */
  callee: string;
  /** Root name of the callee (`pd`, `model`, `print`), when the callee is a (dotted) name. */
  root?: string;
  /** Last attribute (`read_csv`, `fit`) when the callee is an attribute; the name for a plain call. */
  method?: string;
  /** Range of the whole call. */
  range: Range;
  /** Range of the callee expression. */
  calleeRange: Range;
  args: CallArgument[];
  /**
   * Names bound by the statement this call's value is assigned to at module scope
   * (`X_train, X_test = train_test_split(...)` gives ['X_train', 'X_test']); empty otherwise.
   */
  assignedTo: string[];
  deferred: boolean;
  /** The enclosing notebook function, if the call is inside one. */
  inFunction?: string;
}

/** An import statement's effect. */
export interface ImportFact {
  /** The module imported from (`numpy`, `sklearn.preprocessing`). */
  module: string;
  /** The imported member for `from m import x`; undefined for `import m`. */
  member?: string;
  /** The global name bound (`np` for `import numpy as np`, `*` for star imports). */
  boundName: string;
  range: Range;
}

/** A function (def, method, lambda, nested def) and what it reads from the notebook's globals. */
export interface FunctionFacts {
  /** The function's name; `<lambda>` for lambdas; `Class.method` for methods. */
  name: string;
  kind: 'def' | 'method' | 'lambda' | 'nested';
  /** Range of the name (of the `lambda` keyword for lambdas). */
  nameRange: Range;
  /** Range of the whole definition. */
  range: Range;
  /** Parameter names, in order. */
  params: string[];
  /** The parameter list of a `def` as written (for edits that add a parameter); undefined for lambdas. */
  parameterList?: ParameterList;
  /** Free variables that resolve to the notebook's global scope, with each read's range. */
  globalReads: Use[];
}

/** A `def`'s parenthesized parameter list. Offsets are UTF-16 code units into the cell source. */
export interface ParameterList {
  /** Offset of the `(`. */
  start: number;
  /** Offset just after the `)`. */
  end: number;
  /** The entries between the parentheses, in order (comments left out). */
  items: ParameterItem[];
}

/** One entry of a parameter list, with the span of its source. */
export interface ParameterItem {
  /**
   * `plain` (`x`, `x: int`), `default` (`x=1`, `x: int = 1`), `*` (the keyword-only marker),
   * `*args`, `**kwargs`, or `/` (the positional-only marker).
   */
  kind: 'plain' | 'default' | '*' | '*args' | '**kwargs' | '/';
  start: number;
  end: number;
}

/** A stretch of the cell source, as UTF-16 offsets. */
export interface OffsetSpan {
  start: number;
  end: number;
}

/** A syntax error the parser recovered from. */
export interface SyntaxProblem {
  range: Range;
  message: string;
  /** An assignment with nothing but a comment after `=` (`df = # TODO`): an exercise's blank. */
  emptyAssignment?: true;
}

/** Everything extracted from one code cell. */
export interface CellFacts {
  defs: Definition[];
  uses: Use[];
  mutations: Mutation[];
  calls: Call[];
  imports: ImportFact[];
  functions: FunctionFacts[];
  syntaxErrors: SyntaxProblem[];
  /**
   * Every string literal as UTF-16 offsets into the cell source, in source order: each part of
   * an implicit concatenation (`"a" "b"`) on its own, an f-string as one literal (the strings
   * inside its replacement fields are not listed). Decode one with `strings.ts`.
   */
  strings: OffsetSpan[];
  /**
   * Every `#` comment as UTF-16 offsets into the cell source (from the `#` to the end of the
   * line), in source order. Read from the tree, so a `#` inside a string literal is never one.
   */
  comments: OffsetSpan[];
  /**
   * Python 2 statements the parser accepts but Python 3 rejects (`print x`, `exec "code"`),
   * with what each is (`\`print\` statement`). Absent when there are none.
   */
  python2Statements?: SyntaxProblem[];
  /** How values are built, statement by statement (for data provenance); see flow.ts. */
  flow?: FlowStatement[];
}
