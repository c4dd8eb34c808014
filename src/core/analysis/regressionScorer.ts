// Incremental regression scorer: RMSE of weighted means of members' predictions, O(N) per step
// (the regression counterpart of ClsScorer in scorer.ts).
import type { Scorer, ScoreState } from './scorer.js';

/** Regression scorer: rmse of S / W (weighted mean of predictions). */
export class RegScorer implements Scorer {
  readonly metrics = ['rmse'];
  readonly loss = 'rmse';
  readonly ns: number;
  private readonly y: Float64Array;
  private readonly x: Float64Array;

  constructor(values: Float32Array[], labels: Float32Array, private readonly coef: Float64Array, idx: Int32Array | null) {
    this.ns = idx ? idx.length : labels.length;
    const ns = this.ns;
    this.y = Float64Array.from({ length: ns }, (_, s) => labels[idx ? idx[s] : s]);
    this.x = new Float64Array(values.length * ns);
    values.forEach((v, i) => { for (let s = 0; s < ns; s++) this.x[i * ns + s] = v[idx ? idx[s] : s]; });
  }

  create(): ScoreState {
    return { s: new Float64Array(this.ns), t: new Float64Array(0), w: 0 };
  }

  add(st: ScoreState, i: number, sign = 1): void {
    const w = sign * this.coef[i];
    st.w += w;
    for (let s = 0, o = i * this.ns; s < this.ns; s++) st.s[s] += w * this.x[o + s];
  }

  evaluate(st: ScoreState): Record<string, number> {
    let se = 0;
    for (let s = 0; s < this.ns; s++) { const d = st.s[s] / st.w - this.y[s]; se += d * d; }
    return { rmse: Math.sqrt(se / this.ns) };
  }

  addAndEvaluate(st: ScoreState, i: number): Record<string, number> {
    this.add(st, i);
    return this.evaluate(st);
  }

  addManyAndEvaluate(st: ScoreState, list: number[]): Record<string, number> {
    for (const i of list) this.add(st, i);
    return this.evaluate(st);
  }

  evaluateWithout(st: ScoreState, j: number): Record<string, number> {
    const w = this.coef[j];
    const inv = 1 / (st.w - w);
    let se = 0;
    for (let s = 0, o = j * this.ns; s < this.ns; s++) { const d = (st.s[s] - w * this.x[o + s]) * inv - this.y[s]; se += d * d; }
    return { rmse: Math.sqrt(se / this.ns) };
  }

  candidateLoss(st: ScoreState, j: number): number {
    const w = this.coef[j];
    const inv = 1 / (st.w + w);
    let se = 0;
    for (let s = 0, o = j * this.ns; s < this.ns; s++) { const d = (st.s[s] + w * this.x[o + s]) * inv - this.y[s]; se += d * d; }
    return Math.sqrt(se / this.ns);
  }
}
