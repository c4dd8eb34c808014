// A minimal code-server session for the dashboard host test: only the given extension folders are
// installed (not the whole Ensemble Lens build), VS Code's own workbench and webviews, driven by
// Debian's Chromium (../../../shared/e2e-recipe.md). Started in its own process group, stopped with it.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { launch, repoRoot } from './harness';
import { runPaletteCommand } from '../harness';

const entry = join(repoRoot, '.vscode-test/code-server/node_modules/code-server/out/node/entry.js');

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export class CodeServer {
  readonly console: string[] = [];
  private constructor(
    readonly page: Page,
    readonly workspace: string,
    readonly extensionsDir: string,
    private readonly browser: Browser,
    private readonly server: ChildProcess,
    private readonly tmp: string,
  ) {}

  /** Starts code-server on a copy of `workspace`; `install(extensionsDir)` puts the extensions in place first. */
  static async start(workspace: string, install: (extensionsDir: string) => Promise<void>): Promise<CodeServer> {
    const tmp = mkdtempSync(join(tmpdir(), 'ensemble-lens-dash-'));
    const ws = join(tmp, 'workspace');
    const ext = join(tmp, 'extensions');
    const ud = join(tmp, 'user-data');
    cpSync(workspace, ws, { recursive: true });
    mkdirSync(join(ud, 'User'), { recursive: true });
    mkdirSync(ext, { recursive: true });
    writeFileSync(join(ud, 'User/settings.json'), JSON.stringify({
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'workbench.tips.enabled': false,
      'chat.commandCenter.enabled': false,
      'workbench.colorTheme': 'Default Dark Modern',
    }));
    await install(ext);
    const port = await freePort();
    const server = spawn(process.execPath, [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
      '--disable-getting-started-override', '--extensions-dir', ext, '--user-data-dir', ud, ws], { detached: true, stdio: 'ignore' });
    let browser: Browser | undefined;
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status < 500) break;
        } catch {
          // not up yet
        }
        if (Date.now() > deadline || server.exitCode !== null) throw new Error('code-server did not start');
        await new Promise((r) => setTimeout(r, 200));
      }
      browser = await launch();
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      // tsx wraps functions passed to the page in esbuild's __name helper; give the page a no-op one.
      await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
      const page = await context.newPage();
      const cs = new CodeServer(page, ws, ext, browser, server, tmp);
      page.on('console', (m) => cs.console.push(`${m.type()}: ${m.text()}`));
      await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      await page.waitForTimeout(1500);
      return cs;
    } catch (e) {
      await browser?.close().catch(() => undefined);
      CodeServer.kill(server);
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
  }

  /** Runs a palette command by its title. */
  async command(title: string): Promise<void> {
    await runPaletteCommand(this.page, title);
  }

  /** Opens a workspace file with Quick Open. */
  async openFile(name: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await this.page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
    await input.press('Enter');
    await this.page.locator('.monaco-editor .view-lines').first().waitFor();
    await this.page.waitForTimeout(300);
  }

  /** The (nested) webview frame containing `selector`. */
  async webviewFrame(selector: string, timeoutMs = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const f of this.page.frames()) if (await f.locator(selector).count().catch(() => 0)) return f;
      await this.page.waitForTimeout(250);
    }
    throw new Error(`no webview frame with ${selector}`);
  }

  async reload(): Promise<void> {
    await this.command('Developer: Reload Window');
    await this.page.waitForLoadState('load');
    await this.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  }

  async screenshot(file: string): Promise<void> {
    await this.page.screenshot({ path: file });
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    CodeServer.kill(this.server);
    await new Promise((r) => setTimeout(r, 300));
    rmSync(this.tmp, { recursive: true, force: true });
  }

  private static kill(server: ChildProcess): void {
    if (server.pid === undefined || server.exitCode !== null) return;
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
}
