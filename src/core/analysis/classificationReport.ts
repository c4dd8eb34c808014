// Assembles the classification report from the per-measure modules (each phase timed on request), in two
// parts that can run in two threads: the main part and the side (divergences, stacking).
import type { EnsembleOutputs } from '../outputs.js';
import { combineSum, meanProbs, normalise, type ClsContext, type SideContext } from './context.js';
import {
  diminishingReturns, greedyOrder, leaveOneOut, randomOrderCurve, redundancyClusters, seedGroups, sizeGrid, uniqueCorrect,
} from './contributions.js';
import { correctCounts, jensenAndBrier, nonPairwise, type NonPairwise } from './diversity.js';
import { toMatrix, topK, upperMean } from './json.js';
import { classificationMetrics } from './metrics.js';
import { timed, type ResolvedOptions } from './options.js';
import { errorCorrelation, pairwiseDiversity, type PairwiseResult } from './pairwise.js';
import { pairwiseDivergences, type Divergences } from './divergence.js';
import { streamFor, subsample } from './random.js';
import { sampleViews } from './samples.js';
import { ClsScorer } from './scorer.js';
import { ensembleSelection } from './selection.js';
import { stackingReport } from './stackingReport.js';
import type { ClassificationAnalysis, ClassificationDiversity, Contributions, Selection, Stacking } from './types.js';
import { uncertaintyArrays } from './uncertainty.js';

/**
 * The sections another thread can compute while this one computes the rest (engine/analysis/parallel.ts):
 * the symmetric KL and Jensen-Shannon matrices and stacking, about half the work at small M; from
 * LARGE_ENSEMBLE_MEMBERS members on also ensemble selection and the error correlation (whose redundancy
 * clusters are formed when the parts are joined), which keep the halves even there (the error correlation
 * grows as M^2 N while the divergences stop growing at their budget; measured: selection belongs to the main
 * part at M = 64, either part at 128, the side at 512; below that the side, with the divergences, is the
 * longer part). Plain data (structured-cloneable).
 */
export interface ClassificationSide {
  task: 'classification';
  divergences: Divergences;
  stacking: Stacking;
  /** From LARGE_ENSEMBLE_MEMBERS members on (else the main part's). */
  errorCorrelation?: Float64Array;
  selection?: Selection;
}

/** From this many members the side part also computes the error correlation and ensemble selection (see above). */
export const LARGE_ENSEMBLE_MEMBERS = 256;

/** Everything but the side, ready to assemble (stays in the thread that computed it). */
export interface ClassificationMain {
  task: 'classification';
  head: Pick<ClassificationAnalysis, 'task' | 'nTest' | 'numClasses' | 'combine' | 'members' | 'ensemble'>;
  ids: string[];
  pw: PairwiseResult;
  /** Below LARGE_ENSEMBLE_MEMBERS members (else the side's). */
  errorCorrelation?: Float64Array;
  /** The ensemble-level diversity measures (non-pairwise, Jensen gap, Brier decomposition). */
  ensembleLevel: NonPairwise & Pick<ClassificationDiversity, 'jensenGap' | 'brierDecomposition'>;
  rest: Pick<ClassificationAnalysis, 'uncertainty' | 'calibration' | 'samples'> & { selection?: Selection };
  /** Contributions but the redundancy clusters (formed from the error correlation when the parts are joined). */
  contributions: Omit<Contributions, 'redundancy'>;
  memberNll: number[];
  redundancyThreshold: number;
  /** The plain mean of the members' probabilities (the side's selection, from 256 members, needs it too). */
  plainMean: Float64Array;
}

export function classificationMain(o: EnsembleOutputs, ctx: ClsContext, opt: ResolvedOptions): ClassificationMain {
  const { n, c, ids } = ctx;
  const ensPred = new Int32Array(n);
  const { ensProbs, ensSum, ens } = timed(opt, 'ensemble', () => {
    const sum = combineSum(ctx);
    const p = normalise(sum);
    return { ensProbs: p, ensSum: sum, ens: classificationMetrics(p, ctx.labels, n, c, opt.eceBins, { pred: ensPred }) };
  });
  const plainMean = ctx.method === 'mean' ? ensProbs : timed(opt, 'ensemble', () => meanProbs(ctx));
  const pw = timed(opt, 'pairwise', () => pairwiseDiversity(ctx, opt.timings));
  const corr = ctx.m < LARGE_ENSEMBLE_MEMBERS ? timed(opt, 'pairwise.errorCorrelation', () => errorCorrelation(ctx)) : undefined;
  const l = correctCounts(ctx);
  const ensembleLevel = timed(opt, 'ensembleDiversity', () => ({ ...nonPairwise(l, ctx.m), ...jensenAndBrier(ctx, plainMean) }));
  const mix = ctx.method === 'weighted' ? ensProbs : plainMean;
  const u = timed(opt, 'uncertainty', () => uncertaintyArrays(ctx, mix));
  const mean = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / n;
  const memberNll = ctx.memberResults.map((r) => r.metrics.nll);
  return {
    task: 'classification',
    head: {
      task: 'classification', nTest: n, numClasses: c, combine: opt.combine,
      members: ids.map((id, i) => ({ id, metrics: ctx.memberResults[i].metrics })),
      ensemble: ens.metrics,
    },
    ids, pw, errorCorrelation: corr, ensembleLevel, memberNll, redundancyThreshold: opt.redundancyThreshold, plainMean,
    contributions: contributions(ctx, l, opt, ensProbs, ensSum),
    rest: {
      uncertainty: {
        meanTotal: mean(u.total), meanAleatoric: mean(u.aleatoric), meanEpistemic: mean(u.mutualInformation),
        topByTotal: topK(u.total, opt.topSamples), topByMutualInformation: topK(u.mutualInformation, opt.topSamples),
      },
      calibration: {
        bins: opt.eceBins,
        ensemble: ens.calibration,
        members: ids.map((id, i) => ({ id, ...ctx.memberResults[i].calibration })),
      },
      selection: ctx.m < LARGE_ENSEMBLE_MEMBERS ? timed(opt, 'selection', () => selection(ctx, opt, plainMean)) : undefined,
      samples: timed(opt, 'samples', () => sampleViews(ctx, ensPred, l, u, opt.topSamples)),
    },
  };
}

/**
 * `plainMean`: the main part's, when it ran in this thread (else computed as the main part does). From
 * LARGE_ENSEMBLE_MEMBERS members on, selection needs the full context (`ctx.full`).
 */
export function classificationSide(o: EnsembleOutputs, ctx: SideContext, opt: ResolvedOptions, plainMean?: Float64Array): ClassificationSide {
  const divergences = timed(opt, 'pairwise.divergences', () => pairwiseDivergences(ctx, opt.seed, opt.divergenceBudget));
  const stacking = timed(opt, 'stacking', () => stackingReport({
    kind: 'logPool', ids: ctx.ids, loss: ctx.memberNll, signal: (i) => ctx.pTrue.subarray(i * ctx.n, (i + 1) * ctx.n), values: ctx.values, labels: o.labels, c: ctx.c,
    opts: {
      folds: opt.stackingFolds, alphas: opt.stackingAlphas, prune: opt.stackingPrune, maxMembers: opt.stackingMaxMembers,
      maxSamples: opt.stackingMaxSamples, threshold: opt.redundancyThreshold, seed: opt.seed,
    },
  }));
  if (ctx.m < LARGE_ENSEMBLE_MEMBERS) return { task: 'classification', divergences, stacking };
  const full = ctx.full;
  if (!full) throw new Error(`the side part of a ${ctx.m}-member analysis needs the full context (ensemble selection)`);
  // the plain mean guides selection's argmax bounds
  const mean = plainMean ?? (full.method === 'mean' ? normalise(combineSum(full)) : meanProbs(full));
  const corr = timed(opt, 'pairwise.errorCorrelation', () => errorCorrelation(ctx));
  return { task: 'classification', divergences, stacking, errorCorrelation: corr, selection: timed(opt, 'selection', () => selection(full, opt, mean)) };
}

/** The report from its two parts, fields in the documented order. */
export function assembleClassification(main: ClassificationMain, side: ClassificationSide): ClassificationAnalysis {
  const { head, rest } = main;
  const chosen = side.selection ?? rest.selection;
  if (!chosen) throw new Error('neither part of the analysis holds the ensemble selection');
  return {
    ...head,
    diversity: diversitySection(main, side),
    uncertainty: rest.uncertainty,
    calibration: rest.calibration,
    contributions: contributionsWith(main, side),
    selection: chosen,
    stacking: side.stacking,
    samples: rest.samples,
  };
}

/** The error correlation, from whichever part computed it. */
function errorCorrelationOf(main: ClassificationMain, side: ClassificationSide): Float64Array {
  const corr = side.errorCorrelation ?? main.errorCorrelation;
  if (!corr) throw new Error('neither part of the analysis holds the error correlation');
  return corr;
}

/** The main part's contributions with the redundancy clusters of the error correlation, in their place. */
function contributionsWith(main: ClassificationMain, side: ClassificationSide): Contributions {
  const { sizeCurve, leaveOneOut, uniqueCorrect, seedGroups } = main.contributions;
  const redundancy = redundancyClusters(errorCorrelationOf(main, side), main.ids, main.memberNll, main.redundancyThreshold);
  return { sizeCurve, leaveOneOut, uniqueCorrect, redundancy, seedGroups };
}

function diversitySection(main: ClassificationMain, side: ClassificationSide): ClassificationDiversity {
  const { pw, ids } = main;
  const div = side.divergences;
  const corr = errorCorrelationOf(main, side);
  const m = ids.length;
  return {
    memberIds: ids,
    disagreement: toMatrix(pw.disagreement, m), qStatistic: toMatrix(pw.qStatistic, m), correlation: toMatrix(pw.correlation, m),
    doubleFault: toMatrix(pw.doubleFault, m), kappa: toMatrix(pw.kappa, m), symmetricKL: toMatrix(div.symmetricKL, m),
    jensenShannon: toMatrix(div.jensenShannon, m), errorCorrelation: toMatrix(corr, m),
    divergenceSampleCount: div.divergenceSampleCount,
    average: {
      disagreement: upperMean(pw.disagreement, m), qStatistic: upperMean(pw.qStatistic, m), correlation: upperMean(pw.correlation, m),
      doubleFault: upperMean(pw.doubleFault, m), kappa: upperMean(pw.kappa, m), symmetricKL: upperMean(div.symmetricKL, m),
      jensenShannon: upperMean(div.jensenShannon, m), errorCorrelation: upperMean(corr, m),
    },
    ...main.ensembleLevel,
  };
}

/**
 * `ensProbs` (the combined probabilities) guide the size curves' and greedy order's argmax bounds (scorer.ts);
 * `ensSum` (their running sum over all members, in member order) is leave-one-out's full state.
 */
function contributions(
  ctx: ClsContext, l: Int32Array, opt: ResolvedOptions, ensProbs: Float64Array, ensSum: { sum: Float64Array; w: number },
): Omit<Contributions, 'redundancy'> {
  const { n, m, c, ids } = ctx;
  // 'weighted': members with weight 0 take no part in sub-ensembles (docs/metrics.md#contributions)
  const active = ctx.method === 'weighted' ? Array.from({ length: m }, (_, i) => i).filter((i) => ctx.coef[i] > 0) : undefined;
  const ma = active ? active.length : m;
  const full = new ClsScorer(ctx, null, 'nll', ensProbs);
  const work = opt.sizeCurveOrders * ma * n * (ctx.method === 'vote' ? 1 : c);
  const curveIdx = work > opt.sizeCurveBudget
    ? subsample(n, Math.max(1, Math.floor((opt.sizeCurveBudget / work) * n)), streamFor(opt.seed, 'sizeCurve'))
    : null;
  const curveScorer = curveIdx ? new ClsScorer(ctx, curveIdx, 'nll', ensProbs) : full;
  const grid = sizeGrid(ma, opt.sizeCurveMaxPoints);
  const random = timed(opt, 'sizeCurve', () => randomOrderCurve(curveScorer, m, opt.sizeCurveOrders, grid, opt.seed, active));
  return {
    sizeCurve: {
      orders: opt.sizeCurveOrders, sampleCount: curveScorer.ns, random,
      greedy: timed(opt, 'greedyOrder', () => greedyOrder(full, ids, opt.greedyBudget, active)),
      diminishingReturns: { metric: 'nll', fraction: 0.95, k: diminishingReturns(random.nll, 0.95, false) },
    },
    leaveOneOut: timed(opt, 'leaveOneOut', () => leaveOneOut(full, ids, active ? ctx.coef : undefined, full.stateFromSum(ensSum.sum, ensSum.w))),
    uniqueCorrect: uniqueCorrect(ctx.pred, ctx.labels, l, ids),
    seedGroups: seedGroups(ids, ctx.memberResults.map((r) => ({
      accuracy: r.metrics.accuracy, nll: r.metrics.nll, brier: r.metrics.brier, ece: r.metrics.ece,
    }))),
  };
}

/** Selection builds weighted means of raw probabilities, so it scores with coefficients 1 ('mean'); `plainMean` guides argmax bounds. */
function selection(ctx: ClsContext, opt: ResolvedOptions, plainMean: Float64Array) {
  const plain: ClsContext = { ...ctx, method: 'mean', coef: new Float64Array(ctx.m).fill(1) };
  const metric = opt.selectionMetric === 'accuracy' ? 'accuracy' : 'nll';
  return ensembleSelection(ctx.n, ctx.ids, (idx) => new ClsScorer(plain, idx, metric, plainMean), metric, {
    fraction: opt.selectionFraction, folds: opt.selectionFolds, steps: opt.selectionSteps, seed: opt.seed,
    librarySize: opt.selectionLibrarySize,
  });
}
