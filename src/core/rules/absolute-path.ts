import type { CellTextEdit, Fix } from '../diagnostic';
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import { absolutePaths, pythonString, splitPath, takesPathLike, type AbsolutePath } from '../analysis/absolute-paths';
import { nameResolver, type NameResolver } from '../analysis/qualified-names';
import { insertionEdit, insertionPoint } from '../fixes/insert-constant';
import { offsetAt, positionAt } from '../notebook/positions';
import type { Finding, Rule } from './types';

/** NB110: an absolute file path written into the notebook. */
export const absolutePath: Rule = {
  code: 'NB110',
  name: 'absolute-path',
  severity: 'warning',
  docs: {
    summary:
      'A string literal holds an absolute file path (`/home/…`, `/Users/…`, `C:\\…`, `~/…`, `\\\\server\\share`) that is ' +
      'passed to a call or assigned to a name.',
    why:
      'The path exists on one machine only: the notebook fails for a colleague, in CI and in production, and the ' +
      'paths scattered through the cells have to be found and edited one by one. Keep data and artifact locations ' +
      'relative to the project (or read them from configuration), in one constant. An absolute path that already ' +
      'lives in an ALL_CAPS constant (`DATA_DIR = Path("/home/ana/data")`) is reported as information only: it is in ' +
      'one place, but still ties the notebook to one machine. URLs, device files (`/dev/null`), regular expressions, ' +
      'f-strings and, outside calls known to take paths, POSIX paths that do not start with a machine-specific folder ' +
      '(`/home`, `/Users`, `/mnt`, `/data`, ...) are not reported. Nor are paths under folders that every machine of ' +
      "a platform has: the temp folder (`/tmp`, `/var/tmp`, where tutorials download datasets), Kaggle's fixed " +
      "`/kaggle/input`, `/kaggle/working` and `/kaggle/temp`, and Colab's working folder `/content`. Colab's " +
      "`/content/drive/...` is one user's Google Drive and `/data/...` is whatever one machine mounted there: both " +
      'are reported. `../input/...` is relative already.',
    example: ['# %%', 'import pandas as pd', '', '# %%', 'df = pd.read_csv("/home/ana/projects/churn/data/churn.csv")'].join('\n'),
    useInstead: [
      '# %%',
      'from pathlib import Path',
      '',
      'import pandas as pd',
      '',
      'DATA_DIR = Path("data")',
      '',
      '# %%',
      'df = pd.read_csv(DATA_DIR / "churn.csv")',
    ].join('\n'),
    fixSafety:
      'The fix moves the folder into a constant named after it (`DATA_DIR = Path("/home/ana/data")`, `MODELS_DIR`, ' +
      'or `DATA_DIR_2` when the name is taken) after the imports of the first code cell, adds `from pathlib import ' +
      'Path` when needed, and replaces every literal under that folder with `DATA_DIR / "churn.csv"`; a constant ' +
      'that already holds the folder is reused. The path is still absolute afterwards, but in one place, ready to ' +
      'be made relative or configurable. The fix is safe when each literal goes straight to a call that accepts ' +
      'path objects (pandas readers and writers, `open`, `joblib`, `numpy` I/O, `pathlib`, `os`, `shutil`, `torch`) ' +
      'or is assigned to a name that is only ever passed to such calls; it is unsafe otherwise (string operations ' +
      'on a `Path` fail), and for `~` paths (which `Path` does not expand) and Windows paths (whose separator ' +
      'changes on other systems).',
  },
  check(analysed) {
    const resolver = nameResolver(analysed);
    const paths = absolutePaths(analysed, resolver);
    const constants = paths.filter((p) => constantName(p) !== undefined);
    const groups = new Map<string, AbsolutePath[]>();
    for (const path of paths) {
      if (constantName(path) !== undefined) continue;
      const { directory } = splitPath(path.literal.value, path.style);
      groups.set(directory, [...(groups.get(directory) ?? []), path]);
    }
    // Names in use, for a fresh constant: only made when some path needs a fix.
    let taken: Set<string> | undefined;
    const findings: Finding[] = constants.map((path) => ({
      message: `\`${constantName(path) ?? ''}\` holds the absolute path \`${path.text}\`, which exists only on one machine; make it relative to the project or configurable.`,
      severity: 'info',
      cell: path.cell,
      range: literalRange(analysed, path),
      related: [],
      data: { path: path.literal.value, constant: constantName(path) },
    }));
    for (const [directory, group] of groups) {
      taken ??= new Set(analysed.graph.definitions.keys());
      const fix = groupFix(analysed, resolver, directory, group, constants, taken);
      for (const path of group) {
        findings.push({
          message: `\`${path.text}\` is an absolute path that exists only on one machine; make it relative to the project or configurable.`,
          cell: path.cell,
          range: literalRange(analysed, path),
          related: [],
          data: { path: path.literal.value, directory, ...(fix ? { constant: fix.constant } : {}) },
          ...(fix ? { fixes: [fix.fix] } : {}),
        });
      }
    }
    return findings.sort((a, b) => a.cell - b.cell || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  },
};

/** The ALL_CAPS constant a path literal defines (`X = "/..."` or `X = Path("/...")`), if any. */
function constantName(path: AbsolutePath): string | undefined {
  const name =
    path.context.kind === 'assignment'
      ? path.context.name
      : path.context.call.method === 'Path' && path.context.call.args.length === 1 && path.context.call.assignedTo.length === 1
        ? path.context.call.assignedTo[0]
        : undefined;
  return name !== undefined && /^[A-Z][A-Z0-9_]*$/.test(name) ? name : undefined;
}

function literalRange(analysed: AnalysedNotebook, path: AbsolutePath): Finding['range'] {
  const python = analysed.cells[path.cell]?.python ?? '';
  return { start: positionAt(python, path.literal.start), end: positionAt(python, path.literal.end) };
}

function groupFix(
  analysed: AnalysedNotebook,
  resolver: NameResolver,
  directory: string,
  group: readonly AbsolutePath[],
  constants: readonly AbsolutePath[],
  taken: Set<string>,
): { fix: Fix; constant: string } | undefined {
  const first = group[0];
  const at = insertionPoint(analysed);
  if (first === undefined || at === undefined) return undefined;
  if (group.some((p) => p.cell === at.cell && p.literal.start < at.offset)) return undefined;
  const edits: CellTextEdit[] = [];
  const reusable = constants.find(
    (c) =>
      c.literal.value === directory && c.context.kind === 'argument' && (c.cell < first.cell || (c.cell === first.cell && c.literal.end < first.literal.start)),
  );
  let constant = reusable !== undefined ? constantName(reusable) : undefined;
  if (constant === undefined) {
    constant = freshName(directory, first, taken);
    taken.add(constant);
    const pathExpression = resolver.expressionFor('pathlib.Path', at.cell, at.offset);
    const imports = pathExpression === undefined ? ['from pathlib import Path'] : [];
    edits.push(insertionEdit(analysed, at, imports, [`${constant} = ${pathExpression ?? 'Path'}(${pythonString(directory)})`]));
  }
  for (const path of group) {
    const { base } = splitPath(path.literal.value, path.style);
    edits.push({ cell: path.cell, range: literalRange(analysed, path), newText: base === '' ? constant : `${constant} / ${pythonString(base)}` });
  }
  const safe = group.every((p) => p.style === 'posix' && staysPathLike(analysed, resolver, p));
  return { constant, fix: { title: `Move \`${directory}\` into \`${constant}\``, safety: safe ? 'safe' : 'unsafe', edits } };
}

/** `DATA_DIR` for `/home/ana/data`, `MODELS_DIR` for `.../models`, with `_2`, `_3` when taken. */
function freshName(directory: string, path: AbsolutePath, taken: ReadonlySet<string>): string {
  const last = splitPath(directory, path.style)
    .base.toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const stem = /^[A-Z]/.test(last) ? `${last}_DIR` : 'DATA_DIR';
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) if (!taken.has(`${stem}_${n}`)) return `${stem}_${n}`;
}

/** Whether the literal, once a `Path`, only ever reaches calls that accept path objects. */
function staysPathLike(analysed: AnalysedNotebook, resolver: NameResolver, path: AbsolutePath): boolean {
  if (path.context.kind === 'argument') return path.context.pathLike;
  const { name } = path.context;
  if ((analysed.graph.definitions.get(name) ?? []).length !== 1) return false;
  return analysed.graph.uses
    .filter((u) => u.name === name)
    .every((use) => {
      const { python, facts } = analysed.cells[use.cell] ?? {};
      if (python == null || facts == null) return false;
      return facts.calls.some(
        (call) =>
          call.args.some((a) => a.text === name && offsetAt(python, a.range.start) === use.offset) &&
          takesPathLike(call, resolver.callee(call, use.cell, python), !analysed.graph.definitions.has('open')),
      );
    });
}
