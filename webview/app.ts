// The dashboard: one tab per view, each drawn lazily when first shown (so the first render only pays
// for the visible tab) and redrawn on a new snapshot, a theme change, or a control change.
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import { DASHBOARD_PROTOCOL_VERSION, DASHBOARD_TABS, type DashboardSnapshot, type DashboardTab, type ToWebview } from '../src/core/webviewProtocol';
import { applyChartTheme, ChartBag } from './charts';
import { SnapshotData } from './data';
import { button, clear, emptyState, h, icon } from './dom';
import { HostBridge } from './host';
import { restoreUiState, type UiState } from './state';
import { readPalette, watchTheme, type Palette } from './theme';
import type { View, ViewContext } from './view';
import { boundariesView } from './views/boundaries';
import { calibrationView } from './views/calibration';
import { diversityView } from './views/diversity';
import { overviewView } from './views/overview';
import { predictionsView } from './views/predictions';
import { selectionView } from './views/selection';
import { trainingView } from './views/training';
import { transferabilityView } from './views/transferability';

const VIEWS: Record<DashboardTab, View> = {
  overview: overviewView,
  predictions: predictionsView,
  diversity: diversityView,
  calibration: calibrationView,
  transferability: transferabilityView,
  selection: selectionView,
  training: trainingView,
  boundaries: boundariesView,
};

interface Pane {
  panel: HTMLElement;
  charts: ChartBag;
  drawn: boolean;
  ctx?: ViewContext;
}

export class DashboardApp {
  private readonly host: HostBridge;
  private ui: UiState;
  private palette: Palette;
  private data: SnapshotData | undefined;
  private readonly panes = new Map<DashboardTab, Pane>();
  private readonly tabs: HTMLElement;
  private readonly header: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly toast: HTMLElement;
  private toastTimer: number | undefined;
  private trainingFrame = 0;

  constructor(private readonly root: HTMLElement) {
    this.host = new HostBridge((m) => this.onMessage(m));
    this.ui = restoreUiState(this.host.getState());
    this.palette = readPalette();
    applyChartTheme(this.palette);
    this.header = h('header', { class: 'top' });
    this.banner = h('div', { class: 'banner hidden', attrs: { role: 'status' } });
    this.toast = h('div', { class: 'toast hidden', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.tabs = document.createElement('vscode-tabs');
    this.tabs.classList.add('tabs');
    for (const id of DASHBOARD_TABS) {
      const v = VIEWS[id];
      const header = document.createElement('vscode-tab-header');
      header.slot = 'header';
      header.dataset.tab = id;
      header.append(icon(v.icon), h('span', { class: 'tab-title', text: ` ${v.title}` }));
      header.title = v.title;
      header.setAttribute('aria-label', v.title);
      const panel = document.createElement('vscode-tab-panel');
      panel.dataset.tab = id;
      panel.classList.add('view', `view-${id}`);
      this.tabs.append(header, panel);
      this.panes.set(id, { panel, charts: new ChartBag(), drawn: false });
    }
    this.tabs.addEventListener('vsc-tabs-select', (e: Event) => {
      const idx = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
      this.setTab(DASHBOARD_TABS[idx] ?? 'overview', false);
    });
    root.append(this.header, this.banner, this.tabs, this.toast);
    this.tabs.setAttribute('selected-index', String(DASHBOARD_TABS.indexOf(this.ui.tab)));
    this.showWaiting();
    watchTheme(() => {
      this.palette = readPalette();
      applyChartTheme(this.palette);
      this.invalidateAll();
    });
    window.addEventListener('error', (e) => this.host.send({ type: 'log', level: 'error', message: String(e.message).slice(0, 4000) }));
  }

  /** Starts: the exported page renders its inlined snapshot; a webview says ready and waits. */
  start(): void {
    const inline = HostBridge.inlineSnapshot();
    if (inline) this.setSnapshot(inline);
    else this.host.send({ type: 'ready', protocol: DASHBOARD_PROTOCOL_VERSION });
  }

  private onMessage(m: ToWebview): void {
    switch (m.type) {
      case 'snapshot':
        if (m.snapshot && typeof m.snapshot === 'object' && m.snapshot.report) this.setSnapshot(m.snapshot);
        break;
      case 'training':
        if (this.data) {
          this.data.training = m.progress;
          // Progress can arrive faster than frames: draw the latest once per animation frame.
          if (!this.trainingFrame) this.trainingFrame = requestAnimationFrame(() => this.drawTraining());
        }
        break;
      case 'status':
        this.banner.classList.toggle('hidden', m.state === 'idle');
        clear(this.banner);
        this.banner.classList.toggle('error', m.state === 'error');
        if (m.state !== 'idle') this.banner.append(icon(m.state === 'error' ? 'error' : 'loading', m.state), ' ', m.message ?? (m.state === 'loading' ? 'Computing the report…' : 'Failed'));
        if (m.state === 'loading') this.banner.querySelector('.codicon')?.classList.add('codicon-modifier-spin');
        break;
      case 'focus': {
        const member = m.memberId && this.data?.member(m.memberId) && m.memberId !== this.ui.member ? m.memberId : undefined;
        if (member) {
          // Every tab shows the selected member: drawn tabs are stale now.
          this.ui.member = member;
          this.saveUi();
          for (const p of this.panes.values()) p.drawn = false;
        }
        if (m.tab) this.setTab(m.tab, true);
        else if (member) this.drawTab(this.ui.tab);
        break;
      }
    }
  }

  private drawTraining(): void {
    this.trainingFrame = 0;
    const pane = this.panes.get('training');
    if (pane?.drawn && pane.ctx && this.ui.tab === 'training' && trainingView.update?.(pane.ctx)) {
      pane.panel.dataset.rendered = String(Date.now() + Math.random());
      return;
    }
    if (pane) pane.drawn = false;
    if (this.ui.tab === 'training') this.drawTab('training');
  }

  /** Replaces the data and redraws the visible tab (others redraw when shown). */
  setSnapshot(s: DashboardSnapshot): void {
    this.data = new SnapshotData(s);
    if (this.ui.member && !this.data.member(this.ui.member)) this.ui.member = null;
    if (s.configUri) {
      this.ui.configUri = s.configUri;
      this.saveUi();
    }
    this.renderHeader();
    this.invalidateAll();
    document.body.dataset.rendered = String(Date.now());
  }

  private renderHeader(): void {
    clear(this.header);
    const d = this.data;
    if (!d) return;
    const r = d.report;
    const parts = [
      r.config.task,
      `${r.data.source}`,
      `${r.data.nTest} test samples`,
      `${d.memberIds.length}/${r.members.length} members analysed${r.memberSelection ? ' (member selection)' : ''}`,
      r.backend ? `backend ${r.backend}` : '',
      `combine ${r.config.combine.method}`,
    ].filter(Boolean);
    if (this.host.inEditor) {
      const ask = (type: 'refresh' | 'exportHtml') => () => {
        void this.host.request({ type }).then((res) => {
          if (!res.ok) this.notify(res.error ?? 'failed', 'error');
        });
      };
      this.header.append(h('div', { class: 'actions' },
        button('Refresh', ask('refresh'), { icon: 'refresh', secondary: true, title: 'Recompute the report from the cache' }),
        button('Export HTML', ask('exportHtml'), { icon: 'export', secondary: true, title: 'Save this dashboard as one self-contained HTML file' }),
      ));
    }
    this.header.append(
      h('h1', null, icon('graph'), ' ', r.config.name),
      h('div', { class: 'meta', text: parts.join(' · ') }),
      h('div', { class: 'meta small', text: `${r.config.file} · generated ${r.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')} by ${r.tool.name} ${r.tool.version}` }),
    );
  }

  private showWaiting(): void {
    const pane = this.panes.get(this.ui.tab);
    if (pane) pane.panel.append(emptyState('loading', 'Waiting for the report…'));
  }

  private setTab(tab: DashboardTab, updateTabs: boolean): void {
    this.ui.tab = tab;
    this.saveUi();
    if (updateTabs) this.tabs.setAttribute('selected-index', String(DASHBOARD_TABS.indexOf(tab)));
    const pane = this.panes.get(tab);
    if (pane && !pane.drawn) this.drawTab(tab);
  }

  private invalidateAll(): void {
    for (const p of this.panes.values()) p.drawn = false;
    this.drawTab(this.ui.tab);
  }

  private drawTab(tab: DashboardTab): void {
    const pane = this.panes.get(tab);
    const data = this.data;
    if (!pane || !data) return;
    pane.charts.destroyAll();
    clear(pane.panel);
    const ctx: ViewContext = {
      data,
      ui: this.ui,
      palette: this.palette,
      host: this.host,
      charts: pane.charts,
      saveUi: () => this.saveUi(),
      selectMember: (id) => {
        this.ui.member = id;
        this.saveUi();
        this.host.send({ type: 'selectMember', memberId: id });
        for (const [t, p] of this.panes) if (t !== tab) p.drawn = false;
        this.drawTab(tab);
      },
      showTab: (t) => this.setTab(t, true),
      redraw: () => this.drawTab(tab),
      markDrawn: () => {
        pane.panel.dataset.rendered = String(Date.now() + Math.random());
      },
      notify: (text, kind) => this.notify(text, kind),
      memberColor: (id) => this.memberColor(id),
    };
    pane.ctx = ctx;
    try {
      VIEWS[tab].render(pane.panel, ctx);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      pane.panel.append(emptyState('error', `This view failed to draw: ${msg}`));
      this.host.send({ type: 'log', level: 'error', message: `${tab}: ${msg}`.slice(0, 4000) });
    }
    pane.drawn = true;
    pane.panel.dataset.rendered = String(Date.now() + Math.random());
  }

  private memberColor(id: string): string {
    const ids = this.data?.report.members.map((m) => m.id) ?? [];
    const i = ids.indexOf(id);
    return this.palette.series[(i < 0 ? 0 : i) % this.palette.series.length];
  }

  private saveUi(): void {
    this.host.setState(this.ui);
  }

  private notify(text: string, kind: 'info' | 'error' = 'info'): void {
    clear(this.toast);
    this.toast.append(icon(kind === 'error' ? 'error' : 'info'), ' ', text);
    this.toast.classList.toggle('error', kind === 'error');
    this.toast.classList.remove('hidden');
    window.clearTimeout(this.toastTimer);
    this.toastTimer = window.setTimeout(() => this.toast.classList.add('hidden'), 4000);
  }
}
