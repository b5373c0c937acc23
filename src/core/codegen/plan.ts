/**
 * What the generated inference module must do, decided from the manifest (and, when the model
 * file is at hand, from its ONNX graph): plain data, no ts-morph. Every choice the emitter makes
 * comes from here, so a manifest the generated code could not serve fails now, with one line,
 * instead of in the user's service at run time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { sha256Of } from '../artifacts/hash';
import { artifactPath, ManifestError, onnxModelEntry, type LoadedManifest } from '../artifacts/manifest-file';
import type { Manifest } from '../artifacts/manifest';
import { parseOnnxModel, type OnnxValueInfo } from '../artifacts/onnx-model';

/** The manifest cannot be turned into a module (unusable manifest or model): exit code 2. */
export class CodegenError extends Error {}

/** Element types a tensor can be built in from a row value. */
export type InputElement = 'float32' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool' | 'string';

/** One input feature: its row field and the tensor it becomes. */
export interface FieldPlan {
  name: string;
  /** The JavaScript value a row holds. */
  kind: 'number' | 'string' | 'boolean';
  element: InputElement;
  /** The training column's dtype, for the doc comment. */
  dtype: string;
  integer: boolean;
  required: boolean;
  nullable: boolean;
  /** Hard limits: a row outside them is rejected. */
  validMin: number | null;
  validMax: number | null;
  /** What training saw. */
  trainMin: number | null;
  trainMax: number | null;
  categories: string[] | null;
}

/** How output values are typed in TypeScript. */
export type OutputElement = 'string' | 'number' | 'int64' | 'boolean';

/** One model output. */
export interface OutputPlan {
  name: string;
  element: OutputElement;
  /** Values per row; 1 gives a scalar, null (unknown) an array. */
  width: number | null;
  /** What it means: the class label, one probability per class, the regression value. */
  role: 'label' | 'probabilities' | 'value' | null;
}

/** Everything the emitter needs. */
export interface CodegenPlan {
  /** The manifest's path relative to the generated file, with `/` separators. */
  manifestRef: string;
  runId: string;
  commit: string | null;
  dirty: boolean | null;
  createdUtc: string;
  modelName: string;
  modelVersion: string;
  task: 'classification' | 'regression';
  classes: (string | number)[] | null;
  /** The ONNX model, its path relative to the manifest's folder (the `artifactsDir` of `loadModel`). */
  artifact: { path: string; sha256: string; bytes: number };
  layout: { kind: 'per-feature' } | { kind: 'combined'; name: string; element: 'float32' | 'float64' };
  inputs: FieldPlan[];
  outputs: OutputPlan[];
  outOfRange: 'warn' | 'error' | 'ignore';
  unseenCategory: 'warn' | 'error' | 'ignore';
  /** Things the user should know (printed by the CLI, never in the file). */
  notes: string[];
}

const INPUT_ELEMENTS: Record<string, InputElement> = {
  float32: 'float32',
  float: 'float32',
  float64: 'float64',
  double: 'float64',
  int64: 'int64',
  int32: 'int32',
  int16: 'int16',
  int8: 'int8',
  uint8: 'uint8',
  bool: 'bool',
  boolean: 'bool',
  string: 'string',
  str: 'string',
};

/** Plans the module for a loaded manifest; `outPath` is where the module will be written. */
export function planModule(loaded: LoadedManifest, outPath: string): CodegenPlan {
  const { manifest } = loaded;
  const entry = onnxModelEntry(manifest);
  if (!entry) throw new CodegenError(`${loaded.path} lists no ONNX artifact: export the model with skl2onnx to generate a Node.js inference module`);
  const modelFile = artifactPath(loaded, entry.path);
  const manifestDir = dirname(resolve(loaded.path));
  const notes: string[] = [];
  const inputs = manifest.signature.inputs.map(planField);
  let graph: { inputs: OnnxValueInfo[]; outputs: OnnxValueInfo[] } | null = null;
  if (existsSync(modelFile)) {
    const bytes = readFileSync(modelFile);
    const actual = sha256Of(bytes);
    // A graph read from another file than the one training wrote would decide the layout wrongly.
    if (actual !== entry.sha256)
      throw new CodegenError(`${entry.path} is not the file training wrote (sha256 ${actual}, the manifest says ${entry.sha256}); run \`nb2prod verify\``);
    let model: ReturnType<typeof parseOnnxModel>;
    try {
      model = parseOnnxModel(bytes);
    } catch (error) {
      throw new CodegenError(`${entry.path} is not a readable ONNX model: ${(error as Error).message}`);
    }
    if (model.externalData.length > 0) throw new CodegenError(`${entry.path} references external data, which would escape the artifact's hash`);
    graph = model;
  } else {
    notes.push(`${entry.path} is not here: one [N, 1] tensor per feature is assumed; loadModel checks the session's inputs`);
  }
  const policy = manifest.input_policy;
  return {
    manifestRef: posix(relative(dirname(resolve(outPath)), resolve(loaded.path))),
    runId: manifest.run.run_id,
    commit: manifest.run.git.commit,
    dirty: manifest.run.git.dirty,
    createdUtc: manifest.run.created_utc,
    modelName: manifest.model.name,
    modelVersion: manifest.model.version,
    task: manifest.model.task,
    classes: classesOf(manifest),
    artifact: { path: posix(relative(manifestDir, modelFile)), sha256: entry.sha256, bytes: entry.bytes },
    layout: graph ? layoutOf(inputs, graph.inputs) : { kind: 'per-feature' },
    inputs,
    outputs: planOutputs(manifest, graph?.outputs ?? null),
    outOfRange: policy?.out_of_range ?? 'warn',
    unseenCategory: policy?.unseen_category ?? 'warn',
    notes,
  };
}

function posix(path: string): string {
  return path.split(sep).join('/');
}

function classesOf(manifest: Manifest): (string | number)[] | null {
  const classes = manifest.model.classes;
  if (classes === null) return null;
  const usable = classes.filter((c): c is string | number => typeof c === 'string' || typeof c === 'number');
  if (usable.length !== classes.length) throw new CodegenError(`model.classes holds values that are neither strings nor numbers: ${JSON.stringify(classes)}`);
  return usable;
}

function planField(input: Manifest['signature']['inputs'][number]): FieldPlan {
  const element = INPUT_ELEMENTS[input.tensor_type];
  if (!element)
    throw new CodegenError(
      `input \`${input.name}\` has tensor_type \`${input.tensor_type}\`, which the generated module cannot build (expected one of ${[...new Set(Object.values(INPUT_ELEMENTS))].join(', ')})`,
    );
  const kind = element === 'string' ? 'string' : element === 'bool' ? 'boolean' : 'number';
  const integer = kind === 'number' && !element.startsWith('float');
  // An integer or boolean tensor has no missing-value encoding (NaN is float-only): refuse
  // rather than generate code that silently feeds 0 for an empty value.
  if ((input.nullable || !input.required) && (integer || kind === 'boolean')) {
    throw new CodegenError(`input \`${input.name}\` may be empty but is fed as ${element}, which has no missing value; export it as a float`);
  }
  const validMin = input.valid_min ?? null;
  const validMax = input.valid_max ?? null;
  return {
    name: input.name,
    kind,
    element,
    dtype: input.dtype,
    integer,
    required: input.required,
    nullable: input.nullable,
    validMin,
    validMax,
    trainMin: input.min,
    trainMax: input.max,
    categories: kind === 'string' ? input.categories : null,
  };
}

function layoutOf(inputs: FieldPlan[], graphInputs: OnnxValueInfo[]): CodegenPlan['layout'] {
  const byName = new Map(graphInputs.map((g) => [g.name, g]));
  if (inputs.every((i) => byName.has(i.name))) {
    for (const input of inputs) {
      const type = byName.get(input.name)!.type;
      const element = type.kind === 'tensor' ? INPUT_ELEMENTS[type.elementType] : undefined;
      if (element !== input.element)
        throw new CodegenError(
          `input \`${input.name}\`: the signature says ${input.element}, the ONNX model expects ${type.kind === 'tensor' ? type.elementType : type.kind}; run \`nb2prod verify\``,
        );
    }
    return { kind: 'per-feature' };
  }
  const only = graphInputs[0];
  const type = only?.type;
  if (graphInputs.length === 1 && only && type?.kind === 'tensor' && (type.elementType === 'float32' || type.elementType === 'float64')) {
    const width = type.shape?.[1];
    if (typeof width === 'number' && width !== inputs.length)
      throw new CodegenError(`the model's input \`${only.name}\` has ${width} columns, the signature ${inputs.length} features`);
    if (inputs.some((i) => i.kind !== 'number'))
      throw new CodegenError(`the model takes one float tensor \`${only.name}\`, but the signature has non-numeric features`);
    return { kind: 'combined', name: only.name, element: type.elementType };
  }
  throw new CodegenError(
    `the model's inputs (${graphInputs.map((g) => g.name).join(', ')}) are neither one per signature feature nor one [N, ${inputs.length}] float tensor`,
  );
}

function outputElement(dtype: string): OutputElement | null {
  if (/^[<>|=]?[UuSa]\d*$/.test(dtype) || dtype === 'object' || dtype === 'str' || dtype === 'string') return 'string';
  if (/^(float(16|32|64)?|double)$/.test(dtype)) return 'number';
  if (dtype === 'int64' || dtype === 'uint64') return 'int64';
  if (/^u?int(8|16|32)$/.test(dtype)) return 'number';
  if (dtype === 'bool') return 'boolean';
  return null;
}

function planOutputs(manifest: Manifest, graphOutputs: OnnxValueInfo[] | null): OutputPlan[] {
  const classes = manifest.model.classes;
  const plans = manifest.signature.outputs.map((output): OutputPlan => {
    const graph = graphOutputs?.find((g) => g.name === output.name);
    if (graphOutputs && !graph)
      throw new CodegenError(`output \`${output.name}\` is not an output of the ONNX model (it has ${graphOutputs.map((g) => g.name).join(', ')})`);
    if (graph && graph.type.kind !== 'tensor')
      throw new CodegenError(`output \`${output.name}\` is a ${graph.type.kind}, not a tensor: export the classifier with zipmap=False`);
    // The graph's element type is what onnxruntime returns; the signature's dtype is numpy's name for it.
    const element = outputElement(graph?.type.kind === 'tensor' ? graph.type.elementType : output.dtype) ?? outputElement(output.dtype);
    if (!element) throw new CodegenError(`output \`${output.name}\` has dtype \`${output.dtype}\`, which the generated module cannot type`);
    const shape = output.shape ?? (graph?.type.kind === 'tensor' ? graph.type.shape : null);
    let width: number | null = shape && shape.length <= 1 ? 1 : null;
    if (shape && shape.length > 1) {
      const rest = shape.slice(1);
      width = rest.every((d): d is number => typeof d === 'number') ? rest.reduce((a, b) => a * b, 1) : null;
    }
    return { name: output.name, element, width, role: null };
  });
  // Roles as the runner reads them: the first scalar output is the label (classification) or
  // the value (regression); a float output with one column per class holds the probabilities.
  if (manifest.model.task === 'classification') {
    const label = plans.find((p) => p.width === 1 && p.element !== 'boolean');
    if (label) label.role = 'label';
    const probabilities = plans.find((p) => p.element === 'number' && classes !== null && p.width === classes.length && p.role === null);
    if (probabilities) probabilities.role = 'probabilities';
  } else {
    const value = plans.find((p) => p.width === 1 && p.element === 'number');
    if (value) value.role = 'value';
  }
  return plans;
}

/** Re-exported so callers catch one family of "unusable manifest" errors. */
export { ManifestError };
