// Per-sample views for the dashboard: plain arrays plus short ranked lists with every member's vote.
import type { ClsContext } from './context.js';
import { topK } from './json.js';
import type { ClassificationSamples, SampleView } from './types.js';
import type { UncertaintyArrays } from './uncertainty.js';

/** Fraction of members whose argmax differs from the plurality class (plurality ties to the lowest class). */
export function disagreementPerSample(ctx: ClsContext): Float64Array {
  const { n, c, m, pred } = ctx;
  const counts = new Int32Array(n * c);
  for (let i = 0; i < m; i++) for (let t = 0; t < n; t++) counts[t * c + pred[i * n + t]]++;
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let best = 0;
    for (let k = 1; k < c; k++) if (counts[t * c + k] > counts[t * c + best]) best = k;
    out[t] = (m - counts[t * c + best]) / m;
  }
  return out;
}

/** A typed array as a plain array (a loop: Array.from costs about ten times as much in V8). */
function plain(a: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) out.push(a[i]);
  return out;
}

/** Builds the samples section; `ensPred` is the combined argmax, `l` the number of correct members per sample. */
export function sampleViews(
  ctx: ClsContext, ensPred: Int32Array, l: Int32Array, u: UncertaintyArrays, topSamples: number,
): ClassificationSamples {
  const { n, m, pred, pTrue, labels } = ctx;
  const dis = disagreementPerSample(ctx);
  const correct: boolean[] = [];
  for (let t = 0; t < n; t++) correct.push(ensPred[t] === labels[t]);
  const view = (list: { index: number; value: number }[]): SampleView[] => list.map(({ index, value }) => {
    const memberPredicted: number[] = new Array(m);
    const memberPTrue: number[] = new Array(m);
    for (let i = 0; i < m; i++) { memberPredicted[i] = pred[i * n + index]; memberPTrue[i] = pTrue[i * n + index]; }
    return { index, label: labels[index], ensemblePredicted: ensPred[index], value, memberPredicted, memberPTrue };
  });
  const fracRight = new Float64Array(n);
  const fracWrong = new Float64Array(n);
  for (let t = 0; t < n; t++) { fracRight[t] = l[t] / m; fracWrong[t] = (m - l[t]) / m; }
  return {
    disagreement: plain(dis),
    mutualInformation: plain(u.mutualInformation),
    totalEntropy: plain(u.total),
    ensemblePredicted: plain(ensPred),
    ensembleCorrect: correct,
    byDisagreement: view(topK(dis, topSamples)),
    byMutualInformation: view(topK(u.mutualInformation, topSamples)),
    ensembleWrongSomeRight: view(topK(fracRight, topSamples, (t) => !correct[t] && l[t] > 0)),
    ensembleRightMostWrong: view(topK(fracWrong, topSamples, (t) => correct[t] && 2 * (m - l[t]) > m)),
  };
}
