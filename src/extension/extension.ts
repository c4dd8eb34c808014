// Ensemble Lens in VS Code: wires the tracker, the store and every editor feature. Activation is
// cheap: the engine (and through it TensorFlow.js, onnxruntime, the analyses) loads on first use,
// and training runs in the engine's worker threads.
import * as vscode from 'vscode';
import { ConfigTracker } from './configTracker';
import { EnsembleStore } from './ensembleStore';
import { Decorations } from './decorations';
import { EnsembleCodeLens } from './codeLens';
import { EnsembleHover } from './hover';
import { EnsembleDiagnostics } from './diagnostics';
import { EnsembleTree, type Node } from './treeView';
import { EnsembleStatusBar } from './statusBar';
import { TrainingController } from './training';
import { registerCommands } from './commands/register';
import { registerDashboardHost, type DashboardHost } from './dashboardSeam';
import { registerDashboard } from './dashboard/controller';
import { StoreDashboardSource } from './dashboard/storeSource';

/** What `activate` returns: for tests and other extensions. */
export interface EnsembleLensApi {
  tracker: ConfigTracker;
  store: EnsembleStore;
  training: TrainingController;
  registerDashboardHost(host: DashboardHost): vscode.Disposable;
}

const SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/*.ensemble.json' },
  { scheme: 'untitled', pattern: '**/*.ensemble.json' },
];

export function activate(context: vscode.ExtensionContext): EnsembleLensApi {
  const log = vscode.window.createOutputChannel('Ensemble Lens', { log: true });
  const tracker = new ConfigTracker(log);
  const store = new EnsembleStore(tracker, log, context.workspaceState);
  const status = new EnsembleStatusBar(store);
  const training = new TrainingController(tracker, store, status, log);
  const tree = new EnsembleTree(store);
  const treeView = vscode.window.createTreeView<Node>('ensembleLens.configs', { treeDataProvider: tree, showCollapseAll: true });
  const decorations = new Decorations(vscode.Uri.joinPath(context.extensionUri, 'media'), store, tracker);
  const codeLens = new EnsembleCodeLens(tracker, store);
  const diagnostics = new EnsembleDiagnostics(store);

  context.subscriptions.push(
    log,
    tracker,
    store,
    status,
    training,
    tree,
    treeView,
    decorations,
    codeLens,
    diagnostics,
    vscode.languages.registerCodeLensProvider(SELECTOR, codeLens),
    vscode.languages.registerHoverProvider(SELECTOR, new EnsembleHover(tracker, store)),
    vscode.languages.registerCodeActionsProvider(SELECTOR, diagnostics, EnsembleDiagnostics.metadata),
    ...registerCommands({ tracker, store, training, log, tree: treeView }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('ensembleLens')) return;
      if (e.affectsConfiguration('ensembleLens.cacheFolder') || e.affectsConfiguration('ensembleLens.backend')) {
        for (const s of store.all()) void store.reset(s.tracked.uri);
      } else {
        store.recomputeAll();
      }
      decorations.redrawAll();
    }),
    watchCaches(store),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log.info('workspace trusted: training enabled');
      for (const s of store.all()) void store.refreshReport(s.tracked.uri);
    }),
  );
  // The dashboard (src/extension/dashboard): its serializer must exist at activation to restore panels.
  const dashboardSource = new StoreDashboardSource(store, log);
  const dashboard = registerDashboard(context, dashboardSource, log);
  context.subscriptions.push(
    dashboardSource,
    dashboard,
    registerDashboardHost({
      open: (t) => dashboard.open(t),
      computeTransferability: (t) => dashboard.showTransferability(t.uri),
      exportHtml: (t) => dashboard.exportHtml(t.uri),
    }),
    dashboard.onDidSelectMember(({ uri, memberId }) => {
      const st = store.get(uri);
      const index = st?.views?.members.findIndex((m) => m.id === memberId) ?? -1;
      if (memberId && index >= 0 && treeView.visible) void treeView.reveal({ kind: 'member', uri, id: memberId, index }, { select: true, focus: false });
    }),
  );
  void vscode.commands.executeCommand('setContext', 'ensembleLens.training', false);
  log.info(`activated${vscode.workspace.isTrusted ? '' : ' in Restricted Mode: configs are validated and cached results shown read-only; nothing is trained or loaded'}`);
  void tracker.start().catch((e: unknown) => log.error(`scanning the workspace: ${(e as Error).message}`));
  return { tracker, store, training, registerDashboardHost };
}

/**
 * Members trained outside the editor (the CLI in a terminal, another window) land in the cache
 * folders; re-read the cache state of every config once such writes go quiet.
 */
function watchCaches(store: EnsembleStore): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher('**/.ensemble-lens/**');
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      for (const s of store.all()) void store.recheck(s.tracked.uri);
    }, 1000);
  };
  return vscode.Disposable.from(watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed), {
    dispose: () => timer && clearTimeout(timer),
  });
}

export function deactivate(): void {
  // Everything is in context.subscriptions: runs are aborted by TrainingController.dispose.
}
