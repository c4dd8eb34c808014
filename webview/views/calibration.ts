// Calibration: reliability diagrams per member and for the ensemble (overlaid, or one member against
// the ensemble), bin counts, and ECE/MCE; for regression the rank (Talagrand) histogram.
import type { CalibrationBin } from '../../src/core/analysis/types';
import { sortableTable } from '../components/table';
import { emptyState, h, section, select } from '../dom';
import { num } from '../format';
import { alpha } from '../theme';
import type { View, ViewContext } from '../view';

function points(bins: CalibrationBin[]): { x: number; y: number }[] {
  return bins.filter((b) => b.count > 0 && b.meanConfidence !== null && b.accuracy !== null).map((b) => ({ x: b.meanConfidence as number, y: b.accuracy as number }));
}

function rankHistogram(root: HTMLElement, ctx: ViewContext): void {
  const rh = ctx.data.reg?.calibration?.rankHistogram;
  if (!rh) {
    root.append(emptyState('info', 'No calibration analysis in this report'));
    return;
  }
  const card = section('Rank histogram (Talagrand)');
  card.append(h('p', { class: 'hint', text: `Rank of the label among the ${rh.counts.length - 1} members' predictions. Flat: consistent spread; U-shaped: under-dispersed; dome: over-dispersed. χ² = ${num(rh.chiSquare, 2)} (${rh.degreesOfFreedom} d.o.f.), reliability index ${num(rh.reliabilityIndex, 3)}.` }));
  root.append(card);
  ctx.charts.add(card, {
    type: 'bar',
    data: { labels: rh.counts.map((_, r) => String(r)), datasets: [{ label: 'samples', data: rh.counts, backgroundColor: ctx.palette.accent }] },
    options: { scales: { x: { title: { display: true, text: 'rank of the label' } }, y: { title: { display: true, text: 'samples' } } }, plugins: { legend: { display: false } } },
  }, 'chart-m', 'rank histogram');
}

export const calibrationView: View = {
  id: 'calibration',
  title: 'Calibration',
  icon: 'target',
  render(root, ctx) {
    if (ctx.data.task === 'regression') {
      rankHistogram(root, ctx);
      return;
    }
    const cal = ctx.data.cls?.calibration;
    if (!cal) {
      root.append(emptyState('info', 'No calibration analysis in this report'));
      return;
    }
    const ui = ctx.ui.calibration;
    const ids = cal.members.map((m) => m.id);
    if (ui.show !== 'all' && ui.show !== 'ensemble' && !ids.includes(ui.show)) ui.show = 'all';
    const shown = ui.show === 'all' ? ids : ui.show === 'ensemble' ? [] : [ui.show];
    const p = ctx.palette;
    const grid = h('div', { class: 'grid-2' });
    root.append(grid);
    const card = section('Reliability diagram');
    grid.append(card);
    card.append(
      h('div', { class: 'toolbar' }, select([{ value: 'all', label: 'all members (overlay)' }, { value: 'ensemble', label: 'ensemble only' }, ...ids.map((id) => ({ value: id, label: `${id} vs ensemble` }))], ui.show, (v) => {
        ui.show = v;
        ctx.saveUi();
        ctx.redraw();
      }, 'Show')),
      h('p', { class: 'hint', text: `Accuracy vs mean confidence in ${cal.bins} equal-width bins; the diagonal is perfect calibration, below it overconfident. Click a legend entry to hide a curve.` }),
    );
    const datasets = [
      { label: 'perfect', data: [{ x: 0, y: 0 }, { x: 1, y: 1 }], borderColor: alpha(p.foreground, 0.4), borderDash: [4, 4], pointRadius: 0, borderWidth: 1 },
      ...cal.members.filter((m) => shown.includes(m.id)).map((m) => ({
        label: `${m.id} (ECE ${num(m.ece, 3)})`,
        data: points(m.bins),
        borderColor: ctx.memberColor(m.id),
        backgroundColor: ctx.memberColor(m.id),
        borderWidth: ctx.ui.member === m.id ? 3 : 1.5,
        pointRadius: 2,
      })),
      { label: `ensemble (ECE ${num(cal.ensemble.ece, 3)})`, data: points(cal.ensemble.bins), borderColor: p.foreground, backgroundColor: p.foreground, borderWidth: 3, pointRadius: 3 },
    ];
    ctx.charts.add(card, {
      type: 'line',
      data: { datasets },
      options: {
        parsing: false,
        scales: { x: { type: 'linear', min: 0, max: 1, title: { display: true, text: 'mean confidence' } }, y: { min: 0, max: 1, title: { display: true, text: 'accuracy' } } },
        plugins: { legend: { position: 'bottom', labels: { filter: (it) => it.text !== 'perfect' } } },
      },
    }, 'chart-square', 'reliability diagram');
    const side = h('div');
    grid.append(side);
    const table = section('ECE and MCE');
    const rows = [...cal.members.map((m) => ({ id: m.id, ece: m.ece, mce: m.mce }))];
    table.append(sortableTable(rows, [
      { key: 'id', label: 'Member', value: (r) => r.id },
      { key: 'ece', label: 'ECE', numeric: true, value: (r) => r.ece, cell: (r) => num(r.ece, 4) },
      { key: 'mce', label: 'MCE', numeric: true, value: (r) => r.mce, cell: (r) => num(r.mce, 4) },
    ], {
      sortKey: 'ece',
      sortDir: 1,
      rowKey: (r) => r.id,
      selected: ctx.ui.member,
      onRowClick: (r) => {
        ui.show = r.id;
        ctx.selectMember(r.id);
      },
      footer: [{ id: 'ensemble', ece: cal.ensemble.ece, mce: cal.ensemble.mce }],
    }));
    side.append(table);
    const counts = section('Samples per confidence bin');
    side.append(counts);
    const focus = ui.show !== 'all' && ui.show !== 'ensemble' ? cal.members.find((m) => m.id === ui.show) : undefined;
    ctx.charts.add(counts, {
      type: 'bar',
      data: {
        labels: cal.ensemble.bins.map((b) => `${b.lower.toFixed(2)}–${b.upper.toFixed(2)}`),
        datasets: [
          { label: 'ensemble', data: cal.ensemble.bins.map((b) => b.count), backgroundColor: alpha(p.foreground, 0.6) },
          ...(focus ? [{ label: focus.id, data: focus.bins.map((b) => b.count), backgroundColor: ctx.memberColor(focus.id) }] : []),
        ],
      },
      options: { scales: { y: { type: 'logarithmic', title: { display: true, text: 'samples (log)' } }, x: { ticks: { maxRotation: 60 } } }, plugins: { legend: { position: 'bottom' } } },
    }, 'chart-s', 'bin counts');
  },
};
