// Orchestration: train what the cache lacks (in worker threads), load saved models and prediction
// files, and gather every member's test outputs. Used by the CLI and the extension alike.
import { resolve } from 'node:path';
import type { EnsembleConfig, MemberSpec } from '../core/config/types';
import type { BackendChoice, EpochProgress, MemberJobResult } from '../core/protocol';
import { MemberCache } from './cache/memberCache';
import { FileHasher, configId, memberKey } from './cache/memberKey';
import { JobError, WorkerPool, defaultPoolSize } from './pool/workerPool';
import { resolveBackendName } from './backendChoice';

export type { BackendChoice, EpochProgress };

export type MemberState = 'not-trained' | 'stale' | 'queued' | 'training' | 'trained' | 'failed';

export interface TrainOptions {
  backend?: BackendChoice;
  /** Worker threads; default one per core. */
  workers?: number;
  /** Absolute cache folder; default `<config dir>/<config.cache ?? .ensemble-lens>`. */
  cacheDir?: string;
  signal?: AbortSignal;
  /** Member ids to produce; default all. */
  only?: string[];
  /** Folder of packaged data (mnist.bin, iris.json); default the engine's. */
  dataDir?: string;
  /** A pool to reuse (the extension keeps one); otherwise one is made and disposed. */
  pool?: WorkerPool;
  onBackend?(info: { name: string; reason: string }): void;
  onMemberState?(id: string, state: MemberState, detail?: { message?: string; fromCache?: boolean }): void;
  onEpoch?(id: string, p: EpochProgress): void;
  onBatch?(id: string, batch: number, batches: number): void;
  log?(line: string): void;
}

export interface TrainSummary {
  trained: string[];
  cached: string[];
  failed: { id: string; message: string; location?: { file: string; line?: number; column?: number } }[];
  cancelled: boolean;
  backend?: string;
}

export interface CachedMemberInfo {
  id: string;
  state: 'trained' | 'stale' | 'not-trained';
  key: string;
  history?: EpochProgress[];
  backend?: string;
  millis?: number;
}

/** The cache folder of a config. */
export function cacheDirOf(config: EnsembleConfig, override?: string): string {
  if (override) return resolve(config.dir, override);
  return config.cacheDir ?? resolve(config.dir, config.cache ?? '.ensemble-lens');
}

function selected(config: EnsembleConfig, only?: string[]): MemberSpec[] {
  if (!only) return config.members;
  const unknown = only.filter((id) => !config.members.some((m) => m.id === id));
  if (unknown.length) throw new Error(`unknown member id(s): ${unknown.join(', ')}`);
  return config.members.filter((m) => only.includes(m.id));
}

/**
 * Produces every selected member's outputs into the cache: trains `layers` members, runs saved
 * models, reads prediction files. Members already cached are not touched. Members that finish stay
 * cached even when the run is cancelled or another member fails.
 */
export async function trainEnsemble(config: EnsembleConfig, opts: TrainOptions = {}): Promise<TrainSummary> {
  const backend = resolveBackendName(opts.backend ?? 'auto');
  const cache = new MemberCache(cacheDirOf(config, opts.cacheDir));
  const files = new FileHasher();
  const members = selected(config, opts.only);
  const summary: TrainSummary = { trained: [], cached: [], failed: [], cancelled: false };
  const todo: { member: MemberSpec; key: string }[] = [];
  const indexUpdate: Record<string, string> = {};

  for (const member of members) {
    const key = await memberKey(config, member, backend, files);
    indexUpdate[member.id] = key;
    const hit = await cache.get(key);
    if (hit.status === 'hit') {
      summary.cached.push(member.id);
      opts.onMemberState?.(member.id, 'trained', { fromCache: true });
      continue;
    }
    if (hit.status === 'corrupt') opts.log?.(`${member.id}: ${hit.reason}; rebuilding`);
    todo.push({ member, key });
    opts.onMemberState?.(member.id, 'queued');
  }
  if (todo.length === 0) {
    await cache.updateIndex(configId(config), indexUpdate);
    return summary;
  }

  const pool = opts.pool ?? new WorkerPool({ size: Math.max(1, Math.min(opts.workers ?? defaultPoolSize(), todo.length)) });
  let nextJobId = 1;
  let backendReported = false;
  try {
    await Promise.all(
      todo.map(async ({ member, key }) => {
        let started = false;
        const markStarted = () => {
          if (started) return;
          started = true;
          opts.onMemberState?.(member.id, 'training');
        };
        let result: MemberJobResult;
        try {
          result = await pool.run(
            {
              jobId: nextJobId++,
              kind: member.source.kind === 'layers' ? 'train' : 'load',
              member,
              data: config.data,
              task: config.task,
              backend: opts.backend ?? 'auto',
              dataDir: opts.dataDir,
              baseDir: config.dir,
            },
            {
              onBackend: (name, reason) => {
                markStarted();
                summary.backend = name;
                if (!backendReported) {
                  backendReported = true;
                  opts.onBackend?.({ name, reason });
                }
              },
              onEpoch: (p) => opts.onEpoch?.(member.id, p),
              onBatch: (b, n) => opts.onBatch?.(member.id, b, n),
            },
            opts.signal,
          );
        } catch (e) {
          const err = e as JobError;
          if (err.cancelled) {
            summary.cancelled = true;
            opts.onMemberState?.(member.id, 'not-trained', { message: 'cancelled' });
          } else {
            summary.failed.push({ id: member.id, message: err.message, location: err.location });
            opts.onMemberState?.(member.id, 'failed', { message: err.message });
          }
          return;
        }
        await cache.put(
          key,
          { memberId: member.id, kind: member.source.kind, backend: result.backend, millis: result.millis, history: result.history },
          result.outputs,
          result.weights,
        );
        summary.trained.push(member.id);
        opts.onMemberState?.(member.id, 'trained');
      }),
    );
  } finally {
    if (!opts.pool) await pool.dispose();
    await cache.updateIndex(configId(config), indexUpdate);
  }
  if (opts.signal?.aborted) summary.cancelled = true;
  return summary;
}

/** Each member's cache state without training anything: trained, stale (cached under an older spec) or not trained. */
export async function inspectCache(
  config: EnsembleConfig, cacheDir?: string, backend: BackendChoice = 'auto', files = new FileHasher(),
): Promise<Record<string, CachedMemberInfo>> {
  const cache = new MemberCache(cacheDirOf(config, cacheDir));
  const name = resolveBackendName(backend);
  const index = await cache.readIndex(configId(config));
  const out: Record<string, CachedMemberInfo> = {};
  for (const m of config.members) {
    const key = await memberKey(config, m, name, files);
    const meta = await cache.peekMeta(key);
    if (meta) out[m.id] = { id: m.id, state: 'trained', key, history: meta.history, backend: meta.backend, millis: meta.millis };
    else out[m.id] = { id: m.id, state: index[m.id] && index[m.id] !== key ? 'stale' : 'not-trained', key };
  }
  return out;
}

/** Every cached member's test outputs, in config order; members without a valid entry are absent. */
export async function loadCachedOutputs(
  config: EnsembleConfig,
  opts: { cacheDir?: string; backend?: BackendChoice; log?(line: string): void; shared?: boolean; files?: FileHasher } = {},
): Promise<Map<string, Float32Array>> {
  const cache = new MemberCache(cacheDirOf(config, opts.cacheDir));
  const name = resolveBackendName(opts.backend ?? 'auto');
  const files = opts.files ?? new FileHasher();
  const out = new Map<string, Float32Array>();
  for (const m of config.members) {
    const hit = await cache.get(await memberKey(config, m, name, files), { shared: opts.shared });
    if (hit.status === 'hit') out.set(m.id, hit.entry.outputs);
    else if (hit.status === 'corrupt') opts.log?.(`${m.id}: ${hit.reason}`);
  }
  return out;
}

/** Removes the cache entries of a config's current members (other configs' entries stay). */
export async function clearCache(config: EnsembleConfig, cacheDir?: string): Promise<number> {
  const cache = new MemberCache(cacheDirOf(config, cacheDir));
  const files = new FileHasher();
  const keys = new Set<string>(Object.values(await cache.readIndex(configId(config))));
  for (const b of ['tensorflow', 'wasm', 'cpu'] as const) for (const m of config.members) keys.add(await memberKey(config, m, b, files));
  let n = 0;
  for (const k of keys) {
    if (await cache.peekMeta(k)) n++;
    await cache.remove(k);
  }
  return n;
}
