// `npm run demo`: check the bundled example notebooks. They are written to contain the
// mistakes nb2prod finds, so findings (exit 1) are the expected outcome; only a usage error or an
// unreadable file (exit 2) fails the demo. The examples show every rule, so the demo selects the
// preview tier too (rules that are opt-in on real notebooks, see docs/precision.md).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { status } = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'check', join('examples'), '--select', 'PREVIEW'], {
  cwd: root,
  stdio: 'inherit',
});
if (status === 1)
  console.log(
    '\nThese findings are the point of the demo: examples/ holds the mistakes nb2prod is built to catch.\nThe demo runs every tier (--select PREVIEW); a plain `nb2prod check` reports the default tier only.',
  );
process.exit(status === 1 ? 0 : (status ?? 2));
