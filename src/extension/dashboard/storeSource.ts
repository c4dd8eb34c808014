// The dashboard's data from the extension's EnsembleStore: the store's report, the members' cached
// outputs and the test inputs (loaded on demand, never training anything), the editor's findings, live
// training progress accumulated from the store's per-epoch states, and for 2-D classification data the
// members' decision-boundary grids. Grids are evaluated in the engine's worker threads (never on this
// thread), once per config version (the members' cache keys), kept in memory and on disk; in Restricted
// Mode only grids already on disk are shown and no model is evaluated.
import * as vscode from 'vscode';
import type { EnsembleConfig } from '../../core/config/types';
import type { Dataset } from '../../core/data/types';
import type { BackendChoice, EpochProgress } from '../../core/protocol';
import { buildSnapshot } from '../../core/snapshot';
import type { DashboardSnapshot, SnapshotGrid, TrainingMemberProgress, TrainingProgress } from '../../core/webviewProtocol';
import type { ConfigState, EnsembleStore } from '../ensembleStore';
import { cacheDirFor, engine } from '../engineApi';
import { analyzeReport } from '../../core/findings';
import { cacheDirSetting, findingOptions, settings } from '../settings';
import type { DashboardSource } from './source';

/** Test inputs above this many values (samples x features) are left out of the snapshot. */
const MAX_INPUT_VALUES = 16e6;
/** Decision-boundary grid points per axis. */
const GRID_RESOLUTION = 80;
/** How long a snapshot waits for a grid being computed; past it the snapshot goes without, and panels refresh when the grid lands. */
const GRID_WAIT_MS = 2500;

/** One config's decision-boundary grid for one version of its members. */
interface GridEntry {
  version: string;
  abort: AbortController;
  done: boolean;
  grid?: SnapshotGrid;
  /** A snapshot went out without this grid: tell the panels when it lands. */
  notify: boolean;
  promise: Promise<SnapshotGrid | undefined>;
}

export class StoreDashboardSource implements DashboardSource, vscode.Disposable {
  private readonly reportChanged = new vscode.EventEmitter<vscode.Uri>();
  private readonly progress = new vscode.EventEmitter<{ uri: vscode.Uri; progress: TrainingProgress }>();
  readonly onDidChangeReport = this.reportChanged.event;
  readonly onTrainingProgress = this.progress.event;
  private readonly lastReport = new Map<string, unknown>();
  private readonly runs = new Map<string, { running: boolean; runId: string; history: Map<string, EpochProgress[]> }>();
  private readonly subs: vscode.Disposable[];
  private readonly grids = new Map<string, GridEntry>();

  constructor(
    private readonly store: EnsembleStore,
    private readonly log?: Pick<vscode.LogOutputChannel, 'info' | 'warn'>,
  ) {
    this.subs = [
      store.onDidChange((st) => st && this.onChange(st)),
      // The findings' thresholds are settings: open panels show the findings under the new ones.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('ensembleLens.findings') && !e.affectsConfiguration('ensembleLens.redundancyThreshold')) return;
        for (const key of this.lastReport.keys()) this.reportChanged.fire(vscode.Uri.parse(key));
      }),
    ];
  }

  private onChange(st: ConfigState): void {
    const key = st.tracked.uri.toString();
    if (this.lastReport.has(key) && this.lastReport.get(key) !== st.report) {
      this.lastReport.set(key, st.report);
      this.reportChanged.fire(st.tracked.uri);
    }
    const p = this.trainingOf(st);
    if (p) this.progress.fire({ uri: st.tracked.uri, progress: p });
  }

  /** Live progress from the store's member states; history accumulates per run. */
  private trainingOf(st: ConfigState): TrainingProgress | undefined {
    const key = st.tracked.uri.toString();
    let run = this.runs.get(key);
    if (st.running && (!run || !run.running)) {
      run = { running: true, runId: `${Date.now()}`, history: new Map() };
      this.runs.set(key, run);
    }
    if (!run) return undefined;
    run.running = st.running;
    const members: TrainingMemberProgress[] = [];
    for (const [id, live] of st.live) {
      const h = run.history.get(id) ?? [];
      if (live.epoch && h[h.length - 1]?.epoch !== live.epoch.epoch) h.push(live.epoch);
      run.history.set(id, h);
      const state: TrainingMemberProgress['state'] =
        live.state === 'trained' ? (live.fromCache ? 'cached' : 'done') : live.state === 'failed' ? 'failed' : live.state === 'training' ? 'training' : live.state === 'queued' ? 'queued' : 'cancelled';
      members.push({ memberId: id, state, history: [...h], message: live.message });
    }
    return { runId: run.runId, running: st.running, members };
  }

  async snapshot(uri: vscode.Uri, token: vscode.CancellationToken): Promise<DashboardSnapshot> {
    let st = this.store.get(uri);
    if (!st?.report) {
      await this.store.refreshReport(uri);
      st = this.store.get(uri);
    }
    const config = st?.tracked.result.config;
    if (!st || !config) throw new Error('the config does not parse; fix its problems first');
    // Remembered even when absent, so the panel refreshes when the first report arrives.
    this.lastReport.set(uri.toString(), st.report);
    if (!st.report) {
      // Nothing trained yet: the members as the config declares them (the views say what is missing).
      const [{ assembleReport }, { TOOL_VERSION }] = await Promise.all([import('../../core/report.js'), import('../../engine/version.js')]);
      const runs = new Map([...st.live].map(([id, l]) => [id, { state: l.state === 'failed' ? ('failed' as const) : ('not-trained' as const), message: l.message }]));
      const empty = assembleReport({ config, configFile: config.file, toolVersion: TOOL_VERSION, data: { source: config.data.source ?? 'data', nTest: 0, numClasses: 0 }, runs, analysis: null });
      return buildSnapshot(empty, undefined, undefined, { training: this.trainingOf(st), host: 'extension' });
    }
    const report = st.report;
    const s = settings(uri);
    const run = await engine();
    const cacheDir = await cacheDirFor(config, cacheDirSetting(uri));
    const [{ loadEvaluationData }, cached] = await Promise.all([import('../../engine/report.js'), run.loadCachedOutputs(config, { cacheDir, backend: s.backend })]);
    if (token.isCancellationRequested) throw new vscode.CancellationError();
    const evaluation = await loadEvaluationData(config);
    const ids = report.ensemble.members.filter((id) => cached.has(id));
    const outputs = ids.length
      ? { task: config.task, labels: evaluation.labels, numClasses: evaluation.data.numClasses, nTest: evaluation.data.nTest, members: ids.map((id) => ({ id, values: cached.get(id) as Float32Array })) }
      : undefined;
    let dataset;
    if (config.data.source !== undefined || typeof config.data.train === 'string') {
      try {
        const { loadDataset } = await import('../../engine/data/loadDataset.js');
        const ds = await loadDataset(config.data, config.task);
        const dim = ds.inputShape.reduce((a, b) => a * b, 1);
        if (ds.nTest * dim <= MAX_INPUT_VALUES && ds.nTest === evaluation.data.nTest) dataset = ds;
      } catch {
        // Inputs are optional: the Predictions view then shows probabilities without the images.
      }
    }
    if (token.isCancellationRequested) throw new vscode.CancellationError();
    let grid: SnapshotGrid | undefined;
    if (dataset && config.task === 'classification' && dataset.inputShape.reduce((a, b) => a * b, 1) === 2 && st.reportKeys) {
      const version = JSON.stringify({ backend: s.backend, cacheDir, trusted: vscode.workspace.isTrusted, members: report.ensemble.members.map((id) => [id, st.reportKeys?.[id] ?? null]) });
      grid = await this.gridOf(uri, config, version, { dataset, cacheDir, backend: s.backend, workers: s.workers });
      if (token.isCancellationRequested) throw new vscode.CancellationError();
    }
    const findings = analyzeReport(report, findingOptions(s)).findings;
    return buildSnapshot(report, outputs, dataset, { findings, grid, training: this.trainingOf(st), host: 'extension' });
  }

  /**
   * The config's grid for this version: from memory, or computed now (cached grids from disk, the rest
   * evaluated in worker threads unless the workspace is untrusted). Waits at most GRID_WAIT_MS; a grid
   * that lands later makes open panels refresh.
   */
  private async gridOf(
    uri: vscode.Uri,
    config: EnsembleConfig,
    version: string,
    opts: { dataset: Dataset; cacheDir: string; backend: BackendChoice; workers?: number },
  ): Promise<SnapshotGrid | undefined> {
    const key = uri.toString();
    let entry = this.grids.get(key);
    if (entry?.version !== version) {
      entry?.abort.abort();
      const trusted = vscode.workspace.isTrusted;
      const abort = new AbortController();
      const e: GridEntry = { version, abort, done: false, notify: false, promise: Promise.resolve(undefined) };
      e.promise = import('../../engine/grid.js')
        .then(({ computeDecisionGrid }) =>
          computeDecisionGrid(config, { ...opts, resolution: GRID_RESOLUTION, signal: abort.signal, evaluate: trusted, log: (l) => this.log?.warn(l) }),
        )
        .then(
          (g) => {
            if (g && (g.evaluated.length || g.omitted.length)) {
              const left = g.omitted.map((o) => `${o.id} (${o.reason})`).join('; ');
              this.log?.info(`decision boundaries of ${uri.fsPath}: ${g.evaluated.length} evaluated, ${g.cached.length} cached in ${g.millis} ms${left ? `; left out: ${left}` : ''}`);
            }
            return g?.grid;
          },
          (err: unknown) => {
            if (!abort.signal.aborted) this.log?.warn(`decision boundaries of ${uri.fsPath}: ${(err as Error).message}`);
            return undefined;
          },
        )
        .then((g) => {
          e.grid = g;
          e.done = true;
          if (e.notify && g && this.grids.get(key) === e) this.reportChanged.fire(uri);
          return g;
        });
      this.grids.set(key, e);
      entry = e;
    }
    if (entry.done) return entry.grid;
    let timer: NodeJS.Timeout | undefined;
    const late = Symbol('late');
    const r = await Promise.race([entry.promise, new Promise<typeof late>((res) => (timer = setTimeout(() => res(late), GRID_WAIT_MS)))]);
    clearTimeout(timer);
    if (r === late) {
      entry.notify = true;
      return undefined;
    }
    return r;
  }

  dispose(): void {
    for (const g of this.grids.values()) g.abort.abort();
    this.grids.clear();
    for (const d of this.subs) d.dispose();
    this.reportChanged.dispose();
    this.progress.dispose();
  }
}
