/**
 * LK201's first fix: split the untransformed rows, then fit the transformer on the training part
 * and apply it to both parts, right after the split:
 *
 *     X_s = scaler.fit_transform(X)                        (removed)
 *     X_train, X_test, y_train, y_test = train_test_split(X, y, ...)
 *     X_train = scaler.fit_transform(X_train)
 *     X_test = scaler.transform(X_test)
 *
 * Unsafe by design: the transformer learns other parameters, so the model and its scores change.
 */
import type { CellTextEdit, Fix } from '../diagnostic';
import type { LeakingFit, SplitFixShape } from './leakage-split-shape';
import { edit, insertAfter, removeStatement, replaceStatement } from './leakage-statements';

/** The fix for a recognised shape. */
export function moveFitAfterSplit(shape: SplitFixShape): Fix {
  const { fit, split } = shape;
  const t = fit.transformer;
  const y = split.yTrain === undefined ? '' : `, ${split.yTrain}`;
  const lines =
    fit.variant === 'fit_transform'
      ? [`${split.xTrain} = ${t}.fit_transform(${split.xTrain}${y})`, `${split.xTest} = ${t}.transform(${split.xTest})`]
      : [`${t}.fit(${split.xTrain}${y})`, `${split.xTrain} = ${t}.transform(${split.xTrain})`, `${split.xTest} = ${t}.transform(${split.xTest})`];
  return {
    title: 'Move `fit` after `train_test_split`',
    safety: 'unsafe',
    edits: [...removeFitOnAllRows(fit), ...splitUntransformed(shape), insertAfter(split.statement, lines)],
  };
}

/**
 * Edits that take the fit on all rows out: its statements go, except that a transformer built
 * inside them keeps being built there (`scaler = StandardScaler()`), unfitted.
 */
export function removeFitOnAllRows(fit: LeakingFit): CellTextEdit[] {
  const edits: CellTextEdit[] = [];
  const keep = fit.bindsTransformer && fit.constructorText !== undefined;
  const transform = fit.transformStatement;
  if (keep) edits.push(replaceStatement(fit.fitStatement, `${fit.transformer} = ${fit.constructorText ?? ''}`));
  if (transform !== undefined && !keep && transform.cell === fit.fitStatement.cell) {
    // Adjacent lines of one cell go in one edit, so that the two removals never overlap.
    edits.push(removeStatement(fit.fitStatement, transform));
    return edits;
  }
  if (!keep) edits.push(removeStatement(fit.fitStatement));
  if (transform !== undefined) edits.push(removeStatement(transform));
  return edits;
}

/** The split's first argument becomes the untransformed rows (nothing to do for `X = t.fit_transform(X)`). */
export function splitUntransformed(shape: SplitFixShape): CellTextEdit[] {
  const { fit, split } = shape;
  if (fit.output === fit.input) return [];
  return [edit(split.statement.cell, split.statement.python, split.first.start, split.first.end, fit.input)];
}
