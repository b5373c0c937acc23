/** `--format json`: exactly the shape DESIGN.md specifies, for tools and CI. */
import type { Diagnostic } from '../../core/diagnostic';
import type { FileResult } from '../check';

export function formatJson(results: readonly FileResult[]): string {
  const files = results.map((r) => ({ path: r.path, diagnostics: r.diagnostics.map(toJson), error: r.error }));
  return `${JSON.stringify({ version: 1, files }, null, 2)}\n`;
}

/** Only the documented fields, in the documented order (fixes are an editor concern). */
function toJson(d: Diagnostic): Record<string, unknown> {
  return {
    code: d.code,
    name: d.name,
    severity: d.severity,
    message: d.message,
    cell: d.cell,
    range: d.range,
    related: d.related,
    data: d.data,
  };
}
