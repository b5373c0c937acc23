// Patterns from public notebooks that the leakage and production rules got wrong, each as a
// minimal notebook that must stay silent next to a true twin that must still fire.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../../src/core/engine';
import { notebook } from '../../helpers/notebooks';
import { IMPORTS, leaks } from '../provenance/leak-helpers';

/** Messages of the findings of the given codes. */
async function messages(cells: readonly string[], select: string[]): Promise<string[]> {
  return (await analyzeNotebook(notebook(cells), { select })).map((d) => d.message);
}

const KAGGLE_READ = 'train = pd.read_csv("train.csv")\ntest = pd.read_csv("test.csv")\ny = train["Survived"]';
const KAGGLE_PREP = 'full = pd.concat([train.drop(columns=["Survived"]), test])\nfull = pd.get_dummies(full)';
const KAGGLE_BACK = 'X = full[:len(train)]\nX_test = full[len(train):]';
const KAGGLE_VALIDATE = 'X_tr, X_val, y_tr, y_val = train_test_split(X, y, random_state=0)\nm = LogisticRegression().fit(X_tr, y_tr)\nprint(accuracy_score(y_val, m.predict(X_val)))';

describe('Kaggle train.csv and test.csv', () => {
  it('stays quiet at encoders fitted on train and an unlabelled test file, split back by len(train)', async () => {
    const cells = [IMPORTS, KAGGLE_READ, KAGGLE_PREP, KAGGLE_BACK, `${KAGGLE_VALIDATE}\npred = m.predict(X_test)`];
    assert.deepEqual(await leaks(cells, ['LK']), []);
  });

  it('still fires when the test file has labels that score the model, naming the cell of the split before the fit', async () => {
    const cells = [IMPORTS, KAGGLE_READ, KAGGLE_PREP, KAGGLE_BACK, `${KAGGLE_VALIDATE}\nprint(accuracy_score(test["Survived"], m.predict(X_test)))`];
    assert.deepEqual(await leaks(cells, ['LK202']), ['LK202 cell 2 1:7-1:27 LogisticRegression pd.get_dummies']);
    assert.deepEqual(await messages(cells, ['LK202']), [
      '`pd.get_dummies` learns from train+test rows after the data was split in cell 2, so test information reaches `LogisticRegression`.',
    ]);
  });
});

describe('positional slices named by their role', () => {
  const LOAD = 'df = pd.read_csv("d.csv")\nX = df.drop(columns=["y"])\ny = df["y"]';
  it('takes the head of a slice as validation data when the name says so', async () => {
    const cells = [IMPORTS, LOAD, 'X_valid, X_train = X[:5000], X[5000:]\ny_valid, y_train = y[:5000], y[5000:]', 'm = LogisticRegression().fit(X_train, y_train)\nprint(m.score(X_valid, y_valid))'];
    assert.deepEqual(await leaks(cells, ['LK']), []);
    const single = [IMPORTS, LOAD, 'X_valid = X[:5000]\nX_train = X[5000:]\ny_valid = y[:5000]\ny_train = y[5000:]', 'm = LogisticRegression().fit(X_train, y_train)\nprint(m.score(X_valid, y_valid))'];
    assert.deepEqual(await leaks(single, ['LK']), []);
  });

  it('still fires when the model is trained on the part named as validation', async () => {
    const cells = [IMPORTS, LOAD, 'X_valid, X_train = X[:5000], X[5000:]\ny_valid, y_train = y[:5000], y[5000:]', 'm = LogisticRegression().fit(X_valid, y_valid)\nprint(m.score(X_valid, y_valid))'];
    assert.deepEqual(await leaks(cells, ['LK202']), ['LK202 cell 3 0:4-0:46 LogisticRegression LogisticRegression.fit']);
  });
});
