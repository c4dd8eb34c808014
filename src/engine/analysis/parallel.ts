// The analysis of an ensemble on two threads: this one computes analyzeMain while a side worker computes
// analyzeSide (the sections listed at ClassificationSide in core/analysis/classificationReport.ts, about
// half the work) of the same outputs, shared through SharedArrayBuffers rather than copied per message.
// The result is analyzeEnsemble's, value for value (both parts are deterministic and independent). Used by
// the extension's report worker and the CLI; if the side worker fails, this thread computes the side too.
import { join } from 'node:path';
import { analyzeEnsemble, analyzeMain, analyzeSide, completeAnalysis, type AnalysisSide } from '../../core/analysis/analyze';
import type { AnalysisOptions, EnsembleAnalysis } from '../../core/analysis/types';
import type { EnsembleOutputs } from '../../core/outputs';
import { SerialWorker, workerScript } from '../workerThreads';
import type { FromSideWorker, ToSideWorker } from './sideProtocol';

/** Below this many output values (M x N x C) one thread is as fast as two (a message and a second context cost ~1 ms). */
export const PARALLEL_MIN_VALUES = 1 << 17;

/** dist/analysisWorker.js, or the TypeScript entry from source. */
export function defaultSideWorkerScript(): string {
  return workerScript('analysisWorker.js', join(__dirname, 'sideWorker.ts'));
}

/** A long-lived worker thread for side parts, one at a time (it does not keep the process alive while idle). */
export class SideWorker {
  private readonly worker: SerialWorker<ToSideWorker, FromSideWorker>;

  constructor(script: string = defaultSideWorkerScript()) {
    this.worker = new SerialWorker<ToSideWorker, FromSideWorker>(script, 'analysis worker', () => true);
  }

  /** Threads started so far (a new one after a crash). */
  get started(): number {
    return this.worker.started;
  }

  async compute(outputs: EnsembleOutputs, options: AnalysisOptions): Promise<{ side: AnalysisSide; timings?: Record<string, number> }> {
    const { timings, ...rest } = options;
    const m = await this.worker.run({ type: 'side', outputs, options: rest, timed: !!timings });
    if (m.type === 'error') throw new Error(m.message);
    return { side: m.side, timings: m.timings };
  }

  dispose(): void {
    this.worker.dispose();
  }
}

/** The same outputs in SharedArrayBuffer-backed arrays (arrays already shared are kept). */
export function shareOutputs(o: EnsembleOutputs): EnsembleOutputs {
  return { ...o, labels: shared(o.labels), members: o.members.map((m) => ({ ...m, values: shared(m.values) })) };
}

export function shared(a: Float32Array): Float32Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const s = new Float32Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}

/**
 * analyzeEnsemble(outputs, options) on this thread and `side`'s. Without a side worker, or for outputs smaller
 * than `minValues`, on this thread alone. Side timings join options.timings prefixed 'side:'.
 */
export async function analyzeParallel(
  outputs: EnsembleOutputs, options: AnalysisOptions, side: SideWorker | undefined, minValues = PARALLEL_MIN_VALUES,
): Promise<EnsembleAnalysis> {
  const size = outputs.members.length * outputs.nTest * (outputs.task === 'classification' ? outputs.numClasses : 1);
  if (!side || size < minValues || outputs.members.length === 0) return analyzeEnsemble(outputs, options);
  const o = shareOutputs(outputs);
  const pending = side.compute(o, options);
  pending.catch(() => undefined); // awaited below, unless analyzeMain throws first
  const main = analyzeMain(o, options);
  let part: AnalysisSide;
  try {
    const r = await pending;
    part = r.side;
    if (options.timings && r.timings) for (const [k, v] of Object.entries(r.timings)) options.timings[`side:${k}`] = v;
  } catch {
    part = analyzeSide(o, options); // the worker could not: this thread (an invalid input has thrown above already)
  }
  return completeAnalysis(main, part);
}
