// The leakage corpora's harness: pure functions, independent of the engine, shared by the tuning
// corpus (test/core/leakage-corpus.test.ts) and the held-out corpus
// (test/core/leakage-heldout.test.ts). It lives outside the test files so that importing it does
// not register another file's tests.
//
// Matching: a finding matches an expectation when `code` and `cell` are equal and the
// diagnostic's `range.start.line` equals the expected `line`. Each finding matches at most one
// expectation and vice versa; among findings with the same (code, cell, line) the one whose
// source (then model) agrees is preferred. Unmatched findings are false positives, unmatched
// expectations false negatives. precision = TP / (TP + FP), recall = TP / (TP + FN); either is
// null (reported as n/a) when its denominator is 0.

export const RULE_CODES = ['LK201', 'LK202', 'LK203', 'LK204', 'LK205', 'LK206', 'LK207', 'PR301', 'PR302'] as const;
export const PATTERNS = [
  'scaling',
  'imputation',
  'categorical-encoding',
  'discretization',
  'text-vectorization',
  'group-aggregation',
  'dimensionality-reduction',
  'feature-selection',
] as const;

/** One hand-written expectation from expected.json. */
export interface Expectation {
  code: string;
  cell: number;
  line: number;
  /** The estimator's class, or null when the finding names no class (a loop over several, or one nb2prod cannot resolve). */
  model: string | null;
  source: string;
  pattern?: string;
}

/** One finding reported by the engine, reduced to what the corpus compares. */
export interface Observed {
  code: string;
  cell: number;
  line: number;
  model: string | undefined;
  source: string | undefined;
}

export interface Match {
  expected: Expectation;
  found: Observed;
}

export interface FileResult {
  matches: Match[];
  falsePositives: Observed[];
  falseNegatives: Expectation[];
}

/** Matches findings to expectations by (code, cell, line), one-to-one, preferring equal source then model. */
export function matchFile(expected: readonly Expectation[], found: readonly Observed[]): FileResult {
  const unmatched = new Set(found.map((_, i) => i));
  const matches: Match[] = [];
  const falseNegatives: Expectation[] = [];
  for (const exp of expected) {
    let best = -1;
    let bestScore = -1;
    for (const i of unmatched) {
      const f = found[i]!;
      if (f.code !== exp.code || f.cell !== exp.cell || f.line !== exp.line) continue;
      const score = (f.source === exp.source ? 2 : 0) + ((f.model ?? null) === exp.model ? 1 : 0);
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    if (best < 0) falseNegatives.push(exp);
    else {
      unmatched.delete(best);
      matches.push({ expected: exp, found: found[best]! });
    }
  }
  const falsePositives = [...unmatched].sort((a, b) => a - b).map((i) => found[i]!);
  return { matches, falsePositives, falseNegatives };
}

export interface Tally {
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
}

export function tally(tp: number, fp: number, fn: number): Tally {
  return {
    tp,
    fp,
    fn,
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    recall: tp + fn === 0 ? null : tp / (tp + fn),
  };
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

function bump(map: Map<string, Counts>, key: string, field: keyof Counts): void {
  const counts = map.get(key) ?? { tp: 0, fp: 0, fn: 0 };
  counts[field]++;
  map.set(key, counts);
}

export interface Mismatch {
  file: string;
  code: string;
  cell: number;
  line: number;
  field: 'model' | 'source';
  expected: string | null;
  found: string | undefined;
}

export interface CorpusResult {
  overall: Tally;
  perRule: Record<string, Tally>;
  /** FP cannot be attributed to a pattern (findings carry none), so only TP/FN/recall are meaningful. */
  perPattern: Record<string, Tally>;
  perFile: Record<string, Tally>;
  modelMismatches: Mismatch[];
  sourceMismatches: Mismatch[];
  falsePositives: (Observed & { file: string })[];
  falseNegatives: (Expectation & { file: string })[];
}

/** Aggregates per-file results into overall, per-rule and per-pattern tallies. */
export function evaluateCorpus(results: ReadonlyMap<string, FileResult>): CorpusResult {
  const perRule = new Map<string, Counts>(RULE_CODES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }]));
  const perPattern = new Map<string, Counts>(PATTERNS.map((p) => [p, { tp: 0, fp: 0, fn: 0 }]));
  const perFile: Record<string, Tally> = {};
  const modelMismatches: Mismatch[] = [];
  const sourceMismatches: Mismatch[] = [];
  const falsePositives: (Observed & { file: string })[] = [];
  const falseNegatives: (Expectation & { file: string })[] = [];
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [file, r] of results) {
    for (const { expected: e, found: f } of r.matches) {
      bump(perRule, e.code, 'tp');
      if (e.pattern) bump(perPattern, e.pattern, 'tp');
      const where = { file, code: e.code, cell: e.cell, line: e.line };
      if ((f.model ?? null) !== e.model) modelMismatches.push({ ...where, field: 'model', expected: e.model, found: f.model });
      if (f.source !== e.source) sourceMismatches.push({ ...where, field: 'source', expected: e.source, found: f.source });
    }
    for (const f of r.falsePositives) {
      bump(perRule, f.code, 'fp');
      falsePositives.push({ file, ...f });
    }
    for (const e of r.falseNegatives) {
      bump(perRule, e.code, 'fn');
      if (e.pattern) bump(perPattern, e.pattern, 'fn');
      falseNegatives.push({ file, ...e });
    }
    tp += r.matches.length;
    fp += r.falsePositives.length;
    fn += r.falseNegatives.length;
    perFile[file] = tally(r.matches.length, r.falsePositives.length, r.falseNegatives.length);
  }
  const toRecord = (m: Map<string, Counts>): Record<string, Tally> => Object.fromEntries([...m].map(([k, c]) => [k, tally(c.tp, c.fp, c.fn)]));
  return {
    overall: tally(tp, fp, fn),
    perRule: toRecord(perRule),
    perPattern: toRecord(perPattern),
    perFile,
    modelMismatches,
    sourceMismatches,
    falsePositives,
    falseNegatives,
  };
}

/** A ratio as a percentage with one decimal, `n/a` when undefined. */
export function pct(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`;
}

/** A fixed-width text table of one tally per row. */
export function formatTable(title: string, rows: Record<string, Tally>, showFp = true): string {
  const width = Math.max(title.length, ...Object.keys(rows).map((k) => k.length));
  const head = `${title.padEnd(width)}  ${'TP'.padStart(4)} ${'FP'.padStart(4)} ${'FN'.padStart(4)}  ${'precision'.padStart(9)} ${'recall'.padStart(7)}`;
  const lines = [head, '-'.repeat(head.length)];
  for (const [name, t] of Object.entries(rows)) {
    lines.push(
      `${name.padEnd(width)}  ${String(t.tp).padStart(4)} ${(showFp ? String(t.fp) : '-').padStart(4)} ${String(t.fn).padStart(4)}  ` +
        `${(showFp ? pct(t.precision) : '-').padStart(9)} ${pct(t.recall).padStart(7)}`,
    );
  }
  return lines.join('\n');
}
