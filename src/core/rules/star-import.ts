import type { Fix } from '../diagnostic';
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import { dynamicBindings } from '../analysis/dynamic-bindings';
import { reachingDefinition } from '../analysis/graph';
import { knownStarExports } from '../analysis/star-exports';
import { offsetAt, positionAt } from '../notebook/positions';
import { isBuiltinName } from '../python/builtins';
import type { Finding, Rule } from './types';

/** NB109: `from m import *`. */
export const starImport: Rule = {
  code: 'NB109',
  name: 'star-import',
  severity: 'warning',
  docs: {
    summary: 'A cell imports every public name of a module with `from module import *`.',
    why:
      'Nobody reading the notebook (nor nb2prod, nor a linter) can tell where a name such as `mean` or `e` comes from, ' +
      'and the import silently replaces any earlier name, or builtin, it happens to export: `from numpy import *` ' +
      "turns `sum` and `any` into NumPy's. A later library version can export more names and change the notebook " +
      'without any edit. nb2prod also stops reporting undefined names after a star import, because any of them may ' +
      'come from it.',
    example: ['# %%', 'from numpy import *', '', '# %%', 'values = array([1.0, 2.0, 4.0])', 'print(mean(values))'].join('\n'),
    useInstead: ['# %%', 'from numpy import array, mean', '', '# %%', 'values = array([1.0, 2.0, 4.0])', 'print(mean(values))'].join('\n'),
    fixSafety:
      'The fix replaces `*` with the names the notebook reads after the import that no cell defines (the builtins ' +
      "the module is known to replace, such as NumPy's `sum`, included). Without running Python nb2prod cannot " +
      "list a module's exports, so it attributes those names to the star import. The fix is safe only when the " +
      'notebook has exactly one star import (and no `%run`), every listed name is known to be exported by that ' +
      'module, and no name the notebook defined before the import and reads after it is known to be replaced by ' +
      'it. Otherwise it is unsafe: with several star imports a name is given to the last one before its read ' +
      'that is known to export it (or to the last one, as a guess), and an unknown module could shadow names the ' +
      'fix no longer imports. When no such name is read, no fix is offered: removing the import could still ' +
      'change what shadowed names mean, so the author has to decide.',
  },
  check(analysed) {
    const sources = wildcardSources(analysed);
    return sources.flatMap((source) => (source.module === undefined ? [] : [finding(analysed, sources, source)]));
  },
};

/** A place that binds names nobody can list: a star import, a magic such as `%run`, or `globals()[k] = v`. */
interface WildcardSource {
  cell: number;
  /** Offset from which its names are bound. */
  bindOffset: number;
  /** The star-imported module; undefined for magics. */
  module?: string;
  /** The statement's start offset (star imports). */
  statementStart: number;
  /** The range of the `*` token (star imports). */
  star?: Finding['range'];
}

function wildcardSources(analysed: AnalysedNotebook): WildcardSource[] {
  const found: WildcardSource[] = [];
  for (const { cell, python, facts, magicDefinitions } of analysed.cells) {
    if (python === null || facts === null) continue;
    const stars = facts.imports.filter((i) => i.boundName === '*');
    facts.defs
      .filter((d) => d.kind === 'star-import')
      .forEach((d, i) => {
        const bindOffset = d.bindOffset ?? 0;
        found.push({ cell: cell.index, bindOffset, module: stars[i]?.module, statementStart: d.statementStart ?? 0, star: d.range });
      });
    for (const magic of magicDefinitions.filter((m) => m.name === '*')) {
      const offset = offsetAt(python, magic.range.end);
      found.push({ cell: cell.index, bindOffset: offset, statementStart: offset });
    }
    for (const dynamic of dynamicBindings(facts, python)) {
      found.push({ cell: cell.index, bindOffset: dynamic.bindOffset, statementStart: dynamic.bindOffset });
    }
  }
  return found.sort((a, b) => a.cell - b.cell || a.bindOffset - b.bindOffset);
}

function finding(analysed: AnalysedNotebook, sources: readonly WildcardSource[], source: WildcardSource): Finding {
  const python = analysed.cells[source.cell]?.python ?? '';
  const module = source.module ?? '';
  const names = attributedNames(analysed, sources, source);
  const message = `\`from ${module} import *\` imports every public name of \`${module}\` without listing them, so nobody can tell where a name comes from, and it can silently shadow the notebook's own names or builtins.`;
  const data: Record<string, unknown> = { module, names };
  let fixes: Fix[] | undefined;
  if (names.length === 0) {
    data['fixBlockedBy'] =
      `no name read after it is left undefined by the notebook, so nb2prod cannot tell what it provides; removing it could still change names it shadows`;
  } else if (source.star !== undefined) {
    const list = names.join(', ');
    const safety = isSafe(analysed, sources, source, names) ? 'safe' : 'unsafe';
    fixes = [{ title: `Import \`${list}\` from \`${module}\` instead of \`*\``, safety, edits: [{ cell: source.cell, range: source.star, newText: list }] }];
  }
  return {
    message,
    cell: source.cell,
    range: { start: positionAt(python, source.statementStart), end: positionAt(python, source.bindOffset) },
    related: [],
    data,
    ...(fixes ? { fixes } : {}),
  };
}

/**
 * The names the notebook reads that only a wildcard can provide and that this star import is
 * taken to provide: eager reads after it with no definition reaching them, and reads inside
 * functions of names no cell defines.
 */
function attributedNames(analysed: AnalysedNotebook, sources: readonly WildcardSource[], source: WildcardSource): string[] {
  const { definitions, uses } = analysed.graph;
  const names = new Set<string>();
  // As for NB101/NB102: the parser's recovery in a cell that does not parse makes up reads.
  const broken = new Set(analysed.cells.filter((c) => (c.facts?.syntaxErrors.length ?? 0) > 0).map((c) => c.cell.index));
  for (const use of uses) {
    if (broken.has(use.cell)) continue;
    const before = sources.filter((s) => use.deferred || s.cell < use.cell || (s.cell === use.cell && s.bindOffset <= use.offset));
    if (before.length === 0) continue;
    if (use.deferred ? definitions.has(use.name) : reachingDefinition(definitions.get(use.name), use) !== undefined) continue;
    const owner = ownerOf(use.name, before);
    if (owner !== source) continue;
    const shadowed = knownStarExports(source.module ?? '')?.shadowsBuiltins.has(use.name) ?? false;
    if (isBuiltinName(use.name) && !shadowed) continue;
    names.add(use.name);
  }
  return [...names].sort();
}

/** Python keeps the last binding: the last source known to export the name, else the last one. */
function ownerOf(name: string, before: readonly WildcardSource[]): WildcardSource | undefined {
  const known = before.filter((s) => s.module !== undefined && knownStarExports(s.module)?.names.has(name));
  return known.at(-1) ?? before.at(-1);
}

function isSafe(analysed: AnalysedNotebook, sources: readonly WildcardSource[], source: WildcardSource, names: readonly string[]): boolean {
  const known = knownStarExports(source.module ?? '');
  if (sources.length !== 1 || known === undefined || !names.every((n) => known.names.has(n))) return false;
  // A name defined before the import and read after it may be the module's version now.
  return !analysed.graph.uses.some((use) => {
    if (!known.names.has(use.name) || !(use.deferred || use.cell > source.cell || (use.cell === source.cell && use.offset >= source.bindOffset))) return false;
    return (analysed.graph.definitions.get(use.name) ?? []).some((d) => d.cell < source.cell || (d.cell === source.cell && d.bindOffset <= source.bindOffset));
  });
}
