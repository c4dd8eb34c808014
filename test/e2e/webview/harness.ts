// Chromium harness for the dashboard: builds the webview bundle, serves it in a page that mimics the
// VS Code webview (same HTML and CSP as the panel, theme variables, an acquireVsCodeApi shim that records
// what the webview posts), and records console errors, page errors and CSP violations.
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import { dashboardHtml } from '../../../src/extension/dashboard/webviewHtml';
import type { DashboardSnapshot, FromWebview, ToWebview } from '../../../src/core/webviewProtocol';
import { themeCss, THEMES } from './themes';

export const repoRoot = resolve(__dirname, '../../..');
export const artifacts = join(repoRoot, 'test-artifacts/dashboard');
const buildDir = join(repoRoot, 'test-artifacts/dashboard-build');

// One browser launch for every e2e test: the code-server harness's.
export { CHROMIUM_ARGS, launchChromium as launch } from '../harness';

/** Bundles webview/main.ts exactly as scripts/build.mjs does, into a private folder (independent of other entries). */
export async function buildDashboard(production = false): Promise<string> {
  mkdirSync(buildDir, { recursive: true });
  await esbuild.build({
    absWorkingDir: repoRoot,
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: { dashboard: 'webview/main.ts' },
    loader: { '.ttf': 'file', '.css': 'css' },
    outdir: buildDir,
  });
  return buildDir;
}

/** Serves the mimic webview page at / (theme from ?theme=dark|light|hc) and the bundle under /dist/. */
export async function serve(dist: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/') {
      const theme = (u.searchParams.get('theme') ?? 'dark') as keyof typeof THEMES;
      const origin = `http://${req.headers.host}`;
      let html = dashboardHtml({ cspSource: origin, scriptUri: `${origin}/dist/dashboard.js`, styleUri: `${origin}/dist/dashboard.css`, nonce: 'dGVzdG5vbmNlMTIzNDU2', title: 'Ensemble Lens' });
      html = html.replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/theme.css?theme=${theme}">\n<link rel="stylesheet"`).replace('<body>', `<body class="${THEMES[theme].bodyClass}">`);
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(html);
      return;
    }
    if (u.pathname === '/favicon.ico') {
      res.statusCode = 204;
      res.end();
      return;
    }
    if (u.pathname === '/theme.css') {
      res.setHeader('content-type', 'text/css');
      res.end(themeCss((u.searchParams.get('theme') ?? 'dark') as keyof typeof THEMES));
      return;
    }
    const file = join(dist, u.pathname.replace(/^\/dist\//, ''));
    if (u.pathname.startsWith('/dist/') && file.startsWith(dist) && existsSync(file)) {
      const ext = file.split('.').pop();
      res.setHeader('content-type', ext === 'js' ? 'text/javascript' : ext === 'css' ? 'text/css' : ext === 'ttf' ? 'font/ttf' : 'application/octet-stream');
      res.end(readFileSync(file));
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `http://127.0.0.1:${port}/`, server };
}

/** Problems the page reported: console errors, uncaught exceptions, CSP violations. */
export interface PageProblems {
  console: string[];
  errors: string[];
  csp: string[];
}

declare global {
  interface Window {
    __sent: FromWebview[];
    __state: unknown;
    __csp: string[];
  }
}

/** Installs the acquireVsCodeApi shim (unless `exported`) and the CSP listener; returns the problem log. */
export async function instrument(page: Page, opts: { exported?: boolean; state?: unknown } = {}): Promise<PageProblems> {
  const problems: PageProblems = { console: [], errors: [], csp: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.errors.push(e.message));
  // A string, not a function: tsx's name helpers would not exist in the page.
  await page.addInitScript(`
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', function (e) { window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });
    if (!${JSON.stringify(opts.exported ?? false)}) {
      window.__sent = [];
      window.__state = ${JSON.stringify(opts.state ?? null)};
      window.acquireVsCodeApi = function () {
        return {
          postMessage: function (m) { window.__sent.push(JSON.parse(JSON.stringify(m))); },
          getState: function () { return window.__state; },
          setState: function (s) { window.__state = JSON.parse(JSON.stringify(s)); },
        };
      };
    }
  `);
  return problems;
}

/** CSP violations recorded in the page. */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__csp);
}

/** Posts a host message into the webview (as VS Code delivers it: a window message event). */
export async function post(page: Page, msg: ToWebview): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), msg);
}

let nextId = 1;
export function snapshotMessage(snapshot: DashboardSnapshot): ToWebview {
  return { type: 'snapshot', messageId: nextId++, snapshot };
}

/** Messages the webview posted to the host. */
export async function sent(page: Page): Promise<FromWebview[]> {
  return page.evaluate(() => window.__sent);
}

/** Clicks a tab header and waits until its panel has drawn. */
export async function openTab(page: Page, tab: string): Promise<void> {
  const before = await page.$eval(`vscode-tab-panel[data-tab="${tab}"]`, (el) => (el as HTMLElement).dataset.rendered ?? '');
  await page.click(`vscode-tab-header[data-tab="${tab}"]`);
  await page.waitForFunction(({ t, b }) => {
    const el = document.querySelector(`vscode-tab-panel[data-tab="${t}"]`) as HTMLElement | null;
    return !!el && !!el.dataset.rendered && (el.dataset.rendered !== b || el.childElementCount > 0);
  }, { t: tab, b: before });
  await page.waitForTimeout(50);
}

/** Sets a <vscode-single-select> (found by its label text) to a value, as a user choice would. */
export async function choose(page: Page, scope: string, label: string, value: string): Promise<void> {
  await page.evaluate(({ scope: s, label: l, value: v }) => {
    const root = document.querySelector(s) as HTMLElement;
    const ctl = Array.from(root.querySelectorAll('label.control')).find((c) => c.querySelector('.control-label')?.textContent === l);
    const sel = ctl?.querySelector('vscode-single-select') as (HTMLElement & { value: string }) | null;
    if (!sel) throw new Error(`no select labelled ${l}`);
    sel.value = v;
    sel.dispatchEvent(new Event('change', { bubbles: true }));
  }, { scope, label, value });
}

export function screenshotPath(name: string): string {
  mkdirSync(artifacts, { recursive: true });
  return join(artifacts, `${name}.png`);
}
