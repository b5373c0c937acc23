// Cell dependencies (depends on / used by) and the Mermaid rendering of the cell graph.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse } from '../../../src/core/analysis/analysed-notebook';
import { cellDependencies, dependencyMermaid } from '../../../src/core/analysis/dependencies';
import { notebook } from '../../helpers/notebooks';

const cells = [
  'import pandas as pd',
  { md: '## Load' },
  'df = pd.read_csv("a.csv")\nlimit = 3',
  'top = df.head(limit)\nprint(top)',
  'def show():\n    return df',
  '# "quoted" <b> # note\nprint(top, df)',
];

test('dependsOn and usedBy per code cell, with the names, in document order', async () => {
  const deps = cellDependencies(await analyse(notebook(cells)));
  assert.deepEqual(deps, [
    { cell: 0, dependsOn: [], usedBy: [{ cell: 2, names: ['pd'] }] },
    {
      cell: 2,
      dependsOn: [{ cell: 0, names: ['pd'] }],
      usedBy: [
        { cell: 3, names: ['df', 'limit'] },
        { cell: 5, names: ['df'] },
      ],
    },
    { cell: 3, dependsOn: [{ cell: 2, names: ['df', 'limit'] }], usedBy: [{ cell: 5, names: ['top'] }] },
    // A function body reads `df` only when called, so the def does not depend on cell 2.
    { cell: 4, dependsOn: [], usedBy: [] },
    {
      cell: 5,
      dependsOn: [
        { cell: 2, names: ['df'] },
        { cell: 3, names: ['top'] },
      ],
      usedBy: [],
    },
  ]);
});

test('Mermaid: flowchart TD, a node per code cell with its first line, labelled edges, escaped text', async () => {
  assert.equal(
    dependencyMermaid(await analyse(notebook([...cells, '', `x = "${'a'.repeat(60)}"`]))),
    [
      'flowchart TD',
      '  c0["1: import pandas as pd"]',
      '  c2["3: df = pd.read_csv(#quot;a.csv#quot;)"]',
      '  c3["4: top = df.head(limit)"]',
      '  c4["5: def show():"]',
      '  c5["6: print(top, df)"]',
      '  c6["7: (empty)"]',
      `  c7["8: x = #quot;${'a'.repeat(34)}…"]`,
      '  c0 -->|"pd"| c2',
      '  c2 -->|"df, limit"| c3',
      '  c2 -->|"df"| c5',
      '  c3 -->|"top"| c5',
      '',
    ].join('\n'),
  );
  assert.equal(dependencyMermaid(await analyse(notebook(['print("<a> # b")']))), 'flowchart TD\n  c0["1: print(#quot;#lt;a#gt; #35; b#quot;)"]\n');
});
