// Runs engine/report.ts's reportFromCache in a worker thread (worker.ts), one request at a time, so
// that the extension host's thread reads no cache file and computes no analysis. The worker lives on
// between requests (and with it the optimised code of the analyses). Aborting the running request
// terminates it, since an analysis is one synchronous computation that cannot see a message; the next
// request starts a new worker. Aborting a queued request just drops it.
import { join } from 'node:path';
import { DataError } from '../../core/data/errors';
import { SerialWorker, workerScript } from '../workerThreads';
import type { FromReportWorker, ReportRequest, ReportResponse, ToReportWorker } from './protocol';

/** dist/reportWorker.js, or the TypeScript entry from source. */
export function defaultReportWorkerScript(): string {
  return workerScript('reportWorker.js', join(__dirname, 'worker.ts'));
}

export interface ReportJobOptions {
  /** Aborting rejects the request with an AbortError (name 'AbortError'). */
  signal?: AbortSignal;
  log?(line: string): void;
}

export class ReportWorkerClient {
  private readonly worker: SerialWorker<ToReportWorker, FromReportWorker>;

  constructor(script: string = defaultReportWorkerScript()) {
    this.worker = new SerialWorker<ToReportWorker, FromReportWorker>(script, 'report worker', (m) => m.type !== 'log');
  }

  /** Workers started so far (a new one after each abort of a running request or crash). */
  get started(): number {
    return this.worker.started;
  }

  /** The report of `request.config` from its cache, computed in the worker; a data error keeps its location. */
  async request(request: ReportRequest, opts: ReportJobOptions = {}): Promise<ReportResponse> {
    const m = await this.worker.run({ type: 'report', request }, { signal: opts.signal, onMessage: (l) => l.type === 'log' && opts.log?.(l.line) });
    if (m.type === 'done') return { report: m.report, info: m.info };
    if (m.type === 'error') throw m.location ? new DataError(m.message, m.location) : new Error(m.message);
    throw new Error(`unexpected message '${m.type}' from the report worker`);
  }

  /** Terminates the worker and rejects every request not yet answered. */
  dispose(): void {
    this.worker.dispose();
  }
}
