import { posix } from 'node:path';
import { ARTIFACT_EXTENSIONS } from '../analysis/artifact-io';
import { artifactIo } from '../analysis/artifact-paths';
import type { Finding, Rule } from './types';

/**
 * NB108: a model or pickle artifact is loaded from a path that no cell writes. The loader and
 * writer tables live in analysis/artifact-io.ts. Paths are compared after static resolution;
 * when a load's path, or any write's path, cannot be resolved the rule stays silent rather
 * than guess.
 */
export const artifactFromNowhere: Rule = {
  code: 'NB108',
  name: 'artifact-from-nowhere',
  severity: 'warning',
  tier: 'preview',
  docs: {
    tierReason:
      'Right 8 times in 10 in the audit of public notebooks: files written by scripts the notebook generates (`%%writefile`) or by other notebooks are the usual false alarms.',
    summary: 'A cell loads a model or pickle file that no cell in the notebook writes.',
    why:
      'The notebook depends on a file made by code that is not here: a pickle saved months ago, by another ' +
      'notebook, or by a version of this one that has since changed. Nobody can regenerate it from the notebook, ' +
      'nothing records which data or code produced it, and loading a pickle runs whatever code it names. Write ' +
      'the artifact in the notebook (or load it through a manifest with its hash) so that its origin is part of ' +
      'the record. Writes include `joblib.dump`, `pickle.dump`, `torch.save`, `model.save`, `save_weights`, ' +
      '`to_pickle`, `open(path, "wb")`, shell downloads and a Keras `ModelCheckpoint(path)` callback, which is made ' +
      'to be passed to `fit(callbacks=[...])`.',
    example: [
      '# %%',
      'import joblib',
      'import pandas as pd',
      '',
      '# %%',
      'limits = joblib.load("models/limits.joblib")',
      'customers = pd.DataFrame({"tenure": [3, 40]})',
      'at_risk = customers[customers["tenure"] < limits["tenure"]]',
    ].join('\n'),
    useInstead: [
      '# %%',
      'import joblib',
      'import pandas as pd',
      '',
      '# %%',
      'joblib.dump({"tenure": 12}, "models/limits.joblib")',
      '',
      '# %%',
      'limits = joblib.load("models/limits.joblib")',
      'customers = pd.DataFrame({"tenure": [3, 40]})',
      'at_risk = customers[customers["tenure"] < limits["tenure"]]',
    ].join('\n'),
    fixSafety: 'No automatic fix: only the author knows which code produced the file.',
  },
  check(analysed) {
    const io = artifactIo(analysed);
    // A write whose path we cannot resolve may be the very file that is loaded.
    if (io.writes.some((w) => w.path === undefined)) return [];
    const written = new Set(io.writes.map((w) => w.path));
    const findings: Finding[] = [];
    for (const load of io.loads) {
      const path = load.path;
      if (path === undefined || written.has(path)) continue;
      if (load.artifactsOnly && !ARTIFACT_EXTENSIONS.includes(posix.extname(path).toLowerCase())) continue;
      const base = posix.basename(path);
      if (io.shellLines.some((line) => line.includes(base))) continue;
      findings.push({
        message: `\`${load.call.callee}\` loads \`${path}\`, which no cell of this notebook writes, so the notebook depends on a file made by code that is not here.`,
        cell: load.cell,
        range: load.call.range,
        related: [],
        data: { path, loader: load.api },
      });
    }
    return findings;
  },
};
