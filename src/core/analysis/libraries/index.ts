/**
 * Library knowledge as data: resolves a qualified name (`sklearn.preprocessing.StandardScaler`)
 * to what it does for provenance. Tables are keyed by the module's first segment, so lookups
 * cost one map access and one property access.
 */
import { catboost } from './catboost';
import { categoryEncoders } from './category-encoders';
import { imblearn } from './imblearn';
import { joblib } from './joblib';
import { keras } from './keras';
import { lightgbm } from './lightgbm';
import { numpy } from './numpy';
import { pandas } from './pandas';
import { pickle } from './pickle';
import { sklearn } from './sklearn';
import { statsmodels } from './statsmodels';
import { torch } from './torch';
import { xgboost } from './xgboost';
import type { ClassRole, FunctionRole, LibraryTable } from './types';

export type { ClassRole, EstimatorTask, FunctionRole, LibraryTable, PreprocessingPattern } from './types';

/** Every table, in the order name-only lookups (no import seen) try them. */
export const LIBRARIES: readonly LibraryTable[] = [
  sklearn,
  imblearn,
  categoryEncoders,
  xgboost,
  lightgbm,
  catboost,
  keras,
  statsmodels,
  pandas,
  numpy,
  joblib,
  pickle,
  torch,
];

const byModule = new Map<string, LibraryTable>();
for (const table of LIBRARIES) for (const module of table.modules) byModule.set(module, table);

/** What a qualified name resolves to: a class, a function, or a name of a known library that no table lists. */
export type LibraryEntry =
  | { kind: 'class'; name: string; library: LibraryTable; role: ClassRole }
  | { kind: 'function'; name: string; library: LibraryTable; role: FunctionRole }
  | { kind: 'unlisted'; name: string; library: LibraryTable };

/**
 * Looks a qualified name up in the table of its top-level module; undefined when the module is
 * not one of the tabled libraries. `tensorflow.keras.X` and `tf.keras.X` resolve through Keras.
 */
export function lookupQualified(qualified: string): LibraryEntry | undefined {
  const parts = qualified.split('.');
  const table = byModule.get(parts[0] ?? '');
  const name = parts.at(-1) ?? '';
  if (table === undefined || parts.length < 2) return undefined;
  return lookupIn(table, name);
}

/** Looks a bare name up in every table (for names bound by star imports or by cells that are gone). */
export function lookupBareName(name: string): LibraryEntry | undefined {
  // Only class-like or underscored names: a bare `train` or `load` is far more often a notebook
  // variable defined elsewhere than an unimported library function.
  if (!/^[A-Z]/.test(name) && !name.includes('_')) return undefined;
  for (const table of LIBRARIES) {
    const entry = lookupIn(table, name);
    if (entry.kind !== 'unlisted') return entry;
  }
  return undefined;
}

function lookupIn(table: LibraryTable, name: string): LibraryEntry {
  const role = Object.hasOwn(table.classes, name) ? table.classes[name] : undefined;
  if (role !== undefined) return { kind: 'class', name, library: table, role };
  const fn = Object.hasOwn(table.functions, name) ? table.functions[name] : undefined;
  if (fn !== undefined) return { kind: 'function', name, library: table, role: fn };
  return { kind: 'unlisted', name, library: table };
}
