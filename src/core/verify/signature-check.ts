/**
 * The ONNX session's inputs and outputs against the manifest's `signature`: names, element
 * types, shapes, and every output a tensor (ZipMap's sequence of maps is refused).
 */
import type { Manifest } from '../artifacts/manifest';
import type { SessionValue } from '../runner/protocol';
import { inputLayout } from '../runner/tensors';

/** One disagreement, phrased as expected/found. */
export interface SignatureProblem {
  what: string;
  expected: string;
  found: string;
  action: string;
}

/** Numpy dtype names (as training records them) to onnxruntime element types. */
export function ortTypeOf(dtype: string): string {
  const d = dtype.replace(/^[<>|=]/, '');
  if (/^U\d*$|^object$|^str$|^string$|^O$/.test(d)) return 'string';
  if (d === 'float' || d === 'f4') return 'float32';
  if (d === 'double' || d === 'f8') return 'float64';
  if (d === 'bool' || d === 'b1') return 'bool';
  if (d === 'i8') return 'int64';
  return d;
}

/** Every disagreement between a signature and a session. */
export function compareSignature(signature: Manifest['signature'], session: { inputs: SessionValue[]; outputs: SessionValue[] }): SignatureProblem[] {
  const problems: SignatureProblem[] = [];
  const layout = inputLayout(signature.inputs, session.inputs);
  const sessionNames = session.inputs.map((s) => `${s.name}: ${s.type}[${(s.shape ?? []).map(dim).join(', ')}]`).join('; ');
  if (typeof layout === 'string') {
    problems.push({
      what: 'inputs',
      expected: signature.inputs.map((i) => `${i.name}: ${i.tensor_type}`).join('; '),
      found: sessionNames,
      action: 'export the model from the same pipeline and columns the manifest describes, or re-run training to rewrite the manifest',
    });
  } else if (layout.kind === 'per-feature') {
    const known = new Set(signature.inputs.map((i) => i.name));
    for (const extra of session.inputs.filter((s) => !known.has(s.name))) {
      problems.push({
        what: `input ${extra.name}`,
        expected: 'only the signature features',
        found: `the model also needs \`${extra.name}\``,
        action: 'add the feature to the signature (re-run training) or re-export the model',
      });
    }
    for (const input of signature.inputs) {
      const s = session.inputs.find((v) => v.name === input.name)!;
      const want = ortTypeOf(input.tensor_type);
      if (s.type !== want)
        problems.push({
          what: `input ${input.name}`,
          expected: `element type ${want}`,
          found: `${s.type}`,
          action: 'cast the column in the export (FloatTensorType / StringTensorType) as the signature says',
        });
      const width = s.shape?.[1];
      if (s.shape && (s.shape.length !== 2 || (typeof width === 'number' && width !== 1))) {
        problems.push({
          what: `input ${input.name}`,
          expected: 'shape [N, 1]',
          found: `[${s.shape.map(dim).join(', ')}]`,
          action: 'export one [None, 1] input per column',
        });
      }
    }
  } else if (!signature.inputs.every((i) => ['float32', 'float64', 'float', 'double'].includes(i.tensor_type))) {
    problems.push({
      what: 'inputs',
      expected: 'one input per feature (the signature has string features)',
      found: sessionNames,
      action: 'export with one initial type per column',
    });
  }
  for (const value of session.outputs.filter((o) => !o.isTensor)) {
    problems.push({
      what: `output ${value.name}`,
      expected: 'a tensor',
      found: 'a sequence or map (ZipMap)',
      action: "re-export with zipmap off: convert_sklearn(..., options={id(model): {'zipmap': False}}) so probabilities are a [N, classes] tensor",
    });
  }
  for (const output of signature.outputs) {
    const s = session.outputs.find((v) => v.name === output.name);
    if (!s) {
      problems.push({
        what: `output ${output.name}`,
        expected: `an output named \`${output.name}\``,
        found: `outputs ${session.outputs.map((o) => o.name).join(', ')}`,
        action: 'rename the outputs in the export or re-run training to rewrite the signature',
      });
      continue;
    }
    if (!s.isTensor) continue;
    const want = ortTypeOf(output.dtype);
    if (s.type !== want)
      problems.push({
        what: `output ${output.name}`,
        expected: `element type ${want} (${output.dtype})`,
        found: `${s.type}`,
        action: 'the model file and the manifest come from different runs: re-run training',
      });
    const shape = output.shape;
    if (shape && s.shape) {
      const mismatch = shape.length !== s.shape.length || shape.some((d, i) => typeof d === 'number' && typeof s.shape![i] === 'number' && s.shape![i] !== d);
      if (mismatch)
        problems.push({
          what: `output ${output.name}`,
          expected: `shape [${shape.map(dim).join(', ')}]`,
          found: `[${s.shape.map(dim).join(', ')}]`,
          action: 'the model file and the manifest come from different runs: re-run training',
        });
    }
  }
  return problems;
}

function dim(d: number | string | null): string {
  return d === null || d === '' ? 'N' : String(d);
}
