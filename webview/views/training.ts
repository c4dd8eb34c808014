// Training: loss and accuracy curves per member, live while training (progress events update the charts
// in place, without a redraw), and afterwards from the members' recorded history.
import type { Chart } from 'chart.js';
import type { EpochProgress } from '../../src/core/protocol';
import { emptyState, h, section } from '../dom';
import { num, pct } from '../format';
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
  loss?: Chart<'line'>;
  acc?: Chart<'line'>;
  bars: Map<string, { fill: HTMLElement; text: HTMLElement }>;
}
const live = new WeakMap<ViewContext, Live>();

function datasets(ctx: ViewContext, all: Series[], key: 'loss' | 'accuracy') {
  const valKey = key === 'loss' ? 'valLoss' : 'valAccuracy';
  return all.flatMap((s) => {
    const color = ctx.memberColor(s.id);
    const width = ctx.ui.member === s.id ? 3 : 1.5;
    return [
      { label: `${s.id}`, data: s.history.filter((e) => e[key] !== undefined).map((e) => ({ x: e.epoch, y: e[key] as number })), borderColor: color, backgroundColor: color, borderWidth: width, pointRadius: 0 },
      { label: `${s.id} (validation)`, data: s.history.filter((e) => e[valKey] !== undefined).map((e) => ({ x: e.epoch, y: e[valKey] as number })), borderColor: color, backgroundColor: color, borderDash: [4, 3], borderWidth: width, pointRadius: 0 },
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
    const state: Live = { bars: new Map() };
    live.set(ctx, state);
    const prog = section(ctx.data.training?.running ? 'Training…' : 'Members');
    root.append(prog);
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
    if (!state?.loss || all.some((s) => !state.bars.has(s.id))) return false;
    for (const s of all) {
      const bar = state.bars.get(s.id);
      if (!bar) continue;
      bar.fill.style.width = `${(fraction(s) * 100).toFixed(1)}%`;
      bar.fill.className = `bar-fill state-${s.state}`;
      bar.text.textContent = progressText(s);
    }
    state.loss.data.datasets = datasets(ctx, all, 'loss');
    state.loss.update('none');
    if (state.acc) {
      state.acc.data.datasets = datasets(ctx, all, 'accuracy');
      state.acc.update('none');
    }
    return true;
  },
};
