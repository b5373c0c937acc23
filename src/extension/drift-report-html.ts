/**
 * The HTML of the drift report webview, as a pure function (no `vscode` import) so tests can
 * check it. No script at all, and a CSP that allows only the extension's stylesheet: every
 * string from the batch (feature names, category values) is escaped, and the histograms are
 * inline SVG drawn with classes, never inline styles (which the CSP would block).
 */
import type { DriftReport, FeatureDrift } from '../core/monitor/drift';
import { escapeHtml, webviewCsp, webviewPage } from './webview-page';

/** The Content-Security-Policy of the report: nothing but the stylesheet from `cspSource`. */
export function driftReportCsp(cspSource: string): string {
  return webviewCsp(cspSource);
}

/** The whole page. */
export function driftReportHtml(report: DriftReport, options: { cspSource: string; styleUri: string; manifestPath: string }): string {
  const v = report.verdict;
  const cards = report.features.map(card).join('\n');
  const prediction = report.prediction
    ? `<h2>Predictions <span class="muted">(from the ${esc(report.prediction_source ?? '')})</span></h2>\n${card(report.prediction)}`
    : '<p class="muted">Predictions not checked: the batch has no <code>prediction</code> column or <code>outputs</code>, and no model was run.</p>';
  return webviewPage(
    { cspSource: options.cspSource, styleUri: options.styleUri, title: `Drift: ${report.model.name}` },
    `<header class="verdict verdict-${esc(v.status)}">
<h1>${esc(v.status === 'insufficient_data' ? 'Not enough rows' : v.status === 'drift' ? 'Drift' : v.status === 'warn' ? 'Warning' : 'No drift')}</h1>
<p>${v.drifted.length} of ${v.features} features drifted (dataset threshold ${pct(v.threshold)}) &middot; ${report.data.rows} rows of <code>${esc(report.data.path)}</code> against ${esc(report.model.name)} ${esc(report.model.version)} (<code>${esc(options.manifestPath)}</code>)</p>
<ul>${v.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>
<p class="legend"><span class="swatch swatch-reference"></span> training <span class="swatch swatch-current"></span> this batch</p>
</header>
<main>
${prediction}
<h2>Features, most severe first</h2>
${cards}
</main>`,
  );
}

function card(f: FeatureDrift): string {
  const value = f.value === null ? 'n/a' : f.value.toFixed(4);
  const others = (Object.entries(f.metrics) as Array<[string, number | null]>)
    .filter(([k, x]) => x !== null && k !== f.rule.method)
    .map(([k, x]) => `${k} ${x!.toFixed(3)}`)
    .join(' · ');
  return `<section class="card status-${f.status}">
<h3><span class="badge badge-${f.status}">${f.status}</span> ${esc(f.name)} <span class="muted">${esc(f.kind)}</span></h3>
<p><strong>${esc(f.rule.method)} ${value}</strong> <span class="muted">warn ${f.rule.warn} · alert ${f.rule.alert} (${esc(f.rule.source)})${others ? ` · ${esc(others)}` : ''}</span></p>
${histogramSvg(f)}
${f.notes.length > 0 ? `<ul class="notes">${f.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
${f.unseen && f.unseen.length > 0 ? `<p class="muted">Unseen: ${f.unseen.map((u) => `${esc(u.value)} (${u.count})`).join(', ')}</p>` : ''}
</section>`;
}

const WIDTH = 560;
const HEIGHT = 150;
const LABEL_SPACE = 34;

/** Reference and current shares per bucket, as paired bars, with a tooltip per bar. */
export function histogramSvg(f: FeatureDrift): string {
  const { labels, reference, current } = f.histogram;
  const n = labels.length;
  if (n === 0) return '';
  const top = Math.max(...reference, ...current, 1e-9);
  const slot = WIDTH / n;
  const bar = Math.max(1, slot * 0.4);
  const plot = HEIGHT - LABEL_SPACE;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = i * slot + slot * 0.1;
    const rh = (reference[i]! / top) * plot;
    const ch = (current[i]! / top) * plot;
    const label = labels[i]!;
    parts.push(
      `<rect class="bar-reference" x="${x.toFixed(1)}" y="${(plot - rh).toFixed(1)}" width="${bar.toFixed(1)}" height="${rh.toFixed(1)}"><title>${esc(label)}: training ${pct(reference[i]!, 1)}</title></rect>`,
    );
    parts.push(
      `<rect class="bar-current" x="${(x + bar).toFixed(1)}" y="${(plot - ch).toFixed(1)}" width="${bar.toFixed(1)}" height="${ch.toFixed(1)}"><title>${esc(label)}: this batch ${pct(current[i]!, 1)}</title></rect>`,
    );
    // Labels of every bucket when few, else every other one, so they stay readable.
    if (n <= 12 || i % 2 === 0)
      parts.push(`<text class="axis" x="${(x + bar).toFixed(1)}" y="${plot + 14}" text-anchor="middle">${esc(shorten(label))}</text>`);
  }
  parts.push(`<line class="baseline" x1="0" y1="${plot}" x2="${WIDTH}" y2="${plot}"></line>`);
  return `<svg class="histogram" role="img" aria-label="${esc(`${f.name}: training vs this batch`)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

function shorten(label: string): string {
  return label.length > 14 ? `${label.slice(0, 13)}…` : label;
}

function pct(x: number, digits = 0): string {
  return `${(x * 100).toFixed(digits)}%`;
}

/** HTML escaping for text and attribute values. */
export const esc = escapeHtml;
