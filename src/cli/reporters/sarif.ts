/**
 * SARIF 2.1.0 for code-scanning services. Regions point at the line of the file as stored on
 * disk (for an `.ipynb`, the JSON line holding that source line), so annotations land on the
 * right line of the notebook file.
 */
import type { Position, Severity } from '../../core/diagnostic';
import { cellLabel, type Cell } from '../../core/notebook/model';
import { cellToFile } from '../../core/notebook/positions';
import { RULES } from '../../core/rules/registry';
import type { FileResult } from '../check';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(results: readonly FileResult[], version: string): string {
  const ruleIndex = new Map(RULES.map((rule, index) => [rule.code, index]));
  const sarifResults = results.flatMap((file) =>
    file.diagnostics.map((d) => ({
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code),
      level: LEVEL[d.severity],
      message: { text: d.message },
      locations: [location(file, d.cell, d.range.start, d.range.end)],
      relatedLocations: d.related.map((r, id) => ({
        id,
        ...location(file, r.cell, r.range.start, r.range.end),
        message: { text: r.message },
      })),
      properties: { cell: d.cell, range: d.range, data: d.data },
    })),
  );
  const notifications = results
    .filter((r) => r.error !== null)
    .map((r) => ({ level: 'error', message: { text: r.error }, locations: [{ physicalLocation: { artifactLocation: { uri: uri(r.path) } } }] }));
  const log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'nb2prod',
            version,
            rules: RULES.map((rule) => ({
              id: rule.code,
              name: rule.name,
              shortDescription: { text: rule.docs.summary },
              fullDescription: { text: rule.docs.why },
              help: { text: rule.docs.why, markdown: `${rule.docs.why}\n\nSee docs/rules/${rule.code}.md.` },
              defaultConfiguration: { level: LEVEL[rule.severity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
        results: sarifResults,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function location(file: FileResult, cellIndex: number, start: Position, end: Position): Record<string, unknown> {
  const cell: Cell | undefined = file.notebook?.cells[cellIndex];
  const from = cell ? cellToFile(cell, start) : undefined;
  const to = cell ? cellToFile(cell, end) : undefined;
  const region = from
    ? {
        startLine: from.line + 1,
        startColumn: from.character + 1,
        ...(to && to.line >= from.line ? { endLine: to.line + 1, endColumn: to.character + 1 } : {}),
      }
    : undefined;
  return {
    physicalLocation: { artifactLocation: { uri: uri(file.path) }, ...(region ? { region } : {}) },
    logicalLocations: [{ name: cellLabel(cellIndex), kind: 'module' }],
  };
}

/** SARIF wants URIs: relative paths with forward slashes, percent-encoded. */
function uri(path: string): string {
  return path.split(/[\\/]/).map(encodeURIComponent).join('/');
}
