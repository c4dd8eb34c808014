// `ensemble-lens train`: trains (or loads) every member the cache lacks, with live progress.
import type { BackendChoice } from '../../core/protocol';
import { trainEnsemble, type TrainSummary } from '../../engine/run';
import { requireKnownMembers, requireValidConfig } from '../loadConfig';
import { ProgressView } from '../progressView';

export interface TrainArgs {
  configPath: string;
  backend: BackendChoice;
  workers?: number;
  cacheDir?: string;
  maxModelBytes?: number;
  only?: string[];
}

/** Trains with a progress view; Ctrl-C cancels cleanly (finished members stay cached). */
export async function trainWithProgress(args: TrainArgs): Promise<TrainSummary> {
  const config = requireValidConfig(args.configPath, { maxModelBytes: args.maxModelBytes });
  requireKnownMembers(config, args.only);
  const ids = args.only ?? config.members.map((m) => m.id);
  const view = new ProgressView(ids);
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    view.line('interrupted: stopping (members already finished stay cached; Ctrl-C again to quit now)');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  const t0 = Date.now();
  try {
    const summary = await trainEnsemble(config, {
      backend: args.backend,
      workers: args.workers,
      cacheDir: args.cacheDir,
      only: args.only,
      signal: abort.signal,
      onBackend: (b) => view.line(`backend: ${b.name} (${b.reason})`),
      onMemberState: (id, s, d) => view.state(id, s, d),
      onEpoch: (id, p) => view.epoch(id, p),
      onBatch: (id, b, n) => view.batch(id, b, n),
      log: (l) => view.line(l),
    });
    view.stop();
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    process.stderr.write(
      `trained ${summary.trained.length}, cached ${summary.cached.length}, failed ${summary.failed.length}${summary.cancelled ? ', cancelled' : ''} in ${secs}s\n`,
    );
    for (const f of summary.failed) {
      const loc = f.location ? `${f.location.file}${f.location.line ? `:${f.location.line}:${f.location.column ?? 1}` : ''}: ` : '';
      process.stderr.write(`${loc}${f.id}: ${f.message}\n`);
    }
    return summary;
  } finally {
    view.stop();
    process.off('SIGINT', onSigint);
  }
}

export async function runTrain(args: TrainArgs): Promise<number> {
  const s = await trainWithProgress(args);
  if (s.cancelled) return 130;
  return s.failed.length ? 1 : 0;
}
