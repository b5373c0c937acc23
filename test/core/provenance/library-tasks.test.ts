// Every model in the library tables carries its task, and the task agrees with scikit-learn's naming.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIBRARIES } from '../../../src/core/analysis/libraries';
import { taskOf } from '../../../src/core/scaffold/model-spec';

test('every estimator has a task, and *Classifier / *Regressor / *Ranker names agree with it', () => {
  let estimators = 0;
  for (const table of LIBRARIES) {
    for (const [name, role] of Object.entries(table.classes)) {
      if (role.role !== 'estimator') continue;
      estimators++;
      assert.ok(['classification', 'regression', 'ranking', 'clustering', 'outlier-detection', 'any'].includes(role.task), `${table.name} ${name}`);
      if (/Classifier(CV)?$/.test(name)) assert.equal(role.task, 'classification', `${table.name} ${name}`);
      if (/Regressor$/.test(name)) assert.equal(role.task, 'regression', `${table.name} ${name}`);
      if (/Ranker$/.test(name)) assert.equal(role.task, 'ranking', `${table.name} ${name}`);
    }
  }
  assert.ok(estimators > 100, `${estimators} estimators`);
});

test('the scaffold reads the task from the tables, and only falls back to naming for classes no table lists', () => {
  assert.equal(taskOf('LogisticRegression'), 'classification');
  assert.equal(taskOf('SVC'), 'classification');
  assert.equal(taskOf('Ridge'), 'regression');
  assert.equal(taskOf('KMeans'), 'clustering');
  assert.equal(taskOf('IsolationForest'), 'outlier-detection');
  assert.equal(taskOf('GaussianMixture', 'sklearn.mixture.GaussianMixture'), 'clustering');
  assert.equal(taskOf('LGBMRanker', 'lightgbm.LGBMRanker'), 'ranking');
  assert.equal(taskOf('Sequential', 'tensorflow.keras.Sequential'), undefined);
  assert.equal(taskOf('MyChurnClassifier'), 'classification');
  assert.equal(taskOf('StandardScaler'), undefined);
});
