// A pool of worker threads that run member jobs (training or loading), one job per worker at a time.
// Host side only: imports no TensorFlow.js, so the extension host stays light and never computes.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { workerScript } from '../workerThreads';
import type { EpochProgress, FromWorker, MemberJob, MemberJobResult, ToWorker } from '../../core/protocol';

/** Callbacks for one job. */
export interface JobListener {
  onBackend?(name: string, reason: string): void;
  onEpoch?(p: EpochProgress): void;
  onBatch?(batch: number, batches: number): void;
}

/** Raised when a job fails; `cancelled` when it stopped because it was cancelled. */
export class JobError extends Error {
  constructor(
    message: string,
    readonly cancelled: boolean,
    readonly location?: { file: string; line?: number; column?: number },
  ) {
    super(message);
    this.name = cancelled ? 'AbortError' : 'JobError';
  }
}

export interface PoolOptions {
  /** Number of worker threads. Default: one per core (at least one). */
  size?: number;
  /** Path of the bundled worker script. Default: dist/worker.js next to the bundle or in the repo. */
  workerScript?: string;
  /** How long a cancelled job may take to stop before its worker is terminated. Default 3000 ms. */
  cancelGraceMs?: number;
}

interface Pending {
  job: MemberJob;
  listener: JobListener;
  resolve(r: MemberJobResult): void;
  reject(e: Error): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  current?: Pending;
  killTimer?: NodeJS.Timeout;
}

/** Finds dist/worker.js: beside the running bundle, or in the repo when running from source. */
export function defaultWorkerScript(): string {
  return workerScript('worker.js');
}

export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism());
}

/** Runs jobs on worker threads; queue order is submission order. */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly script: string;
  private readonly size: number;
  private readonly grace: number;
  private disposed = false;

  constructor(opts: PoolOptions = {}) {
    this.size = Math.max(1, Math.floor(opts.size ?? defaultPoolSize()));
    this.script = opts.workerScript ?? defaultWorkerScript();
    this.grace = opts.cancelGraceMs ?? 3000;
  }

  /** Number of worker threads this pool runs at most. */
  get capacity(): number {
    return this.size;
  }

  /** Queues a job; resolves with its result, rejects with JobError (cancelled or failed). */
  run(job: MemberJob, listener: JobListener = {}, signal?: AbortSignal): Promise<MemberJobResult> {
    if (this.disposed) return Promise.reject(new JobError('worker pool disposed', true));
    if (signal?.aborted) return Promise.reject(new JobError('cancelled', true));
    return new Promise((resolvePromise, rejectPromise) => {
      const p: Pending = { job, listener, resolve: resolvePromise, reject: rejectPromise, signal };
      if (signal) {
        p.onAbort = () => this.cancel(p);
        signal.addEventListener('abort', p.onAbort, { once: true });
      }
      this.queue.push(p);
      this.pump();
    });
  }

  /** Stops every worker; queued and running jobs reject as cancelled. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const p of this.queue.splice(0)) this.settle(p, new JobError('cancelled', true));
    await Promise.all(
      this.slots.splice(0).map(async (s) => {
        if (s.killTimer) clearTimeout(s.killTimer);
        if (s.current) this.settle(s.current, new JobError('cancelled', true));
        s.current = undefined;
        await s.worker.terminate();
      }),
    );
  }

  private cancel(p: Pending): void {
    const qi = this.queue.indexOf(p);
    if (qi >= 0) {
      this.queue.splice(qi, 1);
      this.settle(p, new JobError('cancelled', true));
      return;
    }
    const slot = this.slots.find((s) => s.current === p);
    if (!slot) return;
    slot.worker.postMessage({ type: 'cancel', jobId: p.job.jobId } satisfies ToWorker);
    // A job stuck inside one long kernel cannot see the cancel message: terminate its worker.
    slot.killTimer = setTimeout(() => {
      if (slot.current !== p) return;
      this.replace(slot, new JobError('cancelled', true));
    }, this.grace);
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.current);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const p = this.queue.shift()!;
      slot.current = p;
      slot.worker.ref(); // a running job keeps the process alive; idle workers do not
      slot.worker.postMessage({ type: 'run', job: p.job } satisfies ToWorker);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.script);
    const slot: Slot = { worker };
    worker.unref();
    worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
    worker.on('error', (e) => this.replace(slot, new JobError(`worker crashed: ${e.message}`, false)));
    worker.on('exit', (code) => {
      if (this.disposed || !this.slots.includes(slot)) return;
      this.replace(slot, new JobError(`worker exited with code ${code}`, false));
    });
    this.slots.push(slot);
    return slot;
  }

  /** Drops a worker (crashed, or stuck after cancel), fails its job, and keeps the queue going. */
  private replace(slot: Slot, err: JobError): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    if (slot.killTimer) clearTimeout(slot.killTimer);
    const p = slot.current;
    slot.current = undefined;
    void slot.worker.terminate();
    if (p) this.settle(p, err);
    if (!this.disposed) this.pump();
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    const p = slot.current;
    if (!p || p.job.jobId !== m.jobId) return;
    switch (m.type) {
      case 'backend':
        p.listener.onBackend?.(m.name, m.reason);
        break;
      case 'epoch':
        p.listener.onEpoch?.(m.progress);
        break;
      case 'batch':
        p.listener.onBatch?.(m.batch, m.batches);
        break;
      case 'done':
      case 'error': {
        if (slot.killTimer) clearTimeout(slot.killTimer);
        slot.killTimer = undefined;
        slot.current = undefined;
        slot.worker.unref();
        if (m.type === 'done') this.settle(p, undefined, m.result);
        else this.settle(p, new JobError(m.message, m.cancelled, m.location));
        this.pump();
        break;
      }
    }
  }

  private settle(p: Pending, err?: Error, result?: MemberJobResult): void {
    if (p.signal && p.onAbort) p.signal.removeEventListener('abort', p.onAbort);
    if (err) p.reject(err);
    else p.resolve(result!);
  }
}
