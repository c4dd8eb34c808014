// The dashboard host in a real VS Code (code-server + Chromium): a test extension wraps the real
// DashboardController/DashboardPanel with a fixture snapshot. Checks the panel under VS Code's own
// webview CSP and theme, the reveal request reaching the editor command, "Use selection weights" as an
// undoable edit of the config, and the panel restored by the serializer after a window reload.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { buildDashboard } from './webview/harness';
import { Session, e2eAvailable, repoRoot } from './harness';
import { cachedSnapshot } from '../fixtures/reports/make';

const skip = e2eAvailable();
let s: Session;
let extDir: string;

async function installTestExtension(extensions: string): Promise<void> {
  extDir = join(extensions, 'test.dashboard-host-0.0.1');
  mkdirSync(join(extDir, 'dist'), { recursive: true });
  writeFileSync(join(extDir, 'package.json'), JSON.stringify({
    name: 'dashboard-host',
    publisher: 'test',
    version: '0.0.1',
    engines: { vscode: '^1.100.0' },
    main: './extension.js',
    activationEvents: ['onStartupFinished', 'onWebviewPanel:ensembleLens.dashboard'],
    contributes: { commands: [{ command: 'dashboardTest.open', title: 'Dashboard Test: Open' }] },
  }));
  await esbuild.build({
    absWorkingDir: repoRoot,
    entryPoints: ['test/e2e/webview/hostExtension.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    // jsonc-parser's UMD entry require()s its own files at run time; its ESM entry bundles cleanly.
    mainFields: ['module', 'main'],
    outfile: join(extDir, 'extension.js'),
    logLevel: 'warning',
  });
  const dist = await buildDashboard(true);
  for (const f of ['dashboard.js', 'dashboard.css']) cpSync(join(dist, f), join(extDir, 'dist', f));
  for (const f of readdirSync(dist).filter((x) => x.endsWith('.ttf'))) cpSync(join(dist, f), join(extDir, 'dist', f));
  cpSync(join(repoRoot, 'media/icons'), join(extDir, 'media/icons'), { recursive: true });
  writeFileSync(join(extDir, 'snapshot.json'), JSON.stringify(cachedSnapshot('moons')));
}

function events(): string[] {
  const f = join(extDir, 'events.log');
  return existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n') : [];
}

before(async () => {
  if (skip) return;
  // Only the test extension: the dashboard host with a fixture snapshot, not the Ensemble Lens build.
  s = await Session.start({ name: 'dashboard-panel', install: installTestExtension });
});
after(async () => {
  await s?.close();
});

test('the panel shows the snapshot under VS Code\'s webview CSP; member links reveal; weights edit the config; it survives a reload', { skip }, async () => {
  await s.waitFor(async () => events().some((e) => e === 'activated' || e.startsWith('register-failed')), 'the test extension to activate', 60_000);
  assert.ok(!events().some((e) => e.startsWith('register-failed')), events().join('\n'));
  await s.openFile('moons.ensemble.json');
  await s.command('Dashboard Test: Open');
  const frame = await s.webviewFrame('vscode-tab-panel[data-tab="overview"] table.data', 60_000);
  const rows = await frame.$$eval('vscode-tab-panel[data-tab="overview"] tbody tr', (trs) => trs.map((t) => (t as HTMLElement).dataset.key));
  assert.deepEqual(rows, ['kernel-narrow', 'kernel#1', 'kernel#2', 'kernel-wide', 'linear', 'not-yet', 'ensemble']);
  await s.screenshot('overview');

  // Clicking a member id asks the host to reveal it; the host runs ensembleLens.revealMember(uri, id).
  await frame.click('a.member-link:text-is("kernel#1")');
  await s.waitFor(async () => events().includes('reveal moons.ensemble.json kernel#1'), 'the reveal request');
  const ev = events();
  assert.ok(ev.includes('select kernel#1'), ev.join('\n'));

  // Use selection weights: an edit of the config document, undoable.
  const webview = await s.webviewFrame('vscode-tab-header[data-tab="selection"]');
  await webview.click('vscode-tab-header[data-tab="selection"]');
  await webview.click('vscode-button:has-text("Use selection weights")');
  await webview.waitForSelector('.toast:not(.hidden)', { timeout: 15_000 });
  assert.match(await webview.innerText('.toast'), /Wrote selection weights/);
  await s.page.locator('.tab', { hasText: 'moons.ensemble.json' }).first().click();
  const editorText = () => s.page.locator('.monaco-editor .view-lines').first().innerText();
  await s.waitFor(async () => /"method":\s*"weighted"/.test(await editorText()), 'the weights in the config');
  await s.screenshot('weights-written');
  await s.page.keyboard.press('Control+Z');
  await s.waitFor(async () => !/"weighted"/.test(await editorText()), 'the weights undone');

  // Back to the dashboard on the Selection tab, then reload the window: the serializer restores it.
  await s.page.locator('.tab', { hasText: 'Dashboard: moons' }).first().click();
  await s.webviewFrame('vscode-tab-header[data-tab="selection"][aria-selected="true"]');
  await s.reload();
  const restored = await s.webviewFrame('vscode-tab-header[data-tab="selection"][aria-selected="true"]', 60_000);
  await restored.waitForSelector('vscode-tab-panel[data-tab="selection"] canvas');
  await s.screenshot('restored');

  const csp = s.console.filter((l) => /Content Security Policy|Refused to/i.test(l));
  assert.deepEqual(csp, [], 'no CSP violations in the webview');
});
