// Diversity: a heatmap per pairwise measure (members ordered by clustering so blocks of similar members
// show; click a cell for the pair's numbers), the decompositions, and aleatoric vs epistemic uncertainty.
import type { PairMatrix } from '../../src/core/analysis/types';
import { heatmap } from '../components/heatmap';
import { emptyState, h, section, select } from '../dom';
import { num, short } from '../format';
import { alpha } from '../theme';
import type { View, ViewContext } from '../view';
import { clusterOrder } from './cluster';

interface Measure {
  key: string;
  label: string;
  /** True when larger values mean more similar members. */
  similarity: boolean;
  diverging: boolean;
  range?: [number, number];
  help: string;
}

export const CLASSIFICATION_MEASURES: Measure[] = [
  { key: 'disagreement', label: 'Disagreement', similarity: false, diverging: false, range: [0, 1], help: 'fraction of samples where the two members predict different classes' },
  { key: 'errorCorrelation', label: 'Error correlation ρ', similarity: true, diverging: true, range: [-1, 1], help: 'correlation of the two members’ error signals; redundancy threshold applies here' },
  { key: 'qStatistic', label: 'Q statistic', similarity: true, diverging: true, range: [-1, 1], help: 'Yule’s Q of correct/incorrect; 1 = always right and wrong together' },
  { key: 'correlation', label: 'Correlation of correctness', similarity: true, diverging: true, range: [-1, 1], help: 'ρ between the two members’ correct/incorrect indicators' },
  { key: 'kappa', label: 'Cohen’s κ', similarity: true, diverging: true, range: [-1, 1], help: 'agreement of predicted labels beyond chance' },
  { key: 'doubleFault', label: 'Double fault', similarity: true, diverging: false, range: [0, 1], help: 'fraction of samples both members get wrong' },
  { key: 'symmetricKL', label: 'Symmetric KL', similarity: false, diverging: false, help: 'mean symmetric Kullback–Leibler divergence of the predictive distributions' },
  { key: 'jensenShannon', label: 'Jensen–Shannon', similarity: false, diverging: false, range: [0, Math.LN2], help: 'mean Jensen–Shannon divergence (nats)' },
];
const REGRESSION_MEASURES: Measure[] = [
  { key: 'residualCorrelation', label: 'Residual correlation', similarity: true, diverging: true, range: [-1, 1], help: 'correlation of the members’ residuals' },
];

function distanceOf(m: Measure, v: number | null, lo: number, hi: number): number | null {
  if (v === null) return null;
  const t = hi > lo ? (v - lo) / (hi - lo) : 0;
  return m.similarity ? 1 - t : t;
}

/** The members' display order for a matrix under the chosen ordering. */
export function memberOrder(ids: string[], matrix: PairMatrix, m: Measure, order: 'cluster' | 'config'): number[] {
  if (order === 'config') return ids.map((_, i) => i);
  const vals = matrix.flat().filter((v): v is number => v !== null);
  const lo = m.range?.[0] ?? Math.min(...vals, 0);
  const hi = m.range?.[1] ?? Math.max(...vals, 1e-12);
  return clusterOrder(matrix.map((row) => row.map((v) => distanceOf(m, v, lo, hi))));
}

/** KL and JS are averaged over a seeded subset when the divergence budget is exceeded. */
function subsetNote(ctx: ViewContext, key: string): string {
  const n = ctx.data.cls?.diversity?.divergenceSampleCount;
  return (key === 'symmetricKL' || key === 'jensenShannon') && n !== undefined && n < ctx.data.nTest ? ` Averaged over a seeded subset of ${n} samples.` : '';
}

function pairDetails(ctx: ViewContext, a: string, b: string, measures: Measure[]): HTMLElement {
  const dv = (ctx.data.report.diversity ?? {}) as unknown as Record<string, PairMatrix | string[]>;
  const ids = dv.memberIds as string[];
  const i = ids.indexOf(a);
  const j = ids.indexOf(b);
  const card = section(`${a} × ${b}`);
  const dl = h('dl', { class: 'facts pair-facts' });
  for (const m of measures) {
    const mat = dv[m.key] as PairMatrix | undefined;
    dl.append(h('dt', { text: m.label, title: m.help }), h('dd', { text: num(mat?.[i]?.[j] ?? null, 4) }));
  }
  card.append(dl);
  return card;
}

function decompositions(root: HTMLElement, ctx: ViewContext): void {
  const p = ctx.palette;
  const cd = ctx.data.cls?.diversity;
  const rd = ctx.data.reg?.diversity;
  const card = section('Decompositions');
  root.append(card);
  if (cd) {
    const b = cd.brierDecomposition;
    const ensNll = (ctx.data.report.ensemble.metrics as { nll?: number } | null)?.nll ?? 0;
    card.append(h('p', { class: 'hint', text: `Brier: average member ${num(b.averageMemberBrier, 4)} − diversity ${num(b.diversity, 4)} = ensemble ${num(b.ensembleBrier, 4)}. NLL: average member ${num(ensNll + cd.jensenGap, 4)} − Jensen gap ${num(cd.jensenGap, 4)} = ensemble ${num(ensNll, 4)}.` }));
    ctx.charts.add(card, {
      type: 'bar',
      data: {
        labels: ['Brier', 'NLL'],
        datasets: [
          { label: 'ensemble', data: [b.ensembleBrier, ensNll], backgroundColor: p.accent, stack: 's' },
          { label: 'diversity / Jensen gap', data: [b.diversity, cd.jensenGap], backgroundColor: alpha(p.ok, 0.8), stack: 's' },
        ],
      },
      options: {
        indexAxis: 'y',
        scales: { x: { stacked: true, title: { display: true, text: 'average member score = ensemble + diversity term' } }, y: { stacked: true } },
        plugins: { legend: { position: 'bottom' } },
      },
    }, 'chart-s', 'decompositions');
  } else if (rd) {
    const a = rd.ambiguity;
    card.append(h('p', { class: 'hint', text: `Ambiguity (Krogh & Vedelsby): average member squared error ${num(a.averageMemberSquaredError, 4)} − ambiguity ${num(a.averageAmbiguity, 4)} = ensemble ${num(a.ensembleSquaredError, 4)}.` }));
    ctx.charts.add(card, {
      type: 'bar',
      data: {
        labels: ['squared error'],
        datasets: [
          { label: 'ensemble', data: [a.ensembleSquaredError], backgroundColor: p.accent, stack: 's' },
          { label: 'ambiguity', data: [a.averageAmbiguity], backgroundColor: alpha(p.ok, 0.8), stack: 's' },
        ],
      },
      options: { indexAxis: 'y', scales: { x: { stacked: true }, y: { stacked: true } }, plugins: { legend: { position: 'bottom' } } },
    }, 'chart-s', 'ambiguity decomposition');
  }
  if (cd) {
    const stats: [string, string][] = [
      ['oracle accuracy', num(cd.oracleAccuracy, 4)],
      ['Kohavi–Wolpert variance', num(cd.kohaviWolpertVariance, 4)],
      ['interrater κ', num(cd.interraterKappa, 4)],
      ['entropy E', num(cd.entropy, 4)],
      ['generalized diversity', num(cd.generalizedDiversity, 4)],
      ['difficulty θ', num(cd.difficulty, 4)],
    ];
    card.append(h('dl', { class: 'facts inline' }, ...stats.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])));
  }
}

function uncertaintyScatter(root: HTMLElement, ctx: ViewContext): void {
  const s = ctx.data.cls?.samples;
  const u = ctx.data.cls?.uncertainty;
  if (!s || !u || s.totalEntropy.length === 0) return;
  const card = section('Aleatoric vs epistemic uncertainty');
  card.append(h('p', { class: 'hint', text: `Per test sample: aleatoric = expected member entropy, epistemic = mutual information (total − aleatoric). Means: total ${num(u.meanTotal, 3)}, aleatoric ${num(u.meanAleatoric, 3)}, epistemic ${num(u.meanEpistemic, 3)} nats. Click a point to open the sample.` }));
  root.append(card);
  const right: { x: number; y: number; i: number }[] = [];
  const wrong: { x: number; y: number; i: number }[] = [];
  s.totalEntropy.forEach((t, i) => {
    const mi = s.mutualInformation[i];
    (s.ensembleCorrect[i] ? right : wrong).push({ x: t - mi, y: mi, i });
  });
  const p = ctx.palette;
  ctx.charts.add(card, {
    type: 'scatter',
    data: {
      datasets: [
        { label: `ensemble right (${right.length})`, data: right, backgroundColor: alpha(p.ok, 0.45), pointRadius: 2 },
        { label: `ensemble wrong (${wrong.length})`, data: wrong, backgroundColor: alpha(p.error, 0.75), pointRadius: 2.5 },
      ],
    },
    options: {
      parsing: false,
      scales: { x: { type: 'linear', title: { display: true, text: 'aleatoric (nats)' }, min: 0 }, y: { title: { display: true, text: 'epistemic: mutual information (nats)' }, min: 0 } },
      plugins: { tooltip: { callbacks: { label: (it) => { const r = it.raw as { x: number; y: number; i: number }; return `#${r.i}: aleatoric ${short(r.x)}, epistemic ${short(r.y)}`; } } } },
      onClick: (_e, els) => {
        const el = els[0];
        if (!el) return;
        const r = (el.datasetIndex === 0 ? right : wrong)[el.index];
        ctx.ui.predictions.sample = r.i;
        ctx.ui.predictions.sort = 'mutualInformation';
        ctx.ui.predictions.verdict = 'all';
        ctx.ui.predictions.classFilter = 'all';
        ctx.showTab('predictions');
      },
    },
  }, 'chart-m', 'aleatoric vs epistemic');
}

export const diversityView: View = {
  id: 'diversity',
  title: 'Diversity',
  icon: 'type-hierarchy-sub',
  render(root, ctx) {
    const dv = ctx.data.report.diversity as unknown as (Record<string, PairMatrix> & { memberIds: string[] }) | undefined;
    if (!dv) {
      root.append(emptyState('info', 'No diversity analysis in this report', 'It needs at least the outputs of the trained members.'));
      return;
    }
    const measures = (ctx.data.task === 'classification' ? CLASSIFICATION_MEASURES : REGRESSION_MEASURES).filter((m) => Array.isArray(dv[m.key]));
    const ui = ctx.ui.diversity;
    const measure = measures.find((m) => m.key === ui.measure) ?? measures[0];
    if (!measure) return;
    ui.measure = measure.key;
    const ids = dv.memberIds;
    const matrix = dv[measure.key];
    const order = memberOrder(ids, matrix, measure, ui.order);
    const names = order.map((k) => ids[k]);
    const values = order.map((a) => order.map((b) => matrix[a][b]));
    // The colour scale spans the off-diagonal values, so small differences between pairs still show.
    const vals = values.flatMap((row, a) => row.filter((v, b): v is number => a !== b && v !== null));
    const lo = measure.diverging ? -Math.max(...vals.map(Math.abs), 1e-12) : Math.min(...vals);
    const hi = measure.diverging ? -lo : Math.max(...vals);
    const top = h('div', { class: 'grid-2' });
    root.append(top);
    const card = section('Pairwise measure');
    top.append(card);
    card.append(h('div', { class: 'toolbar' },
      select(measures.map((m) => ({ value: m.key, label: m.label })), measure.key, (v) => { ui.measure = v; ctx.saveUi(); ctx.redraw(); }, 'Measure'),
      select([{ value: 'cluster', label: 'clustered' }, { value: 'config', label: 'config order' }], ui.order, (v) => { ui.order = v as 'cluster' | 'config'; ctx.saveUi(); ctx.redraw(); }, 'Order'),
    ), h('p', { class: 'hint', text: `${measure.help}.${subsetNote(ctx, measure.key)}${ui.order === 'cluster' ? ' Members ordered by average-linkage clustering.' : ''}` }));
    const sel = ui.cell ? [names.indexOf(ui.cell[0]), names.indexOf(ui.cell[1])] as [number, number] : null;
    const side = h('div');
    const pairPlaceholder = () => section('Pair', h('p', { class: 'hint', text: 'Click a cell to compare two members on every measure.' }));
    let pair: HTMLElement = ui.cell && ids.includes(ui.cell[0]) && ids.includes(ui.cell[1]) ? pairDetails(ctx, ui.cell[0], ui.cell[1], measures) : pairPlaceholder();
    const hm = heatmap(card, ctx.charts, ctx.palette, {
      rows: names,
      cols: names,
      values,
      min: lo,
      max: hi,
      diverging: measure.diverging,
      selected: sel && sel[0] >= 0 && sel[1] >= 0 ? sel : null,
      format: (v) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2)),
      label: measure.label,
      onClick: (i, j) => {
        ui.cell = [names[i], names[j]];
        ctx.saveUi();
        ctx.host.send({ type: 'selectCell', view: 'diversity', measure: measure.key, row: names[i], column: names[j] });
        // In place: outline the cell and swap the pair card; the heatmap itself is not rebuilt.
        hm.select([i, j]);
        const next = pairDetails(ctx, names[i], names[j], measures);
        pair.replaceWith(next);
        pair = next;
        ctx.markDrawn();
      },
    });
    top.append(side);
    side.append(pair);
    decompositions(side, ctx);
    uncertaintyScatter(root, ctx);
  },
};
