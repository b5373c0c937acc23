/**
 * Precision per rule from the hand audits in `test/corpus/audits/*.csv` (one file per audit:
 * repository, commit, path, cell, code, verdict, reason; verdict TRUE, FALSE or NOISE). The table
 * in `docs/precision.md` is generated from them (`npm run generate`, checked for drift by a test);
 * `npm run precision` prints it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvRecords } from './csv';
import { RULES } from '../src/core/rules/registry';

export const AUDIT_DIR = 'test/corpus/audits';
const VERDICTS = ['TRUE', 'FALSE', 'NOISE'] as const;

/** One audited finding. */
export interface AuditRow {
  audit: string;
  repository: string;
  code: string;
  verdict: (typeof VERDICTS)[number];
}

/** Every audited row; throws on a row whose verdict is not one of the three, naming file and row. */
export function readAudits(root: string): AuditRow[] {
  const dir = join(root, AUDIT_DIR);
  const rows: AuditRow[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()) {
    csvRecords(readFileSync(join(dir, file), 'utf8')).forEach((record, i) => {
      const verdict = (record['verdict'] ?? '').trim().toUpperCase();
      if (!(VERDICTS as readonly string[]).includes(verdict))
        throw new Error(`${AUDIT_DIR}/${file} row ${i + 2}: verdict must be TRUE, FALSE or NOISE, not "${record['verdict']}"`);
      for (const column of ['repository', 'commit', 'path', 'cell', 'code', 'reason']) {
        if (!record[column]) throw new Error(`${AUDIT_DIR}/${file} row ${i + 2}: empty ${column}`);
      }
      rows.push({
        audit: file.replace(/\.csv$/, ''),
        repository: record['repository'] ?? '',
        code: record['code'] ?? '',
        verdict: verdict as AuditRow['verdict'],
      });
    });
  }
  return rows;
}

/** The generated `docs/precision.md`: per audit, per rule: sampled, TRUE, FALSE, NOISE, precision. */
export function precisionDoc(root: string): string {
  const rows = readAudits(root);
  const lines = [
    '# Precision of the rules on public notebooks',
    '',
    '<!-- Generated from test/corpus/audits/*.csv by `npm run generate`; do not edit. -->',
    '',
    'Each audit is a seeded random sample of findings from `npm run corpus` on public notebooks, judged by',
    'hand: TRUE (a careful user wants to know, as the rule doc says), FALSE (wrong), NOISE (true but not',
    'worth a warning by default). Precision is TRUE / sampled. How the corpus was run and what changed',
    'between audits: [corpus.md](corpus.md).',
    '',
  ];
  for (const audit of [...new Set(rows.map((r) => r.audit))]) {
    const mine = rows.filter((r) => r.audit === audit);
    const repositories = [...new Set(mine.map((r) => r.repository))].sort();
    lines.push(`## ${audit}`, '', `${mine.length} findings from ${repositories.length} repositories: ${repositories.join(', ')}.`, '');
    lines.push('| rule | sampled | TRUE | FALSE | NOISE | precision |', '| --- | --- | --- | --- | --- | --- |');
    for (const code of [...new Set(mine.map((r) => r.code))].sort())
      lines.push(
        tableRow(
          code,
          mine.filter((r) => r.code === code),
        ),
      );
    lines.push(tableRow('all', mine));
    // The rules on by default today (the tier is the rule's metadata), whatever their tier was when audited.
    const defaults = new Set(RULES.filter((r) => r.tier !== 'preview').map((r) => r.code));
    lines.push(
      tableRow(
        'default tier today',
        mine.filter((r) => defaults.has(r.code)),
      ),
      '',
    );
  }
  return lines.join('\n');
}

function tableRow(label: string, rows: readonly AuditRow[]): string {
  const count = (v: AuditRow['verdict']): number => rows.filter((r) => r.verdict === v).length;
  const precision = rows.length === 0 ? 0 : count('TRUE') / rows.length;
  return `| ${label} | ${rows.length} | ${count('TRUE')} | ${count('FALSE')} | ${count('NOISE')} | ${precision.toFixed(2)} |`;
}

if (require.main === module) process.stdout.write(precisionDoc(process.cwd()));
