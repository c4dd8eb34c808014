// The host's entry to adversarial transferability: answers from the attack cache when it can, else
// runs src/engine/attack/compute.ts in a worker thread (dist/attackWorker.js) so the extension host
// and the CLI stay responsive. Host side: imports no TensorFlow.js.
import { join } from 'node:path';
import type { EnsembleConfig } from '../../core/config/types';
import type { BackendChoice } from '../../core/protocol';
import type { TransferabilityResult } from '../../core/transfer';
import { resolveBackendName } from '../backendChoice';
import { cacheDirOf } from '../run';
import { abortError, startWorker, workerScript } from '../workerThreads';
import { attackKey, readAttackResult } from './attackCache';
import type { FromAttackWorker, ToAttackWorker } from './attackProtocol';
import type { ComputeOptions } from './compute';

/** computeTransferability's options, plus where the worker is and how long a cancel may take. */
export interface TransferabilityOptions extends ComputeOptions {
  /** The worker bundle; default dist/attackWorker.js (from source: attackWorker.ts through tsx). */
  workerScript?: string;
  /** How long a cancelled run may take to stop before its worker is terminated. Default 3000 ms. */
  cancelGraceMs?: number;
}

/** Finds the attack worker: beside the bundle, in the repo's dist/, or the TypeScript source under tsx. */
export function defaultAttackWorkerScript(): string {
  return workerScript('attackWorker.js', join(__dirname, 'attackWorker.ts'));
}

/** The cached result for a config as it is now, without computing anything (for `report`). */
export async function loadCachedTransferability(
  config: EnsembleConfig,
  opts: { cacheDir?: string; backend?: BackendChoice; gallerySize?: number } = {},
): Promise<TransferabilityResult | undefined> {
  const key = await attackKey(config, resolveBackendName(opts.backend ?? 'auto'), { gallerySize: opts.gallerySize });
  return readAttackResult(cacheDirOf(config, opts.cacheDir), key);
}

/** Computes (or reads from the cache) the transferability result of a config, in a worker thread. */
export async function runTransferability(config: EnsembleConfig, opts: TransferabilityOptions = {}): Promise<TransferabilityResult> {
  if (!opts.force) {
    const hit = await loadCachedTransferability(config, opts);
    if (hit) return hit;
  }
  opts.signal?.throwIfAborted();
  const script = opts.workerScript ?? defaultAttackWorkerScript();
  const worker = startWorker(script);
  return new Promise<TransferabilityResult>((resolvePromise, reject) => {
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (err?: Error, result?: TransferabilityResult) => {
      if (settled) return;
      settled = true;
      if (killTimer) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (err) reject(err);
      else resolvePromise(result!);
    };
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' } satisfies ToAttackWorker);
      // A run stuck inside one long kernel cannot see the message: terminate it.
      killTimer = setTimeout(() => finish(abortError('cancelled; the attack worker did not stop in time and was terminated')), opts.cancelGraceMs ?? 3000);
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: FromAttackWorker) => {
      if (m.type === 'progress') opts.onProgress?.(m.done, m.total, m.label);
      else if (m.type === 'backend') opts.onBackend?.({ name: m.name, reason: m.reason });
      else if (m.type === 'log') opts.log?.(m.line);
      else if (m.type === 'done') finish(undefined, m.result);
      else finish(m.cancelled ? abortError() : new Error(m.message));
    });
    worker.on('error', (e) => finish(new Error(`attack worker crashed: ${e.message}`)));
    worker.on('exit', (code) => finish(new Error(`attack worker exited with code ${code}`)));
    const { cacheDir, backend, dataDir, force, gallerySize } = opts;
    worker.postMessage({ type: 'run', config, opts: { cacheDir, backend, dataDir, force, gallerySize } } satisfies ToAttackWorker);
  });
}
