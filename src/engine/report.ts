// Builds the report of an ensemble: produce what the cache lacks (optional), gather every member's
// test outputs, run the analyses (src/core/analysis) and assemble the report (src/core/report.ts).
import { relative } from 'node:path';
import type { AnalysisSpec, EnsembleConfig } from '../core/config/types';
import type { EnsembleOutputs, MemberOutputs } from '../core/outputs';
import type { BackendChoice } from '../core/protocol';
import { assembleReport, type EnsembleReport, type MemberMetrics, type MemberRunInfo } from '../core/report';
import type { AnalysisOptions, EnsembleAnalysis } from '../core/analysis/types';
import { analyzeEnsemble } from '../core/analysis/analyze';
import { analyzeParallel, type SideWorker } from './analysis/parallel';
import { classificationMetrics } from '../core/analysis/metrics';
import { regressionMetrics } from '../core/analysis/regression';
import { loadEvaluationData } from './evaluationData';
import { cacheDirOf, inspectCache, loadCachedOutputs, trainEnsemble, type CachedMemberInfo, type TrainOptions, type TrainSummary } from './run';
import { TOOL_VERSION } from './version';
import { FileHasher } from './cache/memberKey';
import { effectiveSelection } from '../core/memberSelection';
import { loadCachedTransferability } from './attack/transferability';

export interface ReportOptions extends Omit<TrainOptions, 'only'> {
  /** Train members the cache lacks first (default true). Saved models and prediction files are always loaded. */
  train?: boolean;
  /** Analysis options; `combine` defaults to the config's. */
  analysis?: AnalysisOptions;
  /** The members that make up the ensemble (default: all): only these are trained and analysed. */
  selection?: string[];
  sideWorker?: CacheReportOptions['sideWorker'];
}

export interface ReportResult {
  report: EnsembleReport;
  outputs: EnsembleOutputs;
  summary: TrainSummary;
}

/** Trains/loads as needed, analyses, and returns the report with the outputs it was computed from. */
export async function buildReport(config: EnsembleConfig, opts: ReportOptions = {}): Promise<ReportResult> {
  // A selection is what gets trained (trainEnsemble rejects unknown ids); --no-train loads only the rest.
  const chosen = opts.selection ? new Set(opts.selection) : undefined;
  const only =
    opts.train === false ? config.members.filter((m) => m.source.kind !== 'layers' && (!chosen || chosen.has(m.id))).map((m) => m.id) : opts.selection;
  const summary = await trainEnsemble(config, { ...opts, only });
  const failures = new Map(summary.failed.map((f) => [f.id, f.message]));
  const { report, outputs } = await reportFromCache(config, { ...opts, failures });
  return { report, outputs, summary };
}

export interface CacheReportOptions {
  cacheDir?: string;
  backend?: BackendChoice;
  dataDir?: string;
  /** Members that failed in the last run, with their messages. */
  failures?: Map<string, string>;
  analysis?: AnalysisOptions;
  /**
   * The members that make up the ensemble (Select Members in the editor); default: all. The others'
   * outputs stay out of every analysis: the report gives them only their own metrics and marks them `excluded`.
   */
  selection?: string[];
  /** Computes half of the analysis on a second thread meanwhile (engine/analysis/parallel.ts). */
  sideWorker?: SideWorker;
  log?(line: string): void;
}

/**
 * The report from what is in the cache: trains nothing and loads no model or prediction file (so it is
 * safe in Restricted Mode). Members without a valid entry are 'not-trained', or 'failed' with their
 * message. A cached transferability result for these members joins the report.
 */
export async function reportFromCache(config: EnsembleConfig, opts: CacheReportOptions = {}): Promise<{ report: EnsembleReport; outputs: EnsembleOutputs; info: Record<string, CachedMemberInfo> }> {
  // each model or prediction file is hashed once for both; with a side worker the outputs go straight
  // into SharedArrayBuffers, which its thread reads without a copy
  const files = new FileHasher();
  const cached = await loadCachedOutputs(config, { cacheDir: opts.cacheDir, backend: opts.backend, log: opts.log, shared: !!opts.sideWorker, files });
  const info = await inspectCache(config, opts.cacheDir, opts.backend, files);
  const evaluation = await loadEvaluationData(config, opts.dataDir);

  const runs = new Map<string, MemberRunInfo>();
  const members: MemberOutputs[] = [];
  let backend: string | undefined;
  for (const m of config.members) {
    const values = cached.get(m.id);
    const ci = info[m.id];
    if (values) {
      members.push({ id: m.id, values });
      const training = m.source.kind === 'layers' && ci?.history ? { backend: ci.backend ?? '?', millis: ci.millis ?? 0, history: ci.history } : undefined;
      if (training) backend ??= training.backend;
      runs.set(m.id, { state: 'ok', training });
    } else if (opts.failures?.has(m.id)) runs.set(m.id, { state: 'failed', message: opts.failures.get(m.id) });
    else runs.set(m.id, { state: 'not-trained', message: ci?.state === 'stale' ? 'changed since it was trained' : 'not trained' });
  }

  const all: EnsembleOutputs = {
    task: config.task,
    labels: evaluation.labels,
    numClasses: evaluation.data.numClasses,
    nTest: evaluation.data.nTest,
    members,
  };
  const { analysis, outputs, memberMetrics, selection } = opts.sideWorker
    ? await analyzeSelectionParallel(config, all, opts.selection, opts.analysis ?? {}, opts.sideWorker)
    : analyzeSelection(config, all, opts.selection, opts.analysis);
  const report = assembleReport({
    config,
    configFile: relative(process.cwd(), config.file) || config.file,
    toolVersion: TOOL_VERSION,
    data: evaluation.data,
    runs,
    analysis,
    backend,
    memberSelection: selection,
    memberMetrics,
  });
  // Transferability is computed by `ensemble-lens attack` (it can take minutes); a cached result joins the report.
  if (config.task === 'classification') {
    try {
      const t = await loadCachedTransferability(config, { cacheDir: opts.cacheDir, backend: opts.backend });
      if (t) report.transferability = t;
    } catch (e) {
      opts.log?.(`transferability cache: ${(e as Error).message}`);
    }
  }
  return { report, outputs, info };
}

/**
 * Analyses the selected members' outputs only (all members' when `selection` is absent or names every
 * config member): the same analysis as of a config holding just those members. Members outside the
 * selection get their own metrics, computed alone. `selection` in the result is the effective one
 * (config order, unknown ids dropped), undefined when every member is selected.
 */
export function analyzeSelection(
  config: EnsembleConfig,
  all: EnsembleOutputs,
  selection: string[] | undefined,
  options: AnalysisOptions = {},
): SelectionAnalysis {
  const { options: opts, ...p } = selectionInputs(config, all, selection, options);
  return { ...p, analysis: p.outputs.members.length > 0 ? analyzeEnsemble(p.outputs, opts) : null };
}

/** analyzeSelection with the analysis shared with `side`'s thread (engine/analysis/parallel.ts): the same result. */
export async function analyzeSelectionParallel(
  config: EnsembleConfig,
  all: EnsembleOutputs,
  selection: string[] | undefined,
  options: AnalysisOptions,
  side: SideWorker,
): Promise<SelectionAnalysis> {
  const { options: opts, ...p } = selectionInputs(config, all, selection, options);
  return { ...p, analysis: p.outputs.members.length > 0 ? await analyzeParallel(p.outputs, opts, side) : null };
}

interface SelectionAnalysis {
  analysis: EnsembleAnalysis | null;
  outputs: EnsembleOutputs;
  memberMetrics: Map<string, MemberMetrics>;
  selection?: string[];
}

/** The selected outputs, the excluded members' own metrics, and the analysis options (the config's block wins). */
function selectionInputs(config: EnsembleConfig, all: EnsembleOutputs, selection: string[] | undefined, options: AnalysisOptions) {
  const effective = effectiveSelection(config.members.map((m) => m.id), selection);
  const active = effective ? new Set(effective) : undefined;
  const outputs = active ? { ...all, members: all.members.filter((m) => active.has(m.id)) } : all;
  const memberMetrics = new Map<string, MemberMetrics>();
  if (active) {
    const bins = options.eceBins ?? 15;
    const labels = config.task === 'classification' ? Int32Array.from(all.labels) : undefined;
    for (const m of all.members) {
      if (active.has(m.id)) continue;
      memberMetrics.set(m.id, labels ? classificationMetrics(m.values, labels, all.nTest, all.numClasses, bins, { validateId: m.id }).metrics : regressionMetrics(m.values, all.labels));
    }
  }
  const opts = { ...options, ...analysisOptionsOf(config.analysis) };
  return { outputs, memberMetrics, selection: active ? effective : undefined, options: { ...opts, combine: opts.combine ?? restrictCombine(config, outputs.members) } };
}

/** The config's `analysis` block as analysis options (what it sets takes precedence over the caller's). */
export function analysisOptionsOf(a: AnalysisSpec | undefined): AnalysisOptions {
  if (!a) return {};
  const o: AnalysisOptions = {};
  const set = <K extends keyof AnalysisOptions>(k: K, v: AnalysisOptions[K] | undefined) => {
    if (v !== undefined) o[k] = v;
  };
  set('eceBins', a.eceBins);
  set('seed', a.seed);
  set('sizeCurveOrders', a.sizeCurveOrders);
  set('topSamples', a.topSamples);
  set('selectionMetric', a.selection?.metric);
  set('selectionSteps', a.selection?.steps);
  set('selectionFraction', a.selection?.fraction);
  set('selectionFolds', a.selection?.folds);
  set('stackingAlphas', a.stacking?.alphas);
  set('stackingFolds', a.stacking?.folds);
  set('stackingPrune', a.stacking?.prune);
  set('stackingMaxSamples', a.stacking?.maxSamples);
  return o;
}

/** The config's combine rule, restricted to the members that have outputs. */
function restrictCombine(config: EnsembleConfig, members: MemberOutputs[]): AnalysisOptions['combine'] {
  const c = config.combine;
  if (c.method !== 'weighted' || !c.weights) return { method: c.method };
  const w: Record<string, number> = {};
  for (const m of members) w[m.id] = c.weights[m.id] ?? 0;
  return { method: 'weighted', weights: w };
}

export { cacheDirOf, loadEvaluationData };
export type { EvaluationData } from './evaluationData';
