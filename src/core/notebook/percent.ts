/**
 * Reads `.py` files: percent-format scripts (`# %%` cells, as jupytext, VS Code and Spyder
 * write them, and `# In[3]:` cells as `jupyter nbconvert --to script` writes them), and plain
 * scripts without markers as one code cell.
 */
import type { Cell, CellKind, Notebook } from './model';

/** `# %%`, `#%%`, with an optional `[markdown]`/`[md]`/`[raw]` type and a title or options. */
const PERCENT_MARKER = /^#\s?%%(?!%)(.*)$/;
/** `# In[ ]:` / `# In[12]:` as nbconvert's script exporter writes them. */
const IN_MARKER = /^#\s?In\[\s*(\d*)\s*\]:\s*$/;

interface Line {
  /** Offset of the line's first character in the file. */
  start: number;
  /** Offset after the line's text, before its break. */
  end: number;
  text: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = breaks.exec(text); m; m = breaks.exec(text)) {
    lines.push({ start, end: m.index, text: text.slice(start, m.index) });
    start = m.index + m[0].length;
  }
  lines.push({ start, end: text.length, text: text.slice(start) });
  return lines;
}

interface Marker {
  kind: CellKind;
  executionCount: number | null;
}

function marker(line: string): Marker | undefined {
  const percent = PERCENT_MARKER.exec(line);
  if (percent) {
    const rest = percent[1] ?? '';
    // A cell type is a bracketed word right after the marker: `# %% [markdown] Title`.
    const type = /^\s*\[(\w+)\]/.exec(rest)?.[1]?.toLowerCase();
    const kind: CellKind = type === 'markdown' || type === 'md' ? 'markdown' : type === 'raw' ? 'raw' : 'code';
    return { kind, executionCount: null };
  }
  const inMarker = IN_MARKER.exec(line);
  if (inMarker) {
    const count = inMarker[1] ?? '';
    return { kind: 'code', executionCount: count === '' ? null : Number(count) };
  }
  return undefined;
}

/** Whether a `.py` text has percent-format cell markers. */
export function isPercentFormat(text: string): boolean {
  return splitLines(text).some((line) => marker(line.text) !== undefined);
}

/**
 * Parses a `.py` file: percent format when it has markers, otherwise one code cell holding the
 * whole text unchanged (format `script`).
 *
 * Percent cells exclude the marker line, and leading and trailing blank lines are dropped
 * (writers put blank lines around markers; they are layout, not cell content), so
 * `origin.firstLine` is the file line of the first non-blank line. Markdown cells lose the
 * `# ` comment prefix of each line, recorded in `origin.columnShift`. Text before the first
 * marker becomes a code cell when it is not blank.
 */
export function parsePyNotebook(path: string, text: string): Notebook {
  const lines = splitLines(text);
  if (!lines.some((line) => marker(line.text))) {
    const cell: Cell = { index: 0, kind: 'code', source: text, executionCount: null, outputCount: 0, origin: { firstLine: 0 } };
    return { path, format: 'script', language: 'python', cells: [cell] };
  }
  const cells: Cell[] = [];
  let current: Marker = { kind: 'code', executionCount: null };
  let bodyStart = 0;
  let preamble = true;
  const flush = (bodyEnd: number): void => {
    const cell = buildCell(text, lines, bodyStart, bodyEnd, current, cells.length, preamble);
    if (cell) cells.push(cell);
    preamble = false;
  };
  lines.forEach((line, i) => {
    const found = marker(line.text);
    if (!found) return;
    flush(i);
    current = found;
    bodyStart = i + 1;
  });
  flush(lines.length);
  return { path, format: 'percent', language: 'python', cells };
}

/** The cell made of lines [from, to), or undefined when they are all blank before the first marker. */
function buildCell(text: string, lines: Line[], from: number, to: number, head: Marker, index: number, preamble: boolean): Cell | undefined {
  const isBlank = (i: number): boolean => (lines[i]?.text.trim() ?? '') === '';
  let first = from;
  let last = to - 1;
  while (first <= last && isBlank(first)) first++;
  while (last >= first && isBlank(last)) last--;
  if (first > last && preamble) return undefined;
  if (first > last) {
    // An empty cell still exists in the notebook; it starts on the line after its marker.
    return { index, kind: head.kind, source: '', executionCount: head.executionCount, outputCount: 0, origin: { firstLine: from } };
  }
  const firstLine = lines[first] as Line;
  const lastLine = lines[last] as Line;
  const cell: Cell = {
    index,
    kind: head.kind,
    source: text.slice(firstLine.start, lastLine.end),
    executionCount: head.executionCount,
    outputCount: 0,
    origin: { firstLine: first },
  };
  if (head.kind === 'markdown') {
    const shifts: number[] = [];
    let source = '';
    for (let i = first; i <= last; i++) {
      const line = lines[i] as Line;
      const shift = /^# /.test(line.text) ? 2 : line.text.startsWith('#') ? 1 : 0;
      shifts.push(shift);
      // Keep the original line break between lines.
      const lineBreak = i < last ? text.slice(line.end, (lines[i + 1] as Line).start) : '';
      source += line.text.slice(shift) + lineBreak;
    }
    cell.source = source;
    cell.origin = { firstLine: first, columnShift: shifts };
  }
  return cell;
}
