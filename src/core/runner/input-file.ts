/**
 * Prediction input files: `.json` (an array of row objects, or one object), `.jsonl` (one
 * object per line) or `.csv` (a header row; numeric columns of the signature parsed as
 * numbers, empty cells as null). Anything unreadable is an InputFileError: exit code 2.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Manifest } from '../artifacts/manifest';
import { isNumericInput } from './validate';

/** The input file cannot be used at all (as opposed to single rows being invalid). */
export class InputFileError extends Error {}

/** Reads the rows of a prediction input file. */
export async function readRowsFile(path: string, manifest: Manifest): Promise<unknown[]> {
  let textValue: string;
  try {
    textValue = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputFileError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return parseRows(textValue, extname(path).toLowerCase(), manifest, path);
}

/** Parses rows from text; `kind` is `.json`, `.jsonl` or `.csv`. */
export function parseRows(textValue: string, kind: string, manifest: Manifest, name = 'input'): unknown[] {
  if (kind === '.csv') return csvRows(textValue, manifest, name);
  if (kind === '.jsonl' || kind === '.ndjson') {
    return textValue.split('\n').flatMap((line, i) => {
      if (line.trim() === '') return [];
      try {
        return [JSON.parse(line) as unknown];
      } catch (error) {
        throw new InputFileError(`${name} line ${i + 1} is not JSON: ${(error as Error).message}`);
      }
    });
  }
  if (kind === '.json') {
    let value: unknown;
    try {
      value = JSON.parse(textValue);
    } catch (error) {
      throw new InputFileError(`${name} is not JSON: ${(error as Error).message}`);
    }
    if (Array.isArray(value)) return value;
    if (value !== null && typeof value === 'object') return [value];
    throw new InputFileError(`${name} must hold an array of row objects`);
  }
  throw new InputFileError(`${name}: unknown input format \`${kind || '(none)'}\` (expected .json, .jsonl or .csv)`);
}

function csvRows(textValue: string, manifest: Manifest, name: string): unknown[] {
  const records = parseCsv(textValue, name);
  const header = records.shift();
  if (!header || header.length === 0 || (header.length === 1 && header[0] === '')) throw new InputFileError(`${name} has no header row`);
  const numeric = new Set(manifest.signature.inputs.filter(isNumericInput).map((i) => i.name));
  return records
    .filter((r) => !(r.length === 1 && r[0] === ''))
    .map((record, i) => {
      if (record.length !== header.length) throw new InputFileError(`${name} row ${i + 1} has ${record.length} cells, the header has ${header.length}`);
      const row: Record<string, string | number | null> = {};
      header.forEach((column, c) => {
        const cell = record[c]!;
        if (cell === '' || (numeric.has(column) && /^nan$/i.test(cell))) row[column] = null;
        else if (numeric.has(column) && cell.trim() !== '' && Number.isFinite(Number(cell))) row[column] = Number(cell);
        else row[column] = cell; // a non-number in a numeric column stays a string: validation names it
      });
      return row;
    });
}

/** RFC 4180 records: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(textValue: string, name = 'input'): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const s = textValue.charCodeAt(0) === 0xfeff ? textValue.slice(1) : textValue;
  while (i < s.length) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') {
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
      continue;
    }
    if (ch === ',') {
      record.push(field);
      field = '';
      i++;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += ch === '\r' && s[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += ch;
    i++;
  }
  if (quoted) throw new InputFileError(`${name}: a quoted CSV field is never closed`);
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
