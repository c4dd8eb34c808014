// Runs training for a config through the engine (in its worker threads), with a progress
// notification that can cancel, live member states for every view, and a summary at the end.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { ConfigTracker } from './configTracker';
import type { EnsembleStore } from './ensembleStore';
import type { EnsembleStatusBar } from './statusBar';
import { cacheDirFor, engine } from './engineApi';
import { cacheDirSetting, settings } from './settings';

export class TrainingController implements vscode.Disposable {
  private readonly runs = new Map<string, AbortController>();

  constructor(
    private readonly tracker: ConfigTracker,
    private readonly store: EnsembleStore,
    private readonly status: EnsembleStatusBar,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  isRunning(uri?: vscode.Uri): boolean {
    return uri ? this.runs.has(uri.toString()) : this.runs.size > 0;
  }

  /** Trains the members the cache lacks (all, or `only`). Resolves when the run ends. */
  async train(uri: vscode.Uri, only?: string[]): Promise<void> {
    const key = uri.toString();
    if (this.runs.has(key)) {
      void vscode.window.showInformationMessage(`Ensemble Lens: ${basename(uri.fsPath)} is already training.`);
      return;
    }
    const tracked = this.tracker.flush(uri);
    const config = tracked?.result.config;
    const errors = tracked?.result.problems.filter((p) => p.severity === 'error') ?? [];
    if (!config || errors.length) {
      const pick = await vscode.window.showErrorMessage(
        `Ensemble Lens: ${basename(uri.fsPath)} has ${errors.length || 'unreadable'} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} before training.`,
        'Show Problems',
      );
      if (pick) await vscode.commands.executeCommand('workbench.actions.view.problems');
      return;
    }
    const s = settings(uri);
    const abort = new AbortController();
    this.runs.set(key, abort);
    await vscode.commands.executeCommand('setContext', 'ensembleLens.training', true);
    this.store.setRunning(uri, true, only);
    const name = basename(uri.fsPath);
    const total = only?.length ?? config.members.length;
    const t0 = Date.now();
    this.log.info(`train ${name}${only ? ` (${only.join(', ')})` : ''}: backend ${s.backend}, workers ${s.workers ?? 'one per core'}`);
    try {
      const summary = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Ensemble Lens: training ${name}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => abort.abort());
          let done = 0;
          const run = await engine();
          return run.trainEnsemble(config, {
            backend: s.backend,
            workers: s.workers,
            cacheDir: await cacheDirFor(config, cacheDirSetting(uri)),
            signal: abort.signal,
            only,
            onBackend: (b) => {
              this.status.backend = b.name;
              this.log.info(`backend ${b.name}: ${b.reason}`);
            },
            onMemberState: (id, state, detail) => {
              this.store.setLive(uri, id, { state, message: detail?.message, fromCache: detail?.fromCache });
              if (state === 'trained' || state === 'failed') {
                done++;
                progress.report({ increment: 100 / total, message: `${done}/${total} · ${id} ${state}${detail?.fromCache ? ' (cached)' : ''}` });
              }
              if (state === 'failed') this.log.error(`${id}: ${detail?.message ?? 'failed'}`);
              else this.log.debug(`${id}: ${state}${detail?.fromCache ? ' (from cache)' : ''}`);
            },
            onEpoch: (id, p) => {
              this.store.setLive(uri, id, { state: 'training', epoch: p });
              progress.report({ message: `${done}/${total} · ${id} epoch ${p.epoch}/${p.epochs} · loss ${p.loss.toFixed(3)}` });
              this.log.trace(`${id} epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)} ${Math.round(p.samplesPerSec)} samples/s`);
            },
            log: (line) => this.log.info(line),
          });
        },
      );
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      const msg = `${summary.cancelled ? 'cancelled' : 'done'}: ${summary.trained.length} trained, ${summary.cached.length} from cache, ${summary.failed.length} failed${summary.backend ? ` (${summary.backend})` : ''} in ${secs} s`;
      this.log.info(`train ${name} ${msg}`);
      this.store.setRunning(uri, false);
      await this.store.refreshReport(uri);
      if (summary.failed.length) {
        void vscode.window
          .showWarningMessage(`Ensemble Lens: ${name} ${msg}. ${summary.failed.map((f) => `${f.id}: ${f.message}`).join('; ')}`, 'Show Output')
          .then((pick) => pick && this.log.show(true));
      } else {
        void vscode.window.showInformationMessage(`Ensemble Lens: ${name} ${msg}.`);
      }
    } catch (e) {
      this.log.error(`train ${name}: ${(e as Error).stack ?? e}`);
      void vscode.window.showErrorMessage(`Ensemble Lens: training ${name} failed: ${(e as Error).message}`);
      this.store.setRunning(uri, false);
    } finally {
      this.runs.delete(key);
      await vscode.commands.executeCommand('setContext', 'ensembleLens.training', this.runs.size > 0);
      this.status.update();
    }
  }

  /**
   * Computes the adversarial transferability matrix (or reads it from the attack cache) in the
   * engine's attack worker, after training what the cache lacks. Resolves true when a result exists.
   */
  async transferability(uri: vscode.Uri): Promise<boolean> {
    const key = uri.toString();
    const tracked = this.tracker.flush(uri);
    const config = tracked?.result.config;
    if (!config || tracked.result.problems.some((p) => p.severity === 'error')) {
      void vscode.window.showErrorMessage(`Ensemble Lens: fix the errors in ${basename(uri.fsPath)} first.`);
      return false;
    }
    if (config.task !== 'classification') {
      void vscode.window.showInformationMessage('Ensemble Lens: transferability is defined for classification ensembles only.');
      return false;
    }
    const st = this.store.get(uri);
    if (st?.views?.members.some((m) => m.status !== 'trained')) {
      await this.train(uri);
      if (this.store.get(uri)?.views?.members.some((m) => m.status !== 'trained')) return false;
    }
    if (this.runs.has(key)) return false;
    const s = settings(uri);
    const abort = new AbortController();
    this.runs.set(key, abort);
    await vscode.commands.executeCommand('setContext', 'ensembleLens.training', true);
    const name = basename(uri.fsPath);
    try {
      const { runTransferability } = await import('../engine/attack/transferability.js');
      const cacheDir = await cacheDirFor(config, cacheDirSetting(uri));
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Ensemble Lens: transferability of ${name}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => abort.abort());
          let last = 0;
          return runTransferability(config, {
            cacheDir,
            backend: s.backend,
            signal: abort.signal,
            onBackend: (b) => this.log.info(`attack backend ${b.name}: ${b.reason}`),
            onProgress: (done, total, label) => {
              const pct = total ? (100 * done) / total : 0;
              progress.report({ increment: pct - last, message: `${done}/${total} · ${label}` });
              last = pct;
            },
            log: (line) => this.log.info(line),
          });
        },
      );
      const mean = result.summary.meanOffDiagonal;
      this.log.info(`transferability ${name}: mean off-diagonal ${mean === null ? '-' : (100 * mean).toFixed(1)}%`);
      await this.store.refreshReport(uri);
      return true;
    } catch (e) {
      if ((e as Error).name === 'AbortError') {
        void vscode.window.showInformationMessage(`Ensemble Lens: transferability of ${name} cancelled.`);
      } else {
        this.log.error(`transferability ${name}: ${(e as Error).stack ?? e}`);
        void vscode.window.showErrorMessage(`Ensemble Lens: transferability of ${name} failed: ${(e as Error).message}`);
      }
      return false;
    } finally {
      this.runs.delete(key);
      await vscode.commands.executeCommand('setContext', 'ensembleLens.training', this.runs.size > 0);
    }
  }

  /** Cancels the run of a config, or every run. */
  cancel(uri?: vscode.Uri): boolean {
    const targets = uri ? [this.runs.get(uri.toString())] : [...this.runs.values()];
    let any = false;
    for (const a of targets) {
      if (!a) continue;
      a.abort();
      any = true;
    }
    if (any) this.log.info('training cancelled');
    return any;
  }

  dispose(): void {
    for (const a of this.runs.values()) a.abort();
    this.runs.clear();
  }
}
