/**
 * The fixed helper functions of the generated module (no manifest data in them: names, types
 * and numbers from the manifest live in the constants emitted by emit.ts). Only the helpers a
 * module uses are emitted, because the generated file must pass `noUnusedLocals`, and a switch
 * over tensor types may only name the types the module feeds (TypeScript rejects the others).
 */
import type { OptionalKind, FunctionDeclarationStructure } from 'ts-morph';
import type { InputElement } from './plan';

type Fn = OptionalKind<FunctionDeclarationStructure>;

/** The helpers, by name; emit.ts picks the ones it needs. */
export const HELPERS: Record<string, Fn> = {
  formatIssue: {
    name: 'formatIssue',
    docs: ['One issue as a line of text.'],
    parameters: [{ name: 'issue', type: 'RowIssue' }],
    returnType: 'string',
    statements: ['return `row ${issue.row}${issue.feature === null ? "" : ` ${issue.feature}`}: ${issue.message}`;'],
  },
  zodIssues: {
    name: 'zodIssues',
    docs: ['The issues of a failed parse, one per feature (an unknown key is one issue each).'],
    parameters: [
      { name: 'error', type: 'z.ZodError' },
      { name: 'index', type: 'number' },
    ],
    returnType: 'RowIssue[]',
    statements: [
      'return error.issues.flatMap((issue): RowIssue[] =>',
      '  issue.code === "unrecognized_keys"',
      '    ? issue.keys.map((key) => ({ row: index, feature: key, message: "not an input of the model" }))',
      '    : [{ row: index, feature: issue.path.length > 0 ? String(issue.path[0]) : null, message: issue.message }],',
      ');',
    ],
  },
  rangeWarnings: {
    name: 'rangeWarnings',
    docs: ['Values outside the range training saw: the model extrapolates there (input_policy.out_of_range is "warn").'],
    parameters: [
      { name: 'row', type: 'AcceptedRow' },
      { name: 'index', type: 'number' },
    ],
    returnType: 'RowIssue[]',
    statements: [
      'const issues: RowIssue[] = [];',
      'for (const [feature, [min, max]] of Object.entries(TRAINING_RANGES)) {',
      '  const value: unknown = row[feature as keyof AcceptedRow];',
      '  if (typeof value === "number" && (value < min || value > max)) {',
      '    issues.push({ row: index, feature, message: `${value} is outside the range training saw [${min}, ${max}]: the model extrapolates` });',
      '  }',
      '}',
      'return issues;',
    ],
  },
  toFloat: {
    name: 'toFloat',
    docs: ['A float feature value; an empty one becomes NaN, which the ONNX Imputer replaces (only nullable or optional inputs can be empty here).'],
    parameters: [{ name: 'value', type: 'unknown' }],
    returnType: 'number',
    statements: ['return typeof value === "number" ? value : Number.NaN;'],
  },
  toInteger: {
    name: 'toInteger',
    docs: ['An integer feature value; the schema already made integer inputs required safe integers.'],
    parameters: [{ name: 'value', type: 'unknown' }],
    returnType: 'number',
    statements: [
      'if (typeof value === "number" && Number.isSafeInteger(value)) return value;',
      'throw new Error(`expected an integer, got ${String(value)}`);',
    ],
  },
  rowValues: {
    name: 'rowValues',
    docs: ["One row's values of an output tensor; checks the values per row against the manifest."],
    parameters: [
      { name: 'results', type: 'InferenceSession.ReturnType' },
      { name: 'name', type: 'string' },
      { name: 'row', type: 'number' },
      { name: 'width', type: 'number | null' },
    ],
    returnType: 'unknown[]',
    statements: [
      'const tensor = results[name];',
      'if (tensor === undefined) throw new Error(`the model produced no output "${name}"`);',
      'const size = tensor.dims.slice(1).reduce((a, b) => a * b, 1);',
      'if (width !== null && size !== width) throw new Error(`output "${name}" has ${size} values per row; the manifest says ${width}`);',
      'const data: ArrayLike<unknown> = tensor.data;',
      'return Array.from({ length: size }, (_, j) => data[row * size + j]);',
    ],
  },
  toNumber: {
    name: 'toNumber',
    docs: ['A float output value.'],
    parameters: [
      { name: 'value', type: 'unknown' },
      { name: 'name', type: 'string' },
    ],
    returnType: 'number',
    statements: ['if (typeof value === "number") return value;', 'throw new Error(`output "${name}": expected a number, got ${typeof value}`);'],
  },
  toInt64: {
    name: 'toInt64',
    docs: [
      'An int64 output value: onnxruntime returns a bigint, which a number holds exactly only within ±(2^53 - 1); beyond that it is returned as a decimal string, never rounded.',
    ],
    parameters: [
      { name: 'value', type: 'unknown' },
      { name: 'name', type: 'string' },
    ],
    returnType: 'number | string',
    statements: [
      'if (typeof value === "bigint") {',
      '  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();',
      '}',
      'if (typeof value === "number") return value;',
      'throw new Error(`output "${name}": expected an integer, got ${typeof value}`);',
    ],
  },
  toText: {
    name: 'toText',
    docs: ['A string output value.'],
    parameters: [
      { name: 'value', type: 'unknown' },
      { name: 'name', type: 'string' },
    ],
    returnType: 'string',
    statements: ['if (typeof value === "string") return value;', 'throw new Error(`output "${name}": expected a string, got ${typeof value}`);'],
  },
  toBoolean: {
    name: 'toBoolean',
    docs: ['A bool output value (onnxruntime returns bool tensors as bytes).'],
    parameters: [
      { name: 'value', type: 'unknown' },
      { name: 'name', type: 'string' },
    ],
    returnType: 'boolean',
    statements: [
      'if (typeof value === "boolean") return value;',
      'if (typeof value === "number") return value !== 0;',
      'throw new Error(`output "${name}": expected a boolean, got ${typeof value}`);',
    ],
  },
  byClass: {
    name: 'byClass',
    docs: ['Probabilities keyed by class name, in the order of CLASSES.'],
    parameters: [{ name: 'values', type: 'readonly number[]' }],
    returnType: 'Record<`${ClassLabel}`, number>',
    statements: ['return Object.fromEntries(CLASSES.map((label, i) => [String(label), values[i] ?? Number.NaN])) as Record<`${ClassLabel}`, number>;'],
  },
};

/** `toClass`: maps a predicted label onto CLASSES; by index too when the classes are names. */
export function toClassHelper(byIndex: boolean): Fn {
  return {
    name: 'toClass',
    docs: ["The class a label output names; a label outside the manifest's classes means model and manifest disagree, which is an error, not a guess."],
    parameters: [{ name: 'value', type: 'number | string' }],
    returnType: 'ClassLabel',
    statements: [
      'const found = CLASSES.find((label) => String(label) === String(value));',
      'if (found !== undefined) return found;',
      ...(byIndex
        ? [
            '// Some exports emit the index of the class instead of its name.',
            'const indexed = typeof value === "number" ? CLASSES[value] : undefined;',
            'if (indexed !== undefined) return indexed;',
          ]
        : []),
      'throw new Error(`the model predicted ${JSON.stringify(value)}, which is not one of the classes ${JSON.stringify(CLASSES)}`);',
    ],
  };
}

const TENSOR_CASES: Record<InputElement, string> = {
  float32: 'return new Tensor("float32", Float32Array.from(values, toFloat), dims);',
  float64: 'return new Tensor("float64", Float64Array.from(values, toFloat), dims);',
  int64: 'return new Tensor("int64", BigInt64Array.from(values, (value) => BigInt(toInteger(value))), dims);',
  int32: 'return new Tensor("int32", Int32Array.from(values, toInteger), dims);',
  int16: 'return new Tensor("int16", Int16Array.from(values, toInteger), dims);',
  int8: 'return new Tensor("int8", Int8Array.from(values, toInteger), dims);',
  uint8: 'return new Tensor("uint8", Uint8Array.from(values, toInteger), dims);',
  bool: 'return new Tensor("bool", Uint8Array.from(values, (value) => (value === true ? 1 : 0)), dims);',
  // An empty string value is fed as "" (the runner does the same); the imputer of a string column replaces it.
  string: 'return new Tensor("string", values.map((value) => (typeof value === "string" ? value : "")), dims);',
};

/** `toTensor`: one `[N, 1]` column in its element type, with a case per type the module feeds. */
export function toTensorHelper(elements: readonly InputElement[]): Fn {
  const used = [...new Set(elements)].sort();
  return {
    name: 'toTensor',
    docs: ['One feature column as an [N, 1] tensor in the element type the model takes.'],
    parameters: [
      { name: 'type', type: '(typeof INPUT_TENSORS)[number]["type"]' },
      { name: 'values', type: 'readonly unknown[]' },
    ],
    returnType: 'Tensor',
    statements: ['const dims = [values.length, 1];', 'switch (type) {', ...used.map((e) => `  case "${e}":\n    ${TENSOR_CASES[e]}`), '}'],
  };
}

/** Which helpers an element type needs for its conversion. */
export function tensorHelpersFor(element: InputElement): string[] {
  if (element === 'float32' || element === 'float64') return ['toFloat'];
  if (element === 'bool' || element === 'string') return [];
  return ['toInteger'];
}
