// Entry point of the ensemble analysis library: validates the outputs, resolves options, runs every
// measure and returns one JSON-serialisable report (see types.ts and docs/metrics.md).
import type { EnsembleOutputs } from '../outputs.js';
import { analyzeClassification } from './classificationReport.js';
import { resolveOptions } from './options.js';
import { analyzeRegression } from './regressionReport.js';
import type { AnalysisOptions, EnsembleAnalysis } from './types.js';
import { combineCoefficients, validateOutputs } from './validate.js';

/** Analyses an ensemble's test outputs. Throws an Error naming the member/sample on invalid input. */
export function analyzeEnsemble(outputs: EnsembleOutputs, options: AnalysisOptions = {}): EnsembleAnalysis {
  const t0 = performance.now();
  // classification rows are checked during the first pass over each member (context.ts)
  validateOutputs(outputs, outputs.task === 'regression');
  const opt = resolveOptions(outputs.task, outputs.members.length, options);
  if (opt.timings) opt.timings.validate = performance.now() - t0;
  const coef = combineCoefficients(outputs, opt.combine);
  const report = outputs.task === 'classification'
    ? analyzeClassification(outputs, coef, opt)
    : analyzeRegression(outputs, coef, opt);
  return sanitize(report);
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
