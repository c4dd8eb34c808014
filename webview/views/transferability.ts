// Transferability: the sources x (members + ensemble) heatmap with the attack protocol beside it; a
// click on a cell opens the adversarial examples behind it; leave-one-out, ensemble attacks, epsilon sweeps.
import type { GalleryImage, GalleryPoint, TransferabilityResult } from '../../src/core/transfer';
import { heatmap } from '../components/heatmap';
import { emptyState, h, icon, section } from '../dom';
import { num, pct } from '../format';
import { alpha } from '../theme';
import type { View, ViewContext } from '../view';

function protocolCard(t: TransferabilityResult): HTMLElement {
  const p = t.protocol;
  const rows: [string, string][] = [
    ['attack', `${p.attack.toUpperCase()} (${p.norm === 'linf' ? 'L∞' : 'L2'})${p.targeted ? `, targeted (${p.targetRule ?? 'fixed'}${p.targetClass !== undefined ? ` ${p.targetClass}` : ''})` : ', untargeted'}`],
    ['epsilon', `${p.epsilon}${p.epsilons.length > 1 ? ` (sweep: ${p.epsilons.join(', ')})` : ''}`],
    ['steps × step size', `${p.steps} × ${p.stepSize}`],
    ['random start / restarts', `${p.randomStart ? 'yes' : 'no'} / ${p.restarts}`],
    ['pool', `${p.poolSize} of ${p.candidates} examined (max ${p.poolRequested}), seed ${p.seed}`],
    ['input bounds', `${p.bounds.source}: [${p.bounds.min}, ${p.bounds.max}]`],
    ['ensemble column', p.ensembleCombine],
    ['backend', p.backend],
  ];
  const s = t.summary;
  const card = section('Protocol', h('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])));
  card.append(h('h4', { text: 'Summary' }), h('dl', { class: 'facts' },
    h('dt', { text: 'mean off-diagonal' }), h('dd', { text: pct(s.meanOffDiagonal) }),
    h('dt', { text: 'white-box (diagonal)' }), h('dd', { text: pct(s.whiteBoxMean) }),
    h('dt', { text: 'on the ensemble' }), h('dd', { text: pct(s.ensembleMean) }),
    h('dt', { text: 'most transferable' }), h('dd', { text: s.mostTransferable ? `${s.mostTransferable.source} → ${s.mostTransferable.target} ${pct(s.mostTransferable.rate)}` : '–' }),
    h('dt', { text: 'least transferable' }), h('dd', { text: s.leastTransferable ? `${s.leastTransferable.source} → ${s.leastTransferable.target} ${pct(s.leastTransferable.rate)}` : '–' }),
  ));
  if (t.skipped.length) card.append(h('h4', { text: 'Skipped' }), h('ul', null, ...t.skipped.map((k) => h('li', { text: `${k.id}: ${k.reason}` }))));
  return card;
}

function galleryCard(parent: HTMLElement, ctx: ViewContext, t: TransferabilityResult, source: string, target: string): HTMLElement {
  const i = t.rows.indexOf(source);
  const j = t.columns.indexOf(target);
  const card = section(`Examples crafted on ${source}, evaluated on ${target}`);
  card.classList.add('gallery-card');
  parent.append(card);
  card.append(h('p', { class: 'hint', text: `${pct(t.matrix[i]?.[j])} of the pool (${t.counts[i]?.[j] ?? '–'} of ${t.protocol.poolSize}) fooled ${target}.` }));
  const g = t.gallery;
  if (g.kind === 'none') {
    card.append(h('p', { class: 'hint', text: `No gallery: ${g.reason}` }));
    return card;
  }
  if (g.kind === 'images') {
    const items = (g.bySource[source] ?? []) as GalleryImage[];
    if (!items.length) card.append(h('p', { class: 'hint', text: 'No examples stored for this source.' }));
    const wrap = h('div', { class: 'gallery' });
    for (const it of items) {
      const pred = it.predictions.find((q) => q.column === target);
      const img = (src: string, alt: string) => h('img', { attrs: { src, alt, width: String(g.width * 3), height: String(g.height * 3) }, class: 'pixelated' });
      wrap.append(h('figure', { class: `adv ${pred && pred.adversarial.label !== pred.clean.label ? 'fooled' : ''}` },
        h('div', { class: 'adv-images' }, img(it.original, 'original'), img(it.adversarial, 'adversarial'), img(it.perturbation, 'perturbation')),
        h('figcaption', null,
          `#${it.testIndex} label ${it.label}`,
          h('br'),
          pred ? h('span', { class: pred.adversarial.label !== pred.clean.label ? 'bad' : 'good' }, `${target}: ${pred.clean.label} (${pct(pred.clean.confidence, 0)}) → ${pred.adversarial.label} (${pct(pred.adversarial.confidence, 0)})`) : '',
          h('br'),
          h('span', { class: 'muted', text: `‖δ‖∞ ${num(it.linf, 3)} ‖δ‖₂ ${num(it.l2, 2)}` }),
        )));
    }
    card.append(h('div', { class: 'legend-row muted', text: 'original · adversarial · perturbation (scaled; grey = unchanged)' }), wrap);
    return card;
  }
  const pts = (g.bySource[source] ?? []) as GalleryPoint[];
  const p = ctx.palette;
  const moved = pts.map((q) => [{ x: q.x[0], y: q.x[1] }, { x: q.adversarial[0], y: q.adversarial[1] }]);
  const datasets = [
    { type: 'scatter' as const, label: 'clean', data: pts.map((q) => ({ x: q.x[0], y: q.x[1] })), backgroundColor: p.series[0], pointRadius: 3 },
    { type: 'scatter' as const, label: `adversarial (fools ${target})`, data: pts.filter((q) => q.fooled[j]).map((q) => ({ x: q.adversarial[0], y: q.adversarial[1] })), backgroundColor: p.error, pointRadius: 3 },
    { type: 'scatter' as const, label: 'adversarial (does not)', data: pts.filter((q) => !q.fooled[j]).map((q) => ({ x: q.adversarial[0], y: q.adversarial[1] })), backgroundColor: alpha(p.foreground, 0.5), pointRadius: 3 },
    ...moved.map((seg) => ({ type: 'line' as const, label: 'move', data: seg, borderColor: alpha(p.foreground, 0.35), borderWidth: 1, pointRadius: 0 })),
  ];
  ctx.charts.add(card, {
    type: 'scatter',
    data: { datasets },
    options: { parsing: false, scales: { x: { type: 'linear' } }, plugins: { legend: { labels: { filter: (it) => it.text !== 'move' } } } },
  }, 'chart-m', 'adversarial moves');
  return card;
}

function ensembleAttacks(parent: HTMLElement, ctx: ViewContext, t: TransferabilityResult): void {
  const entries = Object.entries(t.ensembleAttacks).filter(([, r]) => r);
  if (!entries.length && !t.leaveOneOut.length) return;
  const card = section('Ensemble attacks and leave-one-out');
  parent.append(card);
  if (entries.length) {
    // One row per target column, one column per attack: stays narrow however many members there are.
    const rows = entries.filter((e): e is [string, NonNullable<(typeof e)[1]>] => !!e[1]);
    const table = h('table', { class: 'data compact' }, h('thead', null, h('tr', null, h('th', { text: 'target' }), ...rows.map(([name, r]) => h('th', { class: 'num', text: name.toUpperCase(), title: `surrogates: ${r.surrogates.join(', ')}` })))));
    const body = h('tbody');
    t.columns.forEach((col, j) => body.append(h('tr', { class: t.columnKinds[j] === 'ensemble' ? 'footer' : '' }, h('td', { text: col }), ...rows.map(([, r]) => h('td', { class: 'num', text: pct(r.rates[j]) })))));
    table.append(body);
    card.append(h('p', { class: 'hint', text: 'Fooled fraction per target when attacking all surrogates at once.' }), h('div', { class: 'scroll-x' }, table));
  }
  if (t.leaveOneOut.length) {
    card.append(h('p', { class: 'hint', text: 'Leave-one-out: ENS on every member but the held-out one, measured on the held-out member and on the ensemble (which contains it).' }));
    const p = ctx.palette;
    ctx.charts.add(card, {
      type: 'bar',
      data: {
        labels: t.leaveOneOut.map((e) => e.heldOut),
        datasets: [
          { label: 'held-out member fooled', data: t.leaveOneOut.map((e) => e.rate), backgroundColor: p.accent },
          { label: 'ensemble fooled', data: t.leaveOneOut.map((e) => e.ensembleRate), backgroundColor: alpha(p.foreground, 0.55) },
        ],
      },
      options: { scales: { y: { min: 0, max: 1, title: { display: true, text: 'fooled fraction' } } }, plugins: { legend: { position: 'bottom' } } },
    }, 'chart-s', 'leave-one-out transfer');
  }
}

function sweeps(parent: HTMLElement, ctx: ViewContext, t: TransferabilityResult): void {
  if (t.sweeps.length < 2) return;
  const card = section('Epsilon sweep');
  parent.append(card);
  const s = [...t.sweeps].sort((a, b) => a.epsilon - b.epsilon);
  const ens = t.columnKinds.indexOf('ensemble');
  const p = ctx.palette;
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  ctx.charts.add(card, {
    type: 'line',
    data: {
      datasets: [
        { label: 'mean off-diagonal', data: s.map((q) => ({ x: q.epsilon, y: q.meanOffDiagonal ?? NaN })), borderColor: p.accent, backgroundColor: p.accent },
        { label: 'on the ensemble (mean over sources)', data: s.map((q) => ({ x: q.epsilon, y: mean(q.ensembleRates) ?? NaN })), borderColor: p.foreground, backgroundColor: p.foreground },
        ...Object.keys(s[0].ensembleAttacks).map((name, k) => ({ label: `${name.toUpperCase()} on the ensemble`, data: s.map((q) => ({ x: q.epsilon, y: ens >= 0 ? q.ensembleAttacks[name]?.[ens] ?? NaN : NaN })), borderColor: p.series[k + 1], backgroundColor: p.series[k + 1], borderDash: [5, 3] })),
      ],
    },
    options: { parsing: false, scales: { x: { type: 'linear', title: { display: true, text: 'epsilon' } }, y: { min: 0, max: 1, title: { display: true, text: 'fooled fraction' } } }, plugins: { legend: { position: 'bottom' } } },
  }, 'chart-s', 'epsilon sweep');
}

export const transferabilityView: View = {
  id: 'transferability',
  title: 'Transferability',
  icon: 'shield',
  render(root, ctx) {
    const t = ctx.data.transfer;
    if (!t) {
      const how = !ctx.host.inEditor
        ? 'Run `ensemble-lens attack <config>` and regenerate the report.'
        : ctx.data.snap.restricted
          ? 'Computing it runs the members, which Restricted Mode does not allow: trust the workspace, then run “Ensemble Lens: Compute Transferability”.'
          : 'Run “Ensemble Lens: Compute Transferability” (needs an attack block in the config).';
      root.append(emptyState('shield', 'Transferability has not been computed for this ensemble', how));
      return;
    }
    const ui = ctx.ui.transferability;
    const grid = h('div', { class: 'grid-2' });
    root.append(grid);
    const card = section('Transfer rate: source (rows) → target (columns)');
    grid.append(card);
    card.append(h('p', { class: 'hint', text: 'Fraction of the pool on which examples crafted on the row member fool the column; the diagonal is white-box success. Click a cell for its adversarial examples.' }));
    const sel = ui.cell ? [t.rows.indexOf(ui.cell[0]), t.columns.indexOf(ui.cell[1])] as [number, number] : null;
    const galleryHost = h('div');
    const hm = heatmap(card, ctx.charts, ctx.palette, {
      rows: t.rows,
      cols: t.columns,
      values: t.matrix,
      min: 0,
      max: 1,
      selected: sel && sel[0] >= 0 && sel[1] >= 0 ? sel : null,
      format: (v) => `${Math.round(v * 100)}%`,
      label: 'transfer rate',
      size: 'chart-rect',
      onClick: (i, j) => {
        ui.cell = [t.rows[i], t.columns[j]];
        ctx.saveUi();
        ctx.host.send({ type: 'selectCell', view: 'transferability', measure: 'rate', row: t.rows[i], column: t.columns[j] });
        if (t.gallery.kind === 'points') {
          ctx.redraw();
          return;
        }
        // Image galleries have no charts: swap the card in place, keep the heatmap.
        hm.select([i, j]);
        galleryHost.replaceChildren();
        galleryCard(galleryHost, ctx, t, t.rows[i], t.columns[j]);
        ctx.markDrawn();
      },
    });
    grid.append(protocolCard(t));
    root.append(galleryHost);
    if (ui.cell && t.rows.includes(ui.cell[0]) && t.columns.includes(ui.cell[1])) galleryCard(galleryHost, ctx, t, ui.cell[0], ui.cell[1]);
    else galleryHost.append(section('Adversarial examples', h('p', { class: 'hint' }, icon('info'), ' Click a cell of the matrix.')));
    const more = h('div', { class: 'grid-2' });
    root.append(more);
    ensembleAttacks(more, ctx, t);
    sweeps(more, ctx, t);
  },
};
