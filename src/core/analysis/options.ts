// Defaults of AnalysisOptions, resolved once so that every module sees complete values.
import type { AnalysisOptions, CombineSpec } from './types.js';

export type ResolvedOptions = Required<Omit<AnalysisOptions, 'selectionMetric' | 'selectionSteps' | 'timings'>> & {
  timings: Record<string, number> | undefined;
  selectionMetric: 'nll' | 'accuracy' | 'rmse';
  selectionSteps: number;
  combine: CombineSpec;
};

/** Fills every option with its documented default (see types.ts / docs/metrics.md). */
export function resolveOptions(task: 'classification' | 'regression', m: number, o: AnalysisOptions = {}): ResolvedOptions {
  const metric = o.selectionMetric ?? (task === 'regression' ? 'rmse' : 'nll');
  if (task === 'regression' && metric !== 'rmse') throw new Error(`selectionMetric '${metric}' is not available for regression`);
  if (task === 'classification' && metric === 'rmse') throw new Error(`selectionMetric 'rmse' is only for regression`);
  const r: ResolvedOptions = {
    combine: o.combine ?? { method: 'mean' },
    eceBins: o.eceBins ?? 15,
    redundancyThreshold: o.redundancyThreshold ?? 0.95,
    seed: o.seed ?? 0,
    sizeCurveOrders: o.sizeCurveOrders ?? 20,
    sizeCurveMaxPoints: o.sizeCurveMaxPoints ?? 64,
    greedyBudget: o.greedyBudget ?? 2e7,
    selectionFraction: o.selectionFraction ?? 0.5,
    selectionFolds: o.selectionFolds ?? 0,
    selectionMetric: metric,
    selectionSteps: o.selectionSteps ?? Math.min(100, Math.max(20, 2 * m)),
    stackingFolds: o.stackingFolds ?? 5,
    stackingAlphas: o.stackingAlphas ?? [0.01, 0.1, 1, 10, 100],
    stackingPrune: o.stackingPrune ?? true,
    stackingMaxMembers: o.stackingMaxMembers ?? 8,
    stackingMaxSamples: o.stackingMaxSamples ?? 1000,
    topSamples: o.topSamples ?? 50,
    divergenceBudget: o.divergenceBudget ?? 1e8,
    sizeCurveBudget: o.sizeCurveBudget ?? 2.5e8,
    selectionLibrarySize: o.selectionLibrarySize ?? 64,
    timings: o.timings,
  };
  const posInt: (keyof ResolvedOptions)[] = ['eceBins', 'sizeCurveOrders', 'sizeCurveMaxPoints', 'selectionSteps', 'stackingFolds', 'stackingMaxMembers', 'stackingMaxSamples', 'selectionLibrarySize'];
  for (const k of posInt) {
    const v = r[k] as number;
    if (!Number.isInteger(v) || v < 1) throw new Error(`option ${k} must be a positive integer, got ${v}`);
  }
  if (!(r.selectionFraction > 0 && r.selectionFraction < 1)) throw new Error(`option selectionFraction must be in (0, 1), got ${r.selectionFraction}`);
  if (!(r.redundancyThreshold > 0 && r.redundancyThreshold <= 1)) throw new Error(`option redundancyThreshold must be in (0, 1], got ${r.redundancyThreshold}`);
  if (!Number.isInteger(r.selectionFolds) || r.selectionFolds < 0 || r.selectionFolds === 1) throw new Error(`option selectionFolds must be 0 or an integer >= 2, got ${r.selectionFolds}`);
  if (r.stackingFolds < 2) throw new Error(`option stackingFolds must be >= 2, got ${r.stackingFolds}`);
  if (r.stackingAlphas.length === 0 || r.stackingAlphas.some((a) => !(a > 0) || !Number.isFinite(a))) throw new Error('option stackingAlphas must be non-empty positive numbers');
  if (!Number.isInteger(r.topSamples) || r.topSamples < 0) throw new Error(`option topSamples must be a non-negative integer, got ${r.topSamples}`);
  return r;
}

/** Runs fn, adding its wall-clock time to timings[name] when timings are requested. */
export function timed<T>(opt: ResolvedOptions, name: string, fn: () => T): T {
  if (!opt.timings) return fn();
  const t0 = performance.now();
  const r = fn();
  opt.timings[name] = (opt.timings[name] ?? 0) + performance.now() - t0;
  return r;
}
