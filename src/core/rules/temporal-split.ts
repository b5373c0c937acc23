import { provenanceOf, type Location, type TimeOrder } from '../analysis/provenance';
import { anchor, confidence, related, reportedModel, withModel } from '../analysis/provenance/report';
import type { Finding, Rule } from './types';

/** LK206: time-ordered data is split at random, so the model trains on the future to predict the past. */
export const temporalSplit: Rule = {
  code: 'LK206',
  name: 'temporal-split',
  severity: 'warning',
  tier: 'preview',
  docs: {
    tierReason:
      'Right 1 time in 8 in the audit of public notebooks: `.sample(n)` for display is read as a shuffled split, and time-indexed helper frames as the training data.',
    summary: 'Data sorted or indexed by a date or time column, or given lag features, is split at random (shuffled) instead of by time.',
    why:
      'When rows are ordered in time, a shuffled split puts later rows in training and earlier ones in test: the ' +
      'model learns from the future it is asked to predict, and lag or rolling features copy test values into ' +
      'training rows. The score is optimistic and collapses in production, where only the past is known. Split ' +
      'by time (`shuffle=False`, a date cut-off, or `TimeSeriesSplit`).',
    example: [
      '# %%',
      'import pandas as pd',
      'from sklearn.model_selection import train_test_split',
      'from sklearn.ensemble import GradientBoostingRegressor',
      '',
      '# %%',
      'sales = pd.read_csv("sales.csv").sort_values("date")',
      'sales["lag_1"] = sales["units"].shift(1)',
      'X_train, X_test, y_train, y_test = train_test_split(sales[["lag_1"]], sales["units"], test_size=0.2)',
      'model = GradientBoostingRegressor(random_state=0).fit(X_train, y_train)',
      'print(model.score(X_test, y_test))',
    ].join('\n'),
    useInstead: [
      '# %%',
      'import pandas as pd',
      'from sklearn.model_selection import train_test_split',
      'from sklearn.ensemble import GradientBoostingRegressor',
      '',
      '# %%',
      'sales = pd.read_csv("sales.csv").sort_values("date")',
      'sales["lag_1"] = sales["units"].shift(1)',
      'X_train, X_test, y_train, y_test = train_test_split(sales[["lag_1"]], sales["units"], test_size=0.2, shuffle=False)',
      'model = GradientBoostingRegressor(random_state=0).fit(X_train, y_train)',
      'print(model.score(X_test, y_test))',
    ].join('\n'),
    fixSafety: 'No automatic fix yet. Passing `shuffle=False` changes which rows are held out and the scores, by design.',
  },
  check(analysed) {
    const provenance = provenanceOf(analysed);
    const findings: Finding[] = [];
    const report = (location: Location, api: string, order: TimeOrder, model: string | undefined, uncertain: boolean): void => {
      findings.push({
        message: `\`${api}\` shuffles rows that are ordered in time (${order.reason}), so ${model === undefined ? 'the model' : `\`${model}\``} is trained on later rows than some it is tested on.`,
        cell: location.cell,
        range: location.range,
        related: [related(order.location, 'the rows are ordered in time here')],
        data: { ...withModel(model), source: api, confidence: uncertain || provenance.dynamic ? 'low' : 'high' },
      });
    };
    for (const split of provenance.splits) {
      const order = split.input.timeOrder;
      if (split.speculative || !split.shuffles || order === undefined) continue;
      const training = provenance.fits.find((f) => f.kind === 'estimator' && !f.speculative && f.data.split === split);
      // Positional parts of shuffled rows (`df.sample(frac=1)` then `[:n]`): the shuffle is the random split.
      const at = split.shuffledBy?.location ?? anchor(split);
      report(at, split.shuffledBy?.api ?? split.api, order, reportedModel(training?.object), split.input.uncertain);
    }
    for (const cv of provenance.crossValidations) {
      const order = cv.data.timeOrder;
      if (cv.speculative || order === undefined || cv.splitter?.shuffles !== true) continue;
      report(cv.location, cv.api, order, reportedModel(cv.model), confidence(provenance) === 'low');
    }
    return findings;
  },
};
