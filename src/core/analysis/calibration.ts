// Reliability binning on top-1 confidence: B equal-width bins, bin b = (b/B, (b+1)/B].
import type { CalibrationBin } from './types.js';

/** Bin of a confidence: ceil(conf * B) - 1 in float64, clamped to [0, B-1] (so conf = 0 goes to bin 0). */
export function binIndex(conf: number, bins: number): number {
  const b = Math.ceil(conf * bins) - 1;
  return b < 0 ? 0 : b >= bins ? bins - 1 : b;
}

/** Accumulates (confidence, correct) pairs; finish() gives ECE, MCE and the bins. */
export class CalibrationAccumulator {
  private readonly count: Float64Array;
  private readonly confSum: Float64Array;
  private readonly correctSum: Float64Array;

  constructor(readonly bins: number) {
    this.count = new Float64Array(bins);
    this.confSum = new Float64Array(bins);
    this.correctSum = new Float64Array(bins);
  }

  add(conf: number, correct: boolean): void {
    const b = binIndex(conf, this.bins);
    this.count[b]++;
    this.confSum[b] += conf;
    if (correct) this.correctSum[b]++;
  }

  /** ECE = sum_b (n_b/N)|acc_b - conf_b|; MCE = max over non-empty bins of |acc_b - conf_b|. */
  finish(): { ece: number; mce: number; bins: CalibrationBin[] } {
    let total = 0;
    for (let b = 0; b < this.bins; b++) total += this.count[b];
    let ece = 0;
    let mce = 0;
    const out: CalibrationBin[] = [];
    for (let b = 0; b < this.bins; b++) {
      const nb = this.count[b];
      const lower = b / this.bins;
      const upper = (b + 1) / this.bins;
      if (nb === 0) {
        out.push({ lower, upper, count: 0, meanConfidence: null, accuracy: null });
        continue;
      }
      const conf = this.confSum[b] / nb;
      const acc = this.correctSum[b] / nb;
      const gap = Math.abs(acc - conf);
      ece += (nb / total) * gap;
      if (gap > mce) mce = gap;
      out.push({ lower, upper, count: nb, meanConfidence: conf, accuracy: acc });
    }
    return { ece, mce, bins: out };
  }
}
