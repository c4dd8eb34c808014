// What each member adds: metric vs ensemble size (random orders and a greedy order), leave-one-out,
// samples only one member gets right, redundancy clusters, seed groups.
import { meanStd } from './json.js';
import { permutation, streamFor } from './random.js';
import type { PrefixPlan } from './boundedScore.js';
import type { Scorer, ScoreState } from './scorer.js';
import type { Contributions, CurvePoint, Maybe } from './types.js';

/** Ensemble sizes at which curves are evaluated: all k <= maxPoints members, else a near-geometric grid. */
export function sizeGrid(m: number, maxPoints: number): number[] {
  if (m <= maxPoints) return Array.from({ length: m }, (_, i) => i + 1);
  const ks = new Set<number>([1, m]);
  for (let q = 0; q < maxPoints; q++) ks.add(Math.round(Math.exp((Math.log(m) * q) / Math.max(1, maxPoints - 1))));
  return [...ks].sort((a, b) => a - b);
}

/** Percentile with linear interpolation between order statistics (numpy's default). */
export function percentile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Mean, sample std, 10th/90th percentile of each metric over seeded random orders of the members
 * `active` (default 0..m-1; 'weighted' passes the members with weight > 0), grid k <= active.length.
 * Orders share many prefixes (every order ends with the same full set; at small M the k-subsets repeat), so
 * the metrics of each distinct member set are computed once (prefixPlan).
 */
export function randomOrderCurve(scorer: Scorer, m: number, orders: number, grid: number[], seed: number, active?: number[]): Record<string, CurvePoint[]> {
  const act = active ?? Array.from({ length: m }, (_, i) => i);
  const { plan, resultOf } = prefixPlan(m, act, orders, grid, seed);
  const results = scorer.evaluatePrefixes ? scorer.evaluatePrefixes(plan) : walkPlan(scorer, plan);
  const out: Record<string, CurvePoint[]> = {};
  for (const name of scorer.metrics) {
    out[name] = grid.map((k, g) => {
      const xs: number[] = [];
      for (let o = 0; o < orders; o++) xs.push(results[resultOf[o * grid.length + g]][name]);
      const { mean, std } = meanStd(xs);
      const sorted = [...xs].sort((a, b) => a - b);
      return { k, mean, std: std ?? 0, p10: percentile(sorted, 0.1), p90: percentile(sorted, 0.9) };
    });
  }
  return out;
}

/**
 * The seeded random orders of `act` as a plan that scores each distinct member set once, at its first
 * prefix (sums in another order differ by rounding only, so a repeated set reuses that value); each order
 * stops after its last scored prefix. resultOf[o * grid.length + g]: the result of order o at grid point g.
 */
function prefixPlan(m: number, act: number[], orders: number, grid: number[], seed: number): { plan: PrefixPlan; resultOf: Int32Array } {
  const rng = streamFor(seed, 'orders');
  const at = new Map(grid.map((k, i) => [k, i]));
  const seen = new Map<string, number>();
  const inSet = new Uint8Array(m);
  const members: number[] = [];
  const evalAt: number[] = [];
  const orderEnd = new Int32Array(orders);
  const resultOf = new Int32Array(orders * grid.length);
  let results = 0;
  for (let o = 0; o < orders; o++) {
    const perm = permutation(act.length, rng);
    inSet.fill(0);
    let end = members.length;
    for (let k = 1; k <= act.length; k++) {
      const j = act[perm[k - 1]];
      members.push(j);
      evalAt.push(-1);
      inSet[j] = 1;
      const g = at.get(k);
      if (g === undefined) continue;
      const key = setKey(inSet);
      let r = seen.get(key);
      if (r === undefined) {
        r = results++;
        seen.set(key, r);
        evalAt[members.length - 1] = r;
        end = members.length;
      }
      resultOf[o * grid.length + g] = r;
    }
    members.length = end;
    evalAt.length = end;
    orderEnd[o] = end;
  }
  return { plan: { members: Int32Array.from(members), orderEnd, evalAt: Int32Array.from(evalAt), results }, resultOf };
}

/** Metrics of each non-empty member list, its members added in its order (one sample-major pass where the scorer has one). */
export function scoreLists(scorer: Scorer, lists: number[][]): Record<string, number>[] {
  const members = lists.flat();
  const evalAt = new Int32Array(members.length).fill(-1);
  const orderEnd = new Int32Array(lists.length);
  for (let o = 0, end = 0; o < lists.length; o++) {
    end += lists[o].length;
    orderEnd[o] = end;
    evalAt[end - 1] = o;
  }
  const plan: PrefixPlan = { members: Int32Array.from(members), orderEnd, evalAt, results: lists.length };
  return scorer.evaluatePrefixes ? scorer.evaluatePrefixes(plan) : walkPlan(scorer, plan);
}

/**
 * The plan's results from one state per order (scorers without evaluatePrefixes), the members since the last
 * scored prefix added together.
 */
function walkPlan(scorer: Scorer, plan: PrefixPlan): Record<string, number>[] {
  const out: Record<string, number>[] = new Array(plan.results);
  for (let o = 0, p = 0; o < plan.orderEnd.length; o++) {
    const st = scorer.create();
    let pending: number[] = [];
    for (; p < plan.orderEnd[o]; p++) {
      pending.push(plan.members[p]);
      const e = plan.evalAt[p];
      if (e < 0) continue;
      out[e] = scorer.addManyAndEvaluate(st, pending);
      pending = [];
    }
  }
  return out;
}

/** Membership bitmap as a string key, 16 members per character. */
function setKey(inSet: Uint8Array): string {
  let key = '';
  for (let i = 0; i < inSet.length; i += 16) {
    let word = 0;
    for (let b = 0; b < 16 && i + b < inSet.length; b++) word |= inSet[i + b] << b;
    key += String.fromCharCode(word);
  }
  return key;
}

/** scorer.candidateLoss of each member of `js` (together where the scorer can). */
export function candidateLosses(scorer: Scorer, st: ScoreState, js: number[], lossName?: string): number[] {
  return scorer.candidateLosses ? scorer.candidateLosses(st, js, lossName) : js.map((j) => scorer.candidateLoss(st, j, lossName));
}

/** Greedy order without replacement over `active` members: each step adds the one minimising the loss (ties: lowest index). */
export function greedyOrder(scorer: Scorer, ids: string[], budget: number, active?: number[]) {
  const m = ids.length;
  const n = scorer.ns;
  const ma = active ? active.length : m;
  const steps = Math.min(ma, Math.max(1, Math.floor(budget / (ma * n))));
  const used = new Uint8Array(m);
  if (active) { used.fill(1); for (const i of active) used[i] = 0; }
  const st = scorer.create(true);
  const order: string[] = [];
  const values: Record<string, number[]> = {};
  for (const name of scorer.metrics) values[name] = [];
  for (let step = 0; step < steps; step++) {
    let best = -1;
    let bestLoss = Infinity;
    const open: number[] = [];
    for (let j = 0; j < m; j++) if (!used[j]) open.push(j);
    const losses = candidateLosses(scorer, st, open);
    for (let a = 0; a < open.length; a++) if (losses[a] < bestLoss || best < 0) { bestLoss = losses[a]; best = open[a]; }
    used[best] = 1;
    order.push(ids[best]);
    const r = scorer.addAndEvaluate(st, best);
    for (const name of scorer.metrics) values[name].push(r[name]);
  }
  return { order, values, complete: steps === ma };
}

/** Smallest grid k whose mean loss improvement from k=1 reaches `fraction` of the k=1 -> k=M improvement (1 if none). */
export function diminishingReturns(curve: CurvePoint[], fraction: number, higherIsBetter: boolean): number {
  const sign = higherIsBetter ? -1 : 1;
  const first = curve[0].mean;
  const total = sign * (first - curve[curve.length - 1].mean);
  if (!(total > 0)) return 1;
  for (const p of curve) if (sign * (first - p.mean) >= fraction * total - 1e-15) return p.k;
  return curve[curve.length - 1].k;
}

/**
 * Metrics of the ensemble without each member, and the change vs the full ensemble (without - with).
 * `fullState`: the state after adding every member in order, when the caller already has it.
 * `weights` (combine coefficients): a weight-0 member changes nothing (delta 0); a member whose removal
 * would leave no positive weight is omitted (as is the only member of a one-member ensemble).
 */
export function leaveOneOut(scorer: Scorer, ids: string[], weights?: Float64Array, fullState?: ScoreState): Contributions['leaveOneOut'] {
  const m = ids.length;
  let st = fullState;
  if (!st) {
    st = scorer.create();
    for (let i = 0; i < m; i++) scorer.add(st, i);
  }
  const positive = weights ? weights.filter((w) => w > 0).length : m;
  const removed = ids.map((_, i) => i).filter((i) => (weights ? weights[i] : 1) > 0 && positive >= 2);
  const scored = scorer.evaluateWithoutEach ? scorer.evaluateWithoutEach(st, removed) : removed.map((i) => scorer.evaluateWithout(st, i));
  const without: (Record<string, number> | null)[] = ids.map(() => null);
  removed.forEach((i, a) => { without[i] = scored[a]; });
  // after evaluateWithout: the full state's argmaxes it found are reused
  const full = scorer.evaluate(st);
  const out: Contributions['leaveOneOut'] = [];
  ids.forEach((id, i) => {
    const w = weights ? weights[i] : 1;
    if (w > 0 && positive < 2) return;
    const values = without[i] ?? { ...full };
    const delta: Record<string, number> = {};
    for (const k of Object.keys(values)) delta[k] = values[k] - full[k];
    out.push({ id, values, delta });
  });
  return out;
}

/** Count of samples on which member i is the only one correct. */
export function uniqueCorrect(pred: Int32Array, labels: Int32Array, l: Int32Array, ids: string[]): { id: string; count: number }[] {
  const n = labels.length;
  return ids.map((id, i) => ({ id, count: onlyCorrect(pred, labels, l, i * n, n) }));
}

/**
 * Samples right only by the member whose argmaxes start at pred[from]. A function that ends with its loop:
 * code after a hot loop optimised on the fly has no type feedback and deoptimised the caller on every call.
 */
function onlyCorrect(pred: Int32Array, labels: Int32Array, l: Int32Array, from: number, n: number): number {
  let count = 0;
  for (let t = 0; t < n; t++) count += +(l[t] === 1 && pred[from + t] === labels[t]);
  return count;
}

/** Connected components of the graph "corr > threshold" (NaN = no edge); each keeps its member with the lowest loss. */
export function redundancyClusters(corr: Float64Array, ids: string[], loss: number[], threshold: number): Contributions['redundancy'] {
  const m = ids.length;
  const parent = Int32Array.from({ length: m }, (_, i) => i);
  const find = (x: number): number => { while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; } return x; };
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) {
    if (corr[i * m + j] > threshold) { const a = find(i); const b = find(j); if (a !== b) parent[Math.max(a, b)] = Math.min(a, b); }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < m; i++) { const r = find(i); const g = groups.get(r); if (g) g.push(i); else groups.set(r, [i]); }
  const clusters: { members: string[]; kept: string }[] = [];
  const pruned: string[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    let keep = g[0];
    for (const i of g) if (loss[i] < loss[keep]) keep = i;
    clusters.push({ members: g.map((i) => ids[i]), kept: ids[keep] });
    for (const i of g) if (i !== keep) pruned.push(ids[i]);
  }
  return { threshold, clusters, pruned };
}

/** Members named `group#k` grouped by `group`: mean and sample std of each metric. */
export function seedGroups(ids: string[], metrics: Record<string, Maybe>[]): Contributions['seedGroups'] {
  const groups = new Map<string, number[]>();
  ids.forEach((id, i) => {
    const mt = /^(.+)#\d+$/.exec(id);
    if (!mt) return;
    const g = groups.get(mt[1]);
    if (g) g.push(i); else groups.set(mt[1], [i]);
  });
  return [...groups.entries()].map(([group, idx]) => {
    const out: Record<string, { mean: number; std: Maybe }> = {};
    for (const key of Object.keys(metrics[idx[0]])) {
      const xs = idx.map((i) => metrics[i][key]).filter((v): v is number => v !== null);
      if (xs.length) out[key] = meanStd(xs);
    }
    return { group, members: idx.map((i) => ids[i]), metrics: out };
  });
}
