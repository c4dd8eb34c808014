// Assembles the regression report, in a main part and a side part (stacking) as classificationReport.ts.
import type { EnsembleOutputs } from '../outputs.js';
import {
  diminishingReturns, greedyOrder, leaveOneOut, randomOrderCurve, redundancyClusters, seedGroups, sizeGrid,
} from './contributions.js';
import { topK, toMatrix, upperMean } from './json.js';
import { rowCorrelation } from './linalg.js';
import { timed, type ResolvedOptions } from './options.js';
import { streamFor } from './random.js';
import { ambiguity, combinePredictions, distributionArrays, rankFlatness, regressionMetrics } from './regression.js';
import { RegScorer } from './regressionScorer.js';
import { ensembleSelection } from './selection.js';
import { stackingReport } from './stackingReport.js';
import type { RegressionAnalysis, Stacking } from './types.js';

/** Regression's side part (see classificationReport.ts): stacking only; the rest is cheap without classes. */
export interface RegressionSide {
  task: 'regression';
  stacking: Stacking;
}

export interface RegressionMain {
  task: 'regression';
  report: Omit<RegressionAnalysis, 'stacking'>;
}

export function regressionMain(o: EnsembleOutputs, coef: Float64Array, opt: ResolvedOptions): RegressionMain {
  const n = o.nTest;
  const m = o.members.length;
  const ids = o.members.map((x) => x.id);
  const values = o.members.map((x) => x.values);
  const y = o.labels;
  const fbar = combinePredictions(values, coef, n);
  const memberMetrics = values.map((v) => regressionMetrics(v, y));
  const corr = residualCorrelation(values, y);
  const dist = distributionArrays(values, y, streamFor(opt.seed, 'rankTies'));
  const ensMetrics = regressionMetrics(fbar, y);
  let varSum = 0;
  for (const v of dist.variance) varSum += v;
  const spread = m > 1 ? Math.sqrt(varSum / n) : null;
  const skill = ensMetrics.rmse;
  const ratio = spread !== null && skill > 0 ? spread / skill : null;
  const scorer = new RegScorer(values, y, coef, null);
  // 'weighted': members with weight 0 take no part in sub-ensembles
  const active = opt.combine.method === 'weighted' ? Array.from({ length: m }, (_, i) => i).filter((i) => coef[i] > 0) : undefined;
  const grid = sizeGrid(active ? active.length : m, opt.sizeCurveMaxPoints);
  const random = timed(opt, 'sizeCurve', () => randomOrderCurve(scorer, m, opt.sizeCurveOrders, grid, opt.seed, active));
  const rmse = memberMetrics.map((x) => x.rmse);
  const absErr = Float64Array.from(fbar, (f, t) => Math.abs(f - y[t]));
  const sd = Float64Array.from(dist.variance, (v) => (Number.isFinite(v) ? Math.sqrt(v) : 0));
  const ones = new Float64Array(m).fill(1);
  const report: Omit<RegressionAnalysis, 'stacking'> = {
    task: 'regression', nTest: n, numClasses: 1, combine: opt.combine,
    members: ids.map((id, i) => ({ id, metrics: memberMetrics[i] })),
    ensemble: ensMetrics,
    diversity: {
      memberIds: ids,
      ambiguity: ambiguity(values, coef, y, fbar),
      residualCorrelation: toMatrix(corr, m),
      averageResidualCorrelation: upperMean(corr, m),
    },
    uncertainty: {
      crps: dist.crps.reduce((a, b) => a + b, 0) / n,
      spread, skill, spreadSkillRatio: ratio,
      correctedSpreadSkillRatio: ratio === null ? null : Math.sqrt((m + 1) / m) * ratio,
      topBySpread: topK(sd, opt.topSamples),
    },
    calibration: { rankHistogram: rankFlatness(dist.counts) },
    contributions: {
      sizeCurve: {
        orders: opt.sizeCurveOrders, sampleCount: n, random,
        greedy: greedyOrder(scorer, ids, opt.greedyBudget, active),
        diminishingReturns: { metric: 'rmse', fraction: 0.95, k: diminishingReturns(random.rmse, 0.95, false) },
      },
      leaveOneOut: leaveOneOut(scorer, ids, active ? coef : undefined),
      uniqueCorrect: null,
      redundancy: redundancyClusters(corr, ids, rmse, opt.redundancyThreshold),
      seedGroups: seedGroups(ids, memberMetrics.map((x) => ({ rmse: x.rmse, mae: x.mae, r2: x.r2, bias: x.bias }))),
    },
    selection: timed(opt, 'selection', () => ensembleSelection(n, ids, (idx) => new RegScorer(values, y, ones, idx), 'rmse', {
      fraction: opt.selectionFraction, folds: opt.selectionFolds, steps: opt.selectionSteps, seed: opt.seed,
      librarySize: opt.selectionLibrarySize,
    })),
    samples: {
      ensemblePrediction: Array.from(fbar), spread: Array.from(sd), absoluteError: Array.from(absErr),
      byAbsoluteError: topK(absErr, opt.topSamples),
    },
  };
  return { task: 'regression', report };
}

export function regressionSide(o: EnsembleOutputs, opt: ResolvedOptions): RegressionSide {
  const values = o.members.map((x) => x.values);
  const y = o.labels;
  const stacking = timed(opt, 'stacking', () => stackingReport({
    kind: 'ridge', ids: o.members.map((x) => x.id), loss: values.map((v) => regressionMetrics(v, y).rmse), signal: (i) => Float64Array.from(values[i], (v, t) => v - y[t]),
    values, labels: y, c: 1,
    opts: {
      folds: opt.stackingFolds, alphas: opt.stackingAlphas, prune: opt.stackingPrune, maxMembers: opt.stackingMaxMembers,
      maxSamples: opt.stackingMaxSamples, threshold: opt.redundancyThreshold, seed: opt.seed,
    },
  }));
  return { task: 'regression', stacking };
}

/** The report from its two parts, fields in the documented order. */
export function assembleRegression(main: RegressionMain, side: RegressionSide): RegressionAnalysis {
  const { samples, ...rest } = main.report;
  return { ...rest, stacking: side.stacking, samples };
}

/** M x M Pearson correlation of the members' residuals. */
function residualCorrelation(values: Float32Array[], y: Float32Array): Float64Array {
  const m = values.length;
  const n = y.length;
  const resid = new Float64Array(m * n);
  values.forEach((v, i) => { for (let t = 0; t < n; t++) resid[i * n + t] = v[t] - y[t]; });
  return rowCorrelation(resid, m, n);
}
