/** Test helpers for the leakage and production rules: findings as compact strings with model and source. */
import { analyzeNotebook } from '../../../src/core/engine';
import type { Diagnostic } from '../../../src/core/diagnostic';
import { notebook } from '../../helpers/notebooks';

/** `LK201 cell 1 4:11-4:36 LogisticRegression StandardScaler.fit_transform` (0-based cell and positions; `-` when no model class is named). */
export function leak(d: Diagnostic): string {
  const { start, end } = d.range;
  return `${d.code} cell ${d.cell} ${start.line}:${start.character}-${end.line}:${end.character} ${String(d.data['model'] ?? '-')} ${String(d.data['source'])}`;
}

/** The compact findings of the given rule codes on a notebook made of `cells`. */
export async function leaks(cells: readonly string[], select: string[]): Promise<string[]> {
  // PREVIEW: the leakage rules are opt-in on real notebooks (docs/precision.md); their tests run them all.
  return (await analyzeNotebook(notebook(cells), { select: [...select, 'PREVIEW'] })).map(leak);
}

/** Imports most cases share, as one cell. */
export const IMPORTS = [
  'import numpy as np',
  'import pandas as pd',
  'import joblib',
  'from sklearn.model_selection import train_test_split, KFold, cross_val_score, GridSearchCV',
  'from sklearn.preprocessing import StandardScaler, OneHotEncoder, LabelEncoder',
  'from sklearn.impute import SimpleImputer',
  'from sklearn.decomposition import PCA',
  'from sklearn.feature_extraction.text import TfidfVectorizer',
  'from sklearn.pipeline import make_pipeline, Pipeline',
  'from sklearn.linear_model import LogisticRegression, Ridge',
  'from sklearn.ensemble import RandomForestClassifier',
  'from sklearn.metrics import accuracy_score',
  'from imblearn.over_sampling import SMOTE',
].join('\n');
