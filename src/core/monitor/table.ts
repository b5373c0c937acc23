/**
 * Streaming reader of a batch file (.csv with a header row, or .jsonl with one object per line):
 * node:readline hands over one line at a time and rows leave in small chunks, so a file of any
 * size is read in one pass with memory bounded by the chunk, never loaded whole.
 *
 * A JSONL line that holds an `inputs` object (a prediction-log line, docs/monitoring.md) gives
 * its features from `inputs` and its predictions from `outputs`, so the prediction log itself
 * can be checked for drift.
 */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** Pseudo column holding a JSONL line's `outputs` object (prediction-log lines). */
export const OUTPUTS_COLUMN = '\u0000outputs';

/** What the reader learnt about the file while reading it. */
export interface TableInfo {
  format: 'csv' | 'jsonl';
  /** Requested columns that occurred at least once (CSV: in the header). */
  found: Set<string>;
  /** Data lines read (CSV header excluded). */
  rows: number;
  /** Lines that could not be parsed (JSONL) or had the wrong number of cells (CSV); skipped. */
  badLines: number;
  /** The first bad line, for the message. */
  firstBad: string | null;
}

/** The file cannot be read as a batch at all. */
export class TableError extends Error {}

/** The format a path is read in, from its extension; null when unsupported. */
export function tableFormat(path: string): 'csv' | 'jsonl' | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return null;
}

/**
 * Reads `columns` of every row: yields chunks of rows, each row an array aligned with
 * `columns` (undefined where a row has no such column). `info` is filled in as reading goes.
 */
export async function* readTable(path: string, columns: readonly string[], info: TableInfo, chunkSize = 1024): AsyncGenerator<unknown[][]> {
  const format = tableFormat(path);
  if (format === null) throw new TableError(`${path}: expected a .csv or .jsonl file`);
  info.format = format;
  try {
    if (!statSync(path).isFile()) throw new TableError(`${path}: not a file`);
  } catch (error) {
    if (error instanceof TableError) throw error;
    throw new TableError(`${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const lines = lineStream(path);
  let chunk: unknown[][] = [];
  if (format === 'jsonl') {
    for await (const batch of lines)
      for (const line of batch) {
        if (line.trim() === '') continue;
        const row = jsonRow(line, columns, info);
        if (row === null) continue;
        chunk.push(row);
        if (chunk.length >= chunkSize) {
          yield chunk;
          chunk = [];
        }
      }
  } else {
    let header: string[] | null = null;
    let index: number[] = [];
    let pending = '';
    for await (const batch of lines)
      for (const raw of batch) {
        // A quoted cell may hold line breaks: keep joining lines while a quote is open.
        const line = pending === '' ? raw : `${pending}\n${raw}`;
        if (quotesOpen(line)) {
          pending = line;
          continue;
        }
        pending = '';
        if (header === null) {
          if (line.trim() === '') continue;
          header = splitCsv(line.replace(/^\uFEFF/, '')).map((h) => h.trim());
          index = columns.map((c) => header!.indexOf(c));
          columns.forEach((c, i) => index[i]! >= 0 && info.found.add(c));
          continue;
        }
        if (line === '') continue;
        const cells = splitCsv(line);
        info.rows++;
        if (cells.length !== header.length) {
          info.badLines++;
          info.firstBad ??= `line ${info.rows + 1}: ${cells.length} cells, the header has ${header.length}`;
          continue;
        }
        const row = new Array<unknown>(index.length);
        for (let i = 0; i < index.length; i++) row[i] = index[i]! >= 0 ? cells[index[i]!] : undefined;
        chunk.push(row);
        if (chunk.length >= chunkSize) {
          yield chunk;
          chunk = [];
        }
      }
    if (header === null) throw new TableError(`${path}: empty file (a CSV batch needs a header row)`);
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * The file's lines from node:readline 'line' events, handed out in batches.
 * (`for await` over the readline interface itself costs about a microsecond per line, half of
 * the whole drift pass on wide files; 'line' events into a small queue do not.) The input is
 * paused while a few batches wait, so memory stays bounded by those batches and one read buffer.
 */
async function* lineStream(path: string, batchSize = 2048): AsyncGenerator<string[]> {
  const input = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const reader = createInterface({ input, crlfDelay: Infinity });
  const ready: string[][] = [];
  let batch: string[] = [];
  let done = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  reader.on('line', (line) => {
    batch.push(line);
    if (batch.length >= batchSize) {
      ready.push(batch);
      batch = [];
      if (ready.length >= 4) reader.pause();
      notify();
    }
  });
  reader.on('close', () => {
    if (batch.length > 0) ready.push(batch);
    done = true;
    notify();
  });
  input.on('error', (error) => {
    failure = error;
    done = true;
    notify();
  });
  try {
    for (;;) {
      const next = ready.shift();
      if (next !== undefined) {
        if (ready.length < 2) reader.resume();
        yield next;
        continue;
      }
      if (failure !== null) throw failure;
      if (done) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    reader.close();
    input.destroy();
  }
}

function jsonRow(line: string, columns: readonly string[], info: TableInfo): unknown[] | null {
  info.rows++;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    info.badLines++;
    info.firstBad ??= `line ${info.rows}: not a JSON object`;
    return null;
  }
  const object = value as Record<string, unknown>;
  const inputs = object['inputs'];
  const source = inputs !== null && typeof inputs === 'object' && !Array.isArray(inputs) ? (inputs as Record<string, unknown>) : object;
  const row = new Array<unknown>(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    // Features come from `inputs` when there is one; other fields (prediction_id, timestamp) from the line.
    const cell = column === OUTPUTS_COLUMN ? object['outputs'] : column in source ? source[column] : object[column];
    if (cell !== undefined) info.found.add(column);
    row[i] = cell;
  }
  return row;
}

function quotesOpen(line: string): boolean {
  let open = false;
  for (let i = line.indexOf('"'); i >= 0; i = line.indexOf('"', i + 1)) open = !open;
  return open;
}

/** Splits one CSV record (RFC 4180 quoting: "a,b" and "" for a quote inside quotes). */
export function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/** A fresh info record. */
export function newTableInfo(): TableInfo {
  return { format: 'csv', found: new Set(), rows: 0, badLines: 0, firstBad: null };
}
