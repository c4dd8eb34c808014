// Messages between the host and the attack worker (dist/attackWorker.js). One run per worker: the
// host spawns it, sends `run`, receives progress and `done`/`error`, and the worker exits.
import type { EnsembleConfig } from '../../core/config/types';
import type { BackendChoice } from '../../core/protocol';
import type { TransferabilityResult } from '../../core/transfer';

export interface AttackJobOptions {
  cacheDir?: string;
  backend?: BackendChoice;
  dataDir?: string;
  force?: boolean;
  gallerySize?: number;
}

/** Host -> attack worker. */
export type ToAttackWorker =
  /** Compute the transferability of a (resolved, plain-data) config. */
  | { type: 'run'; config: EnsembleConfig; opts: AttackJobOptions }
  /** Stop between attack steps; the worker answers with a cancelled `error`. */
  | { type: 'cancel' };

/** Attack worker -> host. */
export type FromAttackWorker =
  /** The backend the worker initialised and why. */
  | { type: 'backend'; name: string; reason: string }
  /** One attack step done (of `total` for the whole run). */
  | { type: 'progress'; done: number; total: number; label: string }
  /** A line for the log (skipped members). */
  | { type: 'log'; line: string }
  /** The result (also written to the attack cache). */
  | { type: 'done'; result: TransferabilityResult }
  /** The run failed, or stopped because it was cancelled. */
  | { type: 'error'; message: string; cancelled: boolean };
