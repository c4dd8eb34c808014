// Evaluates every restart's adversarial batch on every column: a sample fools a column if any
// restart fools it. Also picks, per sample, the restart to show (the first that fools the source).
import { fooledMask, predictColumns, type Target } from './targets';

export interface RestartEvaluation {
  /** Per column (members then the ensemble): 1 where some restart fools it. */
  fooled: Uint8Array[];
  /** Per sample: the shown restart's adversarial input (row-major, like the pool). */
  shown: Float32Array;
  /** Per column: probabilities on `shown`. */
  shownProbs: Float32Array[];
}

export async function evaluateRestarts(
  targets: Target[],
  advs: Float32Array[],
  n: number,
  c: number,
  labels: Int32Array,
  goals: Int32Array | undefined,
  /** Column of the attacked model (-1: none, e.g. an ensemble attack: use the ensemble column). */
  sourceColumn: number,
): Promise<RestartEvaluation> {
  const d = n ? advs[0].length / n : 0;
  const cols = targets.length + 1;
  const src = sourceColumn >= 0 ? sourceColumn : targets.length;
  const fooled = Array.from({ length: cols }, () => new Uint8Array(n));
  const shown = new Float32Array(advs[0].length);
  const shownProbs = Array.from({ length: cols }, () => new Float32Array(n * c));
  const decided = new Uint8Array(n);
  for (let r = 0; r < advs.length; r++) {
    const probs = await predictColumns(targets, advs[r], n, c);
    const masks = probs.map((p) => fooledMask(p, n, c, labels, goals));
    for (let j = 0; j < cols; j++) for (let i = 0; i < n; i++) fooled[j][i] |= masks[j][i];
    for (let i = 0; i < n; i++) {
      if (decided[i]) continue;
      if (r === 0 || masks[src][i]) {
        shown.set(advs[r].subarray(i * d, (i + 1) * d), i * d);
        for (let j = 0; j < cols; j++) shownProbs[j].set(probs[j].subarray(i * c, (i + 1) * c), i * c);
      }
      if (masks[src][i]) decided[i] = 1;
    }
  }
  return { fooled, shown, shownProbs };
}
