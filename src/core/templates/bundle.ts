/**
 * The templates, embedded: `plan()` does no I/O and the bundled CLI and extension ship without
 * the repository's `templates/` folder. `generated.ts` is written from `templates/project`
 * by `bundleTemplates` (test/core/scaffold/update-snapshots.ts) and a test fails when it drifts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Template files by their path in the generated project (`_gitignore` becomes `.gitignore`). */
export type TemplateSet = Readonly<Record<string, string>>;

/** Reads `templates/project` of a checkout, plus the runner script (`templates/runner`). */
export function readTemplates(repoRoot: string): Record<string, string> {
  const base = join(repoRoot, 'templates', 'project');
  const found: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (name === '__pycache__') continue;
      if (statSync(full).isDirectory()) walk(full);
      else
        found[
          relative(base, full)
            .split('\\')
            .join('/')
            .replace(/(^|\/)_gitignore$/, '$1.gitignore')
        ] = readFileSync(full, 'utf8');
    }
  };
  walk(base);
  // The Python prediction runner ships in every project (and nb2prod runs the embedded copy).
  found['src/utils/nb2prod_runner.py'] = readFileSync(join(repoRoot, 'templates', 'runner', 'nb2prod_runner.py'), 'utf8');
  return found;
}

/** The TypeScript source of `generated.ts` for a set of templates. */
export function bundleTemplates(templates: Record<string, string>): string {
  const entries = Object.keys(templates)
    .sort()
    .map((path) => `  ${JSON.stringify(path)}: ${JSON.stringify(templates[path])},`);
  return [
    '// Generated from templates/project by test/core/scaffold/update-snapshots.ts: do not edit.',
    "import type { TemplateSet } from './bundle';",
    '',
    '/** The project templates, by path in the generated project. */',
    'export const TEMPLATES: TemplateSet = {',
    ...entries,
    '};',
    '',
  ].join('\n');
}
