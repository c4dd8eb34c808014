// The report worker's entry (bundled to dist/reportWorker.js): reads the cache, the labels and the
// cached transferability result, and runs the whole analysis (src/core/analysis) off the extension
// host's thread, which an analysis of hundreds of members would otherwise block for seconds.
import { parentPort } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { DataError } from '../../core/data/errors';
import { reportFromCache } from '../report';
import { SideWorker } from '../analysis/parallel';
import type { FromReportWorker, ToReportWorker } from './protocol';

if (!parentPort) throw new Error('reportWorker must run in a worker thread');
const port = parentPort;
const post = (m: FromReportWorker) => port.postMessage(m);
// half of each analysis runs in this worker's own worker (ended with this one), given a second core
const side = availableParallelism() > 1 ? new SideWorker() : undefined;

port.on('message', (m: ToReportWorker) => {
  if (m?.type !== 'report') return;
  const { id, request: r } = m;
  reportFromCache(r.config, {
    cacheDir: r.cacheDir,
    backend: r.backend,
    dataDir: r.dataDir,
    failures: new Map(r.failures ?? []),
    analysis: r.analysis,
    selection: r.selection,
    sideWorker: side,
    log: (line) => post({ type: 'log', id, line }),
  }).then(
    // the outputs stay here: the host needs only the report (and posting them would copy M x N x C floats)
    ({ report, info }) => post({ type: 'done', id, report, info }),
    (e: Error) =>
      post({
        type: 'error', id, message: e?.message ?? String(e),
        location: e instanceof DataError ? { file: e.file, line: e.line, column: e.column } : undefined,
      }),
  );
});
