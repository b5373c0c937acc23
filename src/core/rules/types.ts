/**
 * The fixed shape of a rule: metadata and docs in one place, and a check over the analysed
 * notebook. Docs in docs/rules/ and the extension's settings are generated from this metadata.
 */
import type { Diagnostic, Severity } from '../diagnostic';
import type { AnalysedNotebook } from '../analysis/analysed-notebook';
import type { ProjectFile, ProjectFinding } from './project/files';

/** The documentation of a rule, under the headings ruff uses. */
export interface RuleDocs {
  /** One sentence: what the rule flags. */
  summary: string;
  /** Why this is a problem, in a short paragraph. */
  why: string;
  /** A percent-format Python notebook (`# %%` cells) on which the rule fires. */
  example: string;
  /** The same notebook written so that the rule does not fire. */
  useInstead: string;
  /** Whether and how the rule's fixes can change behaviour. */
  fixSafety: string;
  /**
   * For a rule whose findings are partly opt-in: which patterns are in the preview tier and why
   * (their measured precision on public notebooks). Shown on the docs page.
   */
  preview?: string;
  /**
   * For a rule in the preview tier (`tier: 'preview'`): why it is opt-in, as its audits on public
   * notebooks measured it (docs/precision.md has the counts).
   */
  tierReason?: string;
}

/**
 * A diagnostic as a rule produces it; the engine adds code, name and the configured severity.
 * `preview` marks a pattern of the rule that is opt-in: reported only when the rule's code (or
 * the `PREVIEW` group) is selected explicitly.
 */
export type Finding = Omit<Diagnostic, 'code' | 'name' | 'severity'> & { severity?: Severity; preview?: boolean };

/**
 * The tier of a rule. `default` rules run unless ignored; `preview` rules are right too seldom on
 * real notebooks to be on for everyone, so they run only when their code, or `PREVIEW`, is
 * selected explicitly (as ruff's preview rules and clippy's pedantic group).
 */
export type Tier = 'default' | 'preview';

/** What every rule has, whatever it checks: the row of the one rule table. */
export interface RuleMeta {
  /** Stable code (`NB101`); never reused once retired. */
  code: string;
  /** Kebab-case name of the flagged pattern (`use-before-define`). */
  name: string;
  /** Default severity; users can override it per code. */
  severity: Severity;
  /** Opt-in rules say so here; a missing tier is `default`. Docs explain why in `docs.preview`. */
  tier?: Tier;
  docs: RuleDocs;
}

/** A rule over one notebook (or one script); the scope most rules have, so it may be left out. */
export interface NotebookRule extends RuleMeta {
  scope?: 'notebook';
  /** Findings on one analysed notebook. Must not throw on any input the parser accepts. */
  check(notebook: AnalysedNotebook): Finding[];
}

/**
 * A rule over the Python files of a project folder (PR303, PR304). Its docs example and "use
 * instead" are several files, each introduced by a `# path.py` line.
 */
export interface ProjectRule extends RuleMeta {
  scope: 'project';
  check(files: readonly ProjectFile[]): ProjectFinding[];
}

/** A rule over artifact files, checked by the static pickle scanner (PR305), not by a `check` here. */
export interface ArtifactRule extends RuleMeta {
  scope: 'artifact';
}

/**
 * A rule over the notebook's `# nb2prod: ignore` directives (NB900), judged by the engine after
 * every other rule ran (src/core/suppressions), not by a `check` here.
 */
export interface SuppressionRule extends RuleMeta {
  scope: 'suppression';
}

/** One rule, of any scope: the registry lists them all, and docs, settings, SARIF and `--select` read it. */
export type Rule = NotebookRule | ProjectRule | ArtifactRule | SuppressionRule;
