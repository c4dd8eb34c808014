// The report: what `ensemble-lens report --json` writes and what the editor and dashboard show.
// Plain JSON, documented field by field in docs/report-format.md. Pure: built from the config, the
// members' outputs and the analysis; no I/O here.
import type { EnsembleConfig, MemberSpec } from './config/types';
import type { EpochProgress } from './protocol';
import type { TransferabilityResult } from './transfer';
import type {
  ClassificationMetrics,
  EnsembleAnalysis,
  RegressionMetrics,
} from './analysis/types';

export const REPORT_FORMAT = 'ensemble-lens-report';
export const REPORT_VERSION = 1;

export type MemberMetrics = ClassificationMetrics | RegressionMetrics;

/** One member as the report describes it. */
export interface ReportMember {
  id: string;
  /** The id as written in the config (shared by a `repeat` group). */
  groupId: string;
  kind: 'layers' | 'model' | 'predictions';
  /** 'ok' when its outputs are in the analysis; otherwise why not. */
  state: 'ok' | 'not-trained' | 'failed';
  /** 1-based line of the member's entry in the config. */
  line: number;
  metrics?: MemberMetrics;
  training?: { backend: string; millis: number; history: EpochProgress[] };
  message?: string;
  /** True when a member selection is active and this member is outside it: its own metrics (if cached) are here, but it takes no part in the ensemble or any analysis section. */
  excluded?: boolean;
}

/** Where the data came from and its shape. */
export interface ReportData {
  /** A bundled dataset name, or the user's file(s), or 'labels' for prediction-only ensembles. */
  source: string;
  nTrain?: number;
  nTest: number;
  numClasses: number;
  inputShape?: number[];
  classNames?: string[];
  isImage?: boolean;
}

/** The analysis sections, at the report's top level (docs/metrics.md); absent without member outputs. */
export type AnalysisSections = Partial<Omit<EnsembleAnalysis, 'members' | 'ensemble' | 'task' | 'nTest' | 'numClasses' | 'combine'>>;

export interface EnsembleReport extends AnalysisSections {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  generatedAt: string;
  tool: { name: 'ensemble-lens'; version: string };
  config: { file: string; name: string; task: EnsembleConfig['task']; combine: EnsembleConfig['combine'] };
  data: ReportData;
  /** The TensorFlow.js backend trained members used (absent when nothing was trained). */
  backend?: string;
  members: ReportMember[];
  /** The combined ensemble over the members whose state is 'ok' (and not `excluded` by `memberSelection`). */
  ensemble: { members: string[]; metrics: MemberMetrics | null };
  /** The members chosen to make up the ensemble (Select Members in the editor), in config order; absent when every member is. (Not `selection`: that is greedy ensemble selection.) */
  memberSelection?: string[];
  /** Adversarial transferability (added by `ensemble-lens attack`). */
  transferability?: TransferabilityResult;
}

export interface MemberRunInfo {
  state: ReportMember['state'];
  training?: ReportMember['training'];
  message?: string;
}

/** Assembles the report from its parts. */
export function assembleReport(args: {
  config: EnsembleConfig;
  configFile: string;
  toolVersion: string;
  data: ReportData;
  runs: Map<string, MemberRunInfo>;
  analysis: EnsembleAnalysis | null;
  backend?: string;
  now?: Date;
  /** The selected members when not every member is; the others are marked `excluded`. */
  memberSelection?: string[];
  /** Metrics of members outside the analysis (excluded by the selection), each computed on its own. */
  memberMetrics?: Map<string, MemberMetrics>;
}): EnsembleReport {
  const { config, analysis } = args;
  const metricsById = new Map<string, MemberMetrics>(args.memberMetrics ?? []);
  if (analysis) for (const m of analysis.members) metricsById.set(m.id, m.metrics);
  const selected = args.memberSelection ? new Set(args.memberSelection) : undefined;
  const members: ReportMember[] = config.members.map((m: MemberSpec) => {
    const run = args.runs.get(m.id) ?? { state: 'not-trained' as const };
    return {
      id: m.id,
      groupId: m.groupId,
      kind: m.source.kind,
      state: run.state,
      line: m.range.start.line + 1,
      metrics: metricsById.get(m.id),
      training: run.training,
      message: run.message,
      ...(selected && !selected.has(m.id) ? { excluded: true } : {}),
    };
  });
  let sections: AnalysisSections = {};
  if (analysis) {
    const { members: _m, ensemble: _e, task: _t, nTest: _n, numClasses: _c, combine: _k, ...rest } = analysis;
    sections = rest as AnalysisSections;
  }
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    generatedAt: (args.now ?? new Date()).toISOString(),
    tool: { name: 'ensemble-lens', version: args.toolVersion },
    config: { file: args.configFile, name: config.name, task: config.task, combine: config.combine },
    data: args.data,
    backend: args.backend,
    members,
    ensemble: { members: analysis ? analysis.members.map((m) => m.id) : [], metrics: analysis ? analysis.ensemble : null },
    ...(selected ? { memberSelection: config.members.filter((m) => selected.has(m.id)).map((m) => m.id) } : {}),
    ...sections,
  };
}
