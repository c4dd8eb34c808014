// `ensemble-lens report`: analyses the ensemble; writes the JSON (and HTML) report or prints a summary.
import { resolve } from 'node:path';
import type { BackendChoice } from '../../core/protocol';
import { buildReport } from '../../engine/report';
import { atomicWrite } from '../../engine/cache/memberCache';
import { requireValidConfig } from '../loadConfig';
import { ProgressView } from '../progressView';
import { formatSummary } from '../summary';

export interface ReportArgs {
  configPath: string;
  backend: BackendChoice;
  workers?: number;
  cacheDir?: string;
  maxModelBytes?: number;
  json?: string;
  html?: string;
  train: boolean;
}

export async function runReport(args: ReportArgs): Promise<number> {
  const config = requireValidConfig(args.configPath, { maxModelBytes: args.maxModelBytes });
  const view = new ProgressView(config.members.map((m) => m.id));
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.on('SIGINT', onSigint);
  let result;
  try {
    result = await buildReport(config, {
      backend: args.backend,
      workers: args.workers,
      cacheDir: args.cacheDir,
      train: args.train,
      signal: abort.signal,
      onMemberState: (id, s, d) => view.state(id, s, d),
      onEpoch: (id, p) => view.epoch(id, p),
      onBatch: (id, b, n) => view.batch(id, b, n),
      log: (l) => view.line(l),
    });
  } finally {
    view.stop();
    process.off('SIGINT', onSigint);
  }
  if (result.summary.cancelled) return 130;
  const { report } = result;
  if (args.json) {
    await atomicWrite(resolve(args.json), JSON.stringify(report, null, 1) + '\n');
    process.stderr.write(`wrote ${args.json}\n`);
  }
  if (args.html) {
    const { renderHtmlReport } = await import('../htmlReport.js');
    await atomicWrite(resolve(args.html), await renderHtmlReport(report, result.outputs));
    process.stderr.write(`wrote ${args.html}\n`);
  }
  process.stdout.write(formatSummary(report) + '\n');
  for (const f of result.summary.failed) process.stderr.write(`${f.id}: failed: ${f.message}\n`);
  return result.summary.failed.length ? 1 : 0;
}
