/**
 * "Would Restart & Run All reproduce what is saved?" — one answer per notebook with its
 * reasons, drawn from the reconstructed history and the hidden-state findings. The engine runs
 * the rules (every one in VERDICT_CODES, whatever `--select`/`--ignore` say, so that the answer
 * does not change with which findings a user chose to see) and calls `verdictFrom` once.
 */
import { cellLabel } from '../notebook/model';
import type { Diagnostic } from '../diagnostic';
import type { ExecutionHistory, HistoryEntry } from './history';

/** The answer and why. */
export interface Verdict {
  /** `unknown` when nothing ran or the stored counts are ambiguous. */
  reproducible: 'yes' | 'no' | 'unknown';
  /** Short clauses for people ("cell 3 ran after cell 5"), most important first; empty for `yes`. */
  reasons: string[];
}

/** The parts of a diagnostic a verdict looks at. */
export type VerdictInput = Pick<Diagnostic, 'code' | 'cell' | 'data'>;

/** Codes whose findings mean the saved outputs may not come back on a fresh run. */
export const VERDICT_CODES: readonly string[] = ['NB000', 'NB101', 'NB102', 'NB103', 'NB104', 'NB105', 'NB107'];

/** The verdict from a history and the findings on the same notebook. */
export function verdictFrom(history: ExecutionHistory, diagnostics: readonly VerdictInput[]): Verdict {
  if (history.order.length === 0) {
    return { reproducible: 'unknown', reasons: ['no cell has an execution count (never run, or outputs cleared)'] };
  }
  // A notebook in another language is not analysed, so nothing is known about its state.
  const language = diagnostics.find((d) => d.code === 'NB000' && typeof d.data['language'] === 'string')?.data['language'];
  if (typeof language === 'string') return { reproducible: 'unknown', reasons: [`it is ${language} code, which nb2prod does not analyse`] };
  // When the history itself is uncertain, NB103's restart warnings say nothing new.
  const reasons = history.ambiguities.map((a) => a.clause);
  for (const d of diagnostics) {
    if (history.ambiguous && d.data['ambiguous'] === true && d.code === 'NB103' && d.data['sameCount']) continue;
    const reason = reasonFor(d, history);
    if (reason && !reasons.includes(reason)) reasons.push(reason);
  }
  if (history.ambiguous) return { reproducible: 'unknown', reasons };
  return { reproducible: reasons.length > 0 ? 'no' : 'yes', reasons };
}

function reasonFor(d: VerdictInput, history: ExecutionHistory): string | undefined {
  const cell = cellLabel(d.cell);
  const name = typeof d.data['name'] === 'string' ? `\`${d.data['name']}\`` : 'a name';
  switch (d.code) {
    case 'NB000':
      return `${cell} does not parse`;
    case 'NB101': {
      const definedIn = d.data['definedIn'];
      return typeof definedIn === 'number'
        ? `${name} is read in ${cell} before ${cellLabel(definedIn)} defines it`
        : `${name} is read in ${cell} before it is defined`;
    }
    case 'NB102':
      return `${name} is defined in no cell`;
    case 'NB103': {
      const ranAfter = d.data['ranAfter'] as HistoryEntry[] | undefined;
      const ranBefore = d.data['ranBefore'] as HistoryEntry[] | undefined;
      // The most recent run before it names the clearest contradiction.
      const latest = ranAfter?.reduce<HistoryEntry | undefined>((best, e) => (best && best.count > e.count ? best : e), undefined);
      if (latest) return `${cell} ran after ${cellLabel(latest.cell)}`;
      const first = ranBefore?.[0];
      return first ? `${cell} ran before ${cellLabel(first.cell)}` : `${cell} ran out of order`;
    }
    case 'NB104': {
      const [source] = (d.data['dependsOn'] as number[] | undefined) ?? [];
      if (d.data['reason'] === 'transitive') return `${cell} depends on stale outputs`;
      const readFrom = d.data['readFrom'];
      if (typeof readFrom === 'number') return `${cell} read ${name} as ${cellLabel(readFrom)} had set it`;
      return source === undefined ? `${cell} read ${name} from a stale value` : `${cell} read ${name} before ${cellLabel(source)} last ran`;
    }
    case 'NB105':
      return `${cell} never ran`;
    case 'NB107':
      // Running a non-idempotent cell twice changes the state; only missing counts (possible
      // re-runs) make that likely to have happened before the notebook was saved.
      return history.gaps.length > 0 ? `${cell} is not idempotent and may have run more than once` : undefined;
    default:
      return undefined;
  }
}
