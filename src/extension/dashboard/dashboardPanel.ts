// One dashboard panel per config: a WebviewPanel with the strict CSP, local resources limited to
// dist/ and media/, every URI through asWebviewUri; the channel (channel.ts) speaks the protocol.
// Closing the panel cancels its pending snapshot work and disposes everything it registered.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { DASHBOARD_VIEW_TYPE, type DashboardTab, type FromWebview } from '../../core/webviewProtocol';
import { DashboardChannel, type DashboardRequest } from './channel';
import { applyCombineWeights, revealMember } from './editActions';
import type { DashboardSource } from './source';
import { dashboardHtml } from './webviewHtml';

export interface PanelDeps {
  extensionUri: vscode.Uri;
  source: DashboardSource;
  log: vscode.LogOutputChannel;
  /** Writes the exported HTML of a snapshot (the Export Report flow). */
  exportHtml(configUri: vscode.Uri): Promise<void>;
  /** The user selected a member in the dashboard (the extension may sync its views). */
  onSelectMember?(configUri: vscode.Uri, memberId: string | null): void;
}

/** Options of a new panel (`retainContextWhenHidden` is off: the host resends the snapshot when shown). */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export class DashboardPanel implements vscode.Disposable {
  private readonly channel: DashboardChannel;
  private readonly disposables: vscode.Disposable[] = [];
  private cts: vscode.CancellationTokenSource | undefined;
  private disposed = false;
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidClose = this.closed.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly configUri: vscode.Uri,
    private readonly deps: PanelDeps,
  ) {
    const webview = panel.webview;
    webview.options = panelOptions(deps.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media/icons/ensemble-lens.svg');
    this.channel = new DashboardChannel(webview, {
      request: (m) => this.onRequest(m),
      event: (m) => this.onEvent(m),
      rejected: (e) => deps.log.warn(`dashboard: rejected a message from the webview: ${e}`),
      mismatch: (p) => deps.log.warn(`dashboard: webview protocol ${p} differs from the host's; reload the window`),
    });
    this.disposables.push(
      this.closed,
      webview.onDidReceiveMessage((m: unknown) => void this.channel.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      // Without retained context the webview is rebuilt when shown again; it says ready and gets the last snapshot.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.channel.reset();
      }),
    );
    if (deps.source.onDidChangeReport) {
      this.disposables.push(deps.source.onDidChangeReport((u) => u.toString() === configUri.toString() && void this.refresh()));
    }
    if (deps.source.onTrainingProgress) {
      this.disposables.push(deps.source.onTrainingProgress((e) => e.uri.toString() === configUri.toString() && this.channel.setTraining(e.progress)));
    }
    panel.title = `Dashboard: ${basename(configUri.path).replace(/\.ensemble\.json$/, '')}`;
    webview.html = this.html();
  }

  private html(): string {
    const w = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.deps.extensionUri, 'dist');
    return dashboardHtml({
      cspSource: w.cspSource,
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(dist, 'dashboard.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(dist, 'dashboard.css')).toString(),
      nonce: randomBytes(16).toString('base64'),
      title: this.panel.title,
    });
  }

  /** Fetches a fresh snapshot and sends it (cancelling a fetch still running). */
  async refresh(): Promise<void> {
    this.cts?.cancel();
    const cts = (this.cts = new vscode.CancellationTokenSource());
    this.channel.status('loading', 'Computing the report…');
    try {
      const snap = await this.deps.source.snapshot(this.configUri, cts.token);
      if (cts.token.isCancellationRequested || this.disposed) return;
      this.channel.setSnapshot({ ...snap, host: 'extension', configUri: this.configUri.toString(), ...(vscode.workspace.isTrusted ? {} : { restricted: true }) });
      this.channel.status('idle');
    } catch (e) {
      if (cts.token.isCancellationRequested || this.disposed) return;
      const msg = e instanceof Error ? e.message : String(e);
      this.deps.log.error(`dashboard of ${this.configUri.fsPath}: ${msg}`);
      this.channel.status('error', msg);
    } finally {
      if (this.cts === cts) this.cts = undefined;
      cts.dispose();
    }
  }

  reveal(tab?: DashboardTab, memberId?: string): void {
    this.panel.reveal(undefined, false);
    if (tab || memberId) this.channel.focus(tab, memberId);
  }

  private async onRequest(m: DashboardRequest): Promise<void> {
    switch (m.type) {
      case 'revealMember':
        return revealMember(this.configUri, m.memberId);
      case 'applyWeights':
        return applyCombineWeights(this.configUri, m.weights);
      case 'refresh':
        return this.refresh();
      case 'exportHtml':
        return this.deps.exportHtml(this.configUri);
      case 'cancelTraining':
        await vscode.commands.executeCommand('ensembleLens.cancel', this.configUri);
        return;
    }
  }

  private onEvent(m: Exclude<FromWebview, DashboardRequest | { type: 'ready' }>): void {
    if (m.type === 'selectMember') this.deps.onSelectMember?.(this.configUri, m.memberId);
    else if (m.type === 'log') this.deps.log[m.level === 'warning' ? 'warn' : m.level](`dashboard webview: ${m.message}`);
  }

  /** The panel's last snapshot, if any (for Export Report from an open dashboard). */
  get snapshot() {
    return this.channel.current;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cts?.cancel();
    this.closed.fire();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}

export { DASHBOARD_VIEW_TYPE };
