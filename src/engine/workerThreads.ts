// What every worker thread of the engine shares: finding its bundled script, starting it (from
// TypeScript source through tsx in tests and development), and a serial client that runs one request at
// a time on one long-lived worker (the report worker, the analysis side worker).
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * dist/<bundle> beside the running bundle or in the repo (this file is src/engine/ from source, dist/ once
 * bundled); else `source`, the TypeScript entry, when it exists (tests and development run from source).
 */
export function workerScript(bundle: string, source?: string): string {
  const candidates = [join(__dirname, bundle), resolve(__dirname, '../../dist', bundle), resolve(process.cwd(), 'dist', bundle)];
  const found = candidates.find((c) => existsSync(c));
  if (found) return found;
  if (source && existsSync(source)) return source;
  throw new Error(`Ensemble Lens worker ${bundle} not found (looked in ${candidates.join(', ')}); run 'npm run build'`);
}

/** A worker thread on `script`; a .ts entry loads through tsx's require hook. */
export function startWorker(script: string): Worker {
  return script.endsWith('.ts') ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { eval: true }) : new Worker(script);
}

export function abortError(message = 'cancelled'): Error {
  const e = new Error(message);
  e.name = 'AbortError';
  return e;
}

interface Job<Out> {
  message: { id: number };
  resolve(final: Out): void;
  reject(e: Error): void;
  signal?: AbortSignal;
  onAbort(): void;
  onMessage?(m: Out): void;
}

/**
 * Requests to one long-lived worker, one at a time, each answered by messages carrying its id of which the
 * last (`isFinal`) settles it. Aborting the running request terminates the worker (a synchronous computation
 * cannot see a message); the next request starts a new one, as after a crash, which fails the running
 * request. An idle worker does not keep the process alive.
 */
export class SerialWorker<In extends { id: number }, Out extends { id: number }> {
  private worker?: Worker;
  private current?: Job<Out>;
  private queue: Job<Out>[] = [];
  private nextId = 1;
  private disposed = false;
  /** Workers started so far. */
  started = 0;

  constructor(
    private readonly script: string,
    private readonly name: string,
    private readonly isFinal: (m: Out) => boolean,
  ) {}

  /** Posts `message` with a fresh id; resolves with the final answer, passing earlier ones to onMessage. */
  run(message: Omit<In, 'id'>, opts: { signal?: AbortSignal; onMessage?(m: Out): void } = {}): Promise<Out> {
    if (this.disposed) return Promise.reject(abortError(`the ${this.name} is disposed`));
    if (opts.signal?.aborted) return Promise.reject(abortError());
    return new Promise<Out>((resolvePromise, reject) => {
      const job: Job<Out> = {
        message: { ...message, id: this.nextId++ }, resolve: resolvePromise, reject, signal: opts.signal, onMessage: opts.onMessage,
        onAbort: () => this.abort(job),
      };
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
    for (const job of pending) this.settle(job, abortError(`the ${this.name} is disposed`));
  }

  private abort(job: Job<Out>): void {
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
      this.worker?.unref();
      return;
    }
    this.current = job;
    const w = this.spawn();
    w.ref();
    w.postMessage(job.message);
  }

  private spawn(): Worker {
    if (this.worker) return this.worker;
    const w = startWorker(this.script);
    w.on('message', (m: Out) => {
      const job = this.current;
      if (w !== this.worker || !job || m?.id !== job.message.id) return;
      if (!this.isFinal(m)) {
        job.onMessage?.(m);
        return;
      }
      this.current = undefined;
      this.settle(job, undefined, m);
      this.pump();
    });
    w.on('error', (e) => this.lost(w, new Error(`${this.name} crashed: ${e.message}`)));
    w.on('exit', (code) => this.lost(w, new Error(`${this.name} exited with code ${code}`)));
    this.worker = w;
    this.started++;
    return w;
  }

  /** The live worker crashed or exited: its request fails; the next one starts a new worker. */
  private lost(w: Worker, err: Error): void {
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

  private settle(job: Job<Out>, err?: Error, final?: Out): void {
    job.signal?.removeEventListener('abort', job.onAbort);
    if (err) job.reject(err);
    else job.resolve(final as Out);
  }
}
