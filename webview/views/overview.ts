// Overview: members vs the ensemble (accuracy, NLL, Brier, ECE, leave-one-out), the metric vs ensemble
// size (random-order band and greedy order), and the findings. Clicking a member id reveals it in the config.
import type { ChartDataset } from 'chart.js';
import type { ReportMember } from '../../src/core/report';
import { sortableTable, type Column } from '../components/table';
import { emptyState, h, icon, section, select } from '../dom';
import { num, pct, signed } from '../format';
import { alpha } from '../theme';
import type { View, ViewContext } from '../view';

interface Row {
  id: string;
  order: number;
  member?: ReportMember;
  metrics: Record<string, number | null>;
  loo: Record<string, number | null>;
}

function metricValue(m: unknown, key: string): number | null {
  const v = (m as Record<string, unknown> | null | undefined)?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function rows(ctx: ViewContext): { members: Row[]; ensemble: Row } {
  const r = ctx.data.report;
  const loo = new Map((r.contributions?.leaveOneOut ?? []).map((e) => [e.id, e.delta]));
  const keys = ctx.data.task === 'classification' ? ['accuracy', 'nll', 'brier', 'ece'] : ['rmse', 'mae', 'r2', 'bias'];
  const pick = (m: unknown) => Object.fromEntries(keys.map((k) => [k, metricValue(m, k)]));
  const members = r.members.map((m, order) => ({
    id: m.id,
    order,
    member: m,
    metrics: pick(m.metrics),
    loo: Object.fromEntries(Object.entries(loo.get(m.id) ?? {}).map(([k, v]) => [k, typeof v === 'number' ? v : null])),
  }));
  return { members, ensemble: { id: 'ensemble', order: 1e9, metrics: pick(r.ensemble.metrics), loo: {} } };
}

function memberColumns(ctx: ViewContext): Column<Row>[] {
  const cls = ctx.data.task === 'classification';
  const link = (row: Row): Node => {
    if (!row.member) return h('strong', { text: 'ensemble' });
    const a = h('a', { class: 'member-link', text: row.id, attrs: { href: '#', role: 'button' }, title: ctx.host.inEditor ? 'Reveal in config' : undefined });
    const swatch = h('span', { class: 'swatch' });
    swatch.style.backgroundColor = ctx.memberColor(row.id);
    a.addEventListener('click', (e) => {
      e.preventDefault();
      e.stopPropagation();
      ctx.selectMember(row.id);
      if (ctx.host.inEditor) void ctx.host.request({ type: 'revealMember', memberId: row.id }).then((r) => r.ok || ctx.notify(r.error ?? 'could not reveal', 'error'));
    });
    return h('span', null, swatch, a);
  };
  const state = (row: Row): Node => {
    const s = row.member?.state;
    if (!s) return h('span', { text: '' });
    if (row.member?.excluded) {
      return h('span', { class: 'state state-excluded', title: 'Outside the member selection (Select Members): its own numbers, not part of the ensemble' }, icon('circle-slash'), ' excluded');
    }
    const iconName = s === 'ok' ? 'pass' : s === 'failed' ? 'error' : 'circle-outline';
    return h('span', { class: `state state-${s}`, title: row.member?.message }, icon(iconName), ' ', s === 'ok' ? 'trained' : s);
  };
  const metric = (key: string, label: string, fmt: (v: number | null) => string, title: string, lowerBetter: boolean): Column<Row> => ({
    key,
    label,
    title: `${title} (${lowerBetter ? 'lower' : 'higher'} is better)`,
    numeric: true,
    value: (r) => r.metrics[key],
    cell: (r) => fmt(r.metrics[key]),
  });
  const loo = (key: string, label: string, fmt: (v: number | null) => string, title: string): Column<Row> => ({
    key: `loo-${key}`,
    label,
    title,
    numeric: true,
    value: (r) => r.loo[key] ?? null,
    cell: (r) => {
      const v = r.loo[key];
      if (v === undefined || v === null) return '';
      const good = key === 'accuracy' || key === 'r2' ? v <= 0 : v >= 0;
      return h('span', { class: good ? 'good' : 'bad', text: fmt(v) });
    },
  });
  const first: Column<Row>[] = [
    { key: 'order', label: '#', numeric: true, value: (r) => r.order, cell: (r) => (r.member ? String(r.order + 1) : '') },
    { key: 'id', label: 'Member', value: (r) => r.id, cell: link },
    { key: 'state', label: 'State', value: (r) => (r.member?.excluded ? 'excluded' : (r.member?.state ?? '')), cell: state },
  ];
  if (cls) {
    return [
      ...first,
      metric('accuracy', 'Accuracy', (v) => pct(v, 2), 'Test accuracy', false),
      metric('nll', 'NLL', (v) => num(v, 4), 'Mean negative log-likelihood', true),
      metric('brier', 'Brier', (v) => num(v, 4), 'Brier score', true),
      metric('ece', 'ECE', (v) => num(v, 4), 'Expected calibration error', true),
      loo('accuracy', 'LOO Δacc', (v) => signed(v === null ? null : v * 100, 2), 'Ensemble accuracy without this member minus with it, in points (negative: it helps)'),
      loo('nll', 'LOO ΔNLL', (v) => signed(v, 4), 'Ensemble NLL without this member minus with it (positive: it helps)'),
    ];
  }
  return [
    ...first,
    metric('rmse', 'RMSE', (v) => num(v, 4), 'Root mean squared error', true),
    metric('mae', 'MAE', (v) => num(v, 4), 'Mean absolute error', true),
    metric('r2', 'R²', (v) => num(v, 4), 'Coefficient of determination', false),
    metric('bias', 'Bias', (v) => signed(v, 4), 'Mean of prediction − label', true),
    loo('rmse', 'LOO ΔRMSE', (v) => signed(v, 4), 'Ensemble RMSE without this member minus with it (positive: it helps)'),
  ];
}

function headline(ctx: ViewContext): HTMLElement {
  const r = ctx.data.report;
  const e = r.ensemble.metrics as Record<string, unknown> | null;
  const cards = h('div', { class: 'kpis' });
  const kpi = (label: string, value: string, detail?: string) => cards.append(h('div', { class: 'kpi' }, h('div', { class: 'kpi-value', text: value }), h('div', { class: 'kpi-label', text: label }), detail ? h('div', { class: 'kpi-detail', text: detail }) : null));
  const ok = r.members.filter((m) => m.metrics);
  if (ctx.data.task === 'classification') {
    const best = Math.max(...ok.map((m) => metricValue(m.metrics, 'accuracy') ?? 0));
    kpi('Ensemble accuracy', pct(metricValue(e, 'accuracy'), 2), `best member ${pct(best, 2)}`);
    kpi('Ensemble NLL', num(metricValue(e, 'nll'), 4), `Jensen gap ${num(ctx.data.cls?.diversity?.jensenGap, 4)}`);
    kpi('Ensemble ECE', num(metricValue(e, 'ece'), 4));
    kpi('Oracle accuracy', pct(ctx.data.cls?.diversity?.oracleAccuracy, 2), 'some member right');
    kpi('Mean disagreement', num(ctx.data.cls?.diversity?.average.disagreement, 3));
  } else {
    const best = Math.min(...ok.map((m) => metricValue(m.metrics, 'rmse') ?? Infinity));
    kpi('Ensemble RMSE', num(metricValue(e, 'rmse'), 4), `best member ${num(best, 4)}`);
    kpi('Ensemble R²', num(metricValue(e, 'r2'), 4));
    kpi('Ambiguity', num(ctx.data.reg?.diversity?.ambiguity.averageAmbiguity, 4));
    kpi('Spread/skill', num(ctx.data.reg?.uncertainty?.correctedSpreadSkillRatio, 3));
  }
  const dr = r.contributions?.sizeCurve.diminishingReturns;
  if (dr) kpi('Diminishing returns', `k = ${dr.k}`, `${pct(dr.fraction, 0)} of the ${dr.metric} gain`);
  return cards;
}

function sizeCurve(root: HTMLElement, ctx: ViewContext): void {
  const sc = ctx.data.report.contributions?.sizeCurve;
  if (!sc) return;
  const metrics = Object.keys(sc.random);
  const metric = metrics.includes(ctx.ui.overview.curveMetric) ? ctx.ui.overview.curveMetric : metrics[0];
  const card = section('Metric vs ensemble size');
  card.append(
    h('div', { class: 'toolbar' }, select(metrics.map((m) => ({ value: m, label: m })), metric, (v) => {
      ctx.ui.overview.curveMetric = v;
      ctx.saveUi();
      ctx.redraw();
    }, 'Metric')),
    h('p', { class: 'hint', text: `Mean over ${sc.orders} random member orders with the 10–90th percentile band${sc.sampleCount !== undefined && sc.sampleCount < ctx.data.nTest ? ` (on a seeded subset of ${sc.sampleCount} samples)` : ''}; the greedy order adds the member that helps most first${sc.greedy.complete ? '' : ' (greedy order truncated by the budget)'}.` }),
  );
  root.append(card);
  const pts = sc.random[metric] ?? [];
  const greedy = sc.greedy.values[metric] ?? [];
  const p = ctx.palette;
  const datasets: ChartDataset<'line', { x: number; y: number }[]>[] = [
    { label: 'p90', data: pts.map((q) => ({ x: q.k, y: q.p90 })), borderWidth: 0, pointRadius: 0, fill: false, borderColor: 'transparent' },
    { label: 'p10–p90 (random orders)', data: pts.map((q) => ({ x: q.k, y: q.p10 })), borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: alpha(p.accent, 0.18), borderColor: 'transparent' },
    { label: 'mean (random orders)', data: pts.map((q) => ({ x: q.k, y: q.mean })), borderColor: p.accent, backgroundColor: p.accent, pointRadius: 2 },
    { label: 'greedy order', data: greedy.map((v, i) => ({ x: i + 1, y: v })), borderColor: p.series[1], backgroundColor: p.series[1], borderDash: [5, 3], pointRadius: 2 },
  ];
  ctx.charts.add(card, {
    type: 'line',
    data: { datasets },
    options: {
      parsing: false,
      scales: { x: { type: 'linear', title: { display: true, text: 'members in the ensemble (k)' }, ticks: { precision: 0 } }, y: { title: { display: true, text: metric } } },
      plugins: {
        legend: { labels: { filter: (item) => item.text !== 'p90' } },
        tooltip: { callbacks: { afterBody: (items) => { const k = items[0]?.parsed.x; const g = k ? sc.greedy.order[k - 1] : undefined; return g ? `greedy adds ${g}` : ''; } } },
      },
    },
  }, 'chart-m', `${metric} vs ensemble size`);
}

function findings(ctx: ViewContext): HTMLElement {
  const list = ctx.data.snap.findings ?? [];
  const card = section(`Findings (${list.length})`);
  if (list.length === 0) {
    card.append(h('p', { class: 'hint', text: ctx.data.snap.findings ? 'No findings: no redundant, hurting, poorly calibrated or failed member.' : ctx.data.snap.host === 'export' ? 'This report was exported without findings.' : 'Findings are computed by the editor.' }));
    return card;
  }
  const ul = h('ul', { class: 'findings' });
  for (const f of list) {
    const name = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info';
    const li = h('li', { class: `finding sev-${name}`, data: { member: f.memberId } }, icon(name), ' ', h('span', { class: 'finding-kind', text: f.kind }), ' ', f.message);
    li.tabIndex = 0;
    li.addEventListener('click', () => {
      ctx.selectMember(f.memberId);
      if (ctx.host.inEditor) void ctx.host.request({ type: 'revealMember', memberId: f.memberId });
    });
    ul.append(li);
  }
  card.append(ul);
  return card;
}

export const overviewView: View = {
  id: 'overview',
  title: 'Overview',
  icon: 'dashboard',
  render(root, ctx) {
    const d = ctx.data;
    if (d.analysed) root.append(headline(ctx));
    else root.append(emptyState('info', 'No analysis yet', 'Train the ensemble (or provide prediction files) to see metrics; the members below are what the config declares.'));
    const { members, ensemble } = rows(ctx);
    const tableCard = section('Members and ensemble');
    const o = ctx.ui.overview;
    tableCard.append(sortableTable(members, memberColumns(ctx), {
      sortKey: o.sortKey,
      sortDir: o.sortDir,
      onSort: (key, dir) => {
        o.sortKey = key;
        o.sortDir = dir;
        ctx.saveUi();
        ctx.redraw();
      },
      rowKey: (r) => r.id,
      selected: ctx.ui.member,
      onRowClick: (r) => ctx.selectMember(ctx.ui.member === r.id ? null : r.id),
      footer: d.analysed ? [ensemble] : [],
      caption: d.task === 'classification' ? 'LOO: leave-one-out change of the ensemble when the member is removed' : undefined,
    }));
    const grid = h('div', { class: 'grid-2' });
    root.append(tableCard, grid);
    const left = h('div');
    grid.append(left, findings(ctx));
    sizeCurve(left, ctx);
  },
};
