// The self-contained HTML report: the dashboard bundle (script + CSS, fonts inlined as data URLs) and
// the snapshot in one file that works offline from file://. A CSP meta tag allows only the inlined
// script and style (by nonce) and data: images/fonts; nothing is fetched. Pure: the caller reads files.
import { bytesToBase64 } from './snapshot';
import type { DashboardSnapshot } from './webviewProtocol';

export interface HtmlReportParts {
  /** dist/dashboard.js. */
  script: string;
  /** dist/dashboard.css with its url(...) assets already inlined (see `inlineCssAssets`). */
  css: string;
  snapshot: DashboardSnapshot;
  /** Page title (default: the config's name). */
  title?: string;
  /** CSP nonce (default: 16 random bytes, base64). */
  nonce?: string;
}

/** A fresh CSP nonce from the platform's CSPRNG. */
export function makeNonce(): string {
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  return bytesToBase64(b);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script type="application/json"> element. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** JavaScript that cannot close its <script> element early. */
export function scriptSafeJs(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const MIME: Record<string, string> = { ttf: 'font/ttf', woff: 'font/woff', woff2: 'font/woff2', svg: 'image/svg+xml', png: 'image/png' };

/** Replaces relative url(...) references in CSS by data URLs; `read` returns an asset's bytes (undefined: left as is). */
export function inlineCssAssets(css: string, read: (relativePath: string) => Uint8Array | undefined): string {
  return css.replace(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g, (whole, _q: string, url: string) => {
    if (/^(data:|https?:|#)/.test(url)) return whole;
    const path = url.replace(/[?#].*$/, '');
    const bytes = read(path);
    const ext = path.split('.').pop()?.toLowerCase() ?? '';
    if (!bytes || !MIME[ext]) return whole;
    return `url("data:${MIME[ext]};base64,${bytesToBase64(bytes)}")`;
  });
}

/** Drops source-map references: the maps are not inlined, and a file:// page must not point at files it lacks. */
export function stripSourceMaps(code: string): string {
  // Only the trailing reference esbuild writes; the same text inside library code is left alone.
  return code.replace(/\n?\/\/# sourceMappingURL=[^\n]*\s*$/, '\n').replace(/\n?\/\*# sourceMappingURL=[^*]*\*\/\s*$/, '\n');
}

/** The complete HTML document. */
export function renderDashboardHtml(p: HtmlReportParts): string {
  const nonce = p.nonce ?? makeNonce();
  const title = p.title ?? `${p.snapshot.report.config.name} · Ensemble Lens report`;
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    'img-src data: blob:',
    'font-src data:',
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return [
    '<!DOCTYPE html>',
    '<html lang="en" class="el-export">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style nonce="${nonce}">${stripSourceMaps(p.css).replace(/<\/(style)/gi, '<\\/$1')}</style>`,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    `<script type="application/json" id="ensemble-lens-snapshot">${scriptSafeJson({ ...p.snapshot, host: 'export' })}</script>`,
    `<script nonce="${nonce}">${scriptSafeJs(stripSourceMaps(p.script))}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
