import type { Range } from '../diagnostic';
import { cellLabel } from '../notebook/model';
import { globalKinds } from '../analysis/global-kinds';
import { perCell } from '../analysis/memo';
import { addParameterFix, inside, usesByName } from '../analysis/parameter-fix';
import type { FunctionFacts, Use } from '../python/facts';
import type { Finding, Rule } from './types';

/**
 * NB106: a function reads a notebook global that holds data (see analysis/global-kinds.ts for
 * how modules, functions, classes and ALL_CAPS constants are told apart) instead of taking it
 * as a parameter. One finding per (function, global), at the first read in the body.
 */
export const functionReadsGlobal: Rule = {
  code: 'NB106',
  name: 'function-reads-global',
  severity: 'warning',
  docs: {
    summary: 'A function reads a notebook global that holds data instead of taking it as a parameter.',
    why:
      'The function works only in this kernel, with whatever value the global holds when it is called: re-run ' +
      'the cell that defines the global, filter the data three cells later, or move the function into a module, ' +
      'and it silently computes with another value or raises `NameError`. Modules, functions, classes and ' +
      'ALL_CAPS constants bound once are fine to read; a lowercase name bound to a literal (`threshold = 0.5`) ' +
      'is still hidden configuration and is reported.',
    example: [
      '# %%',
      'import pandas as pd',
      '',
      '# %%',
      'prices = pd.DataFrame({"sku": ["a", "b"], "price": [1.0, 2.0]})',
      '',
      '# %%',
      'def add_features(orders):',
      '    return orders.merge(prices, on="sku")',
      '',
      '',
      'features = add_features(pd.DataFrame({"sku": ["a"]}))',
    ].join('\n'),
    useInstead: [
      '# %%',
      'import pandas as pd',
      '',
      '# %%',
      'prices = pd.DataFrame({"sku": ["a", "b"], "price": [1.0, 2.0]})',
      '',
      '# %%',
      'def add_features(orders, prices):',
      '    return orders.merge(prices, on="sku")',
      '',
      '',
      'features = add_features(pd.DataFrame({"sku": ["a"]}), prices=prices)',
    ].join('\n'),
    fixSafety:
      'The fix adds the global as the last parameter (keyword-only when the signature needs it) and passes ' +
      '`name=name` at every direct call in the notebook. It is safe when those calls are the only way the function ' +
      'is used. It is unsafe when the function escapes (passed as a callback such as `df.apply(f)`, stored, ' +
      'returned or decorated: those callers will not pass the new argument) or when a call sits in another ' +
      'function where the name may not be the global. Lambdas, methods and nested functions get no fix: their ' +
      'callers cannot be found by name, and a lambda is better turned into a `def` by hand.',
  },
  check(analysed) {
    const kinds = globalKinds(analysed);
    const uses = usesByName(analysed);
    const findings: Finding[] = [];
    for (const analysedCell of analysed.cells) {
      const { cell, facts } = analysedCell;
      if (facts === null || facts.syntaxErrors.length > 0) continue;
      const reads = functionReads(analysedCell, '') ?? [];
      for (const [f, fn] of facts.functions.entries()) {
        const reported = new Set<string>();
        for (const read of reads[f] ?? []) {
          if (reported.has(read.name) || !kinds.holdsData(read.name)) continue;
          reported.add(read.name);
          const definition = analysed.graph.definitions.get(read.name)?.[0];
          const fix = addParameterFix(analysed, { cell: cell.index, fn }, read.name, uses);
          const where = definition === undefined ? '' : ` (defined in ${cellLabel(definition.cell)})`;
          const who = fn.kind === 'lambda' ? 'This lambda' : `\`${fn.name}\``;
          findings.push({
            message:
              `${who} reads the global \`${read.name}\`${where} instead of taking it as a parameter, so its result ` +
              `depends on whatever \`${read.name}\` holds when it is called.`,
            cell: cell.index,
            range: read.range,
            related: definition ? [{ cell: definition.cell, range: definition.range, message: `\`${read.name}\` is defined here` }] : [],
            data: { function: fn.name, global: read.name },
            ...(fix ? { fixes: [fix] } : {}),
          });
        }
      }
    }
    return findings;
  },
};

/** ownReads of each function of a cell, in the order of `facts.functions` (kept per cell). */
const functionReads = perCell(({ facts }) => facts.functions.map((fn) => ownReads(fn, facts.functions)));

/**
 * The global reads that belong to `fn` itself: a read inside a nested def belongs to that def,
 * while a read inside a lambda belongs to the def around it (the parameter goes on the def, as
 * a scaffolded module would have it); a lambda outside any def owns its reads.
 */
function ownReads(fn: FunctionFacts, all: readonly FunctionFacts[]): Use[] {
  return fn.globalReads.filter((read) => owner(read.range, all) === fn);
}

function owner(range: Range, all: readonly FunctionFacts[]): FunctionFacts | undefined {
  const around = all.filter((f) => inside(range, f.range));
  const innermost = (candidates: FunctionFacts[]): FunctionFacts | undefined =>
    candidates.find((f) => candidates.every((g) => g === f || inside(f.range, g.range)));
  return innermost(around.filter((f) => f.kind !== 'lambda')) ?? innermost(around);
}
