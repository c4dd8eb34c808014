// What the editor shows about each member, computed from everything known about it: the current
// parse, the cache, a live training run, the last report and the edits since the last parse.
// Pure (no vscode): the decorations, hovers, tree and diagnostics all read these views.
import type { EnsembleConfig, MemberSpec } from '../../core/config/types';
import type { EnsembleReport } from '../../core/report';
import type { EpochProgress } from '../../core/protocol';
import { analyzeReport, healthOf, type Finding, type FindingKind, type FindingOptions, type MemberNumbers } from '../../core/findings';

export type MemberState = 'not-trained' | 'stale' | 'queued' | 'training' | 'trained' | 'failed';

export interface MemberView {
  id: string;
  groupId: string;
  status: MemberState;
  /** For trained members: whether it helps or what is wrong with it. */
  health?: 'helping' | FindingKind;
  /** Metrics from the last report (for a stale member: those of its previous spec). */
  metrics?: Record<string, number>;
  loo?: MemberNumbers['loo'];
  closest?: MemberNumbers['closest'];
  diverse?: MemberNumbers['diverse'];
  /** Latest epoch while training (or the last one of the cached history). */
  epoch?: EpochProgress;
  /** Failure message. */
  message?: string;
  /** True when the trained result came from the cache. */
  fromCache?: boolean;
  /** Outside the member selection: not part of the ensemble shown (its own metrics stay, nothing relative to the ensemble). */
  excluded?: boolean;
}

export interface EnsembleView {
  metrics?: Record<string, number>;
  /** Members in the ensemble: the selected ones when a selection is active, else all. */
  total: number;
  /** Trained members in the ensemble. */
  trained: number;
  /** When a member selection is active: how many members are selected, of how many in the config. */
  selection?: { selected: number; of: number };
  /** Members queued or training in the current run. */
  training: number;
  /** Members finished in the current run, out of `running` in it. */
  done: number;
  running: number;
  /** True when some member changed since the report's numbers were computed. */
  stale: boolean;
}

/** One member's live state during (and after) a run. */
export interface LiveState {
  state: MemberState;
  message?: string;
  epoch?: EpochProgress;
  fromCache?: boolean;
  /** The member's cache key when the state was recorded (a failure is forgotten when the key changes). */
  key?: string;
}

export interface ViewInputs {
  config: EnsembleConfig;
  /** inspectCache for this parse: cache state and key per member id. */
  cache?: Record<string, { state: 'trained' | 'stale' | 'not-trained'; key: string; history?: EpochProgress[] }>;
  live?: Map<string, LiveState>;
  report?: EnsembleReport;
  /** Member cache keys when the report was built. */
  reportKeys?: Record<string, string>;
  /** Members edited since the last parse: stale at once. */
  edited?: ReadonlySet<string>;
  findingOptions?: FindingOptions;
  /** Whether a run is active for this config. */
  running?: boolean;
  /** The effective member selection (core/memberSelection.ts); undefined: every member. */
  selection?: readonly string[];
}

export interface EnsembleViews {
  members: MemberView[];
  ensemble: EnsembleView;
  findings: Finding[];
}

function numericMetrics(m: unknown): Record<string, number> | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

/** Builds every member's view and the ensemble's. */
export function buildViews(inp: ViewInputs): EnsembleViews {
  const analysis = inp.report ? analyzeReport(inp.report, inp.findingOptions) : { findings: [], numbers: new Map<string, MemberNumbers>() };
  const selected = inp.selection ? new Set(inp.selection) : undefined;
  const excluded = (id: string) => !!selected && !selected.has(id);
  // Excluded members get no findings, whatever the report was built with.
  const findings = analysis.findings.filter((f) => !excluded(f.memberId) && inp.config.members.some((m) => m.id === f.memberId));
  const reportMembers = new Map((inp.report?.members ?? []).map((m) => [m.id, m]));
  let staleReport = false;
  const members = inp.config.members.map((spec): MemberView => {
    const cache = inp.cache?.[spec.id];
    const live = inp.live?.get(spec.id);
    const rm = reportMembers.get(spec.id);
    const reportCurrent = !!rm && !!cache && inp.reportKeys?.[spec.id] === cache.key;
    const out = excluded(spec.id);
    // Only numbers the report holds can be stale: a member it lists without outputs (never trained) is not.
    if (rm?.metrics && !reportCurrent && !out) staleReport = true;
    const view: MemberView = { id: spec.id, groupId: spec.groupId, status: statusOf(spec, cache, live, inp) };
    if (out) view.excluded = true;
    if (rm?.metrics && (reportCurrent || view.status === 'stale')) view.metrics = numericMetrics(rm.metrics);
    if (reportCurrent && !out) Object.assign(view, analysis.numbers.get(spec.id));
    if (view.status === 'training' || view.status === 'queued') view.epoch = live?.epoch;
    else if (cache?.history?.length) view.epoch = cache.history[cache.history.length - 1];
    if (view.status === 'failed') view.message = live?.message ?? rm?.message;
    if (live?.fromCache) view.fromCache = true;
    if (view.status === 'trained' && !out) view.health = reportCurrent ? healthOf(findings, spec.id) : 'helping';
    if (view.health === 'failed') view.health = 'helping';
    return view;
  });
  const live = [...(inp.live?.values() ?? [])];
  const inEnsemble = members.filter((m) => !m.excluded);
  const ensemble: EnsembleView = {
    metrics: inp.report?.ensemble?.metrics ? numericMetrics(inp.report.ensemble.metrics) : undefined,
    total: inEnsemble.length,
    trained: inEnsemble.filter((m) => m.status === 'trained').length,
    training: members.filter((m) => m.status === 'training' || m.status === 'queued').length,
    running: inp.running ? live.length : 0,
    done: inp.running ? live.filter((l) => l.state === 'trained' || l.state === 'failed').length : 0,
    stale: staleReport || inEnsemble.some((m) => m.status === 'stale'),
  };
  if (selected) ensemble.selection = { selected: inEnsemble.length, of: members.length };
  // Live failures (not in a report yet) are findings too.
  for (const m of inEnsemble) {
    if (m.status === 'failed' && !findings.some((f) => f.kind === 'failed' && f.memberId === m.id)) {
      findings.push({ kind: 'failed', memberId: m.id, severity: 'error', message: `${m.id}: training failed: ${m.message ?? 'unknown error'}` });
    }
  }
  // Findings about members that are no longer trained as analysed are dropped, except failures.
  const shown = findings.filter((f) => f.kind === 'failed' || members.find((m) => m.id === f.memberId)?.status === 'trained');
  return { members, ensemble, findings: shown };
}

type CacheEntry = NonNullable<ViewInputs['cache']>[string];

function statusOf(spec: MemberSpec, cache: CacheEntry | undefined, live: LiveState | undefined, inp: ViewInputs): MemberState {
  const cached = cache?.state ?? 'not-trained';
  if (inp.edited?.has(spec.id)) {
    const before = live?.state ?? cached;
    return before === 'trained' || before === 'stale' || before === 'failed' ? 'stale' : before;
  }
  if (live && (live.state === 'queued' || live.state === 'training') && inp.running) return live.state;
  if (live?.state === 'failed' && (!live.key || !cache || live.key === cache.key)) return 'failed';
  return cached;
}

/**
 * Members grouped by their entry in the `members` array (a `repeat` entry is one group), in file
 * order. `views` are in config order (as buildViews makes them); `index` is the position of the
 * entry's first member in `config.members`.
 */
export function groupByEntry<T extends { id: string }>(config: EnsembleConfig, views: T[]): { entry: MemberSpec; index: number; members: T[] }[] {
  const groups = new Map<number, { entry: MemberSpec; index: number; members: T[] }>();
  config.members.forEach((spec, i) => {
    const v = views[i]?.id === spec.id ? views[i] : views.find((x) => x.id === spec.id);
    if (!v) return;
    let g = groups.get(spec.entryIndex);
    if (!g) groups.set(spec.entryIndex, (g = { entry: spec, index: i, members: [] }));
    g.members.push(v);
  });
  return [...groups.values()];
}

const SEVERITY: MemberState[] = ['failed', 'training', 'queued', 'stale', 'not-trained', 'trained'];

/** The gutter icon of a member or group: its status, or its health when trained. */
export function iconKind(
  all: MemberView[],
): 'trained' | 'redundant' | 'hurting' | 'miscalibrated' | 'failed' | 'stale' | 'not-trained' | 'queued' | 'training' | 'excluded' {
  // A group speaks for its selected members; one with none selected is 'excluded' (drawn without an icon).
  const members = all.filter((m) => !m.excluded);
  if (all.length > 0 && members.length === 0) return 'excluded';
  for (const s of SEVERITY) {
    if (s === 'trained') break;
    if (members.some((m) => m.status === s)) return s;
  }
  const health = ['hurting', 'redundant', 'miscalibrated'] as const;
  // A group shows the health of its members only when all share it (one redundant seed is normal).
  for (const h of health) if (members.length > 0 && members.every((m) => m.health === h)) return h;
  if (members.length === 1 && members[0].health && members[0].health !== 'helping') return members[0].health as 'hurting' | 'redundant' | 'miscalibrated';
  return 'trained';
}
