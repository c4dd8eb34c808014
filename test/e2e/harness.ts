// The end-to-end harness: the built extension in code-server (VS Code's own server, workbench and Node
// extension host), driven from Debian's headless Chromium through playwright-core, as a person would.
// Follows ../../../shared/e2e-recipe.md. Needs `bash scripts/setupE2E.sh` once (installs code-server).
// The one way the tests start code-server: every suite that needs a real VS Code uses `Session`
// (with `install` for a test-only extension instead of the Ensemble Lens build).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';

export const repoRoot = resolve(__dirname, '../..');
const codeServerEntry = join(repoRoot, '.vscode-test/code-server/node_modules/code-server/out/node/entry.js');
export const artifactsDir = join(repoRoot, 'test-artifacts/e2e');

/** Debian's Chromium as playwright-core launches it for every browser test (no sandbox, no network chatter). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/** Launches Debian's headless Chromium (never a downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Runs a command from the palette by its title, as a person types it (F1, the title, Enter). */
export async function runPaletteCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.waitForTimeout(150);
  await input.press('Enter');
  await page.waitForTimeout(300);
}

/** True when code-server is installed (scripts/setupE2E.sh); e2e tests skip with a reason otherwise. */
export function e2eAvailable(): string | undefined {
  // In CI a missing tool is a failure, never a silent skip (scripts/runTests.mjs installs them first).
  if (process.env.CI) return undefined;
  if (!existsSync(codeServerEntry)) return 'code-server missing: run `bash scripts/setupE2E.sh`';
  if (!existsSync('/usr/bin/chromium')) return '/usr/bin/chromium missing: run `bash scripts/setupE2E.sh`';
  return undefined;
}

export interface SessionOptions {
  /** Folder copied into a fresh temporary workspace (default: test/fixtures/e2e-workspace). */
  workspace?: string;
  /** Leave Workspace Trust on, so the trust dialog appears (default false: trusted, no prompt). */
  trust?: boolean;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** Prefix of this session's screenshots. */
  name: string;
  /** Runs on the workspace copy before VS Code opens it (e.g. to seed the member cache). */
  prepare?(workspace: string): Promise<void>;
  /**
   * Puts the extensions under test into the session's (empty) extensions folder instead of the
   * Ensemble Lens build (default: `installExtension`, the packaged .vsix). With `install`, `start` and
   * `reload` wait for the workbench only, not for Ensemble Lens' activity bar entry.
   */
  install?(extensionsDir: string): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function isStale(target: string, sources: string[]): boolean {
  if (!existsSync(target)) return true;
  const t = statSync(target).mtimeMs;
  return sources.some((src) => existsSync(src) && (statSync(src).isDirectory() ? newestMtime(src) : statSync(src).mtimeMs) > t);
}

/** Fails early, with the fix, when a bundle cannot load (this happened: jsonc-parser's UMD entry). */
function checkBundle(bundle: string): void {
  if (/node_modules\/jsonc-parser\/lib\/umd\//.test(readFileSync(bundle, 'utf8'))) {
    throw new Error(
      `${bundle} bundles jsonc-parser's UMD entry, which require()s './impl/format' at run time and fails: ` +
        "the node builds in scripts/build.mjs need mainFields: ['module', 'main']",
    );
  }
}

const BUILD_INPUTS = ['src', 'webview', 'media', 'schemas', 'package.json', 'scripts/build.mjs'].map((p) => join(repoRoot, p));

/**
 * The packaged extension (what users install): `npm run package` when ensemble-lens.vsix is missing
 * or older than its sources (ENSEMBLE_LENS_E2E_BUILD=1: always, 0: never), installed once with
 * `code-server --install-extension` into .vscode-test/extensions-packaged; returns its folder.
 */
function packagedExtension(): string {
  const vsix = join(repoRoot, 'ensemble-lens.vsix');
  const mode = process.env.ENSEMBLE_LENS_E2E_BUILD;
  if (mode !== '0' && (mode === '1' || isStale(vsix, BUILD_INPUTS))) {
    const r = spawnSync('npm', ['run', 'package'], { cwd: repoRoot, stdio: 'inherit' });
    if (r.status !== 0 || !existsSync(vsix)) throw new Error('npm run package failed');
  }
  const installed = join(repoRoot, '.vscode-test/extensions-packaged');
  const stamp = join(installed, '.vsix-mtime');
  const mtime = String(statSync(vsix).mtimeMs);
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== mtime) {
    rmSync(installed, { recursive: true, force: true });
    mkdirSync(installed, { recursive: true });
    const r = spawnSync(process.execPath, [codeServerEntry, '--extensions-dir', installed, '--install-extension', vsix], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('code-server --install-extension failed');
    writeFileSync(stamp, mtime);
  }
  const folder = readdirSync(installed).find((n) => n.startsWith('ensemble-lens.ensemble-lens-'));
  if (!folder) throw new Error(`no ensemble-lens extension in ${installed}`);
  return join(installed, folder);
}

/**
 * Puts the extension under test into `extDir`: the packaged .vsix, installed (default), or with
 * ENSEMBLE_LENS_E2E_FROM=dist the dev build (dist/ copied, the rest linked; quicker while iterating).
 */
function installExtension(extDir: string): void {
  if (process.env.ENSEMBLE_LENS_E2E_FROM !== 'dist') {
    const source = packagedExtension();
    const target = join(extDir, basename(source));
    cpSync(source, target, { recursive: true });
    checkBundle(join(target, 'dist/extension.js'));
    return;
  }
  const bundle = join(repoRoot, 'dist/extension.js');
  const mode = process.env.ENSEMBLE_LENS_E2E_BUILD;
  if (mode !== '0' && (mode === '1' || isStale(bundle, BUILD_INPUTS))) {
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts/build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
    // Another area's bundle (CLI, dashboard) failing must not hide a good extension bundle.
    if (r.status !== 0 && (!existsSync(bundle) || statSync(bundle).mtimeMs < Date.now() - 60_000)) throw new Error('build failed');
  }
  checkBundle(bundle);
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const target = join(extDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  mkdirSync(target, { recursive: true });
  // The code is copied, not linked: VS Code tells which extension calls its API from the calling
  // module's real path, which must lie inside the extension's folder. The rest is linked.
  cpSync(join(repoRoot, 'package.json'), join(target, 'package.json'));
  cpSync(join(repoRoot, 'dist'), join(target, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });
  for (const entry of ['media', 'schemas', 'node_modules', 'README.md', 'LICENSE']) {
    if (existsSync(join(repoRoot, entry))) symlinkSync(join(repoRoot, entry), join(target, entry));
  }
}

async function waitForHttp(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`code-server exited with ${server.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer at ${url}`);
}

/** One running code-server + Chromium page on a private copy of a workspace. */
export class Session {
  private shot = 0;
  readonly serverLog: string[] = [];
  /** The page's console messages (`type: text`), e.g. a webview's CSP violations. */
  readonly console: string[] = [];
  private constructor(
    readonly page: Page,
    readonly workspace: string,
    private readonly browser: Browser,
    private readonly server: ChildProcess,
    private readonly tmp: string,
    private readonly name: string,
    private readonly ensembleLens = true,
  ) {}

  /** The session's extensions folder. */
  get extensionsDir(): string {
    return join(this.tmp, 'extensions');
  }

  /** The user settings file VS Code watches (changes apply without a reload). */
  get userSettingsFile(): string {
    return join(this.tmp, 'user-data/User/settings.json');
  }

  /** Merges settings into the user settings, as a person editing settings.json would. */
  updateUserSettings(settings: Record<string, unknown>): void {
    const cur = JSON.parse(readFileSync(this.userSettingsFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(this.userSettingsFile, JSON.stringify({ ...cur, ...settings }, null, 2));
  }

  static async start(opts: SessionOptions): Promise<Session> {
    const tmp = mkdtempSync(join(tmpdir(), 'ensemble-lens-e2e-'));
    const workspace = join(tmp, 'workspace');
    cpSync(opts.workspace ?? join(repoRoot, 'test/fixtures/e2e-workspace'), workspace, { recursive: true });
    await opts.prepare?.(workspace);
    const ud = join(tmp, 'user-data');
    const ext = join(tmp, 'extensions');
    mkdirSync(join(ud, 'User'), { recursive: true });
    mkdirSync(ext, { recursive: true });
    writeFileSync(
      join(ud, 'User/settings.json'),
      JSON.stringify({
        'security.workspace.trust.enabled': opts.trust ?? false,
        'workbench.startupEditor': 'none',
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'workbench.tips.enabled': false,
        'chat.commandCenter.enabled': false,
        'workbench.colorTheme': 'Default Dark Modern',
        'editor.hover.delay': 300,
        ...opts.settings,
      }),
    );
    if (opts.install) await opts.install(ext);
    else installExtension(ext);
    const port = await freePort();
    const server = spawn(
      process.execPath,
      [codeServerEntry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
        '--disable-getting-started-override', '--extensions-dir', ext, '--user-data-dir', ud, workspace],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ENSEMBLE_LENS_E2E: '1' } },
    );
    const log: string[] = [];
    server.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
    server.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
    let browser: Browser | undefined;
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, server, 30_000);
      browser = await launchChromium();
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      // tsx compiles this file with esbuild's keepNames, which wraps functions passed to page.evaluate in `__name(...)`.
      await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
      const page = await context.newPage();
      const s = new Session(page, workspace, browser, server, tmp, opts.name, !opts.install);
      page.on('console', (m) => s.console.push(`${m.type()}: ${m.text()}`));
      await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
      await s.waitForWorkbench();
      s.serverLog.push(...log);
      server.stdout?.on('data', (d: Buffer) => s.serverLog.push(d.toString()));
      server.stderr?.on('data', (d: Buffer) => s.serverLog.push(d.toString()));
      return s;
    } catch (e) {
      await browser?.close().catch(() => undefined);
      killGroup(server);
      rmSync(tmp, { recursive: true, force: true });
      throw new Error(`${(e as Error).message}\n--- code-server log ---\n${log.join('')}`);
    }
  }

  /** Waits for the workbench and (unless the session installs its own extensions) Ensemble Lens. */
  private async waitForWorkbench(): Promise<void> {
    await this.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    // The extension's contributions are registered once its activity bar entry shows.
    if (this.ensembleLens) await this.page.locator('.activitybar .action-item [aria-label^="Ensemble Lens"]').first().waitFor({ timeout: 60_000 });
  }

  /** Reloads the window (Developer: Reload Window) and waits for the workbench and the extension. */
  async reload(): Promise<void> {
    await this.command('Developer: Reload Window');
    await this.page.waitForLoadState('load');
    await this.waitForWorkbench();
  }

  /** Saves `test-artifacts/e2e/<session>-<nn>-<step>.png`. */
  async screenshot(step: string): Promise<string> {
    mkdirSync(artifactsDir, { recursive: true });
    const file = join(artifactsDir, `${this.name}-${String(++this.shot).padStart(2, '0')}-${step}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Runs a command from the palette by its title (as a person types it). */
  async command(title: string): Promise<void> {
    await runPaletteCommand(this.page, title);
  }

  /** Picks an entry of an open quick pick by its label. */
  async pick(label: string): Promise<void> {
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await row.click();
  }

  /** Opens a workspace file through Quick Open and waits for its editor. */
  async openFile(relPath: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await this.page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(relPath);
    const base = relPath.split('/').pop() ?? relPath;
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: base }).first().waitFor({ timeout: 15_000 });
    await input.press('Enter');
    await this.page.locator(`.tab.active[aria-label*="${base}"]`).first().waitFor({ timeout: 15_000 });
    await this.page.locator('.monaco-editor .view-lines').first().waitFor();
    await this.page.waitForTimeout(300);
  }

  /** Text of the visible notification toasts. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
  }

  /** Waits for a notification whose text matches. */
  async waitForNotification(re: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const hit = (await this.notifications()).find((t) => re.test(t));
      if (hit) return hit;
      await this.page.waitForTimeout(250);
    }
    throw new Error(`no notification matching ${re}; saw: ${(await this.notifications()).join(' | ')}`);
  }

  /** Rows of a tree view (aria-labels) inside the side bar pane titled `paneTitle`. */
  async treeRows(paneTitle: string): Promise<{ label: string; level: number; expanded: string | null }[]> {
    const pane = this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: paneTitle }) }).first();
    const rows = pane.locator('.monaco-list-row');
    const n = await rows.count();
    const out: { label: string; level: number; expanded: string | null }[] = [];
    for (let i = 0; i < n; i++) {
      const r = rows.nth(i);
      out.push({
        label: (await r.getAttribute('aria-label')) ?? (await r.innerText()),
        level: Number(await r.getAttribute('aria-level')),
        expanded: await r.getAttribute('aria-expanded'),
      });
    }
    return out;
  }

  /** The row of a tree view in the side bar pane titled `paneTitle` whose aria-label starts with `labelPrefix`. */
  treeRow(paneTitle: string, labelPrefix: string): Locator {
    const pane = this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: paneTitle }) }).first();
    return pane.locator(`.monaco-list-row[aria-label^=${JSON.stringify(labelPrefix)}]`).first();
  }

  /**
   * Right-clicks the row of the sidebar pane `paneTitle` whose label starts with `labelPrefix`, as a person
   * opens a context menu, and returns the menu's entries (their labels, in order); clicks the entry `item`
   * when given, else leaves the menu open. VS Code's lists re-use row elements: a tree refreshed between
   * finding the row and the click (a report arriving) can put another item under the pointer. The row a
   * right-click lands on takes the list's focus, so a menu opened on another row is closed and the click
   * repeated.
   */
  async treeContextMenu(paneTitle: string, labelPrefix: string, item?: string): Promise<string[]> {
    const pane = this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: paneTitle }) }).first();
    const entries = this.page.locator('.context-view .monaco-menu .action-menu-item');
    let landed = '';
    for (let attempt = 0; attempt < 5; attempt++) {
      await this.treeRow(paneTitle, labelPrefix).click({ button: 'right' });
      // VS Code renders context menus in a shadow root inside .context-view; Playwright's CSS pierces it.
      await entries.first().waitFor({ state: 'visible', timeout: 10_000 });
      landed = (await pane.locator('.monaco-list-row.focused').first().getAttribute('aria-label')) ?? '';
      if (landed.startsWith(labelPrefix)) return this.chooseMenuItem(item);
      await this.page.keyboard.press('Escape');
      await entries.first().waitFor({ state: 'hidden', timeout: 10_000 });
    }
    throw new Error(`the context menu kept opening on another row ("${landed}") than ${labelPrefix}`);
  }

  /** The open context menu's entries; chooses `item` when given. */
  private async chooseMenuItem(item?: string): Promise<string[]> {
    const entries = this.page.locator('.context-view .monaco-menu .action-menu-item');
    const labels = (await entries.locator('.action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    if (item) {
      if (!labels.includes(item)) throw new Error(`no "${item}" in the context menu: ${labels.join(' | ')}`);
      // By keyboard, as the menu ignores a click that comes too soon after it opened.
      const focused = this.page.locator('.context-view .monaco-menu .action-item.focused .action-label');
      for (let i = 0; i <= labels.length && (await focused.allInnerTexts())[0]?.trim() !== item; i++) {
        await this.page.keyboard.press('ArrowDown');
      }
      await this.page.keyboard.press('Enter');
      await entries.first().waitFor({ state: 'hidden', timeout: 10_000 });
    }
    return labels;
  }

  /**
   * The editor's lines as rendered: 1-based line number, the line's text, the text drawn after it by
   * decorations (CSS `::after` content) and the gutter (glyph margin) decoration on it: its classes
   * and background image URL ('' when none).
   */
  async editorLines(): Promise<EditorLine[]> {
    // Read as painted: a ResizeObserver's first notification comes in the next frame's rendering steps,
    // after VS Code's animation-frame re-render and layout, before paint. A read from a plain task can
    // land between VS Code removing a decoration's CSS rule and re-rendering its line (never painted).
    return this.page.evaluate(
      (readSource) =>
        new Promise<EditorLine[]>((resolve) => {
          const read = new Function(`return (${readSource})();`) as () => EditorLine[];
          const probe = document.createElement('div');
          probe.style.cssText = 'position:fixed;left:-20px;top:0;width:1px;height:1px;pointer-events:none';
          document.body.appendChild(probe);
          let done = false;
          const finish = () => {
            if (done) return;
            done = true;
            observer.disconnect();
            probe.remove();
            resolve(read());
          };
          const observer = new ResizeObserver(finish);
          observer.observe(probe);
          setTimeout(finish, 2000); // no frame rendered (hidden page): read now
        }),
      readEditorLines.toString(),
    );
  }

  /**
   * Records the editor's lines as painted, once per frame, until `stopLineSampler`. A sample is taken
   * in a ResizeObserver callback (a probe element changes width every frame), which the browser runs
   * after the frame's animation-frame callbacks and layout and before paint: exactly what the user
   * sees. Sampling from a separate task instead can land between VS Code removing a decoration's
   * CSS rule and re-rendering the line at the next animation frame, a state that is never painted.
   */
  async startLineSampler(): Promise<void> {
    await this.page.evaluate((readSource) => {
      const read = new Function(`return (${readSource})();`) as () => unknown;
      const w = window as unknown as { __lineSampler?: { samples: unknown[]; stop: () => void } };
      const probe = document.createElement('div');
      probe.style.cssText = 'position:fixed;left:-20px;top:0;width:1px;height:1px;pointer-events:none';
      document.body.appendChild(probe);
      const samples: unknown[] = [];
      let running = true;
      const observer = new ResizeObserver(() => {
        if (running) samples.push(read());
      });
      observer.observe(probe);
      const tick = () => {
        if (!running) return;
        probe.style.width = probe.style.width === '1px' ? '2px' : '1px';
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      w.__lineSampler = {
        samples,
        stop: () => {
          running = false;
          observer.disconnect();
          probe.remove();
        },
      };
    }, readEditorLines.toString());
  }

  /** Stops the sampler and returns one list of lines per painted frame. */
  async stopLineSampler(): Promise<EditorLine[][]> {
    return this.page.evaluate(() => {
      const w = window as unknown as { __lineSampler?: { samples: EditorLine[][]; stop: () => void } };
      const s = w.__lineSampler;
      if (!s) throw new Error('no line sampler running');
      s.stop();
      delete w.__lineSampler;
      return s.samples;
    });
  }

  /** Polls until `check` is true; fails with `what` after the timeout. */
  async waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await check().catch(() => false)) return;
      await this.page.waitForTimeout(250);
    }
    await this.screenshot(`timeout-${what.replace(/\W+/g, '-')}`);
    throw new Error(`timed out waiting for ${what}`);
  }

  /** Waits until the active editor's rendered lines satisfy `pred`. */
  async waitForLines(pred: (lines: EditorLine[]) => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    let last: EditorLine[] = [];
    try {
      await this.waitFor(async () => pred((last = await this.editorLines())), what, timeoutMs);
    } catch (e) {
      throw new Error(`${(e as Error).message}; lines: ${JSON.stringify(last.filter((l) => l.after || l.glyph))}`);
    }
  }

  /** Waits until a tree view's rows satisfy `pred`. */
  async waitForTree(paneTitle: string, pred: (rows: Awaited<ReturnType<Session['treeRows']>>) => boolean, timeoutMs = 20_000): Promise<void> {
    let last: Awaited<ReturnType<Session['treeRows']>> = [];
    try {
      await this.waitFor(async () => pred((last = await this.treeRows(paneTitle))), `tree ${paneTitle}`, timeoutMs);
    } catch (e) {
      throw new Error(`${(e as Error).message}; rows: ${last.map((r) => r.label).join(' | ')}`);
    }
  }

  /** Moves the mouse over the first token in the active editor whose text is `text`. */
  async hoverText(text: string): Promise<void> {
    const token = this.page.locator('.editor-group-container.active .view-lines .view-line span span', { hasText: text }).first();
    await token.waitFor();
    await this.page.mouse.move(0, 0);
    await token.hover();
  }

  /**
   * Replaces the first `find` on a 1-based line of the active editor with `replace`, by keyboard:
   * Go to Line/Column from the palette, select with Shift+Right, type.
   */
  async typeAt(line: number, find: string, replace: string): Promise<void> {
    const lineText = await this.page.evaluate(
      (n) => {
        const editor = document.querySelector('.editor-group-container.active .monaco-editor');
        if (!editor) return '';
        for (const el of Array.from(editor.querySelectorAll('.margin-view-overlays > div'))) {
          if (Number(el.querySelector('.line-numbers')?.textContent?.trim()) !== n) continue;
          const top = (el as HTMLElement).style.top;
          const v = Array.from(editor.querySelectorAll('.view-lines > .view-line')).find((x) => (x as HTMLElement).style.top === top);
          return (v as HTMLElement | undefined)?.innerText.replace(/\u00a0/g, ' ') ?? '';
        }
        return '';
      },
      line,
    );
    const col = lineText.indexOf(find);
    if (col < 0) throw new Error(`"${find}" not on line ${line}: ${lineText}`);
    await this.gotoLine(line, col + 1);
    for (let i = 0; i < find.length; i++) await this.page.keyboard.press('Shift+ArrowRight');
    await this.page.keyboard.type(replace);
  }

  /** Puts the cursor at a 1-based line and column of the active editor (Go to Line from the palette). */
  async gotoLine(line: number, column = 1): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await this.page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await this.page.waitForTimeout(200);
    await input.press('Enter');
    await this.page.waitForTimeout(200);
  }

  /** The webview frame (webviews nest iframes) that contains `selector`. */
  async webviewFrame(selector: string, timeoutMs = 20_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const f of this.page.frames()) {
        if (await f.locator(selector).count().catch(() => 0)) return f;
      }
      await this.page.waitForTimeout(250);
    }
    await this.screenshot(`timeout-webview`);
    throw new Error(`no webview frame with ${selector}`);
  }

  /** Ends the browser and the server's whole process group, and removes the temporary folders. */
  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    killGroup(this.server);
    await new Promise((r) => setTimeout(r, 300));
    if (!process.env.ENSEMBLE_LENS_E2E_KEEP) rmSync(this.tmp, { recursive: true, force: true });
  }
}

function killGroup(server: ChildProcess): void {
  if (server.pid === undefined || server.exitCode !== null) return;
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  setTimeout(() => {
    try {
      process.kill(-(server.pid as number), 'SIGKILL');
    } catch {
      // already gone
    }
  }, 2000).unref();
}

export interface EditorLine {
  line: number;
  text: string;
  after: string;
  glyph: string;
}

/**
 * Runs in the page (self-contained: it is serialised): the active editor's rendered lines. The
 * gutter decoration of a line is matched to it by its `top`.
 */
function readEditorLines(): EditorLine[] {
  const editor = document.querySelector('.editor-group-container.active .monaco-editor') ?? document.querySelector('.monaco-editor');
  if (!editor) return [];
  const topOf = (el: Element) => Math.round(parseFloat((el as HTMLElement).style.top || '0'));
  const numbers = new Map<number, number>();
  for (const el of Array.from(editor.querySelectorAll('.margin-view-overlays > div'))) {
    const n = Number(el.querySelector('.line-numbers')?.textContent?.trim());
    if (n) numbers.set(topOf(el), n);
  }
  const glyphs = new Map<number, string>();
  for (const el of Array.from(editor.querySelectorAll('.glyph-margin-widgets > div, .margin-view-overlays .cgmr'))) {
    const top = topOf(el) || topOf(el.parentElement as Element);
    const image = getComputedStyle(el).backgroundImage;
    glyphs.set(top, `${(el as HTMLElement).className} ${image && image !== 'none' ? image : ''}`.trim());
  }
  const out: EditorLine[] = [];
  for (const el of Array.from(editor.querySelectorAll('.view-lines > .view-line'))) {
    const top = topOf(el);
    let after = '';
    for (const span of Array.from(el.querySelectorAll('span'))) {
      const c = getComputedStyle(span, '::after').content;
      if (c && c !== 'none' && c !== 'normal' && c !== '""') after += c.replace(/^"|"$/g, '');
    }
    const glyphClass = [...glyphs.entries()].find(([t]) => Math.abs(t - top) < 3)?.[1] ?? '';
    out.push({ line: numbers.get(top) ?? -1, text: (el as HTMLElement).innerText.replace(/\u00a0/g, ' '), after, glyph: glyphClass });
  }
  return out.sort((a, b) => a.line - b.line);
}
