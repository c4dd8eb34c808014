// Results a person can look at: for images, original / adversarial / scaled perturbation per sample
// with every column's prediction; for 2-D data, the points and their adversarial moves.
import type { Dataset } from '../../core/data/types';
import type { GalleryImage, GalleryPoint, GalleryPrediction } from '../../core/transfer';
import { pngDataUrl } from './png';
import { argmaxRow } from './targets';

/** Width, height and channels of an image dataset (HWC or HW, or a square flat vector). */
export function imageGeometry(data: Dataset): { width: number; height: number; channels: 1 | 3 } | null {
  if (!data.isImage) return null;
  const s = data.inputShape;
  if (s.length === 3 && (s[2] === 1 || s[2] === 3)) return { height: s[0], width: s[1], channels: s[2] as 1 | 3 };
  if (s.length === 2) return { height: s[0], width: s[1], channels: 1 };
  const side = Math.round(Math.sqrt(s[0]));
  return s.length === 1 && side * side === s[0] ? { height: side, width: side, channels: 1 } : null;
}

export interface GalleryInput {
  data: Dataset;
  /** Test indices of the pool. */
  pool: number[];
  /** Clean pool inputs and per-column clean probabilities. */
  clean: Float32Array;
  cleanProbs: Float32Array[];
  /** Shown adversarial inputs and their per-column probabilities. */
  adv: Float32Array;
  advProbs: Float32Array[];
  fooled: Uint8Array[];
  columns: string[];
  goals?: Int32Array;
  /** Pool positions to show. */
  positions: number[];
}

function predictions(g: GalleryInput, i: number): GalleryPrediction[] {
  const c = g.data.numClasses;
  return g.columns.map((column, j) => {
    const a = argmaxRow(g.cleanProbs[j], i, c);
    const b = argmaxRow(g.advProbs[j], i, c);
    return { column, clean: { label: a, confidence: g.cleanProbs[j][i * c + a] }, adversarial: { label: b, confidence: g.advProbs[j][i * c + b] } };
  });
}

export function galleryImages(g: GalleryInput): GalleryImage[] {
  const geo = imageGeometry(g.data)!;
  const d = g.data.inputShape.reduce((a, b) => a * b, 1);
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < d; k++) {
    lo = Math.min(lo, g.data.lower[k]);
    hi = Math.max(hi, g.data.upper[k]);
  }
  const span = hi - lo || 1;
  return g.positions.map((i) => {
    const x = g.clean.subarray(i * d, (i + 1) * d);
    const a = g.adv.subarray(i * d, (i + 1) * d);
    let linf = 0;
    let ss = 0;
    for (let k = 0; k < d; k++) {
      const v = a[k] - x[k];
      linf = Math.max(linf, Math.abs(v));
      ss += v * v;
    }
    const scale = linf > 0 ? 1 / (2 * linf) : 0;
    const url = (f: (k: number) => number) => pngDataUrl(Float32Array.from({ length: d }, (_, k) => f(k)), geo.width, geo.height, geo.channels);
    return {
      testIndex: g.pool[i],
      label: g.data.yTest[g.pool[i]],
      target: g.goals?.[i],
      original: url((k) => (x[k] - lo) / span),
      adversarial: url((k) => (a[k] - lo) / span),
      perturbation: url((k) => 0.5 + (a[k] - x[k]) * scale),
      linf,
      l2: Math.sqrt(ss),
      predictions: predictions(g, i),
    };
  });
}

export function galleryPoints(g: GalleryInput): GalleryPoint[] {
  return g.positions.map((i) => ({
    testIndex: g.pool[i],
    label: g.data.yTest[g.pool[i]],
    x: [g.clean[2 * i], g.clean[2 * i + 1]],
    adversarial: [g.adv[2 * i], g.adv[2 * i + 1]],
    fooled: g.fooled.map((f) => f[i] === 1),
  }));
}
