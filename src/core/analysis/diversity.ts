// Non-pairwise diversity (Kuncheva & Whitaker 2003) from the per-sample count of correct members,
// plus the Jensen gap of the log loss and the exact Brier decomposition of the mean ensemble.
import type { ClsContext } from './context.js';
import { EPS as CLIP } from './metrics.js';
import type { ClassificationDiversity } from './types.js';

// module-local copy: imported bindings can compile to getters in hot loops
const EPS = CLIP;

/** l[s] = number of members whose argmax equals the label of sample s. */
export function correctCounts(ctx: ClsContext): Int32Array {
  const { n, m, pred, labels } = ctx;
  const l = new Int32Array(n);
  for (let i = 0; i < m; i++) for (let t = 0; t < n; t++) if (pred[i * n + t] === labels[t]) l[t]++;
  return l;
}

/** The non-pairwise measures, as the report's diversity section holds them. */
export type NonPairwise = Pick<ClassificationDiversity, 'oracleAccuracy' | 'kohaviWolpertVariance' | 'interraterKappa' | 'entropy' | 'generalizedDiversity' | 'difficulty'>;

/** The K&W ensemble-level measures with L = m members and l = correctCounts. */
export function nonPairwise(l: Int32Array, m: number): NonPairwise {
  const n = l.length;
  let any = 0;
  let kw = 0;
  let ent = 0;
  let sumL = 0;
  let sumFrac2 = 0;
  const fails = new Float64Array(m + 1); // fails[k] = samples on which exactly k members fail
  const half = m - Math.ceil(m / 2);
  for (let t = 0; t < n; t++) {
    const x = l[t];
    if (x > 0) any++;
    kw += x * (m - x);
    ent += Math.min(x, m - x);
    sumL += x;
    sumFrac2 += (x / m) * (x / m);
    fails[m - x]++;
  }
  const pBar = sumL / (n * m);
  const meanFrac = sumL / (n * m);
  const kappaDen = n * (m - 1) * pBar * (1 - pBar);
  let p1 = 0;
  let p2 = 0;
  for (let k = 0; k <= m; k++) {
    const pk = fails[k] / n;
    p1 += (k / m) * pk;
    if (m > 1) p2 += ((k * (k - 1)) / (m * (m - 1))) * pk;
  }
  return {
    oracleAccuracy: any / n,
    kohaviWolpertVariance: kw / (n * m * m),
    interraterKappa: m < 2 || kappaDen === 0 ? null : 1 - kw / m / kappaDen,
    entropy: half === 0 ? null : ent / (n * half),
    generalizedDiversity: m < 2 || p1 === 0 ? null : 1 - p2 / p1,
    difficulty: sumFrac2 / n - meanFrac * meanFrac,
  };
}

/**
 * Jensen gap (average member NLL - NLL of the plain mean) and the Brier decomposition
 * Brier(mean) = average member Brier - mean_s (1/M) sum_i ||p_i - p_bar||^2, each term computed directly.
 */
export function jensenAndBrier(ctx: ClsContext, mean: Float64Array) {
  const { n, c, m, values, labels, memberResults } = ctx;
  let ensNll = 0;
  let prod = 1; // same blocked-product NLL as metrics.ts, so identical members give a gap of exactly 0
  let ensBrier = 0;
  let spread = 0;
  for (let t = 0; t < n; t++) {
    const off = t * c;
    const y = labels[t];
    const py = mean[off + y];
    prod *= py > EPS ? py : EPS;
    if ((t & 15) === 15) { ensNll -= Math.log(prod); prod = 1; }
    for (let k = 0; k < c; k++) { const d = mean[off + k] - (k === y ? 1 : 0); ensBrier += d * d; }
  }
  ensNll -= Math.log(prod);
  for (let i = 0; i < m; i++) {
    const v = values[i];
    for (let k = 0, e = n * c; k < e; k++) { const d = v[k] - mean[k]; spread += d * d; }
  }
  let avgNll = 0;
  let avgBrier = 0;
  for (const r of memberResults) { avgNll += r.metrics.nll / m; avgBrier += r.metrics.brier / m; }
  return {
    jensenGap: avgNll - ensNll / n,
    brierDecomposition: { averageMemberBrier: avgBrier, diversity: spread / (n * m), ensembleBrier: ensBrier / n },
  };
}
