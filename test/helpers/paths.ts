/** Where tests find things, whether built into the repo root or with `build.mjs --into DIR`. */
import { join } from 'node:path';
import { findRepoRoot } from '../../scripts/repo-root';

/** The folder holding `out/` and `dist/` (this file runs as out/test/helpers/paths.js). */
export const buildRoot = join(__dirname, '..', '..', '..');

/** The repository root. */
export const repoRoot = findRepoRoot(__dirname);

/** The bundled `nb2prod` command line. */
export const cliPath = join(buildRoot, 'dist', 'cli.js');
