import { provenanceOf } from '../analysis/provenance';
import { anchor, cellName, confidence, leakReach, reachRelated, withModel } from '../analysis/provenance/report';
import { leakFindings } from './preprocessing-before-split';
import type { Rule } from './types';

/** LK203: rows are oversampled (SMOTE and friends, duplicated rows) before the train/test split. */
export const oversamplingBeforeSplit: Rule = {
  code: 'LK203',
  name: 'oversampling-before-split',
  severity: 'error',
  tier: 'preview',
  docs: {
    tierReason: 'Its one audited finding on public notebooks was wrong (the test set oversampled on its own, after the split), and the rule is rare there.',
    summary: 'Rows are oversampled (SMOTE, ADASYN, random oversampling, duplicated rows) or undersampled before the data is split or cross-validated.',
    why:
      'Oversampling creates synthetic or duplicated minority rows from their neighbours. Done before the split, ' +
      'copies and interpolations of the same original row land on both sides: the model is tested on near-copies ' +
      'of rows it trained on, and minority-class recall looks far better than it will be in production. Split ' +
      'first and oversample the training part only (an imblearn `Pipeline` does this inside each fold). ' +
      'Undersampling before the split (`RandomUnderSampler`, `NearMiss`, a hand-picked subset of the majority class) ' +
      'leaks too: the resampler decides which rows the test part may hold, so the test rows no longer have the class ' +
      'balance of the data the model will meet, and neighbour-based undersamplers choose them by looking at the test rows.',
    example: [
      '# %%',
      'import pandas as pd',
      'from imblearn.over_sampling import SMOTE',
      'from sklearn.model_selection import train_test_split',
      'from sklearn.ensemble import RandomForestClassifier',
      '',
      '# %%',
      'df = pd.read_csv("fraud.csv")',
      'X = df.drop(columns=["is_fraud"])',
      'y = df["is_fraud"]',
      'X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)',
      'X_train, X_test, y_train, y_test = train_test_split(X_res, y_res, random_state=0)',
      'model = RandomForestClassifier(random_state=0).fit(X_train, y_train)',
      'print(model.score(X_test, y_test))',
    ].join('\n'),
    useInstead: [
      '# %%',
      'import pandas as pd',
      'from imblearn.over_sampling import SMOTE',
      'from sklearn.model_selection import train_test_split',
      'from sklearn.ensemble import RandomForestClassifier',
      '',
      '# %%',
      'df = pd.read_csv("fraud.csv")',
      'X = df.drop(columns=["is_fraud"])',
      'y = df["is_fraud"]',
      'X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)',
      'X_res, y_res = SMOTE(random_state=0).fit_resample(X_train, y_train)',
      'model = RandomForestClassifier(random_state=0).fit(X_res, y_res)',
      'print(model.score(X_test, y_test))',
    ].join('\n'),
    fixSafety: 'No automatic fix yet. Resampling after the split changes the training set and the reported scores, by design.',
  },
  check(analysed) {
    const provenance = provenanceOf(analysed);
    const resampling = provenance.contaminations.filter((c) => c.fit.kind === 'resampler');
    return leakFindings(resampling, (c) => {
      const reach = leakReach(provenance, c.fit);
      const splitAt = c.split?.location ?? c.crossValidation?.location;
      const where = splitAt === undefined ? '' : ` in ${cellName(splitAt)}`;
      return {
        message:
          c.fit.object?.oversamples === false
            ? `\`${c.fit.api}\` drops rows before the data is split${where}, so the resampler chooses the test rows that score ${reach.phrase}, and they no longer have the class balance of real data.`
            : `\`${c.fit.api}\` adds rows before the data is split${where}, so copies of training rows end up in the test rows that score ${reach.phrase}.`,
        cell: anchor(c.fit).cell,
        range: anchor(c.fit).range,
        related: reachRelated(reach, splitAt, 'the oversampled rows are split here'),
        data: { ...withModel(reach.model), source: c.fit.api, confidence: confidence(provenance, c.fit) },
      };
    });
  },
};
