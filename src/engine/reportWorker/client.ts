// Runs engine/report.ts's reportFromCache in a worker thread (worker.ts), one request at a time, so
// that the extension host's thread reads no cache file and computes no analysis. The worker lives on
// between requests (and with it the optimised code of the analyses). Aborting the running request
// terminates it, since an analysis is one synchronous computation that cannot see a message; the next
// request starts a new worker. Aborting a queued request just drops it.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataError } from '../../core/data/errors';
import type { FromReportWorker, ReportRequest, ReportResponse, ToReportWorker } from './protocol';

/** dist/reportWorker.js beside the running bundle or in the repo; else the TypeScript entry (tests from source). */
export function defaultReportWorkerScript(): string {
  const candidates = [join(__dirname, 'reportWorker.js'), resolve(__dirname, '../../../dist/reportWorker.js'), resolve(process.cwd(), 'dist/reportWorker.js')];
  const found = candidates.find((c) => existsSync(c));
  if (found) return found;
  const source = join(__dirname, 'worker.ts');
  if (existsSync(source)) return source;
  throw new Error(`Ensemble Lens report worker not found (looked in ${candidates.join(', ')}); run 'npm run build'`);
}

function abortError(message = 'cancelled'): Error {
  const e = new Error(message);
  e.name = 'AbortError';
  return e;
}

interface Job {
  id: number;
  request: ReportRequest;
  resolve(r: ReportResponse): void;
  reject(e: Error): void;
  signal?: AbortSignal;
  onAbort(): void;
  log?(line: string): void;
}

export interface ReportJobOptions {
  /** Aborting rejects the request with an AbortError (name 'AbortError'). */
  signal?: AbortSignal;
  log?(line: string): void;
}

export class ReportWorkerClient {
  private worker?: Worker;
  private current?: Job;
  private queue: Job[] = [];
  private nextId = 1;
  private disposed = false;
  /** Workers started so far (a new one after each abort of a running request or crash). */
  started = 0;

  constructor(private readonly script: string = defaultReportWorkerScript()) {}

  /** The report of `request.config` from its cache, computed in the worker. */
  request(request: ReportRequest, opts: ReportJobOptions = {}): Promise<ReportResponse> {
    if (this.disposed) return Promise.reject(abortError('the report worker is disposed'));
    if (opts.signal?.aborted) return Promise.reject(abortError());
    return new Promise<ReportResponse>((resolvePromise, reject) => {
      const job: Job = { id: this.nextId++, request, resolve: resolvePromise, reject, signal: opts.signal, log: opts.log, onAbort: () => this.abort(job) };
      opts.signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Terminates the worker and rejects every request not yet answered. */
  dispose(): void {
    this.disposed = true;
    this.kill();
    const pending = this.current ? [this.current, ...this.queue] : this.queue;
    this.current = undefined;
    this.queue = [];
    for (const job of pending) this.settle(job, abortError('the report worker is disposed'));
  }

  private abort(job: Job): void {
    const i = this.queue.indexOf(job);
    if (i >= 0) {
      this.queue.splice(i, 1);
      this.settle(job, abortError());
    } else if (this.current === job) {
      this.current = undefined;
      this.kill();
      this.settle(job, abortError());
      this.pump();
    }
  }

  private pump(): void {
    if (this.current) return;
    const job = this.queue.shift();
    if (!job) {
      // idle: the worker alone must not keep the process alive (the CLI, tests)
      this.worker?.unref();
      return;
    }
    this.current = job;
    const w = this.spawn();
    w.ref();
    w.postMessage({ type: 'report', id: job.id, request: job.request } satisfies ToReportWorker);
  }

  private spawn(): Worker {
    if (this.worker) return this.worker;
    const script = this.script;
    // From source: load the TypeScript entry through tsx's require hook.
    const w = script.endsWith('.ts') ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { eval: true }) : new Worker(script);
    w.on('message', (m: FromReportWorker) => this.onMessage(w, m));
    w.on('error', (e) => this.onExit(w, new Error(`report worker crashed: ${e.message}`)));
    w.on('exit', (code) => this.onExit(w, new Error(`report worker exited with code ${code}`)));
    this.worker = w;
    this.started++;
    return w;
  }

  private onMessage(w: Worker, m: FromReportWorker): void {
    const job = this.current;
    if (w !== this.worker || !job || m.id !== job.id) return;
    if (m.type === 'log') {
      job.log?.(m.line);
      return;
    }
    this.current = undefined;
    if (m.type === 'done') this.settle(job, undefined, { report: m.report, info: m.info });
    else this.settle(job, m.location ? new DataError(m.message, m.location) : new Error(m.message));
    this.pump();
  }

  /** A crash or exit of the live worker fails its request; the next request starts a new worker. */
  private onExit(w: Worker, err: Error): void {
    if (w !== this.worker) return; // one we terminated
    this.worker = undefined;
    const job = this.current;
    this.current = undefined;
    if (job) this.settle(job, err);
    this.pump();
  }

  private kill(): void {
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }

  private settle(job: Job, err?: Error, result?: ReportResponse): void {
    job.signal?.removeEventListener('abort', job.onAbort);
    if (err) job.reject(err);
    else job.resolve(result as ReportResponse);
  }
}
