/** Every rule, sorted by code, and the ruff-style code selection shared by the CLI and the extension. */
import type { NotebookRule, ProjectRule, Rule } from './types';
import { syntaxError } from './syntax-error';
import { useBeforeDefine } from './use-before-define';
import { undefinedName } from './undefined-name';
import { outOfOrderExecution } from './out-of-order-execution';
import { staleRead } from './stale-read';
import { unexecutedCell } from './unexecuted-cell';
import { functionReadsGlobal } from './function-reads-global';
import { nonIdempotentCell } from './non-idempotent-cell';
import { artifactFromNowhere } from './artifact-from-nowhere';
import { starImport } from './star-import';
import { absolutePath } from './absolute-path';
import { unseededRandomness } from './unseeded-randomness';

import { preprocessingBeforeSplit } from './preprocessing-before-split';
import { fitOnTest } from './fit-on-test';
import { oversamplingBeforeSplit } from './oversampling-before-split';
import { testReuse } from './test-reuse';
import { inconsistentTransform } from './inconsistent-transform';
import { temporalSplit } from './temporal-split';
import { trainAsTest } from './train-as-test';
import { preprocessorNotSaved } from './preprocessor-not-saved';
import { refitAtInference } from './refit-at-inference';
import { artifactPathMismatch } from './artifact-path-mismatch';
import { predictImportsTrain } from './predict-imports-train';
import { unsafePickle } from './unsafe-pickle';
import { unusedSuppression } from './unused-suppression';

/** Every rule of every scope, sorted by code: the one table docs, settings, SARIF and `--select` read. */
export const RULES: readonly Rule[] = [
  syntaxError,
  useBeforeDefine,
  undefinedName,
  outOfOrderExecution,
  staleRead,
  unexecutedCell,
  functionReadsGlobal,
  nonIdempotentCell,
  artifactFromNowhere,
  starImport,
  absolutePath,
  unseededRandomness,
  preprocessingBeforeSplit,
  fitOnTest,
  oversamplingBeforeSplit,
  testReuse,
  inconsistentTransform,
  temporalSplit,
  trainAsTest,
  preprocessorNotSaved,
  refitAtInference,
  artifactPathMismatch,
  predictImportsTrain,
  unsafePickle,
  unusedSuppression,
].sort((a, b) => a.code.localeCompare(b.code));

/** The rules the engine runs on each notebook. */
export const NOTEBOOK_RULES: readonly NotebookRule[] = RULES.filter((r): r is NotebookRule => r.scope === undefined || r.scope === 'notebook');

/** The rules run on the Python files of a folder. */
export const PROJECT_RULES: readonly ProjectRule[] = RULES.filter((r): r is ProjectRule => r.scope === 'project');

/** The selector that turns on every preview rule and pattern of the selected rules. */
export const PREVIEW_SELECTOR = 'PREVIEW';

/**
 * Whether a rule runs under `select` and `ignore` lists of codes or prefixes. As in ruff, the
 * most specific matching entry decides (`--ignore NB --select NB101` keeps NB101); on a tie,
 * ignore wins. An empty or missing `select` (or one holding only `PREVIEW`) selects everything.
 */
export function ruleSelected(code: string, select?: readonly string[], ignore?: readonly string[]): boolean {
  const chosen = withoutPreview(select);
  const longest = (prefixes: readonly string[] | undefined): number =>
    Math.max(
      -1,
      ...(prefixes ?? [])
        .map(normalizePrefix)
        .filter((p) => code.startsWith(p))
        .map((p) => p.length),
    );
  const selected = chosen.length > 0 ? longest(chosen) : 0;
  return selected >= 0 && selected > longest(ignore);
}

/**
 * Whether the preview tier of a rule is on: its exact code is selected, or `PREVIEW` is. A prefix
 * (`NB1`, `ALL`) selects a family's default tier only, so that widening a selection never brings
 * in the noisy patterns by surprise.
 */
export function previewSelected(code: string, select?: readonly string[]): boolean {
  return (select ?? []).some((entry) => {
    const upper = entry.trim().toUpperCase();
    return upper === PREVIEW_SELECTOR || upper === code;
  });
}

/** Entries of a select/ignore list that match no rule (typos), to report as usage errors. */
export function unknownCodes(prefixes: readonly string[]): string[] {
  return prefixes.filter((p) => p.trim().toUpperCase() !== PREVIEW_SELECTOR && !RULES.some((r) => r.code.startsWith(normalizePrefix(p))));
}

function withoutPreview(select: readonly string[] | undefined): string[] {
  return (select ?? []).filter((entry) => entry.trim().toUpperCase() !== PREVIEW_SELECTOR);
}

/** `ALL` selects every rule, as in ruff; codes are case-insensitive. */
function normalizePrefix(prefix: string): string {
  const upper = prefix.trim().toUpperCase();
  return upper === 'ALL' ? '' : upper;
}
