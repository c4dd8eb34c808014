// Training: loss and accuracy curves per member, live while training (progress events update the charts
// in place, without a redraw), and afterwards from the members' recorded history.
import type { Chart } from 'chart.js';
import type { EpochProgress } from '../../src/core/protocol';
import { button, emptyState, h, section } from '../dom';
import { num, pct } from '../format';
import { alpha } from '../theme';
import type { View, ViewContext } from '../view';

interface Series {
  id: string;
  state: string;
  history: EpochProgress[];
  batch?: { batch: number; batches: number };
}

function series(ctx: ViewContext): Series[] {
  const live = ctx.data.training;
  if (live) return live.members.map((m) => ({ id: m.memberId, state: m.state, history: m.history, batch: m.batch }));
  return ctx.data.report.members.filter((m) => m.training?.history.length).map((m) => ({ id: m.id, state: 'done', history: m.training?.history ?? [] }));
}

interface Live {
  /** Whether a run was in progress when the view was drawn (the Cancel button depends on it). */
  running: boolean;
  loss?: Chart<'line'>;
  acc?: Chart<'line'>;
  bars: Map<string, { fill: HTMLElement; text: HTMLElement }>;
}
const live = new WeakMap<ViewContext, Live>();

function datasets(ctx: ViewContext, all: Series[], key: 'loss' | 'accuracy') {
  const valKey = key === 'loss' ? 'valLoss' : 'valAccuracy';
  const points = (s: Series, k: 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy') => s.history.filter((e) => e[k] !== undefined).map((e) => ({ x: e.epoch, y: e[k] as number }));
  if (all.length > LEGEND_MAX) {
    // Many members: one dataset per kind, members separated by gaps (a dataset per member costs Chart.js
    // far more than its points), plus the selected member on top.
    const joined = (k: 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy') => all.flatMap((s) => [...points(s, k), { x: Number.NaN, y: Number.NaN }]);
    const muted = alpha(ctx.palette.accent, 0.45);
    const out = [
      { label: `${all.length} members`, data: joined(key), borderColor: muted, backgroundColor: muted, borderWidth: 1, pointRadius: 0, spanGaps: false },
      { label: `${all.length} members (validation)`, data: joined(valKey), borderColor: muted, backgroundColor: muted, borderDash: [4, 3], borderWidth: 1, pointRadius: 0, spanGaps: false },
    ];
    const sel = all.find((s) => s.id === ctx.ui.member);
    if (sel) out.push({ label: sel.id, data: points(sel, key), borderColor: ctx.palette.foreground, backgroundColor: ctx.palette.foreground, borderWidth: 3, pointRadius: 0, spanGaps: false });
    return out.filter((d) => d.data.length > 0);
  }
  return all.flatMap((s) => {
    const color = ctx.memberColor(s.id);
    const width = ctx.ui.member === s.id ? 3 : 1.5;
    return [
      { label: `${s.id}`, data: points(s, key), borderColor: color, backgroundColor: color, borderWidth: width, pointRadius: 0 },
      { label: `${s.id} (validation)`, data: points(s, valKey), borderColor: color, backgroundColor: color, borderDash: [4, 3], borderWidth: width, pointRadius: 0 },
    ];
  }).filter((d) => d.data.length > 0);
}

function progressText(s: Series): string {
  const last = s.history[s.history.length - 1];
  const b = s.batch ? ` · batch ${s.batch.batch}/${s.batch.batches}` : '';
  if (!last) return `${s.state}${b}`;
  return `${s.state} · epoch ${last.epoch}/${last.epochs}${b} · loss ${num(last.loss, 4)}${last.valAccuracy !== undefined ? ` · val acc ${pct(last.valAccuracy)}` : ''} · ${Math.round(last.samplesPerSec)} samples/s`;
}

function fraction(s: Series): number {
  const last = s.history[s.history.length - 1];
  if (s.state === 'done' || s.state === 'cached') return 1;
  if (!last) return 0;
  const within = s.batch ? s.batch.batch / Math.max(1, s.batch.batches) : 0;
  return Math.min(1, (last.epoch + within) / Math.max(1, last.epochs));
}

/** Updates a chart's datasets in place (same dataset objects, new points) so Chart.js keeps its controllers. */
function patch(chart: Chart<'line'>, next: ReturnType<typeof datasets>): void {
  const byLabel = new Map(chart.data.datasets.map((d) => [d.label, d]));
  for (const d of next) {
    const cur = byLabel.get(d.label);
    if (cur) cur.data = d.data;
    else chart.data.datasets.push(d);
  }
  chart.update('none');
}

/** Above this many members the legend (one entry each) is hidden: it would be taller than the chart. */
const LEGEND_MAX = 12;

export const trainingView: View = {
  id: 'training',
  title: 'Training',
  icon: 'pulse',
  render(root, ctx) {
    const all = series(ctx);
    if (all.length === 0) {
      root.append(emptyState('pulse', 'No training history', 'Members trained by Ensemble Lens record loss and accuracy per epoch; saved models and prediction files have none.'));
      return;
    }
    const state: Live = { bars: new Map(), running: !!ctx.data.training?.running };
    live.set(ctx, state);
    const run = ctx.data.training;
    const prog = section(run?.running ? 'Training…' : 'Members');
    root.append(prog);
    if (run?.running && ctx.host.inEditor) {
      prog.append(h('div', { class: 'toolbar' }, button('Cancel training', () => {
        void ctx.host.request({ type: 'cancelTraining', runId: run.runId }).then((r) => ctx.notify(r.ok ? 'Cancelling: members stop after their current batch.' : `Could not cancel: ${r.error ?? 'unknown error'}`, r.ok ? 'info' : 'error'));
      }, { icon: 'debug-stop', secondary: true })));
    }
    const list = h('div', { class: 'progress-list' });
    for (const s of all) {
      const fill = h('div', { class: `bar-fill state-${s.state}` });
      fill.style.width = `${(fraction(s) * 100).toFixed(1)}%`;
      const text = h('span', { class: 'muted', text: progressText(s) });
      state.bars.set(s.id, { fill, text });
      list.append(h('div', { class: 'progress-row', data: { member: s.id } }, h('span', { class: 'pid', text: s.id }), h('div', { class: 'bar' }, fill), text));
    }
    prog.append(list);
    const grid = h('div', { class: 'grid-2' });
    root.append(grid);
    const lossCard = section('Loss (solid: training, dashed: validation)');
    const accCard = section('Accuracy');
    grid.append(lossCard, accCard);
    const opts = (y: string) => ({
      parsing: false as const,
      scales: { x: { type: 'linear' as const, title: { display: true, text: 'epoch' }, ticks: { precision: 0 } }, y: { title: { display: true, text: y } } },
      plugins: { legend: { position: 'bottom' as const, labels: { filter: (it: { text: string }) => !it.text.endsWith('(validation)') } } },
    });
    state.loss = ctx.charts.add(lossCard, { type: 'line', data: { datasets: datasets(ctx, all, 'loss') }, options: opts('loss') }, 'chart-m', 'loss curves').chart;
    const acc = datasets(ctx, all, 'accuracy');
    if (acc.length) state.acc = ctx.charts.add(accCard, { type: 'line', data: { datasets: acc }, options: opts('accuracy') }, 'chart-m', 'accuracy curves').chart;
    else accCard.append(h('p', { class: 'hint', text: 'No accuracy recorded (regression, or not reported by the trainer).' }));
  },
  update(ctx) {
    const state = live.get(ctx);
    const all = series(ctx);
    if (!state?.loss || state.running !== !!ctx.data.training?.running || all.some((s) => !state.bars.has(s.id))) return false;
    for (const s of all) {
      const bar = state.bars.get(s.id);
      if (!bar) continue;
      bar.fill.style.width = `${(fraction(s) * 100).toFixed(1)}%`;
      bar.fill.className = `bar-fill state-${s.state}`;
      bar.text.textContent = progressText(s);
    }
    patch(state.loss, datasets(ctx, all, 'loss'));
    if (state.acc) patch(state.acc, datasets(ctx, all, 'accuracy'));
    return true;
  },
};
