/**
 * Files generated from rule metadata, so that each fact lives once: the rule docs and the
 * extension's settings schema in package.json. `npm run generate` writes them; a test fails
 * when the committed files drift from what this module produces.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../src/core/rules/registry';
import type { Rule } from '../src/core/rules/types';
import { precisionDoc } from './precision';

/** Every generated file: path relative to the repository root → exact content. */
export function generatedFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const rule of RULES) files.set(`docs/rules/${rule.code}.md`, ruleDoc(rule));
  files.set('docs/rules/README.md', ruleIndex(RULES));
  files.set('docs/precision.md', precisionDoc(root));
  files.set('package.json', packageJsonWithSettings(readFileSync(join(root, 'package.json'), 'utf8')));
  return files;
}

function ruleDoc(rule: Rule): string {
  return [
    `# ${rule.code} ${rule.name}`,
    '',
    rule.docs.summary,
    '',
    `Default severity: ${rule.severity}.`,
    '',
    ...scopeSection(rule),
    ...tierSection(rule),
    '## Why is this bad?',
    '',
    rule.docs.why,
    '',
    '## Example',
    '',
    '```python',
    rule.docs.example,
    '```',
    '',
    '## Use instead',
    '',
    '```python',
    rule.docs.useInstead,
    '```',
    '',
    '## Fix safety',
    '',
    rule.docs.fixSafety,
    '',
    '## Configuration',
    '',
    `Turn it off with \`--ignore ${rule.code}\` on the command line, or with the setting`,
    `\`"nb2prod.severity": { "${rule.code}": "off" }\` in VS Code, where you can also change its severity.`,
    '',
  ].join('\n');
}

/** Where a rule that is not a notebook rule runs. */
function scopeSection(rule: Rule): string[] {
  if (rule.scope === 'project') return ['Scope: the Python files of a folder given to `nb2prod check` (training and prediction modules read together).', ''];
  if (rule.scope === 'artifact')
    return [
      'Scope: pickle and joblib files, scanned statically: `nb2prod verify`, and `nb2prod check` on a folder (`.pkl`, `.pickle`, `.joblib`, `.sav`).',
      '',
    ];
  return [];
}

/** The tier paragraph: preview rules and rules with preview patterns say what is opt-in and why. */
function tierSection(rule: Rule): string[] {
  const enable = `Turn it on with \`--select ${rule.code}\` (or \`--select PREVIEW\` for every preview rule and pattern), or the same entries in the \`nb2prod.select\` setting.`;
  if (rule.tier === 'preview')
    return [`**Preview tier: off by default.** ${rule.docs.tierReason ?? ''} ${enable}`, '', ...(rule.docs.preview ? [rule.docs.preview, ''] : [])];
  if (rule.docs.preview) return [`**Partly preview.** ${rule.docs.preview} ${enable}`, ''];
  return [];
}

function tierLabel(rule: Rule): string {
  if (rule.tier === 'preview') return 'preview';
  return rule.docs.preview ? 'default (some patterns preview)' : 'default';
}

function ruleIndex(rules: readonly Rule[]): string {
  const rows = rules.map((r) => `| [${r.code}](${r.code}.md) | ${r.name} | ${r.severity} | ${tierLabel(r)} | ${r.docs.summary} |`);
  return [
    '# Rules',
    '',
    '<!-- Generated from the rule metadata by `npm run generate`; do not edit. -->',
    '',
    'Rules in the default tier are on unless ignored. Preview rules and patterns were right less than 9 times in 10 on public notebooks (see [the audit](../precision.md)), so they run only when selected by their exact code or with `PREVIEW`.',
    '',
    '| Code | Name | Severity | Tier | What it flags |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** package.json with `contributes.configuration` rebuilt from the rules; everything else kept. */
function packageJsonWithSettings(text: string): string {
  const pkg = JSON.parse(text) as { contributes?: Record<string, unknown> };
  const codes = RULES.map((r) => r.code);
  const severityProperties = Object.fromEntries(
    RULES.map((r) => [
      r.code,
      {
        type: 'string',
        enum: ['error', 'warning', 'info', 'hint', 'off'],
        default: r.severity,
        markdownDescription: `[${r.code} ${r.name}](docs/rules/${r.code}.md): ${r.docs.summary}`,
      },
    ]),
  );
  pkg.contributes = {
    ...pkg.contributes,
    configuration: {
      title: 'nb2prod',
      properties: {
        'nb2prod.enable': { type: 'boolean', default: true, description: 'Analyse open Jupyter notebooks and percent-format Python files.' },
        'nb2prod.select': {
          type: 'array',
          items: { type: 'string' },
          default: [],
          markdownDescription: `Rule codes or prefixes to run (empty: the project file's \`select\`, else every default-tier rule); when set, it replaces the project file's \`select\` and \`ignore\` (\`PREVIEW\` alone adds the preview tier to the file's selection instead). A preview rule or pattern runs only when its exact code, or \`PREVIEW\`, is listed. Known codes: ${codes.map((c) => `\`${c}\``).join(', ')}.`,
        },
        'nb2prod.ignore': {
          type: 'array',
          items: { type: 'string' },
          default: [],
          markdownDescription:
            "Rule codes or prefixes to switch off, e.g. `NB102` or `NB1`, added to the project file's `ignore`. The most specific of `select` and `ignore` wins.",
        },
        'nb2prod.severity': {
          type: 'object',
          default: {},
          additionalProperties: false,
          properties: severityProperties,
          markdownDescription: "Severity per rule code: `error`, `warning`, `info`, `hint`, or `off`; wins over the project file's `severity` for that code.",
        },
        'nb2prod.analyzeDelay': {
          type: 'number',
          default: 300,
          minimum: 0,
          description: 'Milliseconds to wait after an edit before re-analysing the notebook.',
        },
      },
    },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
