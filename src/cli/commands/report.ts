// `ensemble-lens report`: analyses the ensemble; writes the JSON (and HTML) report or prints a summary.
import { resolve } from 'node:path';
import type { EnsembleConfig } from '../../core/config/types';
import type { Dataset } from '../../core/data/types';
import type { BackendChoice } from '../../core/protocol';
import type { HtmlReportExtras } from '../htmlReport';
import { buildReport } from '../../engine/report';
import { atomicWrite } from '../../engine/cache/memberCache';
import { WorkerPool, defaultPoolSize } from '../../engine/pool/workerPool';
import { SideWorker } from '../../engine/analysis/parallel';
import { requireKnownMembers, requireValidConfig } from '../loadConfig';
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
  /** --member: the members that make up the ensemble (default: all). */
  members?: string[];
}

export async function runReport(args: ReportArgs): Promise<number> {
  // With --html, the decision-boundary grid reuses the training workers (TensorFlow.js already loaded).
  const pool = args.html ? new WorkerPool({ size: Math.max(1, Math.floor(args.workers ?? defaultPoolSize())) }) : undefined;
  // half of the analysis on a second thread, unless one worker is all the user allows
  const side = (args.workers ?? defaultPoolSize()) > 1 ? new SideWorker() : undefined;
  try {
    return await reportWith(args, pool, side);
  } finally {
    side?.dispose();
    await pool?.dispose();
  }
}

async function reportWith(args: ReportArgs, pool: WorkerPool | undefined, side: SideWorker | undefined): Promise<number> {
  const config = requireValidConfig(args.configPath, { maxModelBytes: args.maxModelBytes });
  requireKnownMembers(config, args.members);
  const view = new ProgressView(args.members ?? config.members.map((m) => m.id));
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
      selection: args.members,
      pool,
      sideWorker: side,
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
    const extras = await htmlExtras(config, args, result.outputs.nTest, pool);
    if (extras === 'cancelled') return 130;
    // The same findings the editor shows (redundant, hurting, miscalibrated, failed members).
    const { analyzeReport } = await import('../../core/findings.js');
    extras.findings = analyzeReport(report).findings;
    await atomicWrite(resolve(args.html), await renderHtmlReport(report, result.outputs, extras));
    process.stderr.write(`wrote ${args.html}\n`);
  }
  process.stdout.write(formatSummary(report) + '\n');
  for (const f of result.summary.failed) process.stderr.write(`${f.id}: failed: ${f.message}\n`);
  return result.summary.failed.length ? 1 : 0;
}

/**
 * What the exported dashboard shows besides the report: the test inputs (MNIST digits in the
 * Predictions view) and, for 2-D classification data, every member's decision-boundary grid.
 */
async function htmlExtras(config: EnsembleConfig, args: ReportArgs, nTest: number, pool?: WorkerPool): Promise<HtmlReportExtras | 'cancelled'> {
  const { isLabelsOnly } = await import('../../engine/evaluationData.js');
  if (isLabelsOnly(config.data)) return {};
  let dataset: Dataset;
  try {
    const { loadDataset } = await import('../../engine/data/loadDataset.js');
    dataset = await loadDataset(config.data, config.task);
  } catch (e) {
    process.stderr.write(`the HTML report leaves out the test inputs: ${(e as Error).message}\n`);
    return {};
  }
  const extras: HtmlReportExtras = dataset.nTest === nTest ? { dataset } : {};
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.on('SIGINT', onSigint);
  try {
    const { computeDecisionGrid } = await import('../../engine/grid.js');
    const g = await computeDecisionGrid(config, { backend: args.backend, cacheDir: args.cacheDir, workers: args.workers, pool, dataset, signal: abort.signal });
    if (g?.grid) extras.grid = g.grid;
    for (const o of g?.omitted ?? []) process.stderr.write(`decision boundaries: ${o.id} left out: ${o.reason}\n`);
  } catch (e) {
    if (abort.signal.aborted) return 'cancelled';
    process.stderr.write(`the HTML report leaves out the decision boundaries: ${(e as Error).message}\n`);
  } finally {
    process.off('SIGINT', onSigint);
  }
  return extras;
}
