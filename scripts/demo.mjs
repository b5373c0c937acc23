// `npm run demo`: check the bundled example notebooks. They are written to contain the
// mistakes nb2prod finds, so findings (exit 1) are the expected outcome; only a usage error or an
// unreadable file (exit 2) fails the demo.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { status } = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'check', join('examples')], { cwd: root, stdio: 'inherit' });
if (status === 1) console.log('\nThese findings are the point of the demo: examples/ holds the mistakes nb2prod is built to catch.');
process.exit(status === 1 ? 0 : (status ?? 2));
