// CodeLens: `Train · Inspect` above each member entry, `Train all · Dashboard` above `members`.
import * as vscode from 'vscode';
import type { ConfigTracker } from './configTracker';
import type { EnsembleStore } from './ensembleStore';
import { groupByEntry } from './logic/memberView';
import { settings } from './settings';

export class EnsembleCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly sub: vscode.Disposable;
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly tracker: ConfigTracker,
    private readonly store: EnsembleStore,
  ) {
    this.sub = store.onDidChange(() => {
      if (this.pending) return;
      this.pending = setTimeout(() => {
        this.pending = undefined;
        this.changed.fire();
      }, 300);
    });
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!settings(doc.uri).codeLens) return [];
    const tracked = this.tracker.get(doc.uri);
    const st = this.store.get(doc.uri);
    const config = tracked?.result.config;
    if (!tracked || !config || !st?.views) return [];
    const lenses: vscode.CodeLens[] = [];
    const at = (line: number) => new vscode.Range(Math.min(line, doc.lineCount - 1), 0, Math.min(line, doc.lineCount - 1), 0);
    const membersRange = tracked.edits.extraRanges()[0] ?? config.membersRange;
    if (membersRange) {
      const r = at(membersRange.start.line);
      const running = st.running;
      lenses.push(
        running
          ? new vscode.CodeLens(r, { title: '$(debug-stop) Cancel training', command: 'ensembleLens.cancel', arguments: [doc.uri] })
          : new vscode.CodeLens(r, { title: '$(play) Train all', command: 'ensembleLens.train', arguments: [doc.uri] }),
        new vscode.CodeLens(r, { title: '$(graph) Dashboard', command: 'ensembleLens.openDashboard', arguments: [doc.uri] }),
      );
    }
    for (const g of groupByEntry(config, st.views.members)) {
      const range = tracked.edits.at(g.index)?.range ?? g.entry.range;
      const r = at(range.start.line);
      const ids = g.members.map((m) => m.id);
      lenses.push(
        new vscode.CodeLens(r, {
          title: ids.length > 1 ? `$(play) Train ×${ids.length}` : '$(play) Train',
          tooltip: `Train ${ids.join(', ')}`,
          command: 'ensembleLens.trainMember',
          arguments: [doc.uri, ids],
        }),
        new vscode.CodeLens(r, { title: 'Inspect', tooltip: `Inspect ${ids.join(', ')}`, command: 'ensembleLens.inspectMember', arguments: [doc.uri, ids[0]] }),
      );
    }
    return lenses;
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.sub.dispose();
    this.changed.dispose();
  }
}
