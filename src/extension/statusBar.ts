// The status bar item: the backend, the state of a run and its progress; when idle, the active
// config's trained count. Clicking it shows the log (or cancels, while training).
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { EnsembleStore } from './ensembleStore';
import { isConfigUri } from './configTracker';

export class EnsembleStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ensembleLens.status', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [];
  /** Backend reported by the last run. */
  backend: string | undefined;

  constructor(private readonly store: EnsembleStore) {
    this.item.name = 'Ensemble Lens';
    this.disposables.push(
      this.item,
      store.onDidChange(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
    );
    this.update();
  }

  update(): void {
    const running = this.store.all().filter((s) => s.running);
    const backend = this.backend ? ` · ${this.backend}` : '';
    if (running.length) {
      const st = running[0];
      const v = st.views?.ensemble;
      const training = st.views?.members.filter((m) => m.status === 'training') ?? [];
      const epoch = training[0]?.epoch ? ` · ${training[0].id} ${training[0].epoch.epoch}/${training[0].epoch.epochs}` : '';
      this.item.text = `$(sync~spin) Ensemble Lens${backend} · ${v ? `${v.done}/${v.running}` : ''}${epoch}`;
      this.item.tooltip = `Training ${basename(st.tracked.uri.fsPath)}: ${v?.done ?? 0} of ${v?.running ?? 0} members done. Click to cancel.`;
      this.item.command = 'ensembleLens.cancel';
      this.item.show();
      return;
    }
    const uri = vscode.window.activeTextEditor?.document.uri;
    const st = uri && isConfigUri(uri) ? this.store.get(uri) : undefined;
    if (!st?.views) {
      this.item.hide();
      return;
    }
    const e = st.views.ensemble;
    const failed = st.views.members.filter((m) => m.status === 'failed').length;
    const icon = failed ? '$(error)' : e.trained === e.total ? '$(pass)' : '$(circle-large-outline)';
    const sel = e.selection ? ` (${e.selection.selected} of ${e.selection.of} selected)` : '';
    this.item.text = `${icon} ${e.trained}/${e.total} trained${sel}${backend}`;
    this.item.tooltip = `Ensemble Lens: ${e.trained} of ${e.total} ${e.selection ? 'selected ' : ''}members trained${failed ? `, ${failed} failed` : ''}${vscode.workspace.isTrusted ? '' : ' (Restricted Mode: read-only)'}. Click for the log.`;
    this.item.command = 'ensembleLens.showOutput';
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
