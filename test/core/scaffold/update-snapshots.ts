// Regenerates everything the scaffold tests compare against (run after changing templates or
// the planner):  node scripts/build.mjs --into .build/sc && node .build/sc/out/test/core/scaffold/update-snapshots.js
//  - src/core/templates/generated.ts from templates/project;
//  - media/manifest.schema.json from the zod schema;
//  - test/fixtures/scaffold/expected/<name>/ for every golden notebook.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { manifestJsonSchemaText } from '../../../src/core/artifacts/manifest';
import { bundleTemplates, readTemplates } from '../../../src/core/templates/bundle';
import { repoRoot } from '../../helpers/paths';
import { GOLDEN, planGolden, snapshotPath } from './snapshots';

async function update(): Promise<void> {
  const templates = readTemplates(repoRoot);
  writeFileSync(join(repoRoot, 'src', 'core', 'templates', 'generated.ts'), bundleTemplates(templates));
  mkdirSync(join(repoRoot, 'media'), { recursive: true });
  writeFileSync(join(repoRoot, 'media', 'manifest.schema.json'), manifestJsonSchemaText());
  for (const name of Object.keys(GOLDEN)) {
    rmSync(join(repoRoot, 'test', 'fixtures', 'scaffold', 'expected', name), { recursive: true, force: true });
    const result = await planGolden(name, templates);
    if (!result.ok) throw new Error(`${name}: ${result.report.problems.join(' ')}`);
    for (const change of result.changes) {
      const file = snapshotPath(name, change.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, change.content);
    }
    console.log(`${name}: ${result.changes.length} files`);
  }
}

void update();
