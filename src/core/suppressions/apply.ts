/**
 * Silencing findings with the notebook's directives, and NB900's view of what was left over: an
 * entry of a directive that silenced nothing, among the rules that ran, has rotted.
 */
import type { Diagnostic, Fix } from '../diagnostic';
import type { Notebook } from '../notebook/model';
import { LineIndex, offsetAt } from '../notebook/positions';
import { RULES } from '../rules/registry';
import { unusedSuppression } from '../rules/unused-suppression';
import { matchingEntry, silences, type Suppression } from './directives';

/** What one pass of the directives over a notebook's findings gives. */
export interface SuppressionOutcome {
  /** The findings no directive silences, in the order given. */
  kept: Diagnostic[];
  /** Per directive (same order as given), which entries silenced something; a bare one has one entry. */
  used: boolean[][];
}

/** Drops every finding a directive silences, recording which entries were used. */
export function applySuppressions(diagnostics: readonly Diagnostic[], suppressions: readonly Suppression[]): SuppressionOutcome {
  const used = suppressions.map((s) => (s.codes.length === 0 ? [false] : s.codes.map(() => false)));
  const kept: Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    let silenced = false;
    suppressions.forEach((suppression, i) => {
      if (!silences(suppression, diagnostic)) return;
      silenced = true;
      used[i]![matchingEntry(suppression, diagnostic.code)] = true;
    });
    if (!silenced) kept.push(diagnostic);
  }
  return { kept, used };
}

/**
 * NB900 findings: one per directive with entries that silenced nothing. An entry is judged only
 * when a rule it covers ran (`ran` holds their codes), since a rule that was not selected cannot
 * say whether it would have fired; an entry that covers no rule at all is always reported.
 */
export function unusedSuppressions(
  notebook: Notebook,
  suppressions: readonly Suppression[],
  used: readonly boolean[][],
  ran: ReadonlySet<string>,
): Diagnostic[] {
  const found: Diagnostic[] = [];
  suppressions.forEach((suppression, i) => {
    const where = suppression.scope === 'cell' ? 'in this cell' : 'on this line';
    const unknown: string[] = [];
    const unmatched: string[] = [];
    if (suppression.codes.length === 0) {
      if (!used[i]![0] && ran.size > 0) unmatched.push('');
    } else {
      suppression.codes.forEach((code, j) => {
        if (used[i]![j]) return;
        const covered = RULES.filter((r) => r.code.startsWith(code));
        if (covered.length === 0) unknown.push(code);
        else if (covered.some((r) => ran.has(r.code))) unmatched.push(code);
      });
    }
    if (unknown.length + unmatched.length === 0) return;
    const reasons = [
      ...(unmatched.length === 0 ? [] : [unmatched[0] === '' ? `no finding ${where} to silence` : `no ${codeList(unmatched)} finding ${where}`]),
      ...(unknown.length === 0 ? [] : [`${codeList(unknown)} ${unknown.length === 1 ? 'matches' : 'match'} no rule`]),
    ];
    const source = notebook.cells[suppression.cell]?.source ?? '';
    const unusedCodes = new Set([...unknown, ...unmatched]);
    found.push({
      code: unusedSuppression.code,
      name: unusedSuppression.name,
      severity: unusedSuppression.severity,
      message: `Unused suppression: ${reasons.join('; ')}.`,
      cell: suppression.cell,
      range: suppression.range,
      related: [],
      data: { codes: [...unusedCodes].filter((c) => c !== '') },
      fixes: [removalFix(source, suppression, unusedCodes)],
    });
  });
  return found;
}

/** `NB104` or `NB104`, `LK201`, in backticks. */
function codeList(codes: readonly string[]): string {
  return codes.map((c) => `\`${c}\``).join(', ');
}

/**
 * Removes the unused entries: the whole directive when none is left (with the blank space or the
 * line it leaves), else the directive rewritten with the entries still in use.
 */
export function removalFix(source: string, suppression: Suppression, unused: ReadonlySet<string>): Fix {
  const lines = new LineIndex(source);
  const remaining = suppression.codes.filter((c) => !unused.has(c));
  if (remaining.length > 0) {
    const removed = suppression.codes.filter((c) => unused.has(c));
    return {
      title: `Remove unused ${removed.join(', ')} from the suppression`,
      safety: 'safe',
      edits: [{ cell: suppression.cell, range: suppression.range, newText: `# nb2prod: ignore[${remaining.join(', ')}]` }],
    };
  }
  let start = offsetAt(source, suppression.range.start);
  let end = offsetAt(source, suppression.comment.end);
  const commentStart = offsetAt(source, suppression.comment.start);
  if (start > commentStart || suppression.trailing) {
    // Other comment text, or code, stays before it: take the spaces between them too.
    while (start > 0 && (source[start - 1] === ' ' || source[start - 1] === '\t')) start--;
  } else {
    // Alone on its line: the whole line goes, with one line break.
    start = commentStart - suppression.comment.start.character;
    if (source[end] === '\r') end++;
    if (source[end] === '\n') end++;
    else if (start > 0) {
      // The last line: the line break before it goes instead.
      start--;
      if (source[start - 1] === '\r') start--;
    }
  }
  return { title: 'Remove unused suppression', safety: 'safe', edits: [{ cell: suppression.cell, range: lines.range(start, end), newText: '' }] };
}
