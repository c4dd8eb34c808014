// Ensemble selection (Caruana et al. 2004): greedy forward selection with replacement on a held-out
// selection split (or K folds), scored on the remaining samples beside the plain average.
import { candidateLosses, scoreLists } from './contributions.js';
import { foldIds, permutation, streamFor } from './random.js';
import type { Scorer } from './scorer.js';
import type { Selection, SelectionRun } from './types.js';

/** Builds a scorer over a subset of samples, for one loss. */
export type ScorerFactory = (idx: Int32Array) => Scorer;

/** One greedy run: steps with replacement on `sel`, best prefix evaluated on `held`. */
export function caruanaRun(sel: Scorer, held: Scorer, ids: string[], steps: number, metric: string, librarySize: number): SelectionRun {
  const m = ids.length;
  const lossName = metric === 'accuracy' ? 'accuracy' : metric;
  // the nll candidate loss needs only the true-class sums: a bound-mode state (scorer.ts) keeps just those
  const st = sel.create(lossName !== 'accuracy');
  // library pruning (Caruana et al. 2006): only the best members by their own selection-split loss
  const own = candidateLosses(sel, st, Array.from({ length: m }, (_, j) => j), lossName);
  const library = Array.from({ length: m }, (_, j) => j).sort((a, b) => own[a] - own[b] || a - b).slice(0, librarySize).sort((a, b) => a - b);
  const counts: Int32Array[] = [];
  const cur = new Int32Array(m);
  const trajectory: SelectionRun['trajectory'] = [];
  let bestStep = 1;
  let bestLoss = Infinity;
  for (let step = 1; step <= steps; step++) {
    let best = library[0];
    let bl = Infinity;
    const losses = candidateLosses(sel, st, library, lossName);
    for (let a = 0; a < library.length; a++) if (losses[a] < bl) { bl = losses[a]; best = library[a]; }
    sel.add(st, best);
    cur[best]++;
    counts.push(cur.slice());
    trajectory.push({ step, added: ids[best], score: metric === 'accuracy' ? 1 - bl : bl });
    if (bl < bestLoss - 1e-15) { bestLoss = bl; bestStep = step; }
  }
  const chosen = counts[bestStep - 1];
  const weights: Record<string, number> = {};
  chosen.forEach((cnt, i) => { if (cnt > 0) weights[ids[i]] = cnt / bestStep; });
  // the selected multiset (each member `cnt` times, in member order) and every member once, scored together
  const selected: number[] = [];
  chosen.forEach((cnt, i) => { for (let r = 0; r < cnt; r++) selected.push(i); });
  const [selectedScore, averageScore] = scoreLists(held, [selected, Array.from({ length: m }, (_, i) => i)]);
  return { trajectory, bestStep, weights, heldOut: { selected: selectedScore, simpleAverage: averageScore } };
}

/** Split mode (folds < 2) or K-fold mode; `make` builds scorers (coefficients 1, mean combination). */
export function ensembleSelection(
  n: number, ids: string[], make: ScorerFactory, metric: Selection['metric'],
  opts: { fraction: number; folds: number; steps: number; seed: number; librarySize: number },
): Selection {
  const runs: SelectionRun[] = [];
  if (opts.folds >= 2) {
    const f = foldIds(n, opts.folds, streamFor(opts.seed, 'folds'));
    for (let k = 0; k < opts.folds; k++) {
      const selIdx: number[] = [];
      const heldIdx: number[] = [];
      for (let t = 0; t < n; t++) (f[t] === k ? heldIdx : selIdx).push(t);
      if (selIdx.length === 0 || heldIdx.length === 0) continue;
      runs.push(caruanaRun(make(Int32Array.from(selIdx)), make(Int32Array.from(heldIdx)), ids, opts.steps, metric, opts.librarySize));
    }
  } else {
    const p = permutation(n, streamFor(opts.seed, 'split'));
    const cut = Math.min(n - 1, Math.max(1, Math.floor(opts.fraction * n)));
    if (n < 2) throw new Error('ensemble selection needs at least 2 samples');
    const selIdx = p.slice(0, cut).sort();
    const heldIdx = p.slice(cut).sort();
    runs.push(caruanaRun(make(selIdx), make(heldIdx), ids, opts.steps, metric, opts.librarySize));
  }
  const mean = (pick: (r: SelectionRun) => Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const key of Object.keys(pick(runs[0]))) out[key] = runs.reduce((a, r) => a + pick(r)[key], 0) / runs.length;
    return out;
  };
  return {
    metric, mode: opts.folds >= 2 ? 'cv' : 'split', runs,
    heldOut: { selected: mean((r) => r.heldOut.selected), simpleAverage: mean((r) => r.heldOut.simpleAverage) },
  };
}
