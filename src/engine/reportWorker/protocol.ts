// Messages between the extension host and the report worker (worker.ts): one request at a time, each
// answered by log lines and then `done` or `error`, all carrying the request's id.
import type { AnalysisOptions } from '../../core/analysis/types';
import type { EnsembleConfig } from '../../core/config/types';
import type { DataLocation } from '../../core/data/errors';
import type { BackendChoice } from '../../core/protocol';
import type { EnsembleReport } from '../../core/report';
import type { CachedMemberInfo } from '../run';

/** What reportFromCache (engine/report.ts) needs, in structured-clone form (failures as entries, no callbacks). */
export interface ReportRequest {
  config: EnsembleConfig;
  cacheDir?: string;
  backend?: BackendChoice;
  dataDir?: string;
  /** Members that failed in the last run, with their messages. */
  failures?: [string, string][];
  analysis?: AnalysisOptions;
  selection?: string[];
}

export interface ReportResponse {
  report: EnsembleReport;
  info: Record<string, CachedMemberInfo>;
}

export type ToReportWorker = { type: 'report'; id: number; request: ReportRequest };

export type FromReportWorker =
  | { type: 'log'; id: number; line: string }
  | ({ type: 'done'; id: number } & ReportResponse)
  /** `location`: where a data file is wrong (a DataError's file, line, column). */
  | { type: 'error'; id: number; message: string; location?: DataLocation };
