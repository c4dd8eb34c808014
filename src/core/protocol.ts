// Messages between the extension host (or CLI) and the engine's worker threads.
// Both sides import this file; payloads are plain data (typed arrays are transferred, not copied).
import type { DataSpec, MemberSpec, Task } from './config/types';

/** Per-epoch training progress, streamed while a member trains. */
export interface EpochProgress {
  epoch: number;
  epochs: number;
  loss: number;
  valLoss?: number;
  accuracy?: number;
  valAccuracy?: number;
  samplesPerSec: number;
  elapsedMs: number;
}

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/**
 * What a worker needs to produce one member's test outputs ('train', 'load'), or its class
 * probabilities on given inputs ('grid', e.g. the decision-boundary grid of src/engine/grid.ts).
 */
export interface MemberJob {
  jobId: number;
  /**
   * 'train': build and train a `layers` member; 'load': run a saved model or read a predictions file;
   * 'grid': evaluate a trained `layers` member (from `weights`) or a saved model (TF.js, ONNX) on `points`.
   * Prediction files cannot be evaluated on new inputs: a grid job for one fails.
   */
  kind: 'train' | 'load' | 'grid';
  member: MemberSpec;
  data: DataSpec;
  task: Task;
  backend: BackendChoice;
  /** The config's folder: file names in messages are relative to it. */
  baseDir?: string;
  /** Folder holding packaged data (mnist.bin, iris.json); undefined = the engine's default. */
  dataDir?: string;
  /**
   * 'grid' jobs: n inputs, row-major, in the dataset's input space (after its normalisation, all
   * features: a feature-subset member selects its columns itself). The result's `outputs` are n * C
   * probabilities.
   */
  points?: Float32Array;
  /** 'grid' jobs of `layers` members: the trained weights as cached (src/engine/model/serialize.ts). */
  weights?: Uint8Array;
}

/** Host -> worker. */
export type ToWorker =
  /** Start a job; a worker runs one job at a time. */
  | { type: 'run'; job: MemberJob }
  /** Stop the running job as soon as possible (between batches). */
  | { type: 'cancel'; jobId: number };

/** The result of a finished job. */
export interface MemberJobResult {
  /** Test-set outputs: nTest*C probabilities, or nTest predictions ('grid' jobs: probabilities on the job's points). */
  outputs: Float32Array;
  /** Serialized trained weights (train jobs only). */
  weights?: Uint8Array;
  history: EpochProgress[];
  backend: string;
  millis: number;
}

/** Worker -> host. */
export type FromWorker =
  /** The backend this worker initialised, and why it was chosen. */
  | { type: 'backend'; jobId: number; name: string; reason: string }
  /** One epoch finished. */
  | { type: 'epoch'; jobId: number; progress: EpochProgress }
  /** Batch-level progress inside the current epoch (throttled). */
  | { type: 'batch'; jobId: number; batch: number; batches: number }
  /** The job finished. */
  | { type: 'done'; jobId: number; result: MemberJobResult }
  /** The job failed; `cancelled` when it stopped because of a cancel message. */
  | { type: 'error'; jobId: number; message: string; cancelled: boolean; location?: { file: string; line?: number; column?: number } };
