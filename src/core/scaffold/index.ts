/** The scaffold: plan a production project from a notebook, then write it atomically. */
export { plan, projectNameOf, type ScaffoldInput } from './plan';
export type { CellPlacement, FileChange, FileChangeKind, ScaffoldOptions, ScaffoldPlan, ScaffoldReport } from './types';
export { LEFTOVER_PLACEHOLDER } from './render';
export { conflicts, readExisting, ScaffoldConflictError, writePlan } from './write';
export { planNotebook, SCAFFOLD_ANALYSIS } from './from-notebook';
