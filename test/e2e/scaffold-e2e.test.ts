// End to end: scaffold real notebooks, run the generated training and pytest with Debian's
// Python, check the predictions against the notebook's own code, validate the manifest with
// the zod schema, and run `nb2prod check` on the generated code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { validateManifest } from '../../src/core/artifacts/manifest';
import { repoRoot } from '../helpers/paths';

const python = process.env['NB2PROD_PYTHON'] ?? '/usr/bin/python3';
const probe = spawnSync(python, ['-c', 'import sklearn, pandas, numpy, joblib, pytest'], { encoding: 'utf8' });
const missing =
  probe.status === 0
    ? undefined
    : `${python} lacks the sklearn stack (numpy, pandas, scikit-learn, joblib, pytest): ${(probe.stderr || probe.error?.message || '').trim().split('\n').pop()}`;
// In CI a missing stack is a failure, never a silent skip.
const skip = missing !== undefined && !process.env['CI'] ? `skipped: ${missing}` : false;
if (skip) console.log(`scaffold e2e ${skip}`);

interface Case {
  notebook: string;
  dataFolder: string;
  /** Lines appended to config.py: what the user sets for names no cell defines. */
  settings?: string;
  /**
   * How to run the notebook's own code path for the comparison (notebook_reference.py). None
   * when the project's frame differs from the notebook's by design (pd.get_dummies moved into the
   * Pipeline keeps the raw columns).
   */
  reference?: Record<string, unknown>;
  /** A column the model must take raw, as a category input (one-hot encoded inside the Pipeline). */
  categoricalInput?: { name: string; categories: string[] };
  /**
   * Also score the held-out rows as raw model inputs with `nb2prod predict --backend python`
   * (labels equal to the notebook's code path) and check that `nb2prod drift` is quiet on the raw data.
   */
  rawRows?: { data: string };
  /**
   * Raw rows the notebook engineered itself (a second frame): `nb2prod predict --backend python`
   * on the raw CSV must equal the notebook code's predictions for that frame (the reference's
   * `score_frame`), and `nb2prod drift` on it must stay quiet.
   */
  rawBatch?: { csv: string; inputs: string[]; text: string[]; withMissing?: boolean };
  /** The metric the notebook computed (the reference's `metric` variable) that training must write equal in the manifest. */
  metric?: string;
  /** The project's held-out accuracy must equal the notebook's own model's on the same rows. */
  metricEqual?: boolean;
  /**
   * A numeric input whose smallest or largest value only held-out rows have: `nb2prod predict`
   * answers those raw rows with a warning naming it, and no golden row lies outside the training range.
   */
  outOfRange?: string;
  /** Train a second time: the same metrics and the same model file (every estimator is seeded). */
  reproducible?: boolean;
  /**
   * The columns the model takes that the raw data does not have: data preparation makes them
   * outside the Pipeline, so the generated raw-row test fails, naming them (a known gap).
   */
  rawRowsRefused?: string[];
  /**
   * A raw column whose categories the Pipeline's first step learned: one training row with a category
   * training never saw must get exactly the columns of a batch, the engineered `column` coded -1
   * (LabelEncoder) or its `dummies` (columns with that prefix) all 0, and score.
   */
  unseen?: { column: string; dummies?: string };
}

const CASES: Record<string, Case> = {
  churn: {
    notebook: join(repoRoot, 'examples', 'churn.ipynb'),
    dataFolder: join(repoRoot, 'examples', 'data'),
    settings: 'CONTRACT_MAP = {"month-to-month": 0, "one-year": 1, "two-year": 2}\n',
    rawRowsRefused: ['contract_code', 'charges_per_month', 'relative_charges', 'is_monthly'],
    reference: {
      order: 'execution',
      inject: { contract_map: { 'month-to-month': 0, 'one-year': 1, 'two-year': 2 } },
      frame: 'data',
      features: 'features',
      target: 'churned',
      transformers: ['scaler'],
      model: 'model',
      test_size: 0.2,
      random_state: 42,
    },
  },
  house_prices: {
    notebook: join(repoRoot, 'test', 'fixtures', 'scaffold', 'house_prices.ipynb'),
    dataFolder: join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'),
    rawRowsRefused: ['age', 'rooms_per_100m2', 'relative_distance'],
    reference: {
      order: 'document',
      frame: 'data',
      features: 'features',
      target: 'price',
      transformers: ['imputer', 'scaler'],
      model: 'model',
      test_size: 0.25,
      random_state: 7,
    },
  },
  // The model is a GridSearchCV over a Pipeline built in another cell (build_model rebuilds it).
  plan_search: {
    notebook: join(repoRoot, 'test', 'fixtures', 'scaffold', 'plan_search.ipynb'),
    dataFolder: join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'),
    reference: {
      order: 'document',
      frame: 'customers',
      features: 'features',
      target: 'churned',
      transformers: [],
      model: 'search',
      test_size: 0.25,
      random_state: 3,
    },
  },
  // Feature engineering in a loop over [train, new] and a function applied to both frames, before
  // the split: the saved Pipeline runs it as its first step, so the model scores raw rows.
  passengers: {
    notebook: join(repoRoot, 'test', 'fixtures', 'scaffold', 'passengers.ipynb'),
    dataFolder: join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'),
    reference: {
      order: 'document',
      frame: 'train',
      features: 'features',
      target: 'survived',
      transformers: [],
      model: 'model',
      test_size: 0.25,
      random_state: 11,
      raw_inputs: true,
      score_frame: 'new',
    },
    rawBatch: { csv: 'passengers_new.csv', inputs: ['pclass', 'fare', 'name', 'siblings', 'parents', 'sex', 'age', 'port'], text: ['name'] },
  },
  // Titanic-style: a median and a mode learned from every row fill missing values, then row-wise
  // features, in a loop over [train, test] before the split; the features are what
  // `train.drop([...], axis=1)` leaves. The Pipeline's first step learns the median and the mode
  // from the training split, so raw rows with missing ages and ports score.
  travellers: {
    notebook: join(repoRoot, 'test', 'fixtures', 'scaffold', 'travellers.ipynb'),
    dataFolder: join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'),
    reference: {
      order: 'document',
      frame: 'train',
      x: 'X',
      y: 'y',
      transformers: [],
      model: 'model',
      test_size: 0.25,
      random_state: 3,
      raw_inputs: true,
      score_x: 'X_new',
    },
    rawBatch: { csv: 'travellers_new.csv', inputs: ['Pclass', 'Name', 'Sex', 'Age', 'SibSp', 'Parch', 'Fare', 'Embarked'], text: ['Name'], withMissing: true },
    metricEqual: true,
  },
  // Literal recodings before the split (`replace` of a dict of dicts in place, `frame.col =
  // frame.col.map({...})`): row-wise, so the Pipeline runs them and the model scores raw text.
  recoded: {
    notebook: join(repoRoot, 'test', 'fixtures', 'scaffold', 'recoded.ipynb'),
    dataFolder: join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'),
    reference: {
      order: 'document',
      frame: 'people',
      features: 'features',
      target: 'survived',
      transformers: [],
      model: 'model',
      test_size: 0.25,
      random_state: 21,
      raw_inputs: true,
      score_frame: 'new',
      metric: 'accuracy',
    },
    rawBatch: { csv: 'passengers_new.csv', inputs: ['fare', 'siblings', 'parents', 'sex', 'port', 'pclass', 'age'], text: [] },
    metric: 'accuracy',
  },
  // Categories label-encoded before the split (`LabelEncoder().fit_transform(col)`, `le.fit_transform`
  // in a loop over column names, `.apply(LabelEncoder().fit_transform)`): the Pipeline's first step
  // learns the categories from the training split, so the model scores raw text.
  encoded: {
    notebook: join(repoRoot, 'test', 'fixtures', 'scaffold', 'encoded.ipynb'),
    dataFolder: join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'),
    reference: {
      order: 'document',
      frame: 'staff',
      features: 'features',
      target: 'left',
      transformers: [],
      model: 'model',
      test_size: 0.25,
      random_state: 13,
      raw_inputs: true,
      score_frame: 'new',
      metric: 'accuracy',
    },
    rawBatch: {
      csv: 'staff_new.csv',
      inputs: ['satisfaction', 'hours', 'tenure', 'remote', 'site', 'dept', 'salary', 'level', 'device'],
      text: [],
    },
    metric: 'accuracy',
    unseen: { column: 'dept' },
  },
  // The features selected by a drop, then changed before the split (a column's dummies put next to
  // them with pd.concat, an attribute recoded with .map): the changes run inside the Pipeline.
  selected: {
    notebook: join(repoRoot, 'test', 'fixtures', 'scaffold', 'selected.ipynb'),
    dataFolder: join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'),
    reference: {
      order: 'document',
      frame: 'staff',
      x: 'inputs',
      y: 'target',
      transformers: [],
      model: 'model',
      test_size: 0.25,
      random_state: 13,
      raw_inputs: true,
      score_x: 'X_new',
      metric: 'accuracy',
    },
    rawBatch: { csv: 'staff_new.csv', inputs: ['dept', 'salary', 'satisfaction', 'hours', 'tenure'], text: [] },
    metric: 'accuracy',
  },
  // Dummies learned before the split (`pd.concat([frame, pd.get_dummies(frame.col)], axis="columns")`,
  // `frame.join(pd.get_dummies(frame[var], prefix=var))` in a loop, `pd.get_dummies(frame, columns=[...])`
  // to a new frame): the Pipeline's first step learns each column's categories from the training split.
  onehot: {
    notebook: join(repoRoot, 'test', 'fixtures', 'scaffold', 'onehot.ipynb'),
    dataFolder: join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'),
    reference: {
      order: 'document',
      frame: 'encoded',
      x: 'X',
      y: 'y',
      transformers: [],
      model: 'model',
      test_size: 0.25,
      random_state: 17,
      raw_inputs: true,
      score_x: 'X_new',
      metric: 'accuracy',
    },
    rawBatch: { csv: 'staff_new.csv', inputs: ['dept', 'salary', 'site', 'device', 'channel', 'satisfaction', 'hours', 'tenure'], text: [] },
    metric: 'accuracy',
    unseen: { column: 'channel', dummies: 'channel_' },
  },
  // pd.get_dummies on every row before the split: training one-hot encodes inside the Pipeline.
  dummies: {
    notebook: join(repoRoot, 'test', 'fixtures', 'scaffold', 'dummies.ipynb'),
    dataFolder: join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'),
    categoricalInput: { name: 'plan', categories: ['basic', 'pro', 'team'] },
  },
  // Numeric columns imputed and scaled, the plan one-hot encoded, each block by hand after the split,
  // put side by side with np.hstack: one ColumnTransformer in the saved Pipeline, raw columns in.
  blocks: {
    notebook: join(repoRoot, 'test', 'fixtures', 'scaffold', 'blocks.ipynb'),
    dataFolder: join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'),
    reference: {
      order: 'document',
      frame: 'customers',
      features: 'features',
      target: 'churned',
      transformers: [],
      column_blocks: [
        [['imputer', 'scaler'], 'numeric'],
        [['encoder'], 'categorical'],
      ],
      notebook_x_test: 'X_test_all',
      model: 'model',
      test_size: 0.25,
      random_state: 3,
    },
    categoricalInput: { name: 'plan', categories: ['basic', 'pro', 'team'] },
    rawRows: { data: 'data/plans.csv' },
  },
  // Features by position (iloc[:, 1:5]), the target as an attribute recoded with .map({...}) and
  // .to_numpy(), comments inside call arguments.
  shapes: {
    notebook: join(repoRoot, 'test', 'fixtures', 'scaffold', 'shapes.ipynb'),
    dataFolder: join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'),
    reference: { order: 'document', frame: 'subs', x: 'X', y: 'y', transformers: ['scaler'], model: 'model', test_size: 0.25, random_state: 5 },
    rawRows: { data: 'data/subscribers.csv' },
  },
  // `np.log1p(sales["price"])`, scored as `np.expm1(model.predict(X_test))`: the saved model is a
  // TransformedTargetRegressor that predicts prices, and its MAE is the notebook's, in prices.
  log_target: {
    notebook: join(repoRoot, 'test', 'fixtures', 'scaffold', 'log_target.ipynb'),
    dataFolder: join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'),
    reference: {
      order: 'document',
      frame: 'sales',
      x: 'X',
      y: 'y',
      transformers: [],
      model: 'model',
      test_size: 0.25,
      random_state: 4,
      inverse: 'expm1',
      metric: 'mae',
    },
    rawRows: { data: 'data/sales.csv' },
    metric: 'mae',
  },
  // `np.sqrt(sales.price)` scored on that scale only: the manifest's MSE is on the square-root scale too.
  sqrt_target: {
    notebook: join(repoRoot, 'test', 'fixtures', 'scaffold', 'sqrt_target.ipynb'),
    dataFolder: join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'),
    reference: {
      order: 'document',
      frame: 'sales',
      x: 'X',
      y: 'y',
      transformers: [],
      model: 'model',
      test_size: 0.2,
      random_state: 6,
      inverse: 'square',
      metric: 'mse',
    },
    metric: 'mse',
  },
  // `LabelEncoder().fit_transform(flowers["species"])`: the classifier learns and predicts the species names.
  label_target: {
    notebook: join(repoRoot, 'test', 'fixtures', 'scaffold', 'label_target.ipynb'),
    dataFolder: join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'),
    reference: {
      order: 'document',
      frame: 'flowers',
      x: 'X',
      target: 'species',
      transformers: [],
      model: 'model',
      test_size: 0.3,
      random_state: 8,
      metric: 'accuracy',
    },
    rawRows: { data: 'data/flowers.csv' },
    metric: 'accuracy',
  },
  // `np.array(temps["actual"])` as the target (WillKoehrsen's "Random Forest Explained" shape).
  array_target: {
    notebook: join(repoRoot, 'test', 'fixtures', 'scaffold', 'array_target.ipynb'),
    dataFolder: join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'),
    reference: { order: 'document', frame: 'temps', x: 'X', y: 'labels', transformers: [], model: 'rf', test_size: 0.25, random_state: 42, metric: 'mae' },
    rawRows: { data: 'data/temperatures.csv' },
    metric: 'mae',
  },
  // Every column but the label as a mask over the frame's columns, inside the split call; a visit
  // number among the features (held-out rows outside its training range are scored with a
  // warning); an unseeded forest, which training seeds with the split's seed.
  masked: {
    notebook: join(repoRoot, 'test', 'fixtures', 'scaffold', 'masked.ipynb'),
    dataFolder: join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'),
    reference: {
      order: 'document',
      frame: 'clinic',
      x_drop: ['Outcome'],
      target: 'Outcome',
      transformers: [],
      model: 'forest',
      test_size: 0.25,
      random_state: 12,
    },
    rawRows: { data: 'data/clinic.csv' },
    outOfRange: 'visit',
    reproducible: true,
  },
  // One feature and the target by column position, as arrays (`df.iloc[:, 4].values.reshape(-1, 1)`).
  positions: {
    notebook: join(repoRoot, 'test', 'fixtures', 'scaffold', 'positions.ipynb'),
    dataFolder: join(repoRoot, 'test', 'fixtures', 'scaffold', 'data'),
    reference: { order: 'document', frame: 'df', x: 'x', x_columns: ['chol'], y: 'y', transformers: [], model: 'regressor', test_size: 0.35, random_state: 0 },
    rawRows: { data: 'data/cardio.csv' },
  },
};

function run(command: string, args: string[], cwd: string): { stdout: string; stderr: string; status: number | null; ms: number } {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status, ms: performance.now() - started };
}

/**
 * Runs the notebook's own code on the same rows (its work folder is a copy, so it writes nothing
 * in the project) and asserts that the project predicts the held-out rows as it does.
 */
function compareWithNotebook(
  c: Case,
  how: Record<string, unknown>,
  root: string,
  project: string,
): { summary: string; scored?: number[][]; accuracy?: number } {
  const workdir = join(root, 'notebook');
  cpSync(c.dataFolder, join(workdir, 'data'), { recursive: true });
  const spec = join(root, 'spec.json');
  const raw = c.rawRows ? { rows_out: join(root, 'held-out.csv'), labels_out: join(root, 'held-out-labels.json') } : {};
  writeFileSync(spec, JSON.stringify({ notebook: c.notebook, workdir, project, ...how, ...raw }));
  const reference = run(python, [join(repoRoot, 'test', 'fixtures', 'scaffold', 'notebook_reference.py'), spec], root);
  assert.equal(reference.status, 0, reference.stderr);
  const compared = JSON.parse(reference.stdout.trim().split('\n').pop()!) as {
    rows_compared: number;
    rows_rejected: number;
    max_abs_diff: number;
    labels_equal: boolean;
    frame_equal: boolean;
    scored?: number[][];
    notebook_metric?: number;
    notebook_accuracy: number | null;
  };
  assert.ok(compared.frame_equal);
  assert.ok(compared.rows_compared >= 50, `only ${compared.rows_compared} held-out rows were accepted`);
  assert.ok(compared.max_abs_diff <= 1e-9, `max difference ${compared.max_abs_diff}`);
  assert.ok(compared.labels_equal);
  let summary = `${compared.rows_compared} held-out rows equal to the notebook's code path (max |diff| ${compared.max_abs_diff}), ${compared.rows_rejected} rejected by its input checks`;
  if (c.metric !== undefined) {
    // The metric training wrote is the one the notebook computed, on the same scale.
    const written = (JSON.parse(readFileSync(join(project, 'artifacts', 'manifest.json'), 'utf8')) as { metrics: Record<string, number> }).metrics[c.metric];
    assert.ok(compared.notebook_metric !== undefined && written !== undefined);
    assert.ok(
      Math.abs(written - compared.notebook_metric) <= 1e-9 * Math.max(1, Math.abs(compared.notebook_metric)),
      `manifest ${c.metric} ${written}, notebook ${compared.notebook_metric}`,
    );
    summary += `; ${c.metric} ${written} as the notebook's`;
  }
  return {
    summary,
    ...(compared.scored ? { scored: compared.scored } : {}),
    ...(compared.notebook_accuracy !== null ? { accuracy: compared.notebook_accuracy } : {}),
  };
}

/**
 * The raw batch through the CLI: `predict --backend python` equals the notebook code's
 * probabilities for the rows it accepts, and `drift` on the batch is quiet.
 */
async function scoreRawBatch(c: Case, root: string, project: string, scored: number[][]): Promise<string> {
  const batch = join(c.dataFolder, c.rawBatch!.csv);
  const manifestPath = join(project, 'artifacts', 'manifest.json');
  // The raw columns the model takes, as read from the file (the signature refuses unknown columns
  // such as the passenger id the notebook never used).
  const rows = join(root, 'raw-rows.csv');
  const cut = run(
    python,
    [
      '-c',
      'import sys, pandas as pd; pd.read_csv(sys.argv[1])[sys.argv[3].split(",")].to_csv(sys.argv[2], index=False)',
      batch,
      rows,
      c.rawBatch!.inputs.join(','),
    ],
    root,
  );
  assert.equal(cut.status, 0, cut.stderr);
  const predicted = await main(['predict', '--manifest', manifestPath, '--input', rows, '--backend', 'python', '--python', python, '--format', 'json']);
  const report = JSON.parse(predicted.stdout) as {
    rows: Array<{ row: number; status: string; issues: Array<{ message: string }>; prediction?: { probabilities?: Record<string, number> } }>;
  };
  const ok = report.rows.filter((r) => r.status !== 'rejected');
  assert.equal(report.rows.length, scored.length);
  assert.ok(
    ok.length >= 0.9 * scored.length,
    `only ${ok.length} of ${scored.length} raw rows predicted: ${report.rows
      .filter((r) => r.status === 'rejected')
      .slice(0, 3)
      .map((r) => r.issues.map((i) => i.message).join('; '))
      .join(' | ')}`,
  );
  let maxDiff = 0;
  for (const row of ok) {
    const probabilities = Object.values(row.prediction!.probabilities!);
    probabilities.forEach((p, k) => (maxDiff = Math.max(maxDiff, Math.abs(p - scored[row.row]![k]!))));
  }
  assert.ok(maxDiff <= 1e-6, `max difference ${maxDiff} from the notebook's predictions on the raw batch`);
  let missing = '';
  if (c.rawBatch!.withMissing) {
    // Rows with missing values are filled inside the Pipeline: each of them scores.
    const found = run(
      python,
      ['-c', 'import sys, json, pandas as pd; print(json.dumps([int(i) for i in pd.read_csv(sys.argv[1]).isna().any(axis=1).to_numpy().nonzero()[0]]))', rows],
      root,
    );
    const withMissing = JSON.parse(found.stdout) as number[];
    assert.ok(withMissing.length > 0, 'the raw batch has no row with a missing value');
    const rejected = report.rows.filter((r) => r.status === 'rejected' && withMissing.includes(r.row));
    assert.deepEqual(
      rejected.map((r) => r.issues.map((i) => i.message)),
      [],
    );
    missing = `, all ${withMissing.length} with missing values among them`;
  }
  const drift = await main(['drift', '--manifest', manifestPath, '--data', batch, '--format', 'json']);
  const verdict = (JSON.parse(drift.stdout) as { verdict: { status: string; drifted: string[] } }).verdict;
  assert.equal(verdict.status, 'ok', drift.stdout);
  return `${ok.length} of ${scored.length} raw rows predicted by the python backend equal to the notebook (max |diff| ${maxDiff.toExponential(1)})${missing}, drift ${verdict.status}`;
}

/** One raw row with a category training never saw, through the saved Pipeline (see `Case.unseen`). */
function scoreUnseenCategory(unseen: NonNullable<Case['unseen']>, project: string): string {
  const script = [
    'import json, sys',
    'from src.data import ingestion, preprocessing',
    'from src.model import train as training',
    'from src.model.predict import Predictor',
    'pipeline = Predictor().pipeline',
    'frame = preprocessing.prepare_frame(ingestion.load_data())',
    'X = frame[training.select_features(frame)]',
    'one = X.iloc[[0]].copy()',
    'one[sys.argv[1]] = "never-seen-category"',
    'batch, single = pipeline[:1].transform(X.iloc[:20]), pipeline[:1].transform(one)',
    'pipeline.predict(one)',
    'print(json.dumps({"columns_equal": list(batch.columns) == list(single.columns), "row": {str(k): (v.item() if hasattr(v, "item") else v) for k, v in single.iloc[0].items()}}))',
  ].join('\n');
  const result = run(python, ['-c', script, unseen.column], project);
  assert.equal(result.status, 0, result.stderr);
  const answer = JSON.parse(result.stdout.trim().split('\n').pop()!) as { columns_equal: boolean; row: Record<string, unknown> };
  assert.ok(answer.columns_equal, 'a row with an unseen category gets other columns than a batch');
  if (unseen.dummies !== undefined) {
    const dummies = Object.entries(answer.row).filter(([k]) => k.startsWith(unseen.dummies!));
    assert.ok(dummies.length > 0);
    assert.deepEqual(
      dummies.filter(([, v]) => Number(v) !== 0),
      [],
    );
    return `an unseen \`${unseen.column}\` gets ${dummies.length} zero dummies`;
  }
  assert.equal(answer.row[unseen.column], -1);
  return `an unseen \`${unseen.column}\` is coded -1`;
}

/**
 * `nb2prod predict` on the held-out rows as raw model inputs answers the notebook code path's
 * labels, and `nb2prod drift` on the raw training data reports no drift.
 */
async function scoreRawRows(c: Case, root: string, project: string): Promise<string> {
  const data = c.rawRows!.data;
  const manifest = join(project, 'artifacts', 'manifest.json');
  const predicted = await main([
    'predict',
    '--manifest',
    manifest,
    '--input',
    join(root, 'held-out.csv'),
    '--backend',
    'python',
    '--python',
    python,
    '--format',
    'json',
  ]);
  assert.equal(predicted.exitCode, 0, predicted.stdout + predicted.stderr);
  const answer = JSON.parse(predicted.stdout) as {
    ok: boolean;
    rows: Array<{ status: string; issues: Array<{ feature: string | null; message: string }>; prediction?: { label?: unknown; value?: number } }>;
  };
  assert.ok(answer.ok);
  const expected = JSON.parse(readFileSync(join(root, 'held-out-labels.json'), 'utf8')) as unknown[];
  assert.ok(expected.length >= 50, `only ${expected.length} held-out rows`);
  assert.equal(answer.rows.length, expected.length);
  if (answer.rows.some((r) => r.prediction?.value !== undefined)) {
    // A regressor: its values on the original scale, as the notebook's code path computes them.
    answer.rows.forEach((r, i) =>
      assert.ok(
        Math.abs(r.prediction!.value! - (expected[i] as number)) <= 1e-6 * Math.max(1, Math.abs(expected[i] as number)),
        `row ${i}: ${r.prediction?.value} vs ${String(expected[i])}`,
      ),
    );
  } else
    assert.deepEqual(
      answer.rows.map((r) => r.prediction?.label),
      expected,
    );
  const drift = await main(['drift', '--manifest', manifest, '--data', join(project, data), '--format', 'json']);
  const report = JSON.parse(drift.stdout) as { verdict: { status: string; drifted: string[]; warned: string[] } };
  assert.equal(drift.exitCode, 0, drift.stdout + drift.stderr);
  assert.equal(report.verdict.status, 'ok');
  assert.deepEqual([...report.verdict.drifted, ...report.verdict.warned], []);
  if (c.outOfRange === undefined) return '';
  // Held-out rows outside a training range (`outOfRange` among them) are answered, each with a warning naming the input.
  const warned = answer.rows.filter((r) => r.status === 'warning');
  for (const row of warned) {
    assert.ok(row.prediction !== undefined);
    assert.ok(row.issues.every((i) => /outside the range training saw/.test(i.message)));
  }
  const named = warned.filter((r) => r.issues.some((i) => i.feature === c.outOfRange));
  assert.ok(named.length > 0, `no held-out row lies outside the training range of \`${c.outOfRange}\``);
  const written = JSON.parse(readFileSync(manifest, 'utf8')) as {
    input_policy: Record<string, string>;
    signature: { inputs: Array<{ name: string; min: number; max: number }> };
    golden: { rows: Array<{ inputs: Record<string, number> }> };
  };
  assert.equal(written.input_policy['out_of_range'], 'warn');
  const range = written.signature.inputs.find((i) => i.name === c.outOfRange)!;
  assert.ok(written.golden.rows.length > 0);
  for (const row of written.golden.rows) assert.ok(row.inputs[c.outOfRange]! >= range.min && row.inputs[c.outOfRange]! <= range.max);
  return `; ${warned.length} held-out rows outside a training range answered with a warning (${named.length} for \`${c.outOfRange}\`)`;
}

for (const [name, c] of Object.entries(CASES)) {
  test(`scaffold e2e: ${name}`, { skip, timeout: 300_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), `nb2prod-e2e-${name}-`));
    try {
      const project = join(root, 'project');
      const started = performance.now();
      const scaffolded = await main(['scaffold', c.notebook, '--out', project]);
      const scaffoldMs = performance.now() - started;
      assert.equal(scaffolded.exitCode, 0, scaffolded.stderr);
      cpSync(c.dataFolder, join(project, 'data'), { recursive: true });
      if (c.settings) writeFileSync(join(project, 'src', 'utils', 'config.py'), readFileSync(join(project, 'src', 'utils', 'config.py'), 'utf8') + c.settings);

      // Before training the generated tests fail (never skip): pytest after a failed training is red.
      const untrained = run(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], project);
      assert.equal(untrained.status, 1, untrained.stdout + untrained.stderr);
      assert.match(untrained.stdout, /no artifacts: .*manifest\.json is missing; run `python -m src\.model\.train` first/);
      assert.match(untrained.stdout, /7 failed, 1 passed|1 passed, 7 failed|7 errors?, 1 passed|1 passed, 7 errors?/);
      assert.doesNotMatch(untrained.stdout, /skipped/);

      const train = run(python, ['-m', 'src.model.train'], project);
      assert.equal(train.status, 0, train.stderr);
      // skl2onnx is not in Debian's stack: training must log that it skipped the export (the
      // project logs through one logger, to stderr, and prints nothing).
      const onnx = spawnSync(python, ['-c', 'import skl2onnx']).status === 0;
      if (!onnx) assert.match(train.stderr, / INFO __main__: ONNX export skipped: skl2onnx is not installed$/m);
      assert.equal(train.stdout, '');
      console.log(`  ${name}: ${onnx ? 'ONNX exported' : 'ONNX export skipped: skl2onnx is not installed'}`);

      const pytest = run(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], project);
      if (c.rawRowsRefused !== undefined) {
        // The generated test that feeds raw rows fails (never skips), and says which columns the raw data lacks.
        assert.equal(pytest.status, 1, pytest.stdout + pytest.stderr);
        assert.match(pytest.stdout, /1 failed, 7 passed/);
        assert.match(pytest.stdout, /FAILED tests\/test_predict\.py::test_raw_rows_of_the_data_are_answered/);
        assert.ok(
          pytest.stdout.includes(`the model takes columns the raw data does not have: [${c.rawRowsRefused.map((n) => `'${n}'`).join(', ')}]`),
          pytest.stdout,
        );
      } else {
        assert.equal(pytest.status, 0, pytest.stdout + pytest.stderr);
        assert.match(pytest.stdout, /8 passed/);
      }

      const manifest: unknown = JSON.parse(readFileSync(join(project, 'artifacts', 'manifest.json'), 'utf8'));
      const validation = validateManifest(manifest);
      assert.ok(validation.ok, validation.ok ? '' : validation.issues.join('\n'));
      // The serving lock: the exact versions training ran with.
      const trainedWith = (manifest as { environment: { packages: Record<string, string | null> } }).environment.packages['scikit-learn'];
      assert.match(
        readFileSync(join(project, 'artifacts', 'requirements.txt'), 'utf8'),
        new RegExp(`^scikit-learn==${trainedWith?.replaceAll('.', '\\.')}$`, 'm'),
      );
      if (c.categoricalInput && validation.ok) {
        const input = validation.manifest.signature.inputs.find((i) => i.name === c.categoricalInput!.name);
        assert.deepEqual(input?.categories, c.categoricalInput.categories);
      }
      if (c.rawBatch && validation.ok) {
        // The model takes the raw columns; free text is any string; the pickle imports the project's own module.
        assert.deepEqual(
          validation.manifest.signature.inputs.map((i) => i.name),
          c.rawBatch.inputs,
        );
        assert.deepEqual(
          validation.manifest.signature.inputs.filter((i) => i.tensor_type === 'string' && i.categories === null).map((i) => i.name),
          c.rawBatch.text,
        );
        assert.deepEqual(validation.manifest.project_modules, ['src.data.preprocessing']);
      }

      // The artifacts training wrote verify: the static scan allows every global and each is one
      // training recorded.
      const verified = await main(['verify', '--manifest', join(project, 'artifacts', 'manifest.json'), '--format', 'json']);
      const checks = (JSON.parse(verified.stdout) as { checks: Array<{ status: string; check: string; message: string; found?: string }> }).checks;
      assert.deepEqual(
        checks.filter((c) => c.check === 'pickle' && c.status !== 'pass'),
        [],
      );
      assert.equal(verified.exitCode, 0, verified.stdout);

      const reference = c.reference ? compareWithNotebook(c, c.reference, root, project) : undefined;
      let compared = reference?.summary ?? 'no comparison with the notebook (its frame holds dummy columns by design)';
      if (c.rawRows) compared += await scoreRawRows(c, root, project);
      if (c.metricEqual && validation.ok) {
        assert.equal(validation.manifest.metrics['accuracy'], reference!.accuracy, "held-out accuracy differs from the notebook's");
        compared += `; accuracy ${reference!.accuracy} as in the notebook`;
      }
      if (c.rawBatch) compared += `; ${await scoreRawBatch(c, root, project, reference!.scored!)}`;
      if (c.reproducible) {
        // A second training of the same project: the same metrics and byte for byte the same model.
        const manifestPath = join(project, 'artifacts', 'manifest.json');
        const first = JSON.parse(readFileSync(manifestPath, 'utf8')) as { metrics: unknown; artifacts: Array<{ role: string; sha256: string }> };
        const again = run(python, ['-m', 'src.model.train'], project);
        assert.equal(again.status, 0, again.stderr);
        const second = JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof first;
        assert.deepEqual(second.metrics, first.metrics);
        assert.deepEqual(
          second.artifacts.map((a) => [a.role, a.sha256]),
          first.artifacts.map((a) => [a.role, a.sha256]),
        );
        compared += '; a second training gives the same metrics and model hash';
      }
      if (c.unseen) compared += `; ${scoreUnseenCategory(c.unseen, project)}`;

      // Our own checker on the generated code: no leakage or production finding.
      const pyFiles = readdirSync(project, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.py'))
        .map((f) => join(project, f));
      const check = await main(['check', '--format', 'json', ...pyFiles]);
      const findings = (JSON.parse(check.stdout) as { files: Array<{ path: string; diagnostics: Array<{ code: string; message: string }> }> }).files.flatMap(
        (f) => f.diagnostics.map((d) => ({ ...d, path: f.path })),
      );
      const leaks = findings.filter((d) => /^(LK|PR)/.test(d.code));
      assert.deepEqual(leaks, []);
      console.log(`  ${name}: scaffold ${scaffoldMs.toFixed(0)} ms, train ${train.ms.toFixed(0)} ms, pytest ${pytest.ms.toFixed(0)} ms; ${compared}`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}
