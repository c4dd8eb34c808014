// The dashboard's entry point for the extension: `registerDashboard(context, source, log)` registers the
// panel serializer (restores panels after a reload) and returns the host the editor's commands call
// (`open`), matching `DashboardHost` in ../dashboardSeam.ts.
import * as vscode from 'vscode';
import { renderDashboardHtml, inlineCssAssets } from '../../core/htmlReport';
import { DASHBOARD_TABS, DASHBOARD_VIEW_TYPE, type DashboardTab } from '../../core/webviewProtocol';
import { DashboardPanel, panelOptions } from './dashboardPanel';
import type { DashboardSource } from './source';

export interface DashboardTarget {
  uri: vscode.Uri;
  memberId?: string;
  /** The tab to show (default: keep the panel's). */
  tab?: DashboardTab;
}

export class DashboardController implements vscode.Disposable {
  private readonly panels = new Map<string, DashboardPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly selected = new vscode.EventEmitter<{ uri: vscode.Uri; memberId: string | null }>();
  /** The user selected a member in a dashboard. */
  readonly onDidSelectMember = this.selected.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly source: DashboardSource,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.selected,
      vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const uri = typeof (state as { configUri?: unknown } | undefined)?.configUri === 'string' ? vscode.Uri.parse((state as { configUri: string }).configUri) : undefined;
          if (!uri) {
            panel.dispose();
            return;
          }
          await this.adopt(panel, uri).refresh();
        },
      }),
    );
  }

  /** Opens (or reveals) the dashboard of a config. */
  async open(target: DashboardTarget): Promise<void> {
    const key = target.uri.toString();
    const existing = this.panels.get(key);
    const tab = target.tab ?? (target.memberId ? 'overview' : undefined);
    if (existing) {
      existing.reveal(tab, target.memberId);
      return;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'Ensemble Dashboard', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, panelOptions(this.context.extensionUri));
    const p = this.adopt(panel, target.uri);
    if (tab || target.memberId) p.reveal(tab, target.memberId);
    await p.refresh();
  }

  /** Shows the Transferability tab of a config's dashboard. */
  async showTransferability(uri: vscode.Uri): Promise<void> {
    await this.open({ uri, tab: 'transferability' });
  }

  private adopt(panel: vscode.WebviewPanel, uri: vscode.Uri): DashboardPanel {
    const p = new DashboardPanel(panel, uri, {
      extensionUri: this.context.extensionUri,
      source: this.source,
      log: this.log,
      exportHtml: (u) => this.exportHtml(u),
      onSelectMember: (u, id) => this.selected.fire({ uri: u, memberId: id }),
    });
    const key = uri.toString();
    this.panels.set(key, p);
    p.onDidClose(() => {
      if (this.panels.get(key) === p) this.panels.delete(key);
    });
    return p;
  }

  /** Asks where to save, then writes the self-contained HTML of the config's dashboard. */
  async exportHtml(uri: vscode.Uri): Promise<void> {
    const snap = this.panels.get(uri.toString())?.snapshot ?? (await this.source.snapshot(uri, new vscode.CancellationTokenSource().token));
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(uri, '..', `${snap.report.config.name}.report.html`),
      filters: { HTML: ['html'] },
      title: 'Export the dashboard as HTML',
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(await this.renderHtml(snap)));
    void vscode.window.showInformationMessage(`Ensemble Lens: wrote ${vscode.workspace.asRelativePath(target)}`);
  }

  /** The exported HTML of a snapshot, from the extension's own dist/ files. */
  async renderHtml(snap: Parameters<typeof renderDashboardHtml>[0]['snapshot']): Promise<string> {
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    const read = async (name: string) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(dist, name));
    const script = new TextDecoder().decode(await read('dashboard.js'));
    const cssText = new TextDecoder().decode(await read('dashboard.css'));
    const assets = new Map<string, Uint8Array>();
    for (const m of cssText.matchAll(/url\(\s*['"]?\.?\/?([^'")]+\.(?:ttf|woff2?|svg|png))/g)) {
      try {
        assets.set(m[1], await read(m[1]));
      } catch {
        // leave the url as is
      }
    }
    const css = inlineCssAssets(cssText, (rel) => assets.get(rel.replace(/^\.\//, '')));
    return renderDashboardHtml({ script, css, snapshot: { ...snap, host: 'export' } });
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * Call once from `activate`: registers the serializer and returns the controller (a `DashboardHost`:
 * `open({ uri, memberId })`; add it to context.subscriptions).
 */
export function registerDashboard(context: vscode.ExtensionContext, source: DashboardSource, log: vscode.LogOutputChannel): DashboardController {
  return new DashboardController(context, source, log);
}

export { DASHBOARD_TABS };
