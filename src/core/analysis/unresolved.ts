/**
 * Reads that a fresh kernel running the notebook top to bottom cannot satisfy: the shared
 * ground of NB101 (defined, but only later) and NB102 (defined nowhere).
 */
import { isBuiltinName } from '../python/builtins';
import type { AnalysedNotebook } from './analysed-notebook';
import type { GlobalDefinition, GlobalUse } from './graph';
import { providedByKernel } from './kernel-names';
import { loopCarried, readOnFirstIteration } from './loops';
import { perAnalysis } from './memo';
import { offsetAt } from '../notebook/positions';

export interface UnresolvedRead {
  /** The first such read of the name in its cell. */
  use: GlobalUse;
  /** The first definition after the read, when there is one (NB101); undefined for NB102. */
  laterDefinition?: GlobalDefinition;
}

/**
 * Every name read at cell run time with no definition bound before it, once per name and
 * cell (computed once per analysis: NB101 and NB102 both ask), plus reads inside functions of names defined nowhere. Names that a star import or
 * `%run` in an earlier (or the same) cell may define are left out: we cannot know them. So are
 * names the kernel provides (`%pylab`'s, PySpark's `spark`, a script's `__file__`).
 */
export const unresolvedReads = perAnalysis((analysed: AnalysedNotebook): UnresolvedRead[] => {
  const { definitions, uses, wildcardCells, documentDefinitions } = analysed.graph;
  const firstWildcard = wildcardCells[0] ?? Number.POSITIVE_INFINITY;
  // In a cell that does not parse, the parser's recovery can turn a broken `def f(x)` into
  // plain reads of `f` and `x`; NB000 already says the cell is broken, so its reads wait.
  // A cell whose saved output is Python failing to compile it never ran as saved: its "reads" (the
  // letters of a regular expression tree-sitter accepts) are not reads either.
  const broken = new Set(
    analysed.cells.filter((c) => (c.facts?.syntaxErrors.length ?? 0) > 0 || c.cell.savedSyntaxError !== undefined).map((c) => c.cell.index),
  );
  // Uses come in document order, so "once per name and cell" needs the names of one cell only.
  let reportedCell = -1;
  const reported = new Set<string>();
  const found: UnresolvedRead[] = [];
  for (let i = 0; i < uses.length; i++) {
    const use = uses[i]!;
    if (use.cell >= firstWildcard) break;
    // Seen top to bottom (the graph found the definition): resolved.
    if (documentDefinitions[i] !== undefined) continue;
    if (isBuiltinName(use.name) || broken.has(use.cell) || providedByKernel(analysed, use)) continue;
    if (use.cell !== reportedCell) {
      reportedCell = use.cell;
      reported.clear();
    }
    const key = use.name;
    if (reported.has(key)) continue;
    const all = definitions.get(use.name);
    if (use.deferred) {
      // A function body runs only when called, so any definition anywhere may satisfy it.
      if (all === undefined && wildcardCells.length === 0) {
        reported.add(key);
        found.push({ use });
      }
      continue;
    }
    const laterDefinition = all?.find((d) => d.cell > use.cell || (d.cell === use.cell && d.bindOffset > use.offset));
    // `else: pred = pred + y` in a loop whose first iteration binds `pred`: bound by then. A read
    // that runs on the first iteration before the loop binds the name is not.
    const cell = analysed.cells[use.cell];
    if (cell?.python && cell.facts && loopCarried(cell.python, cell.facts, use.name, use.offset)) {
      const firstPass = laterDefinition?.cell === use.cell && readOnFirstIteration(cell.python, use.offset, offsetAt(cell.python, laterDefinition.range.start));
      if (!firstPass) continue;
    }
    if (laterDefinition === undefined && wildcardCells.length > 0) continue;
    reported.add(key);
    found.push(laterDefinition ? { use, laterDefinition } : { use });
  }
  return found;
});
