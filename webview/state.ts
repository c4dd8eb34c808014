// UI state: what the user chose (tab, selection, sort, filters). Persisted with the webview's setState
// so a panel reopens where it was; never holds data (the host resends the snapshot).
import { DASHBOARD_TABS, type DashboardTab } from '../src/core/webviewProtocol';

export interface UiState {
  /** The config this panel shows (from the snapshot); read by the host's serializer after a reload. */
  configUri?: string;
  tab: DashboardTab;
  /** Selected member (highlighted everywhere), or null. */
  member: string | null;
  overview: { sortKey: string; sortDir: 1 | -1; curveMetric: string };
  predictions: { sort: string; classFilter: string; verdict: string; sample: number | null; scrollTop: number };
  diversity: { measure: string; order: 'cluster' | 'config'; cell: [string, string] | null };
  calibration: { show: string };
  transferability: { cell: [string, string] | null; epsilonIndex: number };
  selection: { run: number };
}

export function defaultUiState(): UiState {
  return {
    tab: 'overview',
    member: null,
    overview: { sortKey: 'order', sortDir: 1, curveMetric: '' },
    predictions: { sort: 'disagreement', classFilter: 'all', verdict: 'all', sample: null, scrollTop: 0 },
    diversity: { measure: '', order: 'cluster', cell: null },
    calibration: { show: 'all' },
    transferability: { cell: null, epsilonIndex: 0 },
    selection: { run: 0 },
  };
}

/** Merges a persisted state over the defaults, dropping anything malformed (state can come from an older version). */
export function restoreUiState(raw: unknown): UiState {
  const d = defaultUiState();
  if (typeof raw !== 'object' || raw === null) return d;
  const r = raw as Partial<UiState>;
  const tab = DASHBOARD_TABS.includes(r.tab as DashboardTab) ? (r.tab as DashboardTab) : d.tab;
  const merge = <T extends object>(def: T, v: unknown): T => (typeof v === 'object' && v !== null ? { ...def, ...(v as Partial<T>) } : def);
  return {
    configUri: typeof r.configUri === 'string' ? r.configUri : undefined,
    tab,
    member: typeof r.member === 'string' ? r.member : null,
    overview: merge(d.overview, r.overview),
    predictions: merge(d.predictions, r.predictions),
    diversity: merge(d.diversity, r.diversity),
    calibration: merge(d.calibration, r.calibration),
    transferability: merge(d.transferability, r.transferability),
    selection: merge(d.selection, r.selection),
  };
}
