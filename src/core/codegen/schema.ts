/**
 * The zod schema of one input row, as AST: built from the signature the way the runner's
 * RowValidator reads it (src/core/runner/validate.ts), so the generated module accepts and
 * rejects what `nb2prod predict` does: hard limits (`valid_min`/`valid_max`) reject, integers
 * must be safe integers, categories are a `z.enum`, `nullable` and `required` map onto
 * `.nullable()` and `.optional()`. What training merely saw (`min`/`max`) and categories it
 * never saw follow `input_policy`: `error` puts them into the schema, `warn` makes warnings.
 */
import type { AstBuilder } from './ast';
import type { CodegenPlan, FieldPlan } from './plan';
import type * as TsMorph from 'ts-morph';

type Expression = TsMorph.ts.Expression;

/** The doc comment of a field: what training saw and how it reaches the model. */
function fieldDoc(field: FieldPlan): string {
  const parts = [`${field.dtype} in training, fed to the model as ${field.element}`];
  if (field.trainMin !== null && field.trainMax !== null) parts.push(`training saw [${field.trainMin}, ${field.trainMax}]`);
  if (field.validMin !== null || field.validMax !== null) parts.push(`valid range [${field.validMin ?? '-inf'}, ${field.validMax ?? 'inf'}]`);
  if (field.nullable) parts.push(field.kind === 'string' ? 'null is fed as ""' : 'null is fed as NaN (the model imputes it)');
  return `${parts.join('; ')}.`;
}

/** The tighter of a hard limit and, when the policy rejects them, what training saw. */
function bound(hard: number | null, seen: number | null, policy: CodegenPlan['outOfRange'], pick: (a: number, b: number) => number): number | null {
  if (policy !== 'error' || seen === null) return hard;
  return hard === null ? seen : pick(hard, seen);
}

function fieldSchema(ast: AstBuilder, field: FieldPlan, plan: CodegenPlan, lenient: boolean): Expression {
  let schema: Expression;
  if (field.kind === 'number') {
    schema = ast.call('z.number');
    if (field.integer) schema = ast.method(schema, 'int');
    const min = bound(field.validMin, field.trainMin, plan.outOfRange, Math.max);
    const max = bound(field.validMax, field.trainMax, plan.outOfRange, Math.min);
    if (min !== null) schema = ast.method(schema, 'min', [ast.literal(min)]);
    if (max !== null) schema = ast.method(schema, 'max', [ast.literal(max)]);
  } else if (field.kind === 'boolean') {
    schema = ast.call('z.boolean');
  } else if (field.categories && field.categories.length > 0 && !lenient) {
    schema = ast.call('z.enum', [ast.literal(field.categories)]);
  } else {
    schema = ast.call('z.string');
  }
  if (field.nullable) schema = ast.method(schema, 'nullable');
  if (!field.required) schema = ast.method(schema, 'optional');
  return schema;
}

/** Whether rows with categories training never saw are still predicted (with or without a warning). */
export function acceptsUnseenCategories(plan: CodegenPlan): boolean {
  return plan.unseenCategory !== 'error' && plan.inputs.some((i) => i.categories && i.categories.length > 0);
}

/** `z.strictObject({...})` for one input row: unknown keys are errors, as in the runner. */
export function inputRowSchema(ast: AstBuilder, plan: CodegenPlan): Expression {
  const entries = plan.inputs.map((field) => [field.name, fieldSchema(ast, field, plan, false), fieldDoc(field)] as const);
  return ast.call('z.strictObject', [ast.object(entries)]);
}

/** `InputRowSchema.extend({...})` with plain strings for the categorical fields. */
export function acceptedRowSchema(ast: AstBuilder, plan: CodegenPlan): Expression {
  const categorical = plan.inputs.filter((i) => i.categories && i.categories.length > 0);
  const entries = categorical.map((field) => [field.name, fieldSchema(ast, field, plan, true)] as const);
  return ast.method(ast.path('InputRowSchema'), 'extend', [ast.object(entries)]);
}

/** Per numeric feature with a training range, `[min, max]`, when out-of-range values only warn. */
export function trainingRanges(plan: CodegenPlan): Record<string, [number, number]> | null {
  if (plan.outOfRange !== 'warn') return null;
  const ranges: Record<string, [number, number]> = {};
  for (const f of plan.inputs) if (f.kind === 'number' && f.trainMin !== null && f.trainMax !== null) ranges[f.name] = [f.trainMin, f.trainMax];
  return Object.keys(ranges).length > 0 ? ranges : null;
}
