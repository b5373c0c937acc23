// The generated README's account of the notebook is true: no cell both placed and left out, a
// model the project does not train is listed as left out (not as training code), and no
// finding names a class as `Unknown`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Diagnostic } from '../../../src/core/diagnostic';
import { analyzeNotebookFull } from '../../../src/core/engine';
import { SCAFFOLD_ANALYSIS } from '../../../src/core/scaffold/from-notebook';
import { loadNotebookFile } from '../../../src/core/notebook';
import { plan, type ScaffoldPlan } from '../../../src/core/scaffold';
import type { ModelSpec } from '../../../src/core/scaffold/model-spec';
import { leakageReport } from '../../../src/core/scaffold/report';
import { repoRoot } from '../../helpers/paths';
import { GOLDEN, planGolden } from './snapshots';

function readme(result: ScaffoldPlan): string {
  return result.changes.find((c) => c.path === 'README.md')!.content;
}

/** Cell numbers in the README's table whose code went somewhere, and cells in its Left-out list. */
function placedAndLeftOut(text: string): { placed: number[]; leftOut: number[] } {
  const placed = [...text.matchAll(/^\| (\d+) \| [a-z-]+ \| `src\//gm)].map((m) => Number(m[1]));
  const section = text.split('## Left out')[1]!.split('## Review')[0]!;
  const leftOut = [...section.matchAll(/^- Cell (\d+),/gm)].map((m) => Number(m[1]));
  return { placed, leftOut };
}

async function plans(): Promise<Array<[string, ScaffoldPlan]>> {
  const found: Array<[string, ScaffoldPlan]> = [];
  for (const name of Object.keys(GOLDEN)) found.push([name, await planGolden(name)]);
  for (const name of ['dummies.ipynb', 'shapes.ipynb']) {
    const notebook = await loadNotebookFile(join(repoRoot, 'test', 'fixtures', 'scaffold', name));
    found.push([name, plan(await analyzeNotebookFull(notebook, SCAFFOLD_ANALYSIS), { notebookName: name })]);
  }
  return found;
}

test('no cell is both placed and in the Left-out list, and no README says `Unknown`', async () => {
  for (const [name, result] of await plans()) {
    const text = readme(result);
    const { placed, leftOut } = placedAndLeftOut(text);
    assert.deepEqual(
      leftOut.filter((cell) => placed.includes(cell)),
      [],
      name,
    );
    assert.doesNotMatch(text, /Unknown/, name);
  }
});

test('a cell partly left out says so in its own row', async () => {
  const text = readme(await planGolden('churn'));
  assert.match(text, /^\| 3 \| ingestion \| `src\/data\/ingestion\.py`; left out: `print\(df\.shape\)`, `print\(round\(df\["churned"\]\.mean\(\), 3\)\)` \|$/m);
  assert.match(text, /^\| 2 \| setup \| imports, in each module that reads them \|$/m);
  assert.doesNotMatch(text.split('## Left out')[1]!.split('## Review')[0]!, /Cell 3,/);
});

test('a model the project does not train is left out, with the code that only scores it', async () => {
  const result = await planGolden('two_models');
  assert.deepEqual(
    result.report.cells.find((c) => c.cell === 2),
    { cell: 2, role: 'other-model', placedIn: [], leftOut: [] },
  );
  assert.ok(
    result.report.leftOut.includes(
      'Cell 3, a model the project does not train: `baseline = LinearRegression().fit(X_train, y_train)`, `print(mean_absolute_error(y_test, baseline.predict(X_test)))`.',
    ),
    result.report.leftOut.join('\n'),
  );
  assert.match(readme(result), /^\| 3 \| other-model \| \(left out\) \|$/m);
});

test('findings in cells with nothing in the project are dropped; a class a rule could not tell is not called `Unknown`', () => {
  const finding = (cell: number, message: string): Diagnostic => ({
    code: 'PR301',
    name: 'preprocessor-not-saved',
    severity: 'warning',
    message,
    cell,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } },
    related: [],
    data: {},
  });
  const spec = { transformers: [] } as unknown as ModelSpec;
  const report = leakageReport(
    [finding(1, '`joblib.dump` saves `Ridge` but not the `Unknown` fitted in cell 2.'), finding(5, 'left out')],
    spec,
    (cell) => cell === 1,
  );
  assert.deepEqual(report.fixed, [
    'cell 2, PR301 preprocessor-not-saved: `joblib.dump` saves `Ridge` but not a transformer whose class nb2prod could not tell fitted in cell 2. The whole fitted Pipeline is one artifact that inference loads and never refits.',
  ]);
});
