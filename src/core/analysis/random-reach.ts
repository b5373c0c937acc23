/**
 * Whether random numbers matter for reproducibility (NB111). Unseeded draws matter when they
 * can reach a split, a model or a sample that training uses; they do not when the notebook
 * trains nothing (a NumPy tutorial) or when the drawn values only feed plots and displays
 * (`plt.scatter(np.random.rand(50), ...)`, `df.sample(5)` shown as a cell's result).
 *
 * The criterion reads the def-use graph, a guess from syntax alone:
 * - A draw is display-only when every path its value takes ends in a display call: it is an
 *   argument (at any depth) of a plotting or printing call; or it is a statement of its own
 *   whose value is shown or dropped; or it is assigned to names whose every read, eager or in a
 *   function, is display-only in turn (followed through plain assignments, three steps deep).
 *   In-place shuffles (`np.random.shuffle(x)`) change `x` and are never display-only.
 * - A notebook trains when some call fits, trains or steps a model (`fit`, `fit_transform`,
 *   `partial_fit`, `fit_generator`, `train`, `backward`, `step`) or splits data.
 */
import type { Range } from '../diagnostic';
import { offsetAt } from '../notebook/positions';
import type { Call } from '../python/facts';
import type { AnalysedNotebook } from './analysed-notebook';
import { lookupQualified } from './libraries';
import { perAnalysis } from './memo';
import { nameResolver } from './qualified-names';

/** Methods that learn from data (or take an optimisation step). */
const TRAINING_METHODS: ReadonlySet<string> = new Set(['fit', 'fit_transform', 'fit_resample', 'partial_fit', 'fit_generator', 'train', 'backward', 'step']);

/** Function roles in the library tables that split data, cross-validate or train a model. */
const TRAINING_ROLES: ReadonlySet<string> = new Set(['split', 'positional-split', 'cross-validation', 'train']);

function trainsByTable(qualified: string): boolean {
  const entry = lookupQualified(qualified);
  return entry?.kind === 'function' && TRAINING_ROLES.has(entry.role.role);
}

/** Libraries whose calls only draw or show. */
const DISPLAY_MODULES = /^(?:matplotlib|seaborn|plotly|bokeh|altair|IPython\.display)(?:\.|$)/;

/** Methods that draw on a figure or axes, or show a value. */
const DISPLAY_METHODS: ReadonlySet<string> = new Set([
  'plot',
  'scatter',
  'hist',
  'hist2d',
  'bar',
  'barh',
  'imshow',
  'matshow',
  'boxplot',
  'violinplot',
  'contour',
  'contourf',
  'pcolormesh',
  'fill_between',
  'errorbar',
  'text',
  'annotate',
  'hexbin',
  'pie',
  'stem',
  'step',
  'quiver',
  'plot_surface',
  'plot_wireframe',
  'scatter3D',
  'plot3D',
  'axhline',
  'axvline',
  'head',
  'tail',
  'describe',
  'show',
]);

/** Builtins that show a value. */
const DISPLAY_BUILTINS: ReadonlySet<string> = new Set(['print', 'display']);

/** Draws that change their argument in place. */
const IN_PLACE = /(?:^|\.)shuffle$/;

/** Whether some call in the notebook trains a model or splits data (computed once per notebook). */
export const notebookTrains = perAnalysis((analysed: AnalysedNotebook): boolean => {
  const resolver = nameResolver(analysed);
  return analysed.cells.some(({ cell, python, facts }) =>
    (facts?.calls ?? []).some((call) => {
      if (call.method !== undefined && call.callee !== call.method && TRAINING_METHODS.has(call.method)) return true;
      const qualified = python === null ? undefined : resolver.callee(call, cell.index, python);
      return qualified !== undefined && trainsByTable(qualified);
    }),
  );
});

/** Whether the value a call draws only ever reaches plots and displays (see the module comment). */
export function displayOnly(analysed: AnalysedNotebook, cell: number, call: Call, qualified: string | undefined): boolean {
  if (IN_PLACE.test(qualified ?? call.callee)) return false;
  return new Reach(analysed).callDisplayOnly(cell, call, 0);
}

class Reach {
  private readonly resolver;

  constructor(private readonly analysed: AnalysedNotebook) {
    this.resolver = nameResolver(analysed);
  }

  /** A call's value: shown by an enclosing display call, dropped, or bound to display-only names. */
  callDisplayOnly(cell: number, call: Call, depth: number): boolean {
    const calls = this.analysed.cells[cell]?.facts?.calls ?? [];
    const enclosing = calls.filter((c) => c !== call && contains(c.range, call.range));
    if (enclosing.some((c) => this.isDisplay(cell, c))) return true;
    if (enclosing.length > 0) {
      const outermost = outermostOf(enclosing);
      return outermost.assignedTo.length > 0 ? this.namesDisplayOnly(cell, outermost, depth) : this.standsAlone(cell, outermost);
    }
    return call.assignedTo.length > 0 ? this.namesDisplayOnly(cell, call, depth) : this.standsAlone(cell, call);
  }

  private isDisplay(cell: number, call: Call): boolean {
    const python = this.analysed.cells[cell]?.python ?? '';
    const qualified = this.resolver.callee(call, cell, python);
    if (qualified !== undefined) return DISPLAY_MODULES.test(qualified);
    if (call.callee === call.method) return DISPLAY_BUILTINS.has(call.callee);
    return call.method !== undefined && DISPLAY_METHODS.has(call.method);
  }

  /** A call that is a whole module-level statement: its value is shown (last line) or dropped. */
  private standsAlone(cell: number, call: Call): boolean {
    if (call.deferred || call.range.start.character !== 0) return false;
    const python = this.analysed.cells[cell]?.python ?? '';
    const rest = python.slice(offsetAt(python, call.range.end)).split('\n')[0] ?? '';
    return /^\s*(?:;\s*)?(?:#.*)?$/.test(rest);
  }

  /** Every read of the names a call's value is bound to is display-only. */
  private namesDisplayOnly(cell: number, call: Call, depth: number): boolean {
    if (depth >= 3) return false;
    const python = this.analysed.cells[cell]?.python ?? '';
    const end = offsetAt(python, call.range.end);
    const graph = this.analysed.graph;
    return call.assignedTo.every((name) => {
      const definition = (graph.definitions.get(name) ?? [])
        .filter((d) => d.cell === cell && d.bindOffset >= end)
        .sort((a, b) => a.bindOffset - b.bindOffset)[0];
      if (definition === undefined) return false;
      if (graph.uses.some((u) => u.name === name && u.deferred)) return false;
      const reads = graph.documentEdges.filter((e) => e.definition === definition).map((e) => e.use);
      return reads.every((use) => {
        const facts = this.analysed.cells[use.cell]?.facts;
        const at = use.range;
        const enclosing = (facts?.calls ?? []).filter((c) => contains(c.range, at));
        if (enclosing.some((c) => this.isDisplay(use.cell, c))) return true;
        // `y = 2 * x + noise`: follow the names the statement binds, if it is a plain call-free assignment.
        const outer = enclosing.length === 0 ? undefined : outermostOf(enclosing);
        if (outer !== undefined) return outer.assignedTo.length > 0 && this.namesDisplayOnly(use.cell, outer, depth + 1);
        const bound = (facts?.defs ?? []).filter(
          (d) => d.kind === 'assign' && !d.deferred && d.statementStart === use.statementStart && d.statementStart !== undefined,
        );
        if (bound.length === 0) return false;
        const statementEnd = Math.max(...bound.map((d) => d.bindOffset ?? 0));
        const uses = this.analysed.cells[use.cell]?.python ?? '';
        const pseudo: Call = { ...pseudoCall(uses, statementEnd), assignedTo: bound.map((d) => d.name) };
        return this.namesDisplayOnly(use.cell, pseudo, depth + 1);
      });
    });
  }
}

/** A stand-in call ending where a statement ends, to follow the names it binds. */
function pseudoCall(python: string, end: number): Call {
  const lines = python.slice(0, end).split('\n');
  const position = { line: lines.length - 1, character: (lines.at(-1) ?? '').length };
  const range: Range = { start: position, end: position };
  return { callee: '', range, calleeRange: range, args: [], assignedTo: [], deferred: false };
}

/** The call with the widest range (calls that enclose the same place nest, so it encloses the others). */
function outermostOf(calls: readonly Call[]): Call {
  return calls.reduce((a, b) => (contains(b.range, a.range) ? b : a));
}

function contains(outer: Range, inner: Range): boolean {
  const before = (a: Range['start'], b: Range['start']): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return (
    before(outer.start, inner.start) &&
    before(inner.end, outer.end) &&
    !(
      outer.start.line === inner.start.line &&
      outer.start.character === inner.start.character &&
      outer.end.line === inner.end.line &&
      outer.end.character === inner.end.character
    )
  );
}
