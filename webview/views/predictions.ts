// Predictions: a virtualised browser of test samples, sorted by disagreement, mutual information or
// entropy and filtered by class and by verdicts; for the chosen sample every member's probabilities
// beside the ensemble's and the label, with the image (or feature values) it was computed from.
import { imageCanvas } from '../components/image';
import { VirtualList } from '../components/virtualList';
import { argmax, type SnapshotData } from '../data';
import { clear, emptyState, h, icon, section, select } from '../dom';
import { num, short } from '../format';
import type { View, ViewContext } from '../view';
import { renderRegressionPredictions } from './predictionsRegression';

const ROW = 40;

/** Per-sample facts the list sorts and filters by (computed once per snapshot). */
export interface SampleTable {
  n: number;
  labels: Int32Array;
  ensemblePred: Int32Array;
  /** memberPred[m * n + i]. */
  memberPred: Int32Array;
  memberIds: string[];
  keys: Record<string, Float64Array>;
}

const tables = new WeakMap<SnapshotData, SampleTable>();

export function sampleTable(d: SnapshotData): SampleTable | undefined {
  const cached = tables.get(d);
  if (cached) return cached;
  const labelsF = d.labels();
  const ens = d.ensembleValues();
  if (!labelsF || !ens || d.task !== 'classification') return undefined;
  const n = d.nTest;
  const c = d.numClasses;
  const ids = d.memberIds.filter((id) => d.values(id));
  const memberPred = new Int32Array(ids.length * n);
  ids.forEach((id, m) => {
    const v = d.values(id) as Float32Array;
    for (let i = 0; i < n; i++) memberPred[m * n + i] = argmax(v, i, c);
  });
  const ensemblePred = new Int32Array(n);
  for (let i = 0; i < n; i++) ensemblePred[i] = argmax(ens, i, c);
  const s = d.cls?.samples;
  const fromReport = (a: number[] | undefined) => (a && a.length === n ? Float64Array.from(a) : undefined);
  const disagreement = fromReport(s?.disagreement) ?? (() => {
    // Fraction of members whose vote differs from the ensemble's prediction.
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let k = 0;
      for (let m = 0; m < ids.length; m++) if (memberPred[m * n + i] !== ensemblePred[i]) k++;
      out[i] = ids.length ? k / ids.length : 0;
    }
    return out;
  })();
  const keys: Record<string, Float64Array> = { disagreement, index: Float64Array.from({ length: n }, (_, i) => i) };
  const mi = fromReport(s?.mutualInformation);
  if (mi) keys.mutualInformation = mi;
  const te = fromReport(s?.totalEntropy);
  if (te) keys.totalEntropy = te;
  const t: SampleTable = { n, labels: Int32Array.from(labelsF), ensemblePred, memberPred, memberIds: ids, keys };
  tables.set(d, t);
  return t;
}

const SORTS: Record<string, string> = {
  disagreement: 'Disagreement',
  mutualInformation: 'Mutual information (epistemic)',
  totalEntropy: 'Total entropy',
  index: 'Test index',
};

/** The sample indices the current sort and filters show, in order. */
export function visibleSamples(t: SampleTable, sort: string, classFilter: string, verdict: string): Int32Array {
  const n = t.n;
  const m = t.memberIds.length;
  const cls = classFilter === 'all' ? -1 : Number(classFilter);
  const wrongCount = (i: number) => {
    let k = 0;
    for (let j = 0; j < m; j++) if (t.memberPred[j * n + i] !== t.labels[i]) k++;
    return k;
  };
  const memberMatch = /^member-(wrong|right):(.*)$/.exec(verdict);
  const mi = memberMatch ? t.memberIds.indexOf(memberMatch[2]) : -1;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    if (cls >= 0 && t.labels[i] !== cls) continue;
    const ensOk = t.ensemblePred[i] === t.labels[i];
    let ok = true;
    switch (verdict) {
      case 'ensemble-wrong': ok = !ensOk; break;
      case 'ensemble-right': ok = ensOk; break;
      case 'wrong-some-right': ok = !ensOk && wrongCount(i) < m; break;
      case 'right-most-wrong': ok = ensOk && wrongCount(i) > m / 2; break;
      case 'all-wrong': ok = wrongCount(i) === m; break;
      case 'disagree': {
        ok = false;
        for (let j = 1; j < m; j++) if (t.memberPred[j * n + i] !== t.memberPred[i]) ok = true;
        break;
      }
      default:
        if (memberMatch && mi >= 0) ok = (t.memberPred[mi * n + i] === t.labels[i]) === (memberMatch[1] === 'right');
    }
    if (ok) keep.push(i);
  }
  const key = t.keys[sort] ?? t.keys.disagreement;
  const dir = sort === 'index' ? 1 : -1;
  keep.sort((a, b) => dir * (key[a] - key[b]) || a - b);
  return Int32Array.from(keep);
}

function className(d: SnapshotData, c: number): string {
  return d.report.data.classNames?.[c] ?? String(c);
}

function detail(el: HTMLElement, ctx: ViewContext, t: SampleTable, i: number): void {
  clear(el);
  const d = ctx.data;
  const c = d.numClasses;
  const label = t.labels[i];
  const ensPred = t.ensemblePred[i];
  const head = h('div', { class: 'sample-head' });
  const px = d.pixels();
  const inputs = d.snap.inputs;
  if (px && inputs?.kind === 'image' && i < inputs.count) head.append(imageCanvas(px, i, inputs.shape, ctx.palette.foreground, 112));
  const facts = h('dl', { class: 'facts' });
  const fact = (k: string, v: string | Node) => facts.append(h('dt', { text: k }), h('dd', null, v));
  fact('Sample', `#${i}`);
  fact('Label', className(d, label));
  fact('Ensemble', h('span', { class: ensPred === label ? 'good' : 'bad' }, icon(ensPred === label ? 'pass' : 'error'), ` ${className(d, ensPred)}`));
  for (const k of Object.keys(SORTS)) if (k !== 'index' && t.keys[k]) fact(SORTS[k], num(t.keys[k][i], 3));
  head.append(facts);
  el.append(head);
  const feats = d.features();
  if (feats && inputs?.kind === 'features' && i < inputs.count) {
    const f = inputs.featureNames.length;
    const tbl = h('table', { class: 'data compact' }, h('thead', null, h('tr', null, h('th', { text: 'feature' }), h('th', { class: 'num', text: 'value' }))));
    const body = h('tbody');
    inputs.featureNames.forEach((name, k) => body.append(h('tr', null, h('td', { text: name }), h('td', { class: 'num', text: short(feats[i * f + k]) }))));
    tbl.append(body);
    el.append(tbl);
  }
  const ens = d.ensembleValues() as Float32Array;
  const classes = Array.from({ length: c }, (_, k) => className(d, k));
  const datasets = t.memberIds.map((id) => {
    const v = d.values(id) as Float32Array;
    const color = ctx.memberColor(id);
    return { label: id, data: Array.from(v.subarray(i * c, (i + 1) * c)), backgroundColor: color, borderColor: color, borderWidth: 0 };
  });
  datasets.push({ label: 'ensemble', data: Array.from(ens.subarray(i * c, (i + 1) * c)), backgroundColor: ctx.palette.foreground, borderColor: ctx.palette.foreground, borderWidth: 0 });
  const box = h('div', { class: 'probs' });
  el.append(box);
  ctx.charts.add(box, {
    type: 'bar',
    data: { labels: classes, datasets },
    options: {
      scales: {
        y: { min: 0, max: 1, title: { display: true, text: 'probability' } },
        x: { ticks: { color: (tc) => (tc.index === label ? ctx.palette.ok : ctx.palette.foreground), font: (tc) => ({ weight: tc.index === label ? 'bold' : 'normal' }) }, title: { display: true, text: 'class (label in bold)' } },
      },
      plugins: { legend: { position: 'bottom' } },
    },
  }, 'chart-m', `probabilities of sample ${i}`);
  const tbl = h('table', { class: 'data compact' }, h('thead', null, h('tr', null, h('th', { text: 'member' }), h('th', { text: 'predicts' }), h('th', { class: 'num', text: 'p(label)' }), h('th', { class: 'num', text: 'p(predicted)' }))));
  const body = h('tbody');
  t.memberIds.forEach((id, m) => {
    const v = d.values(id) as Float32Array;
    const p = t.memberPred[m * t.n + i];
    body.append(h('tr', { class: ctx.ui.member === id ? 'selected' : '' }, h('td', { text: id }), h('td', { class: p === label ? 'good' : 'bad', text: className(d, p) }), h('td', { class: 'num', text: num(v[i * c + label], 3) }), h('td', { class: 'num', text: num(v[i * c + p], 3) })));
  });
  body.append(h('tr', { class: 'footer' }, h('td', { text: 'ensemble' }), h('td', { class: ensPred === label ? 'good' : 'bad', text: className(d, ensPred) }), h('td', { class: 'num', text: num(ens[i * c + label], 3) }), h('td', { class: 'num', text: num(ens[i * c + ensPred], 3) })));
  tbl.append(body);
  el.append(tbl);
}

function renderRow(ctx: ViewContext, t: SampleTable, order: Int32Array, sort: string, k: number, onPick: (i: number) => void): HTMLElement {
  const i = order[k];
  const d = ctx.data;
  const row = h('div', { class: `sample-row ${ctx.ui.predictions.sample === i ? 'selected' : ''}`, data: { index: String(i) } });
  row.tabIndex = -1;
  const px = d.pixels();
  const inputs = d.snap.inputs;
  if (px && inputs?.kind === 'image' && i < inputs.count) row.append(imageCanvas(px, i, inputs.shape, ctx.palette.foreground, 32));
  const label = t.labels[i];
  const ok = t.ensemblePred[i] === label;
  row.append(
    h('span', { class: 'idx', text: `#${i}` }),
    h('span', { class: 'lbl', title: 'label', text: className(d, label) }),
    h('span', { class: `pred ${ok ? 'good' : 'bad'}`, title: 'ensemble prediction' }, icon(ok ? 'pass' : 'error'), ` ${className(d, t.ensemblePred[i])}`),
    h('span', { class: 'val', title: SORTS[sort] ?? sort, text: num((t.keys[sort] ?? t.keys.disagreement)[i], 3) }),
  );
  const chips = h('span', { class: 'chips' });
  t.memberIds.forEach((id, m) => {
    const p = t.memberPred[m * t.n + i];
    chips.append(h('span', { class: `chip ${p === label ? 'good' : 'bad'} ${ctx.ui.member === id ? 'sel' : ''}`, title: `${id} predicts ${className(d, p)}`, text: className(d, p) }));
  });
  row.append(chips);
  row.addEventListener('click', () => onPick(i));
  return row;
}

export const predictionsView: View = {
  id: 'predictions',
  title: 'Predictions',
  icon: 'symbol-array',
  render(root, ctx) {
    const d = ctx.data;
    if (d.task !== 'classification') {
      renderRegressionPredictions(root, ctx);
      return;
    }
    const t = sampleTable(d);
    if (!t) {
      root.append(emptyState('info', 'Per-sample outputs are not in this snapshot', 'Open the dashboard from the editor after training, or export the report with outputs.'));
      return;
    }
    const ui = ctx.ui.predictions;
    if (!t.keys[ui.sort]) ui.sort = 'disagreement';
    const order = visibleSamples(t, ui.sort, ui.classFilter, ui.verdict);
    const change = (k: 'sort' | 'classFilter' | 'verdict') => (v: string) => {
      ui[k] = v;
      ui.scrollTop = 0;
      ctx.saveUi();
      ctx.redraw();
    };
    const verdicts = [
      { value: 'all', label: 'any verdict' },
      { value: 'ensemble-wrong', label: 'ensemble wrong' },
      { value: 'ensemble-right', label: 'ensemble right' },
      { value: 'wrong-some-right', label: 'ensemble wrong, some member right' },
      { value: 'right-most-wrong', label: 'ensemble right, most members wrong' },
      { value: 'all-wrong', label: 'every member wrong' },
      { value: 'disagree', label: 'members disagree' },
      ...t.memberIds.flatMap((id) => [{ value: `member-wrong:${id}`, label: `${id} wrong` }, { value: `member-right:${id}`, label: `${id} right` }]),
    ];
    const toolbar = h('div', { class: 'toolbar' },
      select(Object.keys(SORTS).filter((k) => t.keys[k]).map((k) => ({ value: k, label: SORTS[k] })), ui.sort, change('sort'), 'Sort by'),
      select([{ value: 'all', label: 'all classes' }, ...Array.from({ length: d.numClasses }, (_, k) => ({ value: String(k), label: `label ${className(d, k)}` }))], ui.classFilter, change('classFilter'), 'Class'),
      select(verdicts, ui.verdict, change('verdict'), 'Verdict'),
      h('span', { class: 'count', text: `${order.length} of ${t.n} samples` }),
    );
    root.append(toolbar);
    const split = h('div', { class: 'split' });
    const listCard = h('div', { class: 'card list-card' });
    const detailCard = section('Sample');
    const detailBody = h('div', { class: 'sample-detail' });
    detailCard.append(detailBody);
    split.append(listCard, detailCard);
    root.append(split);
    if (order.length === 0) {
      listCard.append(emptyState('filter', 'No sample matches the filters'));
      return;
    }
    if (ui.sample === null || !order.includes(ui.sample)) ui.sample = order[0];
    let list: VirtualList;
    const pick = (i: number) => {
      ui.sample = i;
      ctx.saveUi();
      ctx.host.send({ type: 'selectSample', index: i });
      list.refresh();
      ctx.charts.destroyAll();
      detail(detailBody, ctx, t, i);
    };
    list = new VirtualList(order.length, ROW, (k) => renderRow(ctx, t, order, ui.sort, k, pick), (top) => {
      ui.scrollTop = top;
      ctx.saveUi();
    });
    listCard.append(list.element);
    list.element.addEventListener('keydown', (e) => {
      const k = order.indexOf(ui.sample ?? -1);
      if (e.key === 'ArrowDown' && k < order.length - 1) pick(order[k + 1]);
      else if (e.key === 'ArrowUp' && k > 0) pick(order[k - 1]);
      else return;
      e.preventDefault();
      list.reveal(order.indexOf(ui.sample ?? 0));
    });
    list.scrollTo(ui.scrollTop);
    detail(detailBody, ctx, t, ui.sample);
  },
};
