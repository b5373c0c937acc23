// The project's own modules a scaffolded model's pickle imports (its feature engineering): the
// static scan admits exactly the manifest's project_modules that are files of the project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanPickleBytes } from '../../../src/core/artifacts/pickle-scan';
import { admitProjectGlobals, projectModulesIn } from '../../../src/core/artifacts/project-modules';

/** A protocol 0 pickle calling `module.name()`: GLOBAL, an empty tuple, REDUCE, STOP. */
function pickleCalling(module: string, name: string): Buffer {
  return Buffer.from(`c${module}\n${name}\n(tR.`, 'latin1');
}

test('a global of a listed project module that is a file of the project is allowed; everything else stays unsafe', () => {
  const root = mkdtempSync(join(tmpdir(), 'nb2prod-project-modules-'));
  try {
    mkdirSync(join(root, 'src', 'data'), { recursive: true });
    writeFileSync(join(root, 'src', 'data', 'preprocessing.py'), 'def model_features(frame, columns):\n    return frame[columns]\n');
    const modules = projectModulesIn(root, ['src.data.preprocessing', 'src.data.missing', 'os', 'src.data.preprocessing.os']);
    assert.deepEqual(modules, ['src.data.preprocessing']);

    const own = admitProjectGlobals(scanPickleBytes('model.joblib', pickleCalling('src.data.preprocessing', 'model_features')), modules);
    assert.deepEqual(own.unsafe, []);
    assert.deepEqual(
      own.globals.map((g) => [g.global, g.allowed]),
      [['src.data.preprocessing.model_features', true]],
    );

    for (const [module, name] of [
      ['os', 'system'],
      ['src.data.preprocessing', 'eval'],
      ['src.data.other', 'model_features'],
      ['src.data.preprocessing', 'os.system'],
    ] as const) {
      const scan = admitProjectGlobals(scanPickleBytes('model.joblib', pickleCalling(module, name)), modules);
      assert.deepEqual(scan.unsafe, [`${module}.${name}`], `${module}.${name}`);
    }
    // Without the manifest's list, the project's own function is outside the allowlist.
    assert.deepEqual(scanPickleBytes('model.joblib', pickleCalling('src.data.preprocessing', 'model_features')).unsafe, [
      'src.data.preprocessing.model_features',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
