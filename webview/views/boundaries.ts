// Decision boundaries for 2-D data: each member's class regions (opacity = confidence) next to the
// ensemble's, with the regions where members disagree hatched, and the test points on top.
import { argmax, combineOutputs } from '../data';
import { emptyState, h, section } from '../dom';
import { parseColor, type Palette } from '../theme';
import type { View, ViewContext } from '../view';

interface Panel {
  title: string;
  probs: Float32Array;
  /** Fraction of members whose argmax differs from this panel's (ensemble only). */
  disagreement?: Float32Array;
}

function regionImage(p: Palette, probs: Float32Array, nx: number, ny: number, c: number): HTMLCanvasElement {
  const small = document.createElement('canvas');
  small.width = nx;
  small.height = ny;
  const g = small.getContext('2d') as CanvasRenderingContext2D;
  const img = g.createImageData(nx, ny);
  const colors = Array.from({ length: c }, (_, k) => parseColor(p.series[k % p.series.length]));
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      const cell = iy * nx + ix;
      const k = argmax(probs, cell, c);
      const conf = probs[cell * c + k];
      const a = 0.15 + 0.6 * Math.max(0, (conf - 1 / c) / (1 - 1 / c));
      const o = ((ny - 1 - iy) * nx + ix) * 4; // y grows upward
      img.data[o] = colors[k].r;
      img.data[o + 1] = colors[k].g;
      img.data[o + 2] = colors[k].b;
      img.data[o + 3] = Math.round(255 * a);
    }
  }
  g.putImageData(img, 0, 0);
  return small;
}

function hatch(p: Palette, mask: Float32Array, nx: number, ny: number, w: number, hgt: number): HTMLCanvasElement {
  const m = document.createElement('canvas');
  m.width = nx;
  m.height = ny;
  const mg = m.getContext('2d') as CanvasRenderingContext2D;
  const img = mg.createImageData(nx, ny);
  for (let iy = 0; iy < ny; iy++) for (let ix = 0; ix < nx; ix++) img.data[((ny - 1 - iy) * nx + ix) * 4 + 3] = mask[iy * nx + ix] > 0 ? Math.round(120 + 135 * mask[iy * nx + ix]) : 0;
  mg.putImageData(img, 0, 0);
  const out = document.createElement('canvas');
  out.width = w;
  out.height = hgt;
  const g = out.getContext('2d') as CanvasRenderingContext2D;
  g.strokeStyle = p.foreground;
  g.lineWidth = 1;
  g.globalAlpha = 0.55;
  for (let x = -hgt; x < w; x += 7) {
    g.beginPath();
    g.moveTo(x, hgt);
    g.lineTo(x + hgt, 0);
    g.stroke();
  }
  g.globalAlpha = 1;
  g.globalCompositeOperation = 'destination-in';
  g.imageSmoothingEnabled = false;
  g.drawImage(m, 0, 0, w, hgt);
  return out;
}

function drawPanel(parent: HTMLElement, ctx: ViewContext, panel: Panel, size: number, points: { x: number; y: number; label: number }[]): void {
  const grid = ctx.data.snap.grid;
  if (!grid) return;
  const p = ctx.palette;
  const { xs, ys, numClasses: c } = grid;
  const dpr = window.devicePixelRatio || 1;
  const canvas = h('canvas', { class: 'boundary', attrs: { width: String(Math.round(size * dpr)), height: String(Math.round(size * dpr)), role: 'img', 'aria-label': `decision regions of ${panel.title}` } });
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  const g = canvas.getContext('2d') as CanvasRenderingContext2D;
  const W = canvas.width;
  const H = canvas.height;
  g.imageSmoothingEnabled = true;
  g.drawImage(regionImage(p, panel.probs, xs.length, ys.length, c), 0, 0, W, H);
  if (panel.disagreement) g.drawImage(hatch(p, panel.disagreement, xs.length, ys.length, W, H), 0, 0);
  const x0 = xs[0];
  const x1 = xs[xs.length - 1];
  const y0 = ys[0];
  const y1 = ys[ys.length - 1];
  for (const q of points) {
    const px = ((q.x - x0) / (x1 - x0)) * W;
    const py = H - ((q.y - y0) / (y1 - y0)) * H;
    g.beginPath();
    g.arc(px, py, 2.5 * dpr, 0, Math.PI * 2);
    g.fillStyle = p.series[q.label % p.series.length];
    g.fill();
    g.lineWidth = dpr;
    g.strokeStyle = p.foreground;
    g.stroke();
  }
  g.strokeStyle = p.border;
  g.strokeRect(0, 0, W, H);
  parent.append(h('figure', { class: 'boundary-fig' }, canvas, h('figcaption', { text: panel.title })));
}

export const boundariesView: View = {
  id: 'boundaries',
  title: 'Decision boundaries',
  icon: 'symbol-color',
  render(root, ctx) {
    const d = ctx.data;
    const grid = d.snap.grid;
    const dims = d.report.data.inputShape?.reduce((a, b) => a * b, 1);
    if (!grid || d.task !== 'classification') {
      root.append(emptyState('circle-slash', dims !== undefined && dims !== 2 ? `Not available for this dataset: decision boundaries need 2 input features (this one has ${dims}).` : 'Not available for this dataset: no grid of member outputs in this snapshot.', dims === 2 ? 'The host evaluates members on a 2-D grid when it can (trained or TF.js members).' : undefined));
      return;
    }
    const nx = grid.xs.length;
    const ny = grid.ys.length;
    const c = grid.numClasses;
    const members = grid.members.map((m) => ({ id: m.id, values: d.gridProbs(m.id) as Float32Array }));
    const ens = combineOutputs(members, nx * ny, c, d.report.config.combine, 'classification');
    const dis = new Float32Array(nx * ny);
    for (let i = 0; i < nx * ny; i++) {
      const e = argmax(ens, i, c);
      let k = 0;
      for (const m of members) if (argmax(m.values, i, c) !== e) k++;
      dis[i] = members.length ? k / members.length : 0;
    }
    let disagreeCells = 0;
    for (const v of dis) if (v > 0) disagreeCells++;
    const feats = d.features();
    const labels = d.labels();
    const points: { x: number; y: number; label: number }[] = [];
    if (feats && labels && d.snap.inputs?.kind === 'features' && d.snap.inputs.featureNames.length === 2) {
      const n = Math.min(d.snap.inputs.count, 600);
      for (let i = 0; i < n; i++) points.push({ x: feats[2 * i], y: feats[2 * i + 1], label: labels[i] });
    }
    const main = section('Ensemble');
    main.append(h('p', { class: 'hint', text: `Colour: predicted class; opacity: confidence. Hatched: members disagree with the ensemble (${((100 * disagreeCells) / (nx * ny)).toFixed(1)}% of the plane). Dots: ${points.length} test points coloured by label. x ∈ [${grid.xs[0].toFixed(2)}, ${grid.xs[nx - 1].toFixed(2)}], y ∈ [${grid.ys[0].toFixed(2)}, ${grid.ys[ny - 1].toFixed(2)}].` }));
    const legend = h('div', { class: 'legend-row' });
    for (let k = 0; k < c; k++) {
      const sw = h('span', { class: 'swatch' });
      sw.style.backgroundColor = ctx.palette.series[k % ctx.palette.series.length];
      legend.append(h('span', { class: 'legend-item' }, sw, d.report.data.classNames?.[k] ?? `class ${k}`));
    }
    main.append(legend);
    const layout = h('div', { class: 'boundaries' });
    root.append(layout);
    layout.append(main);
    drawPanel(main, ctx, { title: `ensemble (${d.report.config.combine.method})`, probs: ens, disagreement: dis }, 360, points);
    const others = section('Members');
    layout.append(others);
    const wrap = h('div', { class: 'small-multiples' });
    others.append(wrap);
    for (const m of members) drawPanel(wrap, ctx, { title: m.id, probs: m.values }, 200, points);
  },
};
