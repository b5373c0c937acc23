/**
 * pandas: sources, combinators and fitting functions, plus the DataFrame/Series methods that
 * provenance treats specially. Every other method on data derives new data from its receiver.
 */
import { fitting, source, type LibraryTable } from './types';

export const pandas: LibraryTable = {
  name: 'pandas',
  modules: ['pandas'],
  classes: {},
  functions: {
    read_csv: source,
    read_parquet: source,
    read_excel: source,
    read_json: source,
    read_sql: source,
    read_sql_query: source,
    read_sql_table: source,
    read_feather: source,
    read_pickle: source,
    read_table: source,
    read_hdf: source,
    read_orc: source,
    read_stata: source,
    read_sas: source,
    read_spss: source,
    read_fwf: source,
    read_html: source,
    read_xml: source,
    read_clipboard: source,
    concat: { role: 'combine' },
    merge: { role: 'combine' },
    get_dummies: fitting('encoding'),
    qcut: fitting('discretization'),
    cut: fitting('discretization'),
    factorize: fitting('encoding'),
    to_datetime: { role: 'datetime' },
  },
};

/** Methods that compute a statistic over rows: using the result on data bakes those rows in. */
export const PANDAS_STATISTICS: ReadonlySet<string> = new Set([
  'mean',
  'median',
  'std',
  'var',
  'quantile',
  'mode',
  'min',
  'max',
  'value_counts',
  'nunique',
  'unique',
  'sum',
  'count',
  'describe',
  'agg',
  'aggregate',
  'sem',
  'skew',
  'kurt',
  'idxmax',
  'idxmin',
  'cov',
  'corr',
  'nanmean',
  'nanmedian',
  'nanstd',
  'percentile',
  'nanpercentile',
  'average',
]);

/** Methods that select rows (and so keep or change the rows role of their receiver). */
export const PANDAS_ROW_SELECTIONS: ReadonlySet<string> = new Set(['loc', 'iloc', 'head', 'tail', 'query', 'sample', 'take']);

/** Methods and accessors whose result orders or indexes rows by time. */
export const PANDAS_TIME_ORDER: ReadonlySet<string> = new Set(['shift', 'rolling', 'diff', 'pct_change', 'resample', 'expanding', 'asfreq', 'ewm']);

/** Methods that order or index rows by a column; time-ordered when that column looks like a date. */
export const PANDAS_ORDER_BY: ReadonlySet<string> = new Set(['sort_values', 'set_index', 'sort_index']);

/** Methods that apply a statistic or mapping to data (the statistic is their argument). */
export const PANDAS_APPLIERS: ReadonlySet<string> = new Set([
  'fillna',
  'map',
  'replace',
  'clip',
  'where',
  'mask',
  'sub',
  'div',
  'subtract',
  'divide',
  'merge',
  'join',
  'transform',
]);

/** Methods that write a fitted object or data to disk (`model.save(path)`). */
export const SAVE_METHODS: ReadonlySet<string> = new Set(['save', 'save_model', 'save_weights', 'dump']);
