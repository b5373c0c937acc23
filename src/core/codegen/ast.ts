/**
 * TypeScript AST nodes for values taken from the manifest. Feature names, categories, class
 * names and run ids are user data: they reach the generated file only as literal nodes built
 * with the compiler's factory and printed by its printer, so a name holding a quote, a newline
 * or `*\/` can neither break the file nor inject code. ts-morph itself is loaded lazily by
 * `loadTsMorph` (it bundles the TypeScript compiler: seconds to load, never at activation).
 */
import type * as TsMorph from 'ts-morph';

/** The ts-morph module. */
export type TsMorphModule = typeof TsMorph;
type Ts = typeof TsMorph.ts;
type Expression = TsMorph.ts.Expression;

let cached: TsMorphModule | undefined;

/** Loads ts-morph at first use; resolved from node_modules (it is external to the bundles). */
export function loadTsMorph(): TsMorphModule {
  cached ??= require('ts-morph') as TsMorphModule;
  return cached;
}

/** A value that can be written as a literal. */
export type Literal = string | number | boolean | null | readonly Literal[] | { readonly [key: string]: Literal };

/** Builds and prints expressions made of manifest data. */
export class AstBuilder {
  private readonly f: TsMorph.ts.NodeFactory;
  private readonly printer: TsMorph.ts.Printer;
  private readonly context: TsMorph.ts.SourceFile;

  constructor(private readonly ts: Ts) {
    this.f = ts.factory;
    this.printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
    this.context = ts.createSourceFile('context.ts', '', ts.ScriptTarget.ES2022);
  }

  /** A literal expression for a JSON-like value (objects multi-line when they hold objects). */
  literal(value: Literal): Expression {
    const f = this.f;
    if (value === null) return f.createNull();
    if (typeof value === 'boolean') return value ? f.createTrue() : f.createFalse();
    if (typeof value === 'string') return f.createStringLiteral(value);
    if (typeof value === 'number') {
      // Manifest numbers come from JSON, so they are finite; a negative one is `-` applied to a literal.
      if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a literal`);
      const literal = f.createNumericLiteral(String(Math.abs(value)));
      return value < 0 || Object.is(value, -0) ? f.createPrefixUnaryExpression(this.ts.SyntaxKind.MinusToken, literal) : literal;
    }
    if (Array.isArray(value))
      return f.createArrayLiteralExpression(
        (value as readonly Literal[]).map((v) => this.literal(v)),
        false,
      );
    const entries = Object.entries(value as { readonly [key: string]: Literal });
    return this.object(
      entries.map(([k, v]) => [k, this.literal(v)]),
      entries.some(([, v]) => v !== null && typeof v === 'object' && !Array.isArray(v)),
    );
  }

  /** `{ name: expression, ... }`, each property optionally preceded by a doc comment. */
  object(entries: readonly (readonly [string, Expression, string?])[], multiLine = true): Expression {
    const properties = entries.map(([name, expression, doc]) => {
      // `{ outputs }` rather than `{ outputs: outputs }`.
      const shorthand = this.ts.isIdentifier(expression) && expression.text === name;
      const property = shorthand ? this.f.createShorthandPropertyAssignment(name) : this.f.createPropertyAssignment(this.propertyName(name), expression);
      if (doc) this.ts.addSyntheticLeadingComment(property, this.ts.SyntaxKind.MultiLineCommentTrivia, `* ${safeComment(doc)} `, true);
      return property;
    });
    return this.f.createObjectLiteralExpression(properties, multiLine);
  }

  /** `expression as const`. */
  asConst(expression: Expression): Expression {
    return this.f.createAsExpression(expression, this.f.createTypeReferenceNode('const'));
  }

  /** `callee(args)`, where callee is a dotted path such as `z.number`. */
  call(callee: string | Expression, args: readonly Expression[] = []): Expression {
    return this.f.createCallExpression(typeof callee === 'string' ? this.path(callee) : callee, undefined, [...args]);
  }

  /** `target.method(args)`. */
  method(target: Expression, method: string, args: readonly Expression[] = []): Expression {
    return this.f.createCallExpression(this.f.createPropertyAccessExpression(target, method), undefined, [...args]);
  }

  /** An identifier or a dotted property path (`a.b.c`) written in this module, never user data. */
  path(dotted: string): Expression {
    const [first, ...rest] = dotted.split('.');
    return rest.reduce<Expression>((target, name) => this.f.createPropertyAccessExpression(target, name), this.f.createIdentifier(first!));
  }

  /** `target.name`, or `target["name"]` when the name is not an identifier. */
  member(target: string, name: string): Expression {
    const valid = isPlainName(name);
    return valid
      ? this.f.createPropertyAccessExpression(this.path(target), name)
      : this.f.createElementAccessExpression(this.path(target), this.f.createStringLiteral(name));
  }

  /** A property key: a bare identifier when valid, a string literal otherwise. */
  propertyName(name: string): TsMorph.ts.PropertyName {
    return isPlainName(name) ? this.f.createIdentifier(name) : this.f.createStringLiteral(name);
  }

  /** The property key as source text (for interface members and type literals). */
  propertyKey(name: string): string {
    return isPlainName(name) ? name : this.print(this.f.createStringLiteral(name));
  }

  /** A union of literal types, e.g. `"a" | "b" | 3`, as source text. */
  literalUnion(values: readonly (string | number)[]): string {
    const types = values.map((v) =>
      this.f.createLiteralTypeNode(typeof v === 'string' ? this.f.createStringLiteral(v) : (this.literal(v) as TsMorph.ts.LiteralExpression)),
    );
    return this.print(this.f.createUnionTypeNode(types));
  }

  /** Source text of a node. */
  print(node: TsMorph.ts.Node): string {
    return this.printer.printNode(this.ts.EmitHint.Unspecified, node, this.context);
  }
}

/**
 * Whether a name can be written bare as a property key or after a dot. ASCII only, on purpose:
 * any other name is quoted, which is always valid; reserved words are fine in these positions.
 */
function isPlainName(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

/** Text safe inside a block comment: one line, no comment terminator. */
export function safeComment(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/[\r\n\u2028\u2029]+/g, ' ');
}
