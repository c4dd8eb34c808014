// Messages between a thread that analyses an ensemble and its side worker (sideWorker.ts), which
// computes the side part of the same analysis (src/core/analysis/analyze.ts analyzeSide) meanwhile.
import type { AnalysisSide } from '../../core/analysis/analyze';
import type { AnalysisOptions } from '../../core/analysis/types';
import type { EnsembleOutputs } from '../../core/outputs';

/** `outputs` should hold SharedArrayBuffer-backed arrays: posting them then copies nothing. */
export type ToSideWorker = { type: 'side'; id: number; outputs: EnsembleOutputs; options: Omit<AnalysisOptions, 'timings'>; timed: boolean };

export type FromSideWorker =
  | { type: 'done'; id: number; side: AnalysisSide; timings?: Record<string, number> }
  | { type: 'error'; id: number; message: string };
