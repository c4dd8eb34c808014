// The Predictions view for regression: samples sorted by the ensemble's absolute error or the members'
// spread; for the chosen sample every member's prediction beside the ensemble's and the label.
import { VirtualList } from '../components/virtualList';
import type { SnapshotData } from '../data';
import { clear, emptyState, h, section, select } from '../dom';
import { short } from '../format';
import type { ViewContext } from '../view';

const ROW = 32;

const SORTS: Record<string, string> = { absoluteError: 'Absolute error', spread: 'Member spread', index: 'Test index' };


interface RegTable {
  n: number;
  labels: Float32Array;
  ens: Float32Array;
  ids: string[];
  keys: Record<string, Float64Array>;
}

const tables = new WeakMap<SnapshotData, RegTable>();

function table(d: SnapshotData): RegTable | undefined {
  const cached = tables.get(d);
  if (cached) return cached;
  const labels = d.labels();
  const ens = d.ensembleValues();
  if (!labels || !ens) return undefined;
  const n = d.nTest;
  const ids = d.memberIds.filter((id) => d.values(id));
  const err = new Float64Array(n);
  const spread = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    err[i] = Math.abs(ens[i] - labels[i]);
    let m = 0;
    for (const id of ids) m += (d.values(id) as Float32Array)[i];
    m /= ids.length || 1;
    let v = 0;
    for (const id of ids) v += ((d.values(id) as Float32Array)[i] - m) ** 2;
    spread[i] = Math.sqrt(v / Math.max(1, ids.length - 1));
  }
  const t = { n, labels, ens, ids, keys: { absoluteError: err, spread, index: Float64Array.from({ length: n }, (_, i) => i) } };
  tables.set(d, t);
  return t;
}

function detail(el: HTMLElement, ctx: ViewContext, t: RegTable, i: number): void {
  clear(el);
  const d = ctx.data;
  el.append(h('dl', { class: 'facts' },
    h('dt', { text: 'Sample' }), h('dd', { text: `#${i}` }),
    h('dt', { text: 'Label' }), h('dd', { text: short(t.labels[i]) }),
    h('dt', { text: 'Ensemble' }), h('dd', { text: `${short(t.ens[i])} (error ${short(t.ens[i] - t.labels[i])})` }),
    h('dt', { text: 'Member spread' }), h('dd', { text: short(t.keys.spread[i]) }),
  ));
  const box = h('div', { class: 'probs' });
  el.append(box);
  const labels = [...t.ids, 'ensemble'];
  const values = [...t.ids.map((id) => (d.values(id) as Float32Array)[i]), t.ens[i]];
  ctx.charts.add(box, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { type: 'bar', label: 'prediction', data: values, backgroundColor: labels.map((id) => (id === 'ensemble' ? ctx.palette.foreground : ctx.memberColor(id))) },
        { type: 'line', label: 'label', data: labels.map(() => t.labels[i]), borderColor: ctx.palette.ok, borderDash: [6, 4], pointRadius: 0, borderWidth: 2 },
      ],
    },
    options: { plugins: { legend: { position: 'bottom' } }, scales: { y: { title: { display: true, text: 'prediction' } } } },
  }, 'chart-m', `predictions for sample ${i}`);
}

/** Draws the regression sample browser into `root`. */
export function renderRegressionPredictions(root: HTMLElement, ctx: ViewContext): void {
  const t = table(ctx.data);
  if (!t) {
    root.append(emptyState('info', 'Per-sample outputs are not in this snapshot', 'Open the dashboard from the editor after training, or export the report with outputs.'));
    return;
  }
  const ui = ctx.ui.predictions;
  if (!t.keys[ui.sort]) ui.sort = 'absoluteError';
  const key = t.keys[ui.sort];
  const order = Int32Array.from({ length: t.n }, (_, i) => i).sort((a, b) => (ui.sort === 'index' ? a - b : key[b] - key[a] || a - b));
  root.append(h('div', { class: 'toolbar' },
    select(Object.entries(SORTS).map(([value, label]) => ({ value, label })), ui.sort, (v) => {
      ui.sort = v;
      ui.scrollTop = 0;
      ctx.saveUi();
      ctx.redraw();
    }, 'Sort by'),
    h('span', { class: 'count', text: `${t.n} samples` }),
  ));
  const split = h('div', { class: 'split' });
  const listCard = h('div', { class: 'card list-card' });
  const detailCard = section('Sample');
  const body = h('div', { class: 'sample-detail' });
  detailCard.append(body);
  split.append(listCard, detailCard);
  root.append(split);
  if (ui.sample === null || ui.sample >= t.n) ui.sample = order[0];
  let list: VirtualList;
  const pick = (i: number) => {
    ui.sample = i;
    ctx.saveUi();
    ctx.host.send({ type: 'selectSample', index: i });
    list.refresh();
    ctx.charts.destroyAll();
    detail(body, ctx, t, i);
  };
  list = new VirtualList(t.n, ROW, (k) => {
    const i = order[k];
    const row = h('div', { class: `sample-row ${ui.sample === i ? 'selected' : ''}`, data: { index: String(i) } },
      h('span', { class: 'idx', text: `#${i}` }),
      h('span', { class: 'val', title: 'label', text: short(t.labels[i]) }),
      h('span', { class: 'val', title: 'ensemble', text: short(t.ens[i]) }),
      h('span', { class: 'val', title: SORTS[ui.sort], text: short(key[i]) }),
    );
    row.addEventListener('click', () => pick(i));
    return row;
  }, (top) => {
    ui.scrollTop = top;
    ctx.saveUi();
  });
  listCard.append(h('div', { class: 'list-head' }, h('span', { class: 'idx', text: 'sample' }), h('span', { class: 'val', text: 'label' }), h('span', { class: 'val', text: 'ensemble' }), h('span', { class: 'val', text: SORTS[ui.sort].toLowerCase() })), list.element);
  list.scrollTo(ui.scrollTop);
  detail(body, ctx, t, ui.sample);
}
