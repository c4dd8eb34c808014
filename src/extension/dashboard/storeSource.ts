// The dashboard's data from the extension's EnsembleStore: the store's report, the members' cached
// outputs and the test inputs (loaded on demand, never training anything or loading models), the
// editor's findings, and live training progress accumulated from the store's per-epoch states.
import * as vscode from 'vscode';
import type { EpochProgress } from '../../core/protocol';
import { buildSnapshot } from '../../core/snapshot';
import type { DashboardSnapshot, TrainingMemberProgress, TrainingProgress } from '../../core/webviewProtocol';
import type { ConfigState, EnsembleStore } from '../ensembleStore';
import { cacheDirFor, engine } from '../engineApi';
import { analyzeReport } from '../logic/findings';
import { cacheDirSetting, settings } from '../settings';
import type { DashboardSource } from './source';

/** Test inputs above this many values (samples x features) are left out of the snapshot. */
const MAX_INPUT_VALUES = 16e6;

export class StoreDashboardSource implements DashboardSource, vscode.Disposable {
  private readonly reportChanged = new vscode.EventEmitter<vscode.Uri>();
  private readonly progress = new vscode.EventEmitter<{ uri: vscode.Uri; progress: TrainingProgress }>();
  readonly onDidChangeReport = this.reportChanged.event;
  readonly onTrainingProgress = this.progress.event;
  private readonly lastReport = new Map<string, unknown>();
  private readonly runs = new Map<string, { running: boolean; runId: string; history: Map<string, EpochProgress[]> }>();
  private readonly sub: vscode.Disposable;

  constructor(private readonly store: EnsembleStore) {
    this.sub = store.onDidChange((st) => st && this.onChange(st));
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
    const findings = analyzeReport(report, { redundancyThreshold: s.redundancyThreshold }).findings;
    return buildSnapshot(report, outputs, dataset, { findings, training: this.trainingOf(st), host: 'extension' });
  }

  dispose(): void {
    this.sub.dispose();
    this.reportChanged.dispose();
    this.progress.dispose();
  }
}
