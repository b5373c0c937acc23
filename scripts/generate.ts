/** `npm run generate`: write the files generated from rule metadata (see generated-files.ts). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generatedFiles } from './generated-files';
import { findRepoRoot } from './repo-root';

const root = findRepoRoot(__dirname);
for (const [path, content] of generatedFiles(root)) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
  console.log(`wrote ${path}`);
}
