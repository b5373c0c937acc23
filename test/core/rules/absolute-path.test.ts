// NB110 absolute-path: source in, codes, positions and fixed sources out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNotebook } from '../../../src/core/engine';
import { applyFixToSources } from '../../../src/core/fixes/apply';
import { loadNotebookFile } from '../../../src/core/notebook';
import { findings, notebook } from '../../helpers/notebooks';
import { repoRoot } from '../../helpers/paths';

const NB110 = { select: ['NB110'] };

test('NB110 fires on the literal of an absolute path passed to a call or assigned to a name', async () => {
  assert.deepEqual(
    await findings(
      [
        'import pandas as pd\nimport joblib',
        'df = pd.read_csv("/home/ana/data/churn.csv")\njoblib.dump(df, "/mnt/nb/model.joblib")',
        'out = "/Users/bob/out/report.html"',
      ],
      NB110,
    ),
    ['NB110 cell 1 0:17-0:43', 'NB110 cell 1 1:16-1:38', 'NB110 cell 2 0:6-0:34'],
  );
});

test('NB110 recognises Windows, UNC and home paths', async () => {
  assert.deepEqual(
    await findings(
      [
        'import pandas as pd',
        'a = pd.read_csv("C:\\\\Users\\\\ana\\\\x.csv")\nb = open(r"\\\\server\\share\\x.txt")\nc = pd.read_csv("~/data/x.csv")\nd = pd.read_csv("D:/data/x.csv")',
      ],
      NB110,
    ),
    ['NB110 cell 1 0:16-0:39', 'NB110 cell 1 1:9-1:32', 'NB110 cell 1 2:16-2:30', 'NB110 cell 1 3:16-3:31'],
  );
});

test('NB110 does not fire on relative paths, URLs, device files, routes, patterns or f-strings', async () => {
  const cells = [
    'import pandas as pd\nimport re',
    'df = pd.read_csv("data/churn.csv")\nweb = pd.read_csv("https://example.org/a/b.csv")\nopen("/dev/null", "w")',
    'route = "/api/v1/users"\npattern = re.compile(r"^/home/\\w+/")\nname = "ana"\nf = pd.read_csv(f"/home/{name}/x.csv")',
    '# df = pd.read_csv("/home/ana/x.csv")\nprint("see /home/ana for details")',
  ];
  assert.deepEqual(await findings(cells, NB110), []);
});

test("NB110 does not fire on the temp folder, Kaggle's input and working folders, or Colab's /content", async () => {
  const cells = [
    'import pandas as pd\nimport joblib',
    'a = pd.read_csv("/tmp/adult/adult.csv")\nb = pd.read_csv("/kaggle/input/titanic/train.csv")\njoblib.dump(a, "/kaggle/working/model.joblib")',
    'c = pd.read_csv("/content/sample_data/mnist.csv")\nd = pd.read_csv("../input/train.csv")\ne = "/var/tmp/x/y.csv"',
    // The bare folders, joined later: `Path(INPUT) / "train.csv"`, `INPUT.rglob("*.csv")`.
    'from pathlib import Path\nINPUT = Path("/kaggle/input")\nOUT = "/kaggle/working"\nroot = Path("/content")\nfiles = list(Path("/kaggle/input").rglob("*.csv"))',
    // Colab's Drive mount point is the same on every Colab machine (`drive.mount` creates it).
    'from google.colab import drive\ndrive.mount("/content/drive")\nos.listdir("/content/drive")',
  ];
  assert.deepEqual(await findings(cells, NB110), []);
});

test('NB110 still fires on a Colab Drive, /data and other folders under /kaggle', async () => {
  const cells = [
    'import pandas as pd',
    'a = pd.read_csv("/content/drive/MyDrive/x.csv")\nb = pd.read_csv("/data/ana/x.csv")\nc = pd.read_csv("/kaggle/ana/x.csv")',
    'from pathlib import Path\nd = Path("/content/drive/MyDrive")\ne = Path("/kaggle/inputs")',
  ];
  assert.deepEqual(await findings(cells, NB110), [
    'NB110 cell 1 0:16-0:46',
    'NB110 cell 1 1:16-1:33',
    'NB110 cell 1 2:16-2:35',
    'NB110 cell 2 1:9-1:33',
    'NB110 cell 2 2:9-2:25',
  ]);
});

test('message and data', async () => {
  const [d] = await analyzeNotebook(notebook(['import pandas as pd', 'df = pd.read_csv("/home/ana/data/churn.csv")']), NB110);
  assert.ok(d);
  assert.equal(d.severity, 'warning');
  assert.equal(d.message, '`"/home/ana/data/churn.csv"` is an absolute path that exists only on one machine; make it relative to the project or configurable.');
  assert.deepEqual(d.data, { path: '/home/ana/data/churn.csv', directory: '/home/ana/data', constant: 'DATA_DIR' });
});

test('fix: a DATA_DIR constant after the imports, shared by every path in that folder, safe for path-like calls', async () => {
  const cells = [
    'import pandas as pd  # tables\nimport joblib\nx = 1',
    'a = pd.read_csv("/home/ana/data/a.csv")\nb = pd.read_parquet("/home/ana/data/b.parquet")',
  ];
  const found = await analyzeNotebook(notebook(cells), NB110);
  assert.equal(found.length, 2);
  const [fix] = found[0]?.fixes ?? [];
  assert.ok(fix);
  assert.deepEqual(found[1]?.fixes, [fix]);
  assert.equal(fix.title, 'Move `/home/ana/data` into `DATA_DIR`');
  assert.equal(fix.safety, 'safe');
  const fixed = applyFixToSources(cells, fix).sources;
  assert.deepEqual(fixed, [
    'import pandas as pd  # tables\nimport joblib\nfrom pathlib import Path\n\nDATA_DIR = Path("/home/ana/data")\nx = 1',
    'a = pd.read_csv(DATA_DIR / "a.csv")\nb = pd.read_parquet(DATA_DIR / "b.parquet")',
  ]);
  // What remains is the constant, reported as information only.
  assert.deepEqual(
    (await analyzeNotebook(notebook(fixed), NB110)).map((d) => `${d.severity} ${d.cell} ${String(d.data['constant'])}`),
    ['info 0 DATA_DIR'],
  );
});

test('fix names the constant after the folder and avoids taken names; reuses an existing constant for the folder', async () => {
  const cells = ['import joblib\nfrom pathlib import Path\nMODELS_DIR = 1', 'joblib.dump(1, "/home/ana/models/m.joblib")'];
  const [d] = await analyzeNotebook(notebook(cells), NB110);
  assert.equal(d?.fixes?.[0]?.title, 'Move `/home/ana/models` into `MODELS_DIR_2`');
  assert.deepEqual(
    applyFixToSources(cells, d!.fixes![0]!).sources[0],
    'import joblib\nfrom pathlib import Path\n\nMODELS_DIR_2 = Path("/home/ana/models")\nMODELS_DIR = 1',
  );
  const reuse = ['import joblib\nfrom pathlib import Path', 'ROOT = Path("/home/ana/models")', 'joblib.dump(1, "/home/ana/models/m.joblib")'];
  const found = await analyzeNotebook(notebook(reuse), NB110);
  assert.deepEqual(
    found.map((f) => f.severity),
    ['info', 'warning'],
  );
  assert.deepEqual(found[1]?.fixes?.[0]?.edits, [
    { cell: 2, range: { start: { line: 0, character: 15 }, end: { line: 0, character: 42 } }, newText: 'ROOT / "m.joblib"' },
  ]);
});

test('fix is unsafe when the path is used as a string, or is a home or Windows path', async () => {
  const unsafe = async (cells: string[]) => (await analyzeNotebook(notebook(cells), NB110))[0]?.fixes?.[0]?.safety;
  assert.equal(await unsafe(['base = "/home/ana/data/raw"', 'print(base + "/x.csv")']), 'unsafe');
  assert.equal(await unsafe(['import pandas as pd', 'p = "/home/ana/data/x.csv"', 'df = pd.read_csv(p)']), 'safe');
  assert.equal(await unsafe(['import pandas as pd', 'df = pd.read_csv("~/data/x.csv")']), 'unsafe');
  assert.equal(await unsafe(['import pandas as pd', 'df = pd.read_csv("C:/data/x.csv")']), 'unsafe');
  assert.equal(await unsafe(['import cv2', 'img = cv2.imread("/home/ana/img/a.png")']), 'unsafe');
});

test('an ALL_CAPS constant holding an absolute path is information only, without a fix', async () => {
  const [d] = await analyzeNotebook(notebook(['DATA_PATH = "/mnt/data/churn.csv"']), NB110);
  assert.equal(d?.severity, 'info');
  assert.equal(d?.fixes, undefined);
  assert.equal(
    d?.message,
    '`DATA_PATH` holds the absolute path `"/mnt/data/churn.csv"`, which exists only on one machine; make it relative to the project or configurable.',
  );
});

// Real notebooks executed by nbclient (scripts/fixtures/make_imports.py): exact codes and ranges.
const fixtures = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/imports/expected.json'), 'utf8')) as {
  findings: Record<string, Array<{ code: string; cell: number; range: unknown }>>;
};
const ownFixtures = Object.entries(fixtures.findings);

test('NB110: at least three executed fixtures fire and three others do not', () => {
  const firing = ownFixtures.filter(([, expected]) => expected.some((e) => e.code === 'NB110'));
  assert.ok(firing.length >= 3);
  assert.ok(ownFixtures.length - firing.length >= 3);
});

for (const [file, expected] of ownFixtures) {
  test(`${file}: NB110 exactly as expected`, async () => {
    const found = await analyzeNotebook(await loadNotebookFile(join(repoRoot, file)), { select: ['NB110'] });
    assert.deepEqual(
      found.map((d) => ({ code: d.code, cell: d.cell, range: d.range })),
      expected.filter((e) => e.code === 'NB110'),
    );
  });
}
