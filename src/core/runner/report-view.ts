/**
 * What the prediction panel shows of a report. A CSV of 200,000 rows makes a report of tens of
 * megabytes: too much to post to a webview and to lay out as one table. The panel gets the counts
 * over every row, the first rows in full, and the later rows that have findings (what a user
 * scrolls a long table for); `nb2prod predict --format json` writes every row.
 */
import type { RowResult } from './predict';

/** Rows shown in order from the first, and at most as many later rows with findings. */
export const VIEW_ROWS = 1000;

/** The rows a panel shows, and what they stand for. */
export interface ReportView {
  /** Counts over every row of the report. */
  counts: { rows: number; predicted: number; rejected: number; warned: number };
  /** The first `limit` rows, then later rows with findings (up to `limit` of them), in row order. */
  rows: RowResult[];
  /** How many of the first rows are shown in order (the rest of `rows` are later rows with findings). */
  first: number;
  /** Rows not shown. */
  hidden: number;
}

/** The view of a report's rows for a panel. */
export function reportView(rows: readonly RowResult[], limit = VIEW_ROWS): ReportView {
  const counts = { rows: rows.length, predicted: 0, rejected: 0, warned: 0 };
  const shown: RowResult[] = [];
  let later = 0;
  rows.forEach((row, i) => {
    if (row.status === 'rejected') counts.rejected++;
    else counts.predicted++;
    if (row.status === 'warning') counts.warned++;
    if (i < limit) shown.push(row);
    else if (row.status !== 'ok' && later < limit) {
      shown.push(row);
      later++;
    }
  });
  return { counts, rows: shown, first: Math.min(limit, rows.length), hidden: rows.length - shown.length };
}
