// The attack worker's entry (bundled to dist/attackWorker.js): computes one transferability result
// off the host thread, streaming throttled progress, and stops between steps on `cancel`.
import { parentPort } from 'node:worker_threads';
import type { FromAttackWorker, ToAttackWorker } from './attackProtocol';
import { computeTransferability } from './compute';

if (!parentPort) throw new Error('attackWorker.ts must run in a worker thread');
const port = parentPort;
const abort = new AbortController();
const post = (m: FromAttackWorker) => port.postMessage(m);

port.on('message', (m: ToAttackWorker) => {
  if (m.type === 'cancel') {
    abort.abort();
    return;
  }
  let last = 0;
  computeTransferability(m.config, {
    ...m.opts,
    signal: abort.signal,
    onBackend: (b) => post({ type: 'backend', name: b.name, reason: b.reason }),
    log: (line) => post({ type: 'log', line }),
    onProgress: (done, total, label) => {
      const now = Date.now();
      if (now - last < 100 && done < total) return; // throttle
      last = now;
      post({ type: 'progress', done, total, label });
    },
  }).then(
    (result) => post({ type: 'done', result }),
    (e: Error) => {
      const cancelled = abort.signal.aborted || e?.name === 'AbortError';
      post({ type: 'error', message: cancelled ? 'cancelled' : (e?.message ?? String(e)), cancelled });
    },
  );
});
