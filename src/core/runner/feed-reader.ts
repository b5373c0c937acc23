/**
 * Validation and tensor building in one pass over a batch, compiled for one signature and one
 * input layout. Rows are plain objects; read feature by feature with the feature's name as a
 * variable, every read is a generic keyed lookup (megamorphic: the same code reads every
 * feature), and the row is read twice, once to check it and once to build the tensors. The
 * compiled pass reads each feature with its name written into the code (one shape, a plain field
 * load once warm), checks it and writes it into its tensor (BENCHMARKS.md, "in-process
 * validation+tensors"). zod compiles its object parsers the same way.
 *
 * What the pass decides is exactly RowValidator's fast check (test/core/runner/validate-precheck.test.ts
 * compares both over generated signatures, layouts and rows): rows it cannot decide are returned
 * for zod. Only feature names are written into the generated code, as JSON string literals;
 * every bound and set is read from the `fields` array, and all else is fixed text.
 */
import type { WireTensor } from './protocol';
import type { InputLayout } from './tensors';

/** What the pass checks of one feature (RowValidator's compiled checks). */
export interface ReaderField {
  name: string;
  numeric: boolean;
  integer: boolean;
  validMin: number;
  validMax: number;
  nullable: boolean;
  optional: boolean;
  /** Training range; NaN when the signature has none. */
  min: number;
  max: number;
  categories: ReadonlySet<string> | null;
}

/**
 * Called for a value outside the training range or an unseen category of feature `field` in row
 * `row`: records the finding, and says whether the row may still be predicted.
 */
export type RowNote = (field: number, value: number | string, row: number) => boolean;

/** The outcome of reading rows `from` to `to`. */
export interface ReadResult {
  /** Rows the pass accepted, in order; their values are in `feeds`, in the same order. */
  accepted: number[];
  /** Rows the pass cannot decide (a missing, extra, mistyped or out-of-bounds value): zod's. */
  undecided: number[];
  feeds: Record<string, WireTensor>;
}

type Pass = (
  rows: readonly unknown[],
  from: number,
  to: number,
  columns: unknown[],
  accepted: number[],
  issues: unknown[],
  undecided: number[],
  note: RowNote,
) => number;

/** Features above which extra keys are looked up in a Set rather than compared one by one. */
const COMPARED_KEYS = 8;

/** A compiled pass for one signature and layout. */
export class FeedReader {
  private constructor(
    private readonly pass: Pass,
    private readonly fields: readonly ReaderField[],
    private readonly layout: InputLayout,
    /** Per feature, the element type of its tensor (per-feature layout) or of the combined one. */
    private readonly types: readonly string[],
  ) {}

  /** The pass for `fields` in `layout`; null where code cannot be generated (then validate, then build). */
  static compile(fields: readonly ReaderField[], layout: InputLayout): FeedReader | null {
    const types = fields.map((f) => (layout.kind === 'combined' ? layout.type : (layout.types[f.name] ?? 'float32')));
    try {
      const factory = new Function('fields', 'known', source(fields, layout, types)) as (fields: readonly ReaderField[], known: ReadonlySet<string>) => Pass;
      return new FeedReader(factory(fields, new Set(fields.map((f) => f.name))), fields, layout, types);
    } catch {
      return null;
    }
  }

  /** Reads rows `from` to `to`; findings of accepted rows (and of rows a policy rejects) go to `issues` through `note`. */
  read(rows: readonly unknown[], from: number, to: number, issues: unknown[], note: RowNote): ReadResult {
    const capacity = to - from;
    const layout = this.layout;
    const columns = layout.kind === 'combined' ? [allocate(layout.type, capacity * this.fields.length)] : this.types.map((type) => allocate(type, capacity));
    const accepted: number[] = [];
    const undecided: number[] = [];
    const count = this.pass(rows, from, to, columns, accepted, issues, undecided, note);
    const feeds: Record<string, WireTensor> = {};
    if (layout.kind === 'combined') {
      const k = this.fields.length;
      feeds[layout.name] = { type: layout.type, dims: [count, k], data: trim(columns[0]!, count * k) };
    } else {
      this.fields.forEach((field, c) => {
        feeds[field.name] = { type: this.types[c]!, dims: [count, 1], data: trim(columns[c]!, count) };
      });
    }
    return { accepted, undecided, feeds };
  }
}

type Column = WireTensor['data'];

function allocate(type: string, length: number): Column {
  switch (type) {
    case 'string':
      return new Array<string>(length);
    case 'float64':
      return new Float64Array(length);
    case 'int64':
      return new BigInt64Array(length);
    case 'int32':
      return new Int32Array(length);
    default:
      return new Float32Array(length);
  }
}

/** The first `length` elements (a copy when rows were rejected: a view would send the whole buffer). */
function trim(column: Column, length: number): Column {
  if (column.length === length) return column;
  if (Array.isArray(column)) {
    column.length = length;
    return column;
  }
  return column.slice(0, length) as Column;
}

/** The body of the factory: `fields` and `known` in scope, returns the pass. */
function source(fields: readonly ReaderField[], layout: InputLayout, types: readonly string[]): string {
  const names = fields.map((f) => JSON.stringify(f.name));
  const keyTest = fields.length <= COMPARED_KEYS ? names.map((n) => `key !== ${n}`).join(' && ') || 'true' : '!known.has(key)';
  const lines: string[] = [];
  fields.forEach((_, c) => lines.push(`const f${c} = fields[${c}];`));
  lines.push('return function pass(rows, from, to, columns, accepted, issues, undecided, note) {');
  if (layout.kind === 'combined') lines.push('  const data = columns[0];');
  else fields.forEach((_, c) => lines.push(`  const col${c} = columns[${c}];`));
  lines.push('  let slot = 0;');
  lines.push('  rows: for (let i = from; i < to; i++) {');
  lines.push('    const r = rows[i];');
  lines.push('    if (r === null || typeof r !== "object" || Array.isArray(r)) { undecided.push(i); continue; }');
  // Every key, own or inherited, as zod's strict check enumerates them.
  lines.push(`    for (const key in r) if (${keyTest}) { undecided.push(i); continue rows; }`);
  lines.push('    const before = issues.length;');
  lines.push('    let keep = true;');
  const bail = '{ issues.length = before; undecided.push(i); continue rows; }';
  fields.forEach((field, c) => {
    const v = `v${c}`;
    const f = `f${c}`;
    lines.push(`    const ${v} = r[${names[c]}];`);
    lines.push(`    if (${v} === undefined) ${field.optional ? '{}' : bail}`);
    lines.push(`    else if (${v} === null) ${field.nullable ? '{}' : bail}`);
    if (field.numeric) {
      lines.push(
        `    else if (typeof ${v} !== "number" || !Number.isFinite(${v}) || !(${v} >= ${f}.validMin) || !(${v} <= ${f}.validMax)${field.integer ? ` || !Number.isInteger(${v})` : ''}) ${bail}`,
      );
      // NaN bounds (no training range) make both comparisons false.
      lines.push(`    else if (${v} < ${f}.min || ${v} > ${f}.max) keep = note(${c}, ${v}, i) && keep;`);
    } else {
      lines.push(`    else if (typeof ${v} !== "string") ${bail}`);
      if (field.categories) lines.push(`    else if (!${f}.categories.has(${v})) keep = note(${c}, ${v}, i) && keep;`);
    }
  });
  lines.push('    if (!keep) continue;');
  fields.forEach((_, c) => {
    const target = layout.kind === 'combined' ? `data[slot * ${fields.length} + ${c}]` : `col${c}[slot]`;
    lines.push(`    ${target} = ${write(types[c]!, `v${c}`)};`);
  });
  lines.push('    accepted.push(i);');
  lines.push('    slot++;');
  lines.push('  }');
  lines.push('  return slot;');
  lines.push('};');
  return lines.join('\n');
}

/** The value a tensor element gets, as buildFeeds writes it (missing numbers as NaN, which the model's Imputer replaces). */
function write(type: string, v: string): string {
  const number = `(typeof ${v} === "number" ? ${v} : NaN)`;
  switch (type) {
    case 'string':
      return `(${v} === null || ${v} === undefined ? "" : String(${v}))`;
    case 'int64':
      return `BigInt(Math.trunc(${number}) || 0)`;
    case 'int32':
      return `${number} | 0`;
    default:
      return number;
  }
}
