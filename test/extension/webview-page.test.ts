// The one document head every nb2prod webview uses: strict CSP, escaped dynamic parts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, webviewCsp, webviewPage } from '../../src/extension/webview-page';

test('the policy allows nothing by default, styles and images from the extension, scripts only by nonce', () => {
  assert.equal(webviewCsp('vscode-resource:'), "default-src 'none'; style-src vscode-resource:; img-src vscode-resource:;");
  assert.equal(webviewCsp('vscode-resource:', 'abc'), "default-src 'none'; style-src vscode-resource:; script-src 'nonce-abc'; img-src vscode-resource:;");
});

test('a page without a script has no script tag; a page with one loads it with its nonce', () => {
  const plain = webviewPage({ cspSource: 'src:', styleUri: 'style.css', title: 'T <x>' }, '<p>body</p>');
  assert.doesNotMatch(plain, /<script/);
  assert.match(plain, /<title>T &lt;x&gt;<\/title>/);
  assert.match(plain, /<body>\n<p>body<\/p>\n<\/body>/);
  const scripted = webviewPage({ cspSource: 'src:', styleUri: 'style.css', title: 'T', script: { uri: 'app.js', nonce: 'n1' } }, '');
  assert.match(scripted, /<script nonce="n1" src="app\.js"><\/script>/);
  assert.match(scripted, /content="default-src 'none'; style-src src:; script-src 'nonce-n1'; img-src src:;"/);
});

test('escaping covers text and attribute values', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
});
