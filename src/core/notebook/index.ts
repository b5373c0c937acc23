/** The notebook model and its readers: the only entry point other modules need. */
export type { Cell, CellKind, CellOrigin, KernelInfo, Notebook, NotebookFormat, SourceSegment } from './model';
export { NotebookError } from './errors';
export { parseIpynb } from './ipynb';
export { parsePyNotebook, isPercentFormat } from './percent';
export { isAutomagic, maskMagics, type Magic, type MagicDefinition, type MaskedCell } from './magics';
export { cellToFile, escapedLength, lineStarts, offsetAt, positionAt } from './positions';
export {
  decodeText,
  findNotebookFiles,
  loadNotebookFile,
  MAX_NOTEBOOK_BYTES,
  parseNotebookText,
  type FoundNotebookFiles,
} from './load';
