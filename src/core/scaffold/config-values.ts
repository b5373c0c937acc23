/**
 * Literals that are configuration: module-level names bound once to a literal and never
 * changed (`min_tenure = 1`, `features = [...]`), plus the literals the modelling chain passes
 * (paths, `test_size`, seeds, hyperparameters). They move to `src/utils/config.py` under an
 * UPPER_CASE name and are read from there.
 */
import { cellLabel } from '../notebook/model';
import { isLiteral, type NotebookIndex } from './notebook-index';
import type { Statement } from './statements';

/** One setting of the generated config.py. */
export interface ConfigSetting {
  /** The notebook's variable name, when the setting replaces one. */
  variable?: string;
  /** The name in config.py. */
  name: string;
  /** Python text of the value (literal text copied from the notebook, or generated). */
  value: string;
  /** Where it came from, for the comment above it. */
  origin: string;
  /** The statement that bound it in the notebook, when any. */
  statement?: Statement;
}

/** Names that generated code reads from config.py itself; notebook variables never take them. */
export const RESERVED_SETTINGS = new Set([
  'PROJECT_ROOT',
  'ARTIFACTS_DIR',
  'MANIFEST_PATH',
  'MODEL_NAME',
  'DATA_PATH',
  'DATA_FILES',
  'TASK',
  'TARGET',
  'FEATURES',
  'DROP_COLUMNS',
  'RANDOM_SEED',
  'TEST_SIZE',
  'STRATIFY',
  'MODEL_PARAMS',
  'METRICS',
  'REQUIRED_SETTINGS',
  'GOLDEN_ROWS',
  'GOLDEN_TOLERANCE',
  'DRIFT_POLICY',
  'PROMOTION_GATE',
]);

/** The notebook variables that are configuration literals, by variable name. */
export function configLiterals(index: NotebookIndex): Map<string, ConfigSetting> {
  const mutated = new Set(index.statements.flatMap((s) => s.mutated));
  const found = new Map<string, ConfigSetting>();
  const taken = new Set<string>();
  for (const statement of index.statements) {
    const flow = statement.flow;
    if (flow?.kind !== 'assign' || flow.operator !== undefined || flow.targets.length !== 1) continue;
    const target = flow.targets[0];
    if (target?.kind !== 'name' || !isLiteral(flow.value) || mutated.has(target.name)) continue;
    if (/^[rbuRBU]?[fF]/.test(statement.python.slice(flow.value.start, flow.value.start + 2))) continue; // f-strings are not literals
    const definitions = index.analysed.graph.definitions.get(target.name) ?? [];
    if (definitions.length !== 1) continue;
    const name = settingName(target.name, taken);
    found.set(target.name, {
      variable: target.name,
      name,
      value: statement.python.slice(flow.value.start, flow.value.end),
      origin: `notebook ${cellLabel(statement.cell)}: \`${target.name}\``,
      statement,
    });
  }
  return found;
}

/** An UPPER_CASE setting name for a notebook variable that collides with nothing. */
export function settingName(variable: string, taken: Set<string>): string {
  let name = variable
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, '_');
  if (RESERVED_SETTINGS.has(name) || taken.has(name)) name = `NB_${name}`;
  while (taken.has(name)) name = `${name}_`;
  taken.add(name);
  return name;
}
