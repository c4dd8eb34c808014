// The extension's one door into the engine. Everything is imported on first use (esbuild keeps a
// dynamic import() lazy inside the bundle), so activation does not evaluate the engine, the analyses
// or the dataset loaders. Training itself runs in the engine's worker threads.
import { resolve } from 'node:path';
import type { EnsembleConfig } from '../core/config/types';
import type { BackendChoice } from '../core/protocol';
import type { EnsembleReport, MemberRunInfo } from '../core/report';
import type { CachedMemberInfo } from '../engine/run';

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
 * or 'failed' with the message from `failures`.
 */
export async function reportFromCache(
  config: EnsembleConfig,
  opts: { cacheDir?: string; backend: BackendChoice; redundancyThreshold: number; failures?: Map<string, string>; log?(line: string): void },
): Promise<CacheReport> {
  const run = await engine();
  const info = await run.inspectCache(config, opts.cacheDir, opts.backend);
  const cached = await run.loadCachedOutputs(config, { cacheDir: opts.cacheDir, backend: opts.backend, log: opts.log });
  if (cached.size === 0) return { info };
  const [{ loadEvaluationData }, { analyzeEnsemble }, { assembleReport }, { TOOL_VERSION }] = await Promise.all([
    import('../engine/report.js'),
    import('../core/analysis/analyze.js'),
    import('../core/report.js'),
    import('../engine/version.js'),
  ]);
  const evaluation = await loadEvaluationData(config);
  const runs = new Map<string, MemberRunInfo>();
  const members: { id: string; values: Float32Array }[] = [];
  let backend: string | undefined;
  for (const m of config.members) {
    const values = cached.get(m.id);
    const ci = info[m.id];
    if (values) {
      members.push({ id: m.id, values });
      const training = m.source.kind === 'layers' && ci?.history ? { backend: ci.backend ?? '?', millis: ci.millis ?? 0, history: ci.history } : undefined;
      if (training) backend ??= training.backend;
      runs.set(m.id, { state: 'ok', training });
    } else if (opts.failures?.has(m.id)) {
      runs.set(m.id, { state: 'failed', message: opts.failures.get(m.id) });
    } else {
      runs.set(m.id, { state: 'not-trained', message: ci?.state === 'stale' ? 'changed since it was trained' : 'not trained' });
    }
  }
  const combine = config.combine;
  const weights: Record<string, number> = {};
  for (const m of members) weights[m.id] = combine.weights?.[m.id] ?? 0;
  const analysis = analyzeEnsemble(
    { task: config.task, labels: evaluation.labels, numClasses: evaluation.data.numClasses, nTest: evaluation.data.nTest, members },
    {
      combine: combine.method === 'weighted' && combine.weights ? { method: 'weighted', weights } : { method: combine.method },
      redundancyThreshold: opts.redundancyThreshold,
    },
  );
  const report = assembleReport({ config, configFile: config.file, toolVersion: TOOL_VERSION, data: evaluation.data, runs, analysis, backend });
  if (config.task === 'classification') {
    try {
      // A transferability result computed earlier for these very members (the attack cache is keyed by them).
      const { loadCachedTransferability } = await import('../engine/attack/transferability.js');
      const t = await loadCachedTransferability(config, { cacheDir: opts.cacheDir, backend: opts.backend });
      if (t) report.transferability = t;
    } catch (e) {
      opts.log?.(`transferability cache: ${(e as Error).message}`);
    }
  }
  return { report, info };
}
