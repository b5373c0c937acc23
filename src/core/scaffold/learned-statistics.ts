/**
 * The Python of the saved Pipeline's first step when the feature engineering learns from the data
 * (`FittedFeatures`), and of the `LearnedStatistics` helper it hands the engineering: `value` and
 * `per_group` for statistics (`x.median()`, group means), `codes` and `dummies` for encodings
 * (`LabelEncoder().fit_transform`, `pd.get_dummies`), each generated only when the engineering
 * uses it. Everything learned is kept as plain Python values under the statistic's key (its
 * notebook text), so the pickle holds no pandas object.
 */
import type { LearnedStatistic } from './row-wise';

const VALUE = `    def value(self, key, compute):
        """The statistic \`key\`: \`compute()\` on the training rows while fitting, the learned value afterwards."""
        if self.fitting:
            computed = compute()
            if isinstance(computed, pd.Series):
                computed = {"index": [plain(k) for k in computed.index], "values": [plain(v) for v in computed.tolist()]}
            self.values[key] = plain(computed)
        learned = self.values[key]
        if isinstance(learned, dict):
            return pd.Series(learned["values"], index=pd.Index(learned["index"], tupleize_cols=False))
        return learned

    def per_group(self, key, frame, by, compute):
        """A statistic of each group (\`groupby(by)[column].transform(how)\`) for every row of \`frame\`, by its group; NaN for a group training never saw."""
        learned = self.value(key, compute)
        groups = frame[by] if isinstance(by, str) else pd.Series(list(zip(*(frame[name] for name in by))), index=frame.index)
        return groups.map(dict(zip(learned.index, learned.tolist())))`;

const CODES = `    def codes(self, key, column):
        """\`LabelEncoder().fit_transform(column)\` with the categories learned from the training rows (sorted, as
        LabelEncoder sorts them): each value's position among them, and -1 for a category training never saw."""
        learned = self.values.setdefault(key, {})
        if self.fitting:
            learned[str(column.name)] = [plain(v) for v in LabelEncoder().fit(column).classes_]
        return pd.Series(pd.Index(learned[str(column.name)]).get_indexer(column), index=column.index)`;

const DUMMIES = `    def dummies(self, key, data, **options):
        """\`pd.get_dummies(data, **options)\` with each encoded column's categories learned from the training rows: the
        column is made a \`pd.Categorical\` of exactly those before encoding, so every batch (one raw row, or rows with
        categories training never saw, which get zeros) has the training's dummy columns, in the same order."""
        learned = self.values.setdefault(key, {})
        if isinstance(data, pd.Series):
            if self.fitting:
                learned[str(data.name)] = sorted(plain(v) for v in data.dropna().unique())
            return pd.get_dummies(data.astype(pd.CategoricalDtype(learned[str(data.name)])), **options)
        data = data.copy()
        if self.fitting:
            columns = options.get("columns")
            if columns is None:
                columns = data.select_dtypes(include=["object", "category"]).columns
            learned.clear()
            learned.update({str(name): sorted(plain(v) for v in data[name].dropna().unique()) for name in columns})
        for name, categories in learned.items():
            data[name] = data[name].astype(pd.CategoricalDtype(categories))
        return pd.get_dummies(data, **options)`;

/**
 * `LearnedStatistics`, `plain` and `FittedFeatures(param)`: `fit` runs the engineering on the
 * training rows and keeps what it learned, `transform` runs it on any rows with those values and
 * keeps the model's columns (`keep`, appended to the engineered frame).
 */
export function fittedFeaturesCode(param: string, keep: string, statistics: readonly LearnedStatistic[]): string {
  const used = new Set(statistics.map((l) => l.kind));
  const methods = [VALUE, ...(used.has('codes') ? [CODES] : []), ...(used.has('dummies') ? [DUMMIES] : [])];
  const learns = [
    ...(used.has('value') || used.has('group') ? ['medians, modes, group means, thresholds'] : []),
    ...(used.has('codes') || used.has('dummies') ? ['the categories it encodes'] : []),
  ];
  const doc =
    learns.length === 1 && learns[0]!.startsWith('medians')
      ? `    """The Pipeline's first step: the notebook's feature engineering on raw input rows, with the statistics of the
    data it computes (medians, modes, group means, thresholds) learned from the training rows by \`fit\`."""`
      : `    """The Pipeline's first step: the notebook's feature engineering on raw input rows, with what it learns from the
    data (${learns.join('; ')}) learned from the training rows by \`fit\`."""`;
  return `class LearnedStatistics:
    """The statistics of the data the feature engineering reads: computed from the rows while fitting, the learned values afterwards."""

    def __init__(self, values, fitting):
        self.values = values
        self.fitting = fitting

${methods.join('\n\n')}


def plain(value):
    """A numpy scalar as the Python number it holds; anything else as it is."""
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value


class FittedFeatures(BaseEstimator, TransformerMixin):
${doc}

    def __init__(self, ${param}=None):
        self.${param} = ${param}

    def fit(self, X, y=None):
        self.statistics_ = {}
        engineer_features(X, LearnedStatistics(self.statistics_, fitting=True))
        return self

    def transform(self, X):
        ${param} = self.${param}
        return engineer_features(X, LearnedStatistics(self.statistics_, fitting=False))${keep}`;
}
