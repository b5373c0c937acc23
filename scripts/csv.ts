/**
 * The few lines of RFC 4180 CSV that the corpus harness and the audit files need: fields quoted
 * when they hold a comma, a quote or a line break, quotes doubled. Spreadsheets open these files,
 * and `parseCsv` reads back what they save.
 */

/** One row as a CSV line (no line ending). */
export function csvLine(fields: readonly (string | number)[]): string {
  return fields.map((f) => (/[",\r\n]/.test(String(f)) ? `"${String(f).replace(/"/g, '""')}"` : String(f))).join(',');
}

/** Every row of a CSV text, fields as strings; a quoted field may span lines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Rows as objects keyed by the header row's names. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.filter((r) => r.some((f) => f !== '')).map((r) => Object.fromEntries(header.map((name, i) => [name, r[i] ?? ''])));
}
