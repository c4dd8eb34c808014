// The state of every tracked config: its cache state, the live state of a training run, the last
// report, and the member views every editor feature draws from. One change event per config; during
// training it is throttled so 200 members redraw a few times a second, not once per epoch event.
import * as vscode from 'vscode';
import type { EnsembleConfig } from '../core/config/types';
import type { EnsembleReport } from '../core/report';
import type { CachedMemberInfo } from '../engine/run';
import type { ConfigTracker, TrackedConfig } from './configTracker';
import { cacheDirFor, engine, reportFromCache } from './engineApi';
import { ReportWorkerClient } from '../engine/reportWorker/client';
import { DataError } from '../core/data/errors';
import { buildViews, type EnsembleViews, type LiveState } from './logic/memberView';
import { effectiveSelection, selectionKey } from '../core/memberSelection';
import { cacheDirSetting, findingOptions, settings } from './settings';

/** Minimum time between two change events of one config while training (ms). */
const THROTTLE_MS = 250;
/** workspaceState key of the member selections: config URI -> picked member ids. */
const SELECTIONS_KEY = 'ensembleLens.selections';

export interface ConfigState {
  tracked: TrackedConfig;
  cache?: Record<string, CachedMemberInfo>;
  /** The parse `cache` belongs to (an older parse's cache state is still shown until the new one arrives). */
  cacheFor?: EnsembleConfig;
  live: Map<string, LiveState>;
  running: boolean;
  report?: EnsembleReport;
  reportKeys?: Record<string, string>;
  /** The `combine` rule the report's ensemble numbers were computed with. */
  reportCombine?: string;
  views?: EnsembleViews;
  /** Members picked with Select Members (default: all); `effectiveSelection` of the config's ids is what applies. */
  selection?: string[];
  /** `selectionKey` of the selection the report was built with. */
  reportSelection?: string;
}

/** What the report depends on besides the members' outputs: the combine rule and the analysis block. */
function combineKey(config: EnsembleConfig): string {
  return JSON.stringify({ method: config.combine.method, weights: config.combine.weights, analysis: config.analysis ?? null });
}

export class EnsembleStore implements vscode.Disposable {
  private readonly states = new Map<string, ConfigState>();
  private readonly changed = new vscode.EventEmitter<ConfigState | undefined>();
  private readonly pendingFire = new Map<string, NodeJS.Timeout>();
  private readonly lastFire = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Reads caches and computes reports off the extension host's thread; started on the first report. */
  private reports?: ReportWorkerClient;
  /** The report being computed per config: a newer request for the same config aborts it. */
  private readonly reportAborts = new Map<string, AbortController>();
  /** A config's views changed (undefined: the set of configs changed). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly tracker: ConfigTracker,
    private readonly log: vscode.LogOutputChannel,
    /** Where member selections persist (the workspace's state); none: only in memory. */
    private readonly memento?: vscode.Memento,
  ) {
    this.disposables.push(
      this.changed,
      tracker.onDidParse((t) => void this.onParse(t)),
      tracker.onDidEditMembers(({ config }) => this.recompute(config.uri.toString(), true)),
      tracker.onDidRemove((u) => {
        this.reportAborts.get(u.toString())?.abort();
        this.states.delete(u.toString());
        this.changed.fire(undefined);
      }),
    );
  }

  all(): ConfigState[] {
    return this.tracker
      .all()
      .map((t) => this.states.get(t.uri.toString()))
      .filter((s): s is ConfigState => !!s);
  }

  get(uri: vscode.Uri): ConfigState | undefined {
    return this.states.get(uri.toString());
  }

  private async onParse(t: TrackedConfig): Promise<void> {
    const key = t.uri.toString();
    const isNew = !this.states.has(key);
    const st: ConfigState = this.states.get(key) ?? { tracked: t, live: new Map(), running: false, selection: this.savedSelection(key) };
    st.tracked = t;
    this.states.set(key, st);
    if (isNew) this.changed.fire(undefined);
    const config = t.result.config;
    if (config) {
      try {
        const s = settings(t.uri);
        const cacheDir = await cacheDirFor(config, cacheDirSetting(t.uri));
        const info = await (await engine()).inspectCache(config, cacheDir, s.backend);
        if (st.tracked !== t) return; // a newer parse arrived meanwhile
        st.cache = info;
        st.cacheFor = config;
        // Trained members the report does not cover under their current key (first sight of a config,
        // or an edit that points a member at outputs already cached): rebuild the report from the
        // cache first, so the member goes from stale straight to its new numbers.
        const uncovered = Object.values(info).some((i) => i.state === 'trained' && st.reportKeys?.[i.id] !== i.key);
        const recombined = !!st.report && st.reportCombine !== combineKey(config);
        // An edit that renames or removes a selected member changes the ensemble the report is about.
        const reselected = !!st.report && st.reportSelection !== selectionKey(this.selectionOf(t.uri));
        if (uncovered || recombined || reselected) {
          await this.refreshReport(t.uri, t.edits.edited.size > 0 ? () => t.edits.clearEdited() : undefined);
          return;
        }
      } catch (e) {
        this.log.warn(`cache state of ${t.uri.fsPath}: ${(e as Error).message}`);
      }
    }
    if (st.tracked === t) t.edits.clearEdited();
    this.recompute(key, true);
  }

  /** Re-reads a config's cache state (something else, e.g. the CLI, wrote to the cache) and redraws. */
  async recheck(uri: vscode.Uri): Promise<void> {
    const st = this.get(uri);
    // Not while a run is writing, nor while the user's edits wait for their parse.
    if (st && !st.running && st.tracked.edits.pending === 0 && st.tracked.edits.edited.size === 0) await this.onParse(st.tracked);
  }

  /**
   * Rebuilds the report from the cache (no training, no model loading) and redraws; `beforeDraw` runs just
   * before the redraw. A newer call for the same config supersedes this one: it returns without drawing.
   */
  async refreshReport(uri: vscode.Uri, beforeDraw?: () => void): Promise<void> {
    const st = this.get(uri);
    const config = st?.tracked.result.config;
    if (!st || !config) return;
    const key = uri.toString();
    this.reportAborts.get(key)?.abort();
    const abort = new AbortController();
    this.reportAborts.set(key, abort);
    const s = settings(uri);
    const failures = new Map([...st.live].filter(([, l]) => l.state === 'failed').map(([id, l]) => [id, l.message ?? 'failed']));
    try {
      const cacheDir = await cacheDirFor(config, cacheDirSetting(uri));
      const selection = this.selectionOf(uri);
      this.reports ??= new ReportWorkerClient();
      const r = await reportFromCache(this.reports, config, {
        cacheDir, backend: s.backend, redundancyThreshold: s.redundancyThreshold, failures, selection, signal: abort.signal, log: (l) => this.log.info(l),
      });
      if (st.tracked.result.config !== config || selectionKey(selection) !== selectionKey(this.selectionOf(uri))) return;
      st.cache = r.info;
      st.cacheFor = config;
      st.report = r.report;
      // Only members whose outputs the report holds: a member trained later (e.g. by the CLI) is then "uncovered".
      st.reportKeys = Object.fromEntries(Object.values(r.info).filter((i) => i.state === 'trained').map((i) => [i.id, i.key]));
      st.reportCombine = combineKey(config);
      st.reportSelection = selectionKey(selection);
    } catch (e) {
      if (abort.signal.aborted) return; // superseded (or the store is disposed)
      // a DataError prints as file:line:col: message
      this.log.error(`report of ${uri.fsPath}: ${e instanceof DataError ? e.toString() : (e as Error).message}`);
    } finally {
      if (this.reportAborts.get(key) === abort) this.reportAborts.delete(key);
    }
    beforeDraw?.();
    this.recompute(key, true);
  }

  /** Records a member's live state (from a training run) and schedules a redraw. */
  setLive(uri: vscode.Uri, id: string, live: LiveState): void {
    const st = this.get(uri);
    if (!st) return;
    const prev = st.live.get(id);
    st.live.set(id, { ...prev, ...live, key: live.key ?? st.cache?.[id]?.key });
    this.recompute(uri.toString(), false);
  }

  setRunning(uri: vscode.Uri, running: boolean, only?: string[]): void {
    const st = this.get(uri);
    if (!st) return;
    st.running = running;
    if (running) {
      // A new run: forget the previous run's live states of the members it will produce.
      for (const id of only ?? st.tracked.result.config?.members.map((m) => m.id) ?? []) st.live.delete(id);
    }
    this.recompute(uri.toString(), true);
  }

  /** The member selection that applies to a config now (undefined: every member). */
  selectionOf(uri: vscode.Uri): string[] | undefined {
    const st = this.get(uri);
    const ids = st?.tracked.result.config?.members.map((m) => m.id);
    return ids ? effectiveSelection(ids, st?.selection) : st?.selection;
  }

  /**
   * Makes `ids` the members the config's ensemble is made of (undefined, or every member: no selection),
   * remembers it in the workspace state and rebuilds the report over them.
   */
  async setSelection(uri: vscode.Uri, ids: string[] | undefined): Promise<void> {
    const st = this.get(uri);
    if (!st) return;
    const all = st.tracked.result.config?.members.map((m) => m.id);
    st.selection = all ? effectiveSelection(all, ids) : ids;
    const key = uri.toString();
    if (this.memento) {
      const saved = { ...this.memento.get<Record<string, string[]>>(SELECTIONS_KEY, {}) };
      if (st.selection) saved[key] = st.selection;
      else delete saved[key];
      await this.memento.update(SELECTIONS_KEY, saved);
    }
    if (st.report || Object.values(st.cache ?? {}).some((i) => i.state === 'trained')) await this.refreshReport(uri);
    else this.recompute(key, true);
  }

  private savedSelection(key: string): string[] | undefined {
    const ids = this.memento?.get<Record<string, string[]>>(SELECTIONS_KEY, {})[key];
    return Array.isArray(ids) && ids.every((x) => typeof x === 'string') ? ids : undefined;
  }

  /** Drops live states and the report (after Clear Cache) and re-reads the cache. */
  async reset(uri: vscode.Uri): Promise<void> {
    const st = this.get(uri);
    if (!st) return;
    st.live.clear();
    st.report = undefined;
    st.reportKeys = undefined;
    await this.onParse(st.tracked);
  }

  /** Recomputes the views of a config; fires now (`immediate`) or throttled. */
  recompute(key: string, immediate: boolean): void {
    const st = this.states.get(key);
    if (!st) return;
    const config = st.tracked.result.config;
    if (config) {
      const s = settings(st.tracked.uri);
      // Cache state belongs to a parse; ids are stable across parses, so an older state still applies until the new one lands.
      st.views = buildViews({
        config,
        cache: st.cache,
        live: st.live,
        report: st.report,
        reportKeys: st.reportKeys,
        edited: st.tracked.edits.edited,
        running: st.running,
        findingOptions: findingOptions(s),
        selection: this.selectionOf(st.tracked.uri),
      });
    } else {
      st.views = undefined;
    }
    const fire = () => {
      this.pendingFire.delete(key);
      this.lastFire.set(key, Date.now());
      this.changed.fire(st);
    };
    const pending = this.pendingFire.get(key);
    if (immediate) {
      if (pending) clearTimeout(pending);
      fire();
      return;
    }
    if (pending) return;
    const wait = Math.max(0, THROTTLE_MS - (Date.now() - (this.lastFire.get(key) ?? 0)));
    this.pendingFire.set(key, setTimeout(fire, wait));
  }

  /** Recomputes every config (settings changed). */
  recomputeAll(): void {
    for (const key of this.states.keys()) this.recompute(key, true);
  }

  dispose(): void {
    for (const t of this.pendingFire.values()) clearTimeout(t);
    for (const a of this.reportAborts.values()) a.abort();
    this.reports?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
