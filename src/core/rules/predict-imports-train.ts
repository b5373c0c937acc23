import type { ProjectRule } from './types';
import { positionOf, type ProjectFile, type ProjectFinding } from './project/files';

/** PR304: inference code imports the training module instead of depending only on artifacts. */
export const predictImportsTrain: ProjectRule = {
  scope: 'project',
  code: 'PR304',
  name: 'predict-imports-train',
  severity: 'warning',
  docs: {
    summary:
      'Prediction code imports the training module, so serving depends on training code (and its imports, data paths and side effects) rather than only on saved artifacts.',
    why:
      'Importing `train` at inference runs its module-level code, drags in training-only dependencies, and invites calling its ' +
      'fitting helpers on live data. Inference should load what training saved and share only small pure helpers.',
    example: [
      '# src/model/train.py',
      'def build_features(frame):',
      '    return frame.assign(ratio=frame.debt / frame.income)',
      '',
      '# src/model/predict.py',
      'from src.model.train import build_features',
      'features = build_features(batch)',
    ].join('\n'),
    useInstead: [
      '# src/data/preprocessing.py',
      'def build_features(frame):',
      '    return frame.assign(ratio=frame.debt / frame.income)',
      '',
      '# src/model/train.py',
      'from src.data.preprocessing import build_features',
      '',
      '# src/model/predict.py',
      'from src.data.preprocessing import build_features  # shared, fit-free',
      'features = build_features(batch)',
    ].join('\n'),
    fixSafety: 'No automatic fix: move the shared helper out of the training module first.',
  },
  check(files: readonly ProjectFile[]): ProjectFinding[] {
    const trainModules = files.filter((f) => f.role === 'train').map((f) => f.path.replace(/\.py$/, '').split('/'));
    const findings: ProjectFinding[] = [];
    for (const file of files.filter((f) => f.role === 'predict')) {
      for (const m of file.text.matchAll(/^[ \t]*(?:from[ \t]+([.\w]+)[ \t]+import[ \t]+([\w, ]+)|import[ \t]+([.\w]+))/gm)) {
        const module = m[1] ?? m[3] ?? '';
        const names = (m[2] ?? '').split(',').map((n) => n.trim().split(' ')[0]!);
        const dotted = module.replace(/^\.+/, '').split('.');
        const last = dotted[dotted.length - 1] ?? '';
        const hit = trainModules.find((parts) => {
          const base = parts[parts.length - 1]!;
          return last === base || (names.includes(base) && dotted.length > 0 && parts.slice(0, -1).join('.').endsWith(dotted.join('.')));
        });
        if (!hit) continue;
        const at = positionOf(file.text, m.index! + m[0].length - m[0].trimStart().length);
        findings.push({
          path: file.path,
          ...at,
          length: m[0].trim().length,
          message: `\`${m[0].trim()}\` makes inference depend on the training module \`${hit.join('/')}.py\`; load the saved artifacts and share fit-free helpers from another module instead.`,
          data: { imported: module, training: `${hit.join('/')}.py` },
        });
      }
    }
    return findings;
  },
};
