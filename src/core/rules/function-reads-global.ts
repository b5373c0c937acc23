import type { Range } from '../diagnostic';
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import { cellLabel } from '../notebook/model';
import { globalKinds } from '../analysis/global-kinds';
import { perCell } from '../analysis/memo';
import { addParameterFix, inside, usesByName } from '../analysis/parameter-fix';
import type { FunctionFacts, Use } from '../python/facts';
import type { Finding, Rule } from './types';

/**
 * NB106: a function reads a notebook global that holds data (see analysis/global-kinds.ts for
 * how data is told apart from modules, functions, classes, constants, tools and configuration)
 * instead of taking it as a parameter. One finding per function for its data globals, at the
 * first read in the body, and one preview finding for its configuration globals.
 */
export const functionReadsGlobal: Rule = {
  code: 'NB106',
  name: 'function-reads-global',
  severity: 'warning',
  tier: 'preview',
  docs: {
    tierReason:
      'Right 7 times in 20 in the audits of public notebooks: functions whose signature a library fixes (callbacks, app handlers) and globals that hold tools rather than data (clients, pipelines) are the usual false alarms.',
    summary: 'A function reads a notebook global that holds data instead of taking it as a parameter.',
    why:
      'The function works only in this kernel, with whatever value the global holds when it is called: re-run ' +
      'the cell that defines the global, filter the data three cells later, or move the function into a module, ' +
      'and it silently computes with another value or raises `NameError`. Data means DataFrames, arrays, tensors, ' +
      'datasets and models: anything built by a call whose result is not known to be configuration. Modules, ' +
      'functions, classes, ALL_CAPS constants bound once, and configured objects that keep no rows (a logger, a ' +
      'compiled regex, a device, an optimizer, a loss, a stemmer or pretrained tokenizer) are fine to read. One ' +
      'finding per function lists every data global it reads, at the first read.',
    preview:
      'Globals that hold configuration rather than data are reported only in the preview tier, in a finding of ' +
      'their own: values built from literals (`lr = 0.01`, `cols = ["a", "b"]`, `params = {"a": 1}`, ' +
      '`a, b = range(2)`), paths (`os.path.join("data", "x.csv")`) and sizes (`n = X.shape[0]`, ' +
      '`vocab_size = len(vocab)`), never changed in place. They are still hidden inputs, but on real notebooks ' +
      'they are mostly settings that a reader expects to be global, and reporting them drowned the data findings.',
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
        // The first read of each global, split into data and configuration.
        const first = new Map<string, Use>();
        // A global the function declares `global` is its own state (a lazy cache, a counter): it assigns it, so it cannot take it as a parameter.
        const owned = new Set(facts.defs.filter((d) => d.kind === 'global' && inside(d.range, fn.range)).map((d) => d.name));
        for (const read of reads[f] ?? []) if (!first.has(read.name) && !owned.has(read.name)) first.set(read.name, read);
        const data = [...first.values()].filter((read) => kinds.holdsData(read.name));
        const config = [...first.values()].filter((read) => kinds.kindOf(read.name) === 'config');
        if (data.length > 0) findings.push(finding(analysed, uses, cell.index, fn, data, false));
        if (config.length > 0) findings.push(finding(analysed, uses, cell.index, fn, config, true));
      }
    }
    return findings;
  },
};

/** One finding for the globals `reads` (first reads, in order) of one function, at the first of them. */
function finding(
  analysed: AnalysedNotebook,
  uses: ReturnType<typeof usesByName>,
  cell: number,
  fn: FunctionFacts,
  reads: readonly Use[],
  preview: boolean,
): Finding {
  const names = reads.map((r) => r.name);
  const related = reads.flatMap((read) => {
    const definition = analysed.graph.definitions.get(read.name)?.[0];
    return definition ? [{ cell: definition.cell, range: definition.range, message: `\`${read.name}\` is defined here` }] : [];
  });
  const fixes = names.flatMap((name) => addParameterFix(analysed, { cell, fn }, name, uses) ?? []);
  const who = fn.kind === 'lambda' ? 'This lambda' : `\`${fn.name}\``;
  const [only] = reads;
  const definition = only === undefined ? undefined : analysed.graph.definitions.get(only.name)?.[0];
  const message =
    names.length === 1
      ? `${who} reads the global \`${names[0]}\`${definition === undefined ? '' : ` (defined in ${cellLabel(definition.cell)})`} instead of taking it as a ` +
        `parameter, so its result depends on whatever \`${names[0]}\` holds when it is called.`
      : `${who} reads the globals ${names.map((n) => `\`${n}\``).join(', ')} instead of taking them as parameters, so its result ` +
        'depends on whatever they hold when it is called.';
  return {
    message,
    cell,
    range: (only as Use).range,
    related,
    data: { function: fn.name, globals: names, kind: preview ? 'config' : 'data' },
    ...(fixes.length > 0 ? { fixes } : {}),
    ...(preview ? { preview: true } : {}),
  };
}

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
