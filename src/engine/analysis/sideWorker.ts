// The side worker's entry (bundled to dist/analysisWorker.js): computes analyzeSide for the thread that
// computes analyzeMain of the same outputs at the same time (parallel.ts).
import { parentPort } from 'node:worker_threads';
import { analyzeSide } from '../../core/analysis/analyze';
import type { FromSideWorker, ToSideWorker } from './sideProtocol';

if (!parentPort) throw new Error('the analysis side worker must run in a worker thread');
const port = parentPort;
const post = (m: FromSideWorker) => port.postMessage(m);

port.on('message', (m: ToSideWorker) => {
  if (m?.type !== 'side') return;
  try {
    const timings: Record<string, number> | undefined = m.timed ? {} : undefined;
    const side = analyzeSide(m.outputs, { ...m.options, timings });
    post({ type: 'done', id: m.id, side, timings });
  } catch (e) {
    post({ type: 'error', id: m.id, message: (e as Error)?.message ?? String(e) });
  }
});
