/**
 * What an imported name stands for: `np.random.rand` is `numpy.random.rand` after
 * `import numpy as np`, and `tts` is `sklearn.model_selection.train_test_split` after
 * `from sklearn.model_selection import train_test_split as tts`. Rules that recognise library
 * APIs (NB110, NB111) match these qualified names, so aliases never hide a finding.
 */
import type { Call, ImportFact } from '../python/facts';
import { offsetAt } from '../notebook/positions';
import type { AnalysedNotebook } from './analysed-notebook';
import { digest, perAnalysis } from './memo';

/** One import binding, placed in the notebook. */
export interface ImportBinding {
  /** The global name bound (`np`). */
  name: string;
  /** What the name refers to (`numpy`, `numpy.random`, `sklearn.model_selection.KFold`). */
  qualified: string;
  cell: number;
  /** Offset in the cell where the binding takes effect (the end of the import statement). */
  offset: number;
}

/** The object an import statement binds to its name. */
export function importTarget(fact: ImportFact): string {
  if (fact.member !== undefined) return `${fact.module}.${fact.member}`;
  const first = fact.module.split('.')[0] ?? fact.module;
  // `import a.b` binds `a`; `import a.b as c` binds `a.b` to `c`.
  return fact.module.includes('.') && fact.boundName === first ? first : fact.module;
}

/** Every import binding in the notebook, in document order; star imports are left out. */
export function importBindings(analysed: AnalysedNotebook): ImportBinding[] {
  const found: ImportBinding[] = [];
  for (const { cell, python, facts } of analysed.cells) {
    if (python === null || facts === null) continue;
    for (const fact of facts.imports) {
      if (fact.boundName === '*') continue;
      found.push({ name: fact.boundName, qualified: importTarget(fact), cell: cell.index, offset: offsetAt(python, fact.range.end) });
    }
  }
  return found;
}

/** Resolves dotted names through the notebook's imports, as seen from a given place. */
export class NameResolver {
  private readonly byName = new Map<string, ImportBinding[]>();
  private keyText: string | undefined;

  constructor(private readonly bindings: readonly ImportBinding[]) {
    for (const binding of bindings) {
      const list = this.byName.get(binding.name);
      if (list) list.push(binding);
      else this.byName.set(binding.name, [binding]);
    }
  }

  /**
   * A string that changes whenever any resolution would: every binding with its place. Per-cell
   * memos of resolved names use it as (part of) their context.
   */
  get key(): string {
    this.keyText ??= digest(this.bindings.map((b) => `${b.name}=${b.qualified}@${b.cell}:${b.offset}`).join(';'));
    return this.keyText;
  }

  /**
   * The qualified name of `dotted` (`np.random.rand`) read at `offset` in `cell`: the root is
   * resolved with the last import of it bound before that place, or, for code that runs later
   * (function bodies) or reads before any import, the first import of it anywhere. Undefined
   * when the root is not imported at all (a local variable such as `df` or `rng`).
   */
  resolve(dotted: string, cell: number, offset: number): string | undefined {
    const dot = dotted.indexOf('.');
    const root = dot < 0 ? dotted : dotted.slice(0, dot);
    const bindings = this.byName.get(root);
    if (bindings === undefined) return undefined;
    const binding = bindings[lastBoundBefore(bindings, cell, offset)] ?? bindings[0];
    if (binding === undefined) return undefined;
    return dot < 0 ? binding.qualified : binding.qualified + dotted.slice(dot);
  }

  /** The qualified callee of a call in `cell` (`python` is that cell's masked source). */
  callee(call: Call, cell: number, python: string): string | undefined {
    if (call.root === undefined) return undefined;
    return this.resolve(call.callee, cell, offsetAt(python, call.range.start));
  }

  /**
   * An expression that names `module` at a place, through an import bound before it: `np.random`
   * for `numpy.random` after `import numpy as np`. Undefined when nothing imported reaches it.
   */
  expressionFor(module: string, cell: number, offset: number): string | undefined {
    let best: string | undefined;
    for (const [name, bindings] of this.byName) {
      const binding = bindings[lastBoundBefore(bindings, cell, offset)];
      if (binding === undefined) continue;
      let expression: string | undefined;
      if (binding.qualified === module) expression = name;
      else if (module.startsWith(`${binding.qualified}.`)) expression = name + module.slice(binding.qualified.length);
      if (expression !== undefined && (best === undefined || expression.length < best.length)) best = expression;
    }
    return best;
  }
}

/** The index of the last binding (in document order) bound at or before `offset` in `cell`; -1 when none. */
function lastBoundBefore(bindings: readonly ImportBinding[], cell: number, offset: number): number {
  let lo = 0;
  let hi = bindings.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const b = bindings[mid]!;
    if (b.cell < cell || (b.cell === cell && b.offset <= offset)) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** A resolver over every import in the notebook (one per analysed notebook, shared by the rules). */
export const nameResolver = perAnalysis((analysed) => new NameResolver(importBindings(analysed)));
