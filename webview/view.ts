// What every tab implements, and what the app hands it.
import type { DashboardTab } from '../src/core/webviewProtocol';
import type { ChartBag } from './charts';
import type { SnapshotData } from './data';
import type { HostBridge } from './host';
import type { UiState } from './state';
import type { Palette } from './theme';

export interface ViewContext {
  data: SnapshotData;
  ui: UiState;
  palette: Palette;
  host: HostBridge;
  charts: ChartBag;
  /** Updates UI state (persisted) without redrawing. */
  saveUi(): void;
  /** Selects a member everywhere (or clears the selection) and tells the host. */
  selectMember(id: string | null): void;
  /** Switches tab (e.g. from a scatter point to the Predictions view). */
  showTab(tab: DashboardTab): void;
  /** Redraws this view from scratch (after a control changed). */
  redraw(): void;
  /** Records that the view changed in place (tests and benchmarks wait on the panel's data-rendered). */
  markDrawn(): void;
  /** Shows a short message in the status bar of the dashboard. */
  notify(text: string, kind?: 'info' | 'error'): void;
  /** Colour of a member (stable across views). */
  memberColor(id: string): string;
}

export interface View {
  id: DashboardTab;
  title: string;
  icon: string;
  /** Draws into `root` (empty, attached and visible). */
  render(root: HTMLElement, ctx: ViewContext): void;
  /** Optional cheap update for live training progress (no full redraw). */
  update?(ctx: ViewContext): boolean;
}
