/**
 * zod schemas for nbformat 4.0–4.5 notebooks, checked at compile time against
 * @jupyterlab/nbformat's types (type-only import: nothing of @jupyterlab is bundled).
 *
 * The schemas follow nbformat's JSON schema where it matters for analysis (cell types, source,
 * outputs, execution counts) and are lenient where real notebooks vary: metadata of any shape
 * (JupyterLab, VS Code and Colab all add their own keys), unknown extra keys on cells, and a
 * missing `metadata`, `outputs` or `execution_count` (defaulted to `{}`, `[]`, `null`).
 */
import { z } from 'zod';
import type * as nbformat from '@jupyterlab/nbformat';

/** A JSON object of any shape, typed as the nbformat metadata type `T` it stands for. */
function looseObject<T>() {
  return z.custom<T>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
    error: 'expected an object',
  });
}

const multilineString = z.union([z.string(), z.array(z.string())], {
  error: 'expected string or array of strings',
});

/**
 * Execution counts: Jupyter writes a non-negative integer or null. Some tools write the count
 * as a string (`"3"`); a string of digits is coerced to its number because that is what the
 * writer meant, and an empty string means "never ran" (null). Anything else is an error.
 */
const executionCount = z.preprocess(
  (value) => {
    if (value === undefined) return null;
    if (typeof value === 'string') {
      const trimmed = value.trim();
      if (trimmed === '') return null;
      if (/^\d+$/.test(trimmed)) return Number(trimmed);
    }
    return value;
  },
  z.union([z.number().int().nonnegative(), z.null()], { error: 'expected integer or null' }),
);

const mimeBundle = looseObject<nbformat.IMimeBundle>();
const outputMetadata = looseObject<nbformat.OutputMetadata>().default({});

const executeResult = z.object({
  output_type: z.literal('execute_result'),
  execution_count: executionCount,
  data: mimeBundle,
  metadata: outputMetadata,
});

const displayData = z.object({
  output_type: z.literal('display_data'),
  data: mimeBundle,
  metadata: outputMetadata,
});

const stream = z.object({
  output_type: z.literal('stream'),
  name: z.enum(['stdout', 'stderr']),
  text: multilineString,
});

const errorOutput = z.object({
  output_type: z.literal('error'),
  ename: z.string(),
  evalue: z.string(),
  traceback: z.array(z.string()),
});

const output = z.discriminatedUnion('output_type', [executeResult, displayData, stream, errorOutput]);

const attachments = looseObject<nbformat.IAttachments>().optional();

/**
 * The fields every cell has. `id` is required from 4.5 on, but older writers omit it. Some
 * exporters (Kaggle kernels) write an empty cell's `source` as `null`: that is read as an
 * empty cell rather than rejecting the whole notebook.
 */
const baseCell = {
  id: z.string().optional(),
  source: z.preprocess((value) => (value === null ? '' : value), multilineString),
};

const codeCell = z.object({
  ...baseCell,
  cell_type: z.literal('code'),
  metadata: looseObject<Partial<nbformat.ICodeCellMetadata>>().default({}),
  outputs: z.array(output).default([]),
  execution_count: executionCount,
});

const markdownCell = z.object({
  ...baseCell,
  cell_type: z.literal('markdown'),
  metadata: looseObject<Partial<nbformat.IBaseCellMetadata>>().default({}),
  attachments,
});

const rawCell = z.object({
  ...baseCell,
  cell_type: z.literal('raw'),
  metadata: looseObject<Partial<nbformat.IRawCellMetadata>>().default({}),
  attachments,
});

/** One cell of an nbformat 4 notebook. */
export const cellSchema = z.discriminatedUnion('cell_type', [codeCell, markdownCell, rawCell]);

/** An nbformat 4 notebook; the version itself is checked before this schema runs. */
export const notebookSchema = z.object({
  nbformat: z.literal(4),
  nbformat_minor: z.number().int().nonnegative(),
  metadata: looseObject<nbformat.INotebookMetadata>().default({}),
  cells: z.array(cellSchema),
});

/** A validated notebook. */
export type NotebookContent = z.infer<typeof notebookSchema>;
/** A validated cell. */
export type CellContent = z.infer<typeof cellSchema>;

// Compile-time proof that what the schemas accept is what @jupyterlab/nbformat describes: if
// either side changes incompatibly, `tsc` fails here rather than a reader downstream.
type Assert<T extends true> = T;
type Extends<A, B> = [A] extends [B] ? true : false;
export type SchemaMatchesNbformat = [
  Assert<Extends<z.infer<typeof notebookSchema>, nbformat.INotebookContent>>,
  Assert<Extends<z.infer<typeof codeCell>, nbformat.ICodeCell>>,
  Assert<Extends<z.infer<typeof markdownCell>, nbformat.IMarkdownCell>>,
  Assert<Extends<z.infer<typeof rawCell>, nbformat.IRawCell>>,
  Assert<Extends<z.infer<typeof executeResult>, nbformat.IExecuteResult>>,
  Assert<Extends<z.infer<typeof displayData>, nbformat.IDisplayData>>,
  Assert<Extends<z.infer<typeof stream>, nbformat.IStream>>,
  Assert<Extends<z.infer<typeof errorOutput>, nbformat.IError>>,
  Assert<Extends<z.infer<typeof output>, nbformat.IOutput>>,
];
