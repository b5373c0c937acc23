/**
 * The one place nb2prod's webview pages get their document head: a strict Content-Security-
 * Policy (nothing by default; styles and images only from the extension; scripts only with the
 * page's nonce), the stylesheet and the title. Pure string work (no `vscode` import), so page
 * renderers stay testable under plain node.
 */

/** Escapes text for HTML and SVG content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** What a page needs for its head. */
export interface WebviewPageHead {
  /** `webview.cspSource`: where styles and images may come from. */
  cspSource: string;
  /** The stylesheet's webview URI. */
  styleUri: string;
  /** The page title (plain text; escaped here). */
  title: string;
  /** A script to load, with the nonce the CSP allows; pages without one run no script at all. */
  script?: { uri: string; nonce: string };
}

/** The policy: nothing but the extension's styles and images, and the page's own nonce script. */
export function webviewCsp(cspSource: string, scriptNonce?: string): string {
  const script = scriptNonce === undefined ? '' : ` script-src 'nonce-${scriptNonce}';`;
  return `default-src 'none'; style-src ${cspSource};${script} img-src ${cspSource};`;
}

/**
 * A whole HTML document around `body` (trusted markup: its dynamic parts are escaped by the caller).
 * The policy keeps its quotes as written (`'none'`, `'self'`): only `"` could end the attribute.
 */
export function webviewPage(head: WebviewPageHead, body: string): string {
  const script = head.script ? `\n<script nonce="${escapeHtml(head.script.nonce)}" src="${escapeHtml(head.script.uri)}"></script>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${webviewCsp(head.cspSource, head.script?.nonce).replace(/"/g, '&quot;')}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(head.styleUri)}">
<title>${escapeHtml(head.title)}</title>
</head>
<body>
${body}${script}
</body>
</html>
`;
}
