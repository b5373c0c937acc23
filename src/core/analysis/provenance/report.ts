/**
 * What leakage and production rules say about provenance events: which model a leak reaches,
 * how to point at the places involved, and how sure the analysis is.
 */
import type { RelatedLocation } from '../../diagnostic';
import { cellLabel } from '../../notebook/model';
import { modelClass } from './events';
import { Rows, type Contamination, type FitEvent, type Location, type ObjectState, type Provenance, type SplitEvent } from './model';

/** `cell 3` for a location in the cell at 0-based index 2. */
export function cellName(location: Location): string {
  return cellLabel(location.cell);
}

/** A related location. */
export function related(location: Location, message: string): RelatedLocation {
  return { cell: location.cell, range: location.range, message };
}

/**
 * How a message names a model: its class in backticks (`` `LogisticRegression` ``), or "the
 * model" when the class cannot be resolved (then `data.model` is left out).
 */
export function modelPhrase(object: ObjectState | undefined): string {
  const name = object === undefined ? undefined : modelClass(object);
  return name === undefined ? 'the model' : `\`${name}\``;
}

/** A phrase with its first letter in upper case, to start a related location's message. */
export function capitalized(phrase: string): string {
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

/**
 * The class to report in `data.model` for an object; undefined when it cannot be resolved (no
 * class, or a loop over several), so that no user ever reads a made-up class such as `Unknown`.
 */
export function reportedModel(object: ObjectState | undefined): string | undefined {
  return object === undefined ? undefined : modelClass(object);
}

/** The `model` entry of a finding's data: the class when it is known, nothing otherwise. */
export function withModel(model: string | undefined): { model?: string } {
  return model === undefined ? {} : { model };
}

/** Where a leaked fit's state ends up: the first model trained on it and the first evaluation that sees it. */
export interface LeakReach {
  /** The estimator fit whose training data carries the leaked state. */
  training?: FitEvent;
  /** The first evaluation or cross-validation whose data carries it. */
  evaluation?: { model: ObjectState; location: Location };
  /** The class to name in `data.model`; undefined when it cannot be resolved. */
  model: string | undefined;
  /** The model as messages name it: `` `LogisticRegression` `` or "the model". */
  phrase: string;
}

/** Follows a fit's learned state to the models trained and evaluated on data that carries it. */
export function leakReach(provenance: Provenance, fit: FitEvent): LeakReach {
  const training = provenance.fits.find((f) => f.kind === 'estimator' && !f.speculative && f.learnedIn.includes(fit));
  const evaluation =
    provenance.evaluations.find((e) => !e.speculative && e.data.learned.includes(fit)) ??
    provenance.crossValidations.find((c) => !c.speculative && c.data.learned.includes(fit));
  const object =
    training?.object ??
    evaluation?.model ??
    provenance.applications.find((a) => !a.speculative && a.data.learned.includes(fit) && a.object.role === 'estimator')?.object;
  return {
    ...(training === undefined ? {} : { training }),
    ...(evaluation === undefined ? {} : { evaluation: { model: evaluation.model, location: evaluation.location } }),
    model: reportedModel(object),
    phrase: modelPhrase(object),
  };
}

/**
 * The first model trained on rows with training data whose inputs carry what `fit` learned: a
 * transformer fitted on held-out rows and then applied to the training rows is a fit on test
 * (LK202), not a held-out set prepared differently (LK205).
 */
export function trainingReached(provenance: Provenance, fit: FitEvent): FitEvent | undefined {
  return provenance.fits.find((f) => f.kind === 'estimator' && !f.speculative && (f.rows & Rows.train) !== 0 && f.learnedIn.includes(fit));
}

/** `high` unless dynamic code or values of unknown origin fed the finding. */
export function confidence(provenance: Provenance, ...fits: (FitEvent | undefined)[]): 'high' | 'low' {
  return provenance.dynamic || fits.some((f) => f?.uncertain === true) ? 'low' : 'high';
}

/** Related locations for a leak's split, training and evaluation (those that exist). */
export function reachRelated(reach: LeakReach, split: Location | undefined, splitMessage: string): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  if (split !== undefined) out.push(related(split, splitMessage));
  if (reach.training !== undefined) out.push(related(reach.training.location, `${capitalized(reach.phrase)} is trained here on the contaminated rows`));
  if (reach.evaluation !== undefined) out.push(related(reach.evaluation.location, `and evaluated here`));
  return out;
}

/** Where to report an event: for calls inside notebook functions, the module-level call that runs them. */
export function anchor(event: { location: Location; callSite?: Location }): Location {
  return event.callSite ?? event.location;
}

/**
 * Whether a leak is a fit on unsplit rows followed by the split (LK201), as opposed to a fit on
 * rows that already hold test rows of an earlier split, such as a union of train and test (LK202).
 */
export function splitAfterFit(c: Contamination): boolean {
  const splitOrder = c.split?.order ?? c.crossValidation?.order ?? -1;
  return ((c.fit.rows & Rows.all) !== 0 || foldsOfFittedPart(c) || c.labelledRowsDivided === true || c.fittedPartSplit === true) && splitOrder > c.fit.order;
}

/**
 * Whether a leak is a fit on one split part (the training rows) that cross-validation later
 * divides into folds: every fold's validation rows were seen by the fit (LK201). A fit on more
 * rows than the folds hold (train and test together) stays LK202's.
 */
export function foldsOfFittedPart(c: Contamination): boolean {
  return c.crossValidation !== undefined && (c.fit.rows & Rows.all) === 0 && c.value.rows !== Rows.unknown && c.fit.rows === c.value.rows;
}

/**
 * The split that gave a fit's data its held-out rows: the latest split of its datasets before the
 * fit (a split recorded later, when the contaminated rows got a role, is not "the split before").
 */
export function splitBefore(provenance: Provenance, fit: FitEvent): SplitEvent | undefined {
  const earlier = provenance.splits.filter((s) => s.order < fit.order && s.datasets.some((d) => fit.datasets.includes(d)));
  return (fit.data.split !== undefined && fit.data.split.order < fit.order ? fit.data.split : undefined) ?? earlier.at(-1);
}

/** A key for the place a location starts at. */
export function placeKey(location: Location): string {
  return `${location.cell}:${location.range.start.line}:${location.range.start.character}`;
}

/** Adds another module-level call that runs the same leaking line to a finding, once. */
export function addCallSite(finding: { cell: number; range: Location['range']; related: RelatedLocation[] }, site: Location): void {
  const key = placeKey(site);
  if (placeKey(finding) === key || finding.related.some((r) => placeKey(r) === key)) return;
  finding.related.push(related(site, 'the same code runs again from this call'));
}
