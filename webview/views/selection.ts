// Selection: the greedy (Caruana) selection trajectory, stacking weights vs selection weights vs the
// simple average, held-out scores, the stacking CV curve, and redundancy clusters; buttons write chosen
// weights into the config's combine block (an undoable editor edit, done by the host).
import { button, emptyState, h, section, select } from '../dom';
import { num, signed } from '../format';
import { alpha } from '../theme';
import type { View, ViewContext } from '../view';

async function apply(ctx: ViewContext, source: 'stacking' | 'selection', weights: Record<string, number>): Promise<void> {
  const r = await ctx.host.request({ type: 'applyWeights', source, weights });
  ctx.notify(r.ok ? `Wrote ${source} weights into the config's combine block (undo with Ctrl+Z in the editor).` : `Could not write weights: ${r.error ?? 'unknown error'}`, r.ok ? 'info' : 'error');
}

function scoresTable(rows: [string, Record<string, number>, Record<string, number>][]): HTMLElement {
  const table = h('table', { class: 'data compact' }, h('thead', null, h('tr', null, h('th', { text: 'held-out' }), h('th', { text: 'metric' }), h('th', { class: 'num', text: 'selected' }), h('th', { class: 'num', text: 'simple average' }), h('th', { class: 'num', text: 'Δ' }))));
  const body = h('tbody');
  for (const [name, sel, avg] of rows) {
    for (const m of Object.keys(sel)) body.append(h('tr', null, h('td', { text: name }), h('td', { text: m }), h('td', { class: 'num', text: num(sel[m], 4) }), h('td', { class: 'num', text: num(avg[m], 4) }), h('td', { class: 'num', text: signed(sel[m] - avg[m], 4) })));
  }
  table.append(body);
  return table;
}

export const selectionView: View = {
  id: 'selection',
  title: 'Selection',
  icon: 'filter',
  render(root, ctx) {
    const r = ctx.data.report;
    const sel = r.selection;
    const st = r.stacking;
    if (!sel || !st) {
      root.append(emptyState('info', 'No selection analysis in this report'));
      return;
    }
    const p = ctx.palette;
    const ui = ctx.ui.selection;
    if (ui.run >= sel.runs.length) ui.run = 0;
    const run = sel.runs[ui.run];
    const grid = h('div', { class: 'grid-2' });
    root.append(grid);
    const traj = section(`Greedy selection (${sel.metric}, ${sel.mode === 'cv' ? `${sel.runs.length}-fold CV` : 'split'})`);
    grid.append(traj);
    if (sel.runs.length > 1) traj.append(h('div', { class: 'toolbar' }, select(sel.runs.map((_, k) => ({ value: String(k), label: `fold ${k + 1}` })), String(ui.run), (v) => { ui.run = Number(v); ctx.saveUi(); ctx.redraw(); }, 'Run')));
    traj.append(h('p', { class: 'hint', text: `Each step adds (with replacement) the member that most improves the selection score; best at step ${run.bestStep}.` }));
    ctx.charts.add(traj, {
      type: 'line',
      data: {
        datasets: [{
          label: sel.metric,
          data: run.trajectory.map((s) => ({ x: s.step, y: s.score })),
          borderColor: p.accent,
          backgroundColor: p.accent,
          pointRadius: run.trajectory.map((s) => (s.step === run.bestStep ? 6 : 2)),
          pointBackgroundColor: run.trajectory.map((s) => (s.step === run.bestStep ? p.ok : p.accent)),
        }],
      },
      options: {
        parsing: false,
        scales: { x: { type: 'linear', title: { display: true, text: 'step' }, ticks: { precision: 0 } }, y: { title: { display: true, text: `${sel.metric} (selection part)` } } },
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (it) => `step ${it.parsed.x}: +${run.trajectory[it.dataIndex]?.added} → ${num(it.parsed.y, 4)}` } } },
      },
    }, 'chart-m', 'selection trajectory');
    traj.append(scoresTable([['mean over runs', sel.heldOut.selected, sel.heldOut.simpleAverage], ...(sel.runs.length > 1 ? [[`fold ${ui.run + 1}`, run.heldOut.selected, run.heldOut.simpleAverage] as [string, Record<string, number>, Record<string, number>]] : [])]));

    const wcard = section('Weights: stacking vs selection vs simple average');
    grid.append(wcard);
    const ids = ctx.data.memberIds;
    const avg = ids.length ? 1 / ids.length : 0;
    const stTotal = Object.values(st.weights).reduce((a, b) => a + Math.abs(b), 0) || 1;
    wcard.append(h('p', { class: 'hint', text: `Stacking: ${st.model} over ${st.members.length} members (${st.pruned.length} pruned as redundant), α = ${st.alpha}, CV ${num(st.cvScore, 4)} vs simple average ${num(st.simpleAverageScore, 4)}; condition number ${num(st.conditionNumberBefore, 1)} → ${num(st.conditionNumberAfter, 1)}. Stacking weights shown normalised by Σ|w|.` }));
    ctx.charts.add(wcard, {
      type: 'bar',
      data: {
        labels: ids,
        datasets: [
          { label: 'stacking', data: ids.map((id) => (st.weights[id] ?? 0) / stTotal), backgroundColor: p.accent },
          { label: 'selection', data: ids.map((id) => run.weights[id] ?? 0), backgroundColor: p.series[1] },
          { label: 'simple average', data: ids.map(() => avg), backgroundColor: alpha(p.foreground, 0.35) },
        ],
      },
      options: { scales: { y: { title: { display: true, text: 'weight' } } }, plugins: { legend: { position: 'bottom' } } },
    }, 'chart-m', 'weights');
    const negative = Object.values(st.weights).some((w) => w < 0);
    const can = ctx.host.inEditor;
    wcard.append(h('div', { class: 'toolbar' },
      button('Use selection weights', () => void apply(ctx, 'selection', run.weights), { icon: 'edit', disabled: !can || Object.keys(run.weights).length === 0, title: can ? 'Write combine: { method: "weighted", weights } into the config' : 'Only in the editor' }),
      button('Use stacking weights', () => void apply(ctx, 'stacking', st.weights), { icon: 'edit', secondary: true, disabled: !can || negative || Object.keys(st.weights).length === 0, title: negative ? 'Stacking weights include negative values, which a weighted mean cannot use' : can ? 'Write the stacking weights into the config' : 'Only in the editor' }),
    ));

    const more = h('div', { class: 'grid-2' });
    root.append(more);
    const cv = section('Stacking: CV score per regularisation strength');
    more.append(cv);
    const edge = st.alphas.length > 1 ? (st.alpha === Math.max(...st.alphas) ? 'largest' : st.alpha === Math.min(...st.alphas) ? 'smallest' : null) : null;
    if (edge) {
      cv.append(h('p', { class: 'hint edge-alpha', text: `The best α (${st.alpha}) is the ${edge} tried: the optimum may lie beyond the grid. Widen the config's analysis.stacking.alphas.` }));
    }
    ctx.charts.add(cv, {
      type: 'line',
      data: { datasets: [{ label: 'CV score', data: st.alphas.map((a, k) => ({ x: a, y: st.cvScores[k] ?? NaN })), borderColor: p.accent, backgroundColor: p.accent, pointRadius: st.alphas.map((a) => (a === st.alpha ? 6 : 3)) }] },
      options: { parsing: false, scales: { x: { type: 'logarithmic', title: { display: true, text: 'α' }, ticks: { callback: (v) => (Math.abs(Math.log10(Number(v)) % 1) < 1e-9 ? String(v) : '') } }, y: { title: { display: true, text: sel.metric === 'rmse' ? 'RMSE' : 'NLL' } } }, plugins: { legend: { display: false } } },
    }, 'chart-s', 'stacking cv');
    const red = r.contributions?.redundancy;
    const rc = section('Redundancy clusters');
    more.append(rc);
    if (!red || red.clusters.length === 0) rc.append(h('p', { class: 'hint', text: `No two members have error correlation ≥ ${red?.threshold ?? 0.95}.` }));
    else {
      rc.append(h('p', { class: 'hint', text: `Members whose errors correlate at ≥ ${red.threshold}; one per cluster is kept.` }));
      rc.append(h('ul', { class: 'clusters' }, ...red.clusters.map((c) => h('li', null, ...c.members.map((m) => h('span', { class: `tag ${m === c.kept ? 'kept' : 'pruned'}`, text: m, title: m === c.kept ? 'kept' : 'redundant' }))))));
    }
    const seeds = r.contributions?.seedGroups ?? [];
    if (seeds.length) {
      rc.append(h('h4', { text: 'Seed groups' }), h('ul', null, ...seeds.map((g) => h('li', { text: `${g.group} (${g.members.length}): ${Object.entries(g.metrics).map(([k, v]) => `${k} ${num(v.mean, 4)} ± ${num(v.std, 4)}`).join(', ')}` }))));
    }
  },
};
