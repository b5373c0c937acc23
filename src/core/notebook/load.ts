/**
 * Reading notebooks from disk: picking the format by extension, refusing what is not UTF-8
 * text, and expanding folders into the notebook files they hold.
 */
import { opendir, readFile, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Notebook } from './model';
import { NotebookError } from './errors';
import { parseIpynb } from './ipynb';
import { parsePyNotebook } from './percent';

/** Files larger than this are refused rather than read into memory. */
export const MAX_NOTEBOOK_BYTES = 200 * 1024 * 1024;

const NOTEBOOK_EXTENSIONS = new Set(['.ipynb', '.py']);

/** Folders never searched: tooling, environments and Jupyter's own checkpoint copies. */
const SKIPPED_DIRS = new Set(['node_modules', '__pycache__', 'venv', '.venv', '.git', '.ipynb_checkpoints']);

/** Parses a notebook's text, picking the format from the path's extension (`.ipynb` or `.py`). */
export function parseNotebookText(path: string, text: string): Notebook {
  const extension = extname(path).toLowerCase();
  if (extension === '.ipynb') return parseIpynb(path, text);
  if (extension === '.py') return parsePyNotebook(path, text);
  throw new NotebookError(path, `unsupported file type "${extension || '(none)'}", expected .ipynb or .py`);
}

/**
 * Reads and parses a notebook file. Every failure (missing file, too large, binary, not UTF-8,
 * invalid notebook) is a one-line NotebookError.
 */
export async function loadNotebookFile(path: string): Promise<Notebook> {
  const extension = extname(path).toLowerCase();
  if (!NOTEBOOK_EXTENSIONS.has(extension)) {
    throw new NotebookError(path, `unsupported file type "${extension || '(none)'}", expected .ipynb or .py`);
  }
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new NotebookError(path, 'not a regular file');
    if (info.size > MAX_NOTEBOOK_BYTES) {
      throw new NotebookError(path, `file is too large (${megabytes(info.size)} MB, the limit is ${megabytes(MAX_NOTEBOOK_BYTES)} MB)`);
    }
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof NotebookError) throw error;
    throw new NotebookError(path, `cannot read file (${systemReason(error)})`);
  }
  return parseNotebookText(path, decodeText(path, bytes));
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(0);
}

/** `ENOENT: no such file or directory` without the path repeated and without a stack. */
function systemReason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

/**
 * Decodes UTF-8 strictly. NUL bytes never occur in notebooks or Python sources, so they mark
 * binary files (and UTF-16 text, which Jupyter never writes); invalid UTF-8 is refused rather
 * than silently replaced, since replacement would shift every column after it.
 */
export function decodeText(path: string, bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  if (nul !== -1) throw new NotebookError(path, 'binary file (NUL byte), expected UTF-8 text', `byte ${nul}`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new NotebookError(path, 'not valid UTF-8 text', `byte ${firstInvalidUtf8(bytes)}`);
  }
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // Binary search on prefixes would split sequences; a linear walk over lead bytes is exact.
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    try {
      decoder.decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return bytes.length;
}

/** The result of expanding paths: notebook files to read and paths that could not be searched. */
export interface FoundNotebookFiles {
  /** `.ipynb` and `.py` files, sorted and without duplicates. */
  files: string[];
  /** Paths that do not exist or could not be read, each with a one-line reason. */
  errors: { path: string; message: string }[];
}

/**
 * Expands files and folders into notebook files. Folders are searched recursively for `.ipynb`
 * and `.py` files, skipping hidden folders, `node_modules`, `__pycache__`, virtual environments
 * and `.ipynb_checkpoints`. Symlinked folders are followed once (a loop is cut where it closes).
 * Files named explicitly are kept whatever their extension, so that the reader reports why
 * they cannot be read. Folders are read one at a time, so thousands of files never mean
 * thousands of open handles.
 */
export async function findNotebookFiles(paths: string[], exclude?: ExcludeRule): Promise<FoundNotebookFiles> {
  const files = new Set<string>();
  const errors: { path: string; message: string }[] = [];
  const visited = new Set<string>();
  for (const path of paths) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (error) {
      errors.push({ path, message: new NotebookError(path, systemReason(error)).message });
      continue;
    }
    if (info.isDirectory()) await walk(path, files, errors, visited, exclude);
    else if (exclude?.(path) !== true) files.add(path);
  }
  return { files: [...files].sort(), errors };
}

/**
 * A project's exclusions: true or false for a path it governs, undefined for one no project
 * configuration governs (the default folders are skipped then). Explicit files are asked too.
 */
export type ExcludeRule = (path: string) => boolean | undefined;

async function walk(root: string, files: Set<string>, errors: FoundNotebookFiles['errors'], visited: Set<string>, exclude?: ExcludeRule): Promise<void> {
  const pending = [root];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    try {
      const real = await realpath(dir);
      if (visited.has(real)) continue;
      visited.add(real);
      for await (const entry of await opendir(dir)) {
        const full = join(dir, entry.name);
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          // A dangling link is not worth an error: it is not a notebook the user asked for.
          const target = await stat(full).catch(() => undefined);
          isDir = target?.isDirectory() ?? false;
          isFile = target?.isFile() ?? false;
        }
        const excluded = exclude?.(full) ?? (isDir && (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)));
        if (excluded) continue;
        if (isDir) pending.push(full);
        else if (isFile && NOTEBOOK_EXTENSIONS.has(extname(entry.name).toLowerCase())) files.add(full);
      }
    } catch (error) {
      errors.push({ path: dir, message: new NotebookError(dir, `cannot read folder (${systemReason(error)})`).message });
    }
  }
}
