// Entry point of the ensemble analysis library: validates the outputs, resolves options, runs every
// measure and returns one JSON-serialisable report (see types.ts and docs/metrics.md).
import type { EnsembleOutputs } from '../outputs.js';
import {
  assembleClassification, classificationMain, classificationSide, LARGE_ENSEMBLE_MEMBERS, type ClassificationMain, type ClassificationSide,
} from './classificationReport.js';
import { buildContext, buildSideContext, sideOf, type ClsContext } from './context.js';
import { resolveOptions, timed, type ResolvedOptions } from './options.js';
import { assembleRegression, regressionMain, regressionSide, type RegressionMain, type RegressionSide } from './regressionReport.js';
import type { AnalysisOptions, EnsembleAnalysis } from './types.js';
import { combineCoefficients, validateOutputs } from './validate.js';

/** Analyses an ensemble's test outputs. Throws an Error naming the member/sample on invalid input. */
export function analyzeEnsemble(outputs: EnsembleOutputs, options: AnalysisOptions = {}): EnsembleAnalysis {
  const { opt, coef } = prepare(outputs, options);
  if (outputs.task === 'regression') return sanitize(assembleRegression(regressionMain(outputs, coef, opt), regressionSide(outputs, opt)));
  const ctx = context(outputs, opt, coef);
  const main = classificationMain(outputs, ctx, opt);
  // one thread: the side reuses the main part's plain mean
  return sanitize(assembleClassification(main, classificationSide(outputs, sideOf(ctx), opt, main.plainMean)));
}

/**
 * The analysis in two parts for two threads (engine/analysis/parallel.ts): `analyzeSide` (the sections listed
 * at ClassificationSide; plain data to post back) and `analyzeMain` (the rest), joined by `completeAnalysis`.
 * The result is analyzeEnsemble's, value for value; each part validates the outputs and builds what it needs.
 */
export type AnalysisSide = ClassificationSide | RegressionSide;
export type AnalysisMain = ClassificationMain | RegressionMain;

export function analyzeSide(outputs: EnsembleOutputs, options: AnalysisOptions = {}): AnalysisSide {
  const { opt, coef } = prepare(outputs, options);
  if (outputs.task === 'regression') return regressionSide(outputs, opt);
  // the side reads only p(true class) and the NLL of each member, unless it selects (from 256 members)
  const ctx = outputs.members.length >= LARGE_ENSEMBLE_MEMBERS
    ? sideOf(context(outputs, opt, coef))
    : timed(opt, 'members', () => buildSideContext(outputs));
  return classificationSide(outputs, ctx, opt);
}

export function analyzeMain(outputs: EnsembleOutputs, options: AnalysisOptions = {}): AnalysisMain {
  const { opt, coef } = prepare(outputs, options);
  if (outputs.task === 'regression') return regressionMain(outputs, coef, opt);
  return classificationMain(outputs, context(outputs, opt, coef), opt);
}

export function completeAnalysis(main: AnalysisMain, side: AnalysisSide): EnsembleAnalysis {
  if (main.task === 'classification' && side.task === 'classification') return sanitize(assembleClassification(main, side));
  if (main.task === 'regression' && side.task === 'regression') return sanitize(assembleRegression(main, side));
  throw new Error(`analysis parts of different tasks (${main.task}, ${side.task})`);
}

function context(outputs: EnsembleOutputs, opt: ResolvedOptions, coef: Float64Array): ClsContext {
  return timed(opt, 'members', () => buildContext(outputs, coef, opt.combine.method, opt.eceBins));
}

function prepare(outputs: EnsembleOutputs, options: AnalysisOptions): { opt: ResolvedOptions; coef: Float64Array } {
  const t0 = performance.now();
  // classification rows are checked during the first pass over each member (context.ts)
  validateOutputs(outputs, outputs.task === 'regression');
  const opt = resolveOptions(outputs.task, outputs.members.length, options);
  if (opt.timings) opt.timings.validate = performance.now() - t0;
  return { opt, coef: combineCoefficients(outputs, opt.combine) };
}

/** Replaces any non-finite number left anywhere in the report by null (defensive: measures already use null). */
function sanitize<T>(x: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) v[i] = walk(v[i]);
      return v;
    }
    if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) (v as Record<string, unknown>)[k] = walk((v as Record<string, unknown>)[k]);
    }
    return v;
  };
  return walk(x) as T;
}
