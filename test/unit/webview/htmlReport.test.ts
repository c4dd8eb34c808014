// The exported HTML: data and script cannot break out of their elements, assets are inlined, and the
// CSP allows only the nonce'd inline script/style and data: images/fonts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inlineCssAssets, renderDashboardHtml, scriptSafeJs, scriptSafeJson } from '../../../src/core/htmlReport';
import type { DashboardSnapshot } from '../../../src/core/webviewProtocol';
import type { EnsembleReport } from '../../../src/core/report';

test('JSON inside <script> cannot close it and parses back unchanged', () => {
  const value = { a: '</script><script>alert(1)</script>', b: '<!-- x -->', c: '\u2028\u2029', d: [1, 2.5] };
  const s = scriptSafeJson(value);
  assert.doesNotMatch(s, /<\/script/i);
  assert.doesNotMatch(s, /<!--/);
  assert.deepEqual(JSON.parse(s), value);
});

test('inlined JS cannot close its element', () => {
  const js = 'const s = "</SCRIPT>"; const t = `<!--`;';
  const safe = scriptSafeJs(js);
  assert.doesNotMatch(safe, /<\/script/i);
  // The escapes are no-ops inside JS strings: evaluating both gives the same values.
  const run = (src: string) => new Function(`${src}; return [s, t];`)() as string[];
  assert.deepEqual(run(safe), run(js));
});

test('relative CSS urls become data URLs; others stay', () => {
  const css = '@font-face { src: url("./codicon-X.ttf?5d4d") format("truetype"); } a { background: url(data:image/png;base64,AA==); } b { background: url(missing.png); }';
  const out = inlineCssAssets(css, (p) => (p === './codicon-X.ttf' ? new Uint8Array([1, 2, 3]) : undefined));
  assert.match(out, /url\("data:font\/ttf;base64,AQID"\)/);
  assert.match(out, /url\(data:image\/png;base64,AA==\)/);
  assert.match(out, /url\(missing\.png\)/);
});

test('source-map references are dropped from the inlined script and style', () => {
  const snapshot = { host: 'extension', report: { config: { name: 'x' } } as unknown as EnsembleReport } as DashboardSnapshot;
  const html = renderDashboardHtml({ script: 'let a = 1;\n//# sourceMappingURL=dashboard.js.map\n', css: 'a{}\n/*# sourceMappingURL=dashboard.css.map */', snapshot, nonce: 'n' });
  assert.doesNotMatch(html, /sourceMappingURL/);
  assert.match(html, /let a = 1;/);
});

test('the document has a strict CSP with the nonce on the inlined script and style', () => {
  const snapshot = { host: 'extension', report: { config: { name: 'x <b>' } } as unknown as EnsembleReport } as DashboardSnapshot;
  const html = renderDashboardHtml({ script: 'void 0', css: 'body{}', snapshot, nonce: 'N0nce' });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-N0nce'/);
  assert.match(csp, /style-src 'nonce-N0nce'/);
  assert.match(csp, /connect-src 'none'/);
  assert.doesNotMatch(csp, /unsafe/);
  assert.match(html, /<script nonce="N0nce">void 0<\/script>/);
  assert.match(html, /<style nonce="N0nce">body\{\}<\/style>/);
  assert.match(html, /<title>x &#60;b&#62; · Ensemble Lens report<\/title>/);
  const data = /<script type="application\/json" id="ensemble-lens-snapshot">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
  assert.equal((JSON.parse(data) as DashboardSnapshot).host, 'export');
});
