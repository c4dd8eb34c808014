// The extension's one door into the engine. Everything is imported on first use (esbuild keeps a
// dynamic import() lazy inside the bundle), so activation does not evaluate the engine, the analyses
// or the dataset loaders. Training itself runs in the engine's worker threads.
import { resolve } from 'node:path';
import type { EnsembleConfig } from '../core/config/types';
import type { BackendChoice } from '../core/protocol';
import type { EnsembleReport } from '../core/report';
import type { CachedMemberInfo } from '../engine/run';
import type { ReportWorkerClient } from '../engine/reportWorker/client';

type RunModule = typeof import('../engine/run.js');
let runModule: Promise<RunModule> | undefined;

/** The orchestration API (trainEnsemble, inspectCache, clearCache...). */
export function engine(): Promise<RunModule> {
  return (runModule ??= import('../engine/run.js'));
}

/** The absolute cache folder for a config: the setting (relative to the config's folder) or the engine's default. */
export async function cacheDirFor(config: EnsembleConfig, setting: string | undefined): Promise<string> {
  if (setting) return resolve(config.dir, setting);
  return (await engine()).cacheDirOf(config);
}

export interface CacheReport {
  /** Absent when no member has cached outputs. */
  report?: EnsembleReport;
  /** Each member's cache state and key when the report was made. */
  info: Record<string, CachedMemberInfo>;
}

/**
 * A report from what is already in the cache: nothing is trained, and no model or prediction file is
 * loaded (so it is safe in Restricted Mode). Members without a valid cache entry are 'not-trained',
 * or 'failed' with the message from `failures`. The cache is read and the report computed in `worker`'s
 * thread, never on the extension host's; aborting `signal` rejects with an AbortError.
 */
export async function reportFromCache(
  worker: ReportWorkerClient,
  config: EnsembleConfig,
  opts: {
    cacheDir?: string;
    backend: BackendChoice;
    redundancyThreshold: number;
    failures?: Map<string, string>;
    /** The members that make up the ensemble (Select Members); the others get only their own metrics. Default: all. */
    selection?: string[];
    signal?: AbortSignal;
    log?(line: string): void;
  },
): Promise<CacheReport> {
  const { report, info } = await worker.request(
    {
      config,
      cacheDir: opts.cacheDir,
      backend: opts.backend,
      failures: opts.failures ? [...opts.failures] : undefined,
      analysis: { redundancyThreshold: opts.redundancyThreshold },
      selection: opts.selection,
    },
    { signal: opts.signal, log: opts.log },
  );
  // No member has outputs yet: the editor shows states only. (Excluded members' own numbers still make a report.)
  if (report.members.every((m) => m.state !== 'ok')) return { info };
  report.config.file = config.file;
  return { report, info };
}
