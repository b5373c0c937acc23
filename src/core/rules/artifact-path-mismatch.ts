import type { ProjectRule } from './types';
import { positionOf, type ProjectFile, type ProjectFinding } from './project/files';

/** Artifact file names: what models and fitted preprocessors are saved as. */
const ARTIFACT = /(["'])([^"'\n]*?\.(?:joblib|pkl|pickle|onnx|skops|npz|h5|keras|pt|json))\1/g;
const WRITES =
  /(joblib|pickle|np|torch)\.(dump|save|savez)\s*\(|\.save(_model)?\s*\(|\.to_json\s*\(|open\([^)]*["'][wa]b?["']|onnx\.save|write_bytes|SerializeToString|save_joblib|artifact_entry/;
const READS = /(joblib|pickle|np|torch)\.load\s*\(|load_model\s*\(|InferenceSession\s*\(|open\([^)]*["']rb["']|read_bytes|read_manifest/;

/** Artifact paths a file writes or reads, with where they stand (by the call on the same line). */
export function artifactMentions(file: ProjectFile, kind: 'write' | 'read'): { name: string; literal: string; index: number }[] {
  const found: { name: string; literal: string; index: number }[] = [];
  const lines = file.text.split('\n');
  let offset = 0;
  for (const line of lines) {
    if (!line.trimStart().startsWith('#') && (kind === 'write' ? WRITES : READS).test(line)) {
      for (const m of line.matchAll(ARTIFACT)) {
        const literal = m[2]!;
        if (literal.endsWith('.json') && !/manifest/.test(literal)) continue;
        found.push({ name: literal.split('/').pop()!, literal, index: offset + m.index! + 1 });
      }
    }
    offset += line.length + 1;
  }
  return found;
}

/** PR303: prediction code loads an artifact file name that no training code writes. */
export const artifactPathMismatch: ProjectRule = {
  scope: 'project',
  code: 'PR303',
  name: 'artifact-path-mismatch',
  severity: 'error',
  docs: {
    summary: 'Prediction code loads an artifact (model, preprocessor, manifest) that the training code never writes under that name.',
    why:
      'Training writes `artifacts/model_v2.joblib` while `predict.py` still loads `model.joblib`: production serves a stale model, ' +
      'or fails at the first request. Both sides should take the path from one place (the manifest or a config constant).',
    example: ['# train.py', 'joblib.dump(pipeline, "artifacts/model_v2.joblib")', '', '# predict.py', 'model = joblib.load("artifacts/model.joblib")'].join(
      '\n',
    ),
    useInstead: [
      '# config.py',
      'MODEL_PATH = "artifacts/model.joblib"',
      '',
      '# train.py',
      'joblib.dump(pipeline, config.MODEL_PATH)',
      '',
      '# predict.py',
      'model = joblib.load(config.MODEL_PATH)',
    ].join('\n'),
    fixSafety: 'No automatic fix: which of the two names is right depends on the deployment.',
  },
  check(files: readonly ProjectFile[]): ProjectFinding[] {
    const trainers = files.filter((f) => f.role === 'train');
    if (trainers.length === 0) return [];
    const written = new Set(trainers.flatMap((f) => artifactMentions(f, 'write')).map((m) => m.name));
    // A project that names its artifacts only through constants has nothing literal to compare.
    const config = new Set(files.filter((f) => f.role === 'other').flatMap((f) => [...f.text.matchAll(ARTIFACT)].map((m) => m[2]!.split('/').pop()!)));
    const findings: ProjectFinding[] = [];
    for (const file of files.filter((f) => f.role === 'predict')) {
      for (const read of artifactMentions(file, 'read')) {
        if (written.has(read.name) || (written.size === 0 && config.has(read.name))) continue;
        const at = positionOf(file.text, read.index);
        findings.push({
          path: file.path,
          ...at,
          length: read.literal.length,
          message: `\`${read.literal}\` is loaded here, but the training code (${trainers.map((t) => t.path).join(', ')}) never writes \`${read.name}\`${written.size ? ` (it writes ${[...written].map((w) => `\`${w}\``).join(', ')})` : ''}.`,
          data: { loaded: read.literal, written: [...written] },
        });
      }
    }
    return findings;
  },
};
