/**
 * Input rows checked against the manifest's `signature` with a zod schema built from it:
 * missing, extra, wrongly typed, empty-when-never-empty and outside-the-valid-range values are
 * errors (the row is rejected); values outside the range training observed and categories
 * training never saw are warnings, or errors, or nothing, as `input_policy` says. onnxruntime
 * itself would accept all of these silently (NaN, unseen one-hot categories).
 */
import { z } from 'zod';
import type { Manifest } from '../artifacts/manifest';
import { FeedReader, type ReaderField } from './feed-reader';
import type { WireTensor } from './protocol';
import { buildFeeds, type InputLayout } from './tensors';

type Input = Manifest['signature']['inputs'][number];

/** A value as a row may hold it. */
export type RowValue = string | number | boolean | null;

/** One problem with one row, next to the feature it concerns. */
export interface RowIssue {
  row: number;
  /** The feature, or null for the whole row. */
  feature: string | null;
  severity: 'error' | 'warning';
  /** `missing`, `extra`, `type`, `null`, `range`, `training-range`, `unseen-category`, `row`. */
  kind: string;
  message: string;
}

/** The checked rows: values in signature order for accepted rows, issues for all. */
export interface ValidationResult {
  /** Indexes of rows without errors (they are predicted). */
  accepted: number[];
  issues: RowIssue[];
}

const NUMERIC = new Set(['float32', 'float64', 'float', 'double', 'int64', 'int32', 'int16', 'int8', 'uint8']);

/** Whether an input is numeric (a number field) rather than a string/category. */
export function isNumericInput(input: Input): boolean {
  return NUMERIC.has(input.tensor_type);
}

/** Options of a RowValidator. */
export interface RowValidatorOptions {
  /**
   * Whether rows go through the compiled pre-check first (default true). A row the pre-check
   * accepts is one the zod schema accepts (test/core/runner/validate-precheck.test.ts checks
   * this over many generated rows); every other row is parsed by zod, which produces the issues.
   * False sends every row through zod (the reference the tests compare against).
   */
  precheck?: boolean;
}

/** One feature's checks, compiled from the same signature entry as its zod schema. */
interface FieldCheck extends ReaderField {
  /** The categories as the signature lists them (for messages). */
  categoryList: readonly string[];
}

/** A row validator built once per manifest. */
export class RowValidator {
  private readonly schema: z.ZodType;
  private readonly inputs: Input[];
  private readonly outOfRange: 'warn' | 'error' | 'ignore';
  private readonly unseen: 'warn' | 'error' | 'ignore';
  private readonly checks: FieldCheck[];
  private readonly known: ReadonlySet<string>;
  private readonly precheck: boolean;
  /** Whether the policy turns training-range or unseen-category findings into errors. */
  private readonly strictPolicy: boolean;

  constructor(manifest: Manifest, options: RowValidatorOptions = {}) {
    this.precheck = options.precheck ?? true;
    this.inputs = manifest.signature.inputs;
    const policy = manifest['input_policy'] as { out_of_range?: 'warn' | 'error' | 'ignore'; unseen_category?: 'warn' | 'error' | 'ignore' } | undefined;
    this.outOfRange = policy?.out_of_range ?? 'warn';
    this.unseen = policy?.unseen_category ?? 'warn';
    this.strictPolicy = this.outOfRange === 'error' || this.unseen === 'error';
    const shape: Record<string, z.ZodType> = {};
    for (const input of this.inputs) shape[input.name] = fieldSchema(input);
    this.schema = z.strictObject(shape);
    this.checks = this.inputs.map(fieldCheck);
    this.known = new Set(this.inputs.map((i) => i.name));
  }

  /** Checks rows `start` to `end` (every row by default); issues carry the rows' own indexes. Never throws. */
  validate(rows: readonly unknown[], start = 0, end = rows.length): ValidationResult {
    const accepted: number[] = [];
    const issues: RowIssue[] = [];
    for (let index = start; index < end; index++) {
      const row = rows[index];
      const before = issues.length;
      if (this.precheck && this.checkFast(row, index, issues)) {
        // Accepted by the pre-check: at most warnings, unless the policy makes them errors.
        if (issues.length === before || !this.strictPolicy || !issues.slice(before).some((i) => i.severity === 'error')) accepted.push(index);
        continue;
      }
      issues.length = before;
      this.validateRow(row, index, issues);
      let error = false;
      for (let i = before; i < issues.length; i++) if (issues[i]!.severity === 'error') error = true;
      if (!error) accepted.push(index);
    }
    return { accepted, issues };
  }

  /**
   * `validate`, and the input tensors of the accepted rows in `layout` (what buildFeeds makes of
   * them), in one compiled pass over the rows where code can be generated (FeedReader). Rows the
   * pass cannot decide go through zod, as in `validate`.
   */
  validateWithFeeds(rows: readonly unknown[], start: number, end: number, layout: InputLayout): ValidationResult & { feeds: Record<string, WireTensor> } {
    const reader = this.precheck ? this.readerFor(layout) : null;
    if (!reader) {
      const result = this.validate(rows, start, end);
      return {
        ...result,
        feeds: buildFeeds(
          this.inputs,
          layout,
          result.accepted.map((i) => rows[i] as Record<string, unknown>),
        ),
      };
    }
    const issues: RowIssue[] = [];
    const { accepted, undecided, feeds } = reader.read(rows, start, end, issues, (c, value, row) => this.finding(this.checks[c]!, value, row, issues));
    if (undecided.length === 0) return { accepted, issues, feeds };
    let more = false;
    for (const index of undecided) {
      const before = issues.length;
      this.validateRow(rows[index], index, issues);
      if (!issues.slice(before).some((i) => i.severity === 'error')) {
        accepted.push(index);
        more = true;
      }
    }
    // In row order, as `validate` gives them (a stable sort: each row's findings keep their order).
    issues.sort((a, b) => a.row - b.row);
    if (!more) return { accepted, issues, feeds };
    // zod accepted a row the pass could not decide: its values are not in the tensors.
    accepted.sort((a, b) => a - b);
    return {
      accepted,
      issues,
      feeds: buildFeeds(
        this.inputs,
        layout,
        accepted.map((i) => rows[i] as Record<string, unknown>),
      ),
    };
  }

  /** Compiled passes by layout (a predictor has one). */
  private readonly readers = new WeakMap<InputLayout, FeedReader | null>();

  private readerFor(layout: InputLayout): FeedReader | null {
    let reader = this.readers.get(layout);
    if (reader === undefined) {
      reader = FeedReader.compile(this.checks, layout);
      this.readers.set(layout, reader);
    }
    return reader;
  }

  /** Records a training-range or unseen-category finding; whether the row may still be predicted. */
  private finding(check: FieldCheck, value: number | string, index: number, issues: RowIssue[]): boolean {
    if (typeof value === 'number') {
      this.outOfTrainingRange(check, value, index, issues);
      return this.outOfRange !== 'error';
    }
    this.unseenCategory(check, value, index, issues);
    return this.unseen !== 'error';
  }

  /**
   * passesPrecheck and, for a row that passes, its training-range and unseen-category issues,
   * in one pass over the row (the common path of a large batch). False, with some of those
   * issues possibly pushed already, when the row needs the zod schema.
   */
  private checkFast(row: unknown, index: number, issues: RowIssue[]): boolean {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) return false;
    const record = row as Record<string, unknown>;
    for (const key in record) if (!this.known.has(key)) return false;
    const checks = this.checks;
    for (let c = 0; c < checks.length; c++) {
      const check = checks[c]!;
      const value = record[check.name];
      if (value === undefined) {
        if (!check.optional) return false;
      } else if (value === null) {
        if (!check.nullable) return false;
      } else if (check.numeric) {
        if (typeof value !== 'number' || !Number.isFinite(value) || !(value >= check.validMin) || !(value <= check.validMax)) return false;
        if (check.integer && !Number.isInteger(value)) return false;
        // NaN bounds (no training range) make both comparisons false.
        if (value < check.min || value > check.max) this.outOfTrainingRange(check, value, index, issues);
      } else if (typeof value !== 'string') {
        return false;
      } else if (check.categories && !check.categories.has(value)) {
        this.unseenCategory(check, value, index, issues);
      }
    }
    return true;
  }

  /**
   * Whether `row` certainly satisfies the zod schema: an object whose every key (own or
   * inherited, as zod's strict check enumerates them) is an input, and whose every value has the
   * input's type, is finite, integral and within the valid range as required, or is absent/null
   * where the input allows it. Rows it does not accept are parsed by zod.
   */
  passesPrecheck(row: unknown): boolean {
    return this.checkFast(row, 0, []);
  }

  private outOfTrainingRange(check: FieldCheck, value: number, index: number, issues: RowIssue[]): void {
    if (this.outOfRange === 'ignore') return;
    issues.push({
      row: index,
      feature: check.name,
      severity: this.outOfRange === 'error' ? 'error' : 'warning',
      kind: 'training-range',
      message: `${value} is outside the range training saw [${check.min}, ${check.max}]: the model extrapolates`,
    });
  }

  private unseenCategory(check: FieldCheck, value: string, index: number, issues: RowIssue[]): void {
    if (this.unseen === 'ignore') return;
    issues.push({
      row: index,
      feature: check.name,
      severity: this.unseen === 'error' ? 'error' : 'warning',
      kind: 'unseen-category',
      message: `"${value}" is a category training never saw (known: ${check.categoryList.join(', ')}); the encoder maps it to all zeros`,
    });
  }

  private validateRow(row: unknown, index: number, issues: RowIssue[]): void {
    const start = issues.length;
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      issues.push({ row: index, feature: null, severity: 'error', kind: 'row', message: `row ${index} is not an object of feature values` });
      return;
    }
    const result = this.schema.safeParse(row);
    if (!result.success) {
      for (const issue of result.error.issues) issues.push(...describe(issue, row as Record<string, unknown>, index, this.inputs));
    }
    for (const check of this.checks) {
      const value = (row as Record<string, unknown>)[check.name];
      // A value already rejected needs no extra warning about it.
      if (value === null || value === undefined || issues.slice(start).some((i) => i.feature === check.name && i.severity === 'error')) continue;
      // NaN bounds (no training range) make both comparisons false.
      if (typeof value === 'number' && (value < check.min || value > check.max)) this.outOfTrainingRange(check, value, index, issues);
      if (typeof value === 'string' && check.categories && !check.categories.has(value)) this.unseenCategory(check, value, index, issues);
    }
  }
}

function fieldCheck(input: Input): FieldCheck {
  const validMin = input['valid_min'] as number | null | undefined;
  const validMax = input['valid_max'] as number | null | undefined;
  const ranged = input.min !== null && input.max !== null;
  return {
    name: input.name,
    numeric: isNumericInput(input),
    integer: input.tensor_type.startsWith('int') || input.tensor_type === 'uint8',
    validMin: typeof validMin === 'number' ? validMin : -Infinity,
    validMax: typeof validMax === 'number' ? validMax : Infinity,
    nullable: input.nullable,
    optional: !input.required,
    min: ranged ? (input.min as number) : Number.NaN,
    max: ranged ? (input.max as number) : Number.NaN,
    categories: input.categories ? new Set(input.categories) : null,
    categoryList: input.categories ?? [],
  };
}

function fieldSchema(input: Input): z.ZodType {
  let schema: z.ZodType;
  if (isNumericInput(input)) {
    let n = z.number().refine(Number.isFinite, { message: 'not a finite number' });
    const validMin = input['valid_min'] as number | null | undefined;
    const validMax = input['valid_max'] as number | null | undefined;
    if (typeof validMin === 'number') n = n.refine((v) => v >= validMin, { message: `below the valid minimum ${validMin}` });
    if (typeof validMax === 'number') n = n.refine((v) => v <= validMax, { message: `above the valid maximum ${validMax}` });
    if (input.tensor_type.startsWith('int') || input.tensor_type === 'uint8') n = n.refine(Number.isInteger, { message: 'not an integer' });
    schema = n;
  } else {
    schema = z.string();
  }
  if (input.nullable) schema = schema.nullable();
  return input.required ? schema : schema.optional();
}

function describe(issue: z.core.$ZodIssue, row: Record<string, unknown>, index: number, inputs: Input[]): RowIssue[] {
  const feature = issue.path.length > 0 ? String(issue.path[0]) : null;
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      row: index,
      feature: key,
      severity: 'error' as const,
      kind: 'extra',
      message: `\`${key}\` is not a model input (expected: ${inputs.map((i) => i.name).join(', ')})`,
    }));
  }
  const input = inputs.find((i) => i.name === feature);
  const value = feature === null ? undefined : row[feature];
  if (issue.code === 'invalid_type' && input) {
    if (value === undefined) return [{ row: index, feature, severity: 'error', kind: 'missing', message: `missing feature \`${input.name}\`` }];
    if (value === null)
      return [{ row: index, feature, severity: 'error', kind: 'null', message: `\`${input.name}\` is empty, and training never saw it empty` }];
    const expected = isNumericInput(input) ? 'a number' : input.categories ? `one of the categories (${input.categories.join(', ')})` : 'a string';
    return [{ row: index, feature, severity: 'error', kind: 'type', message: `expected ${expected}, got ${typeof value} ${JSON.stringify(value)}` }];
  }
  return [
    { row: index, feature, severity: 'error', kind: issue.message.includes('valid') ? 'range' : 'type', message: `${JSON.stringify(value)}: ${issue.message}` },
  ];
}
