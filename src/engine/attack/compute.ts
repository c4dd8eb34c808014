// Transferability of a config, in the current thread: backend, dataset, members, the matrix, and
// the attack cache. The attack worker (attackWorker.ts) runs this; tests may call it directly.
import type { EnsembleConfig } from '../../core/config/types';
import type { BackendChoice } from '../../core/protocol';
import type { TransferabilityResult } from '../../core/transfer';
import { resolveBackendName } from '../backendChoice';
import { MemberCache } from '../cache/memberCache';
import { FileHasher, memberKey } from '../cache/memberKey';
import { loadDataset } from '../data/loadDataset';
import { cacheDirOf } from '../run';
import { initBackend } from '../tf/backend';
import { attackKey, readAttackResult, writeAttackResult } from './attackCache';
import { loadMembers } from './loadMembers';
import { computeMatrix } from './matrix';
import { resolveAttack } from './spec';

export interface ComputeOptions {
  /** Cache folder; default the config's. */
  cacheDir?: string;
  /** Default 'auto'. */
  backend?: BackendChoice;
  /** Folder of packaged data (mnist.bin, iris.json); default the engine's. */
  dataDir?: string;
  /** Recompute even when a cached result exists. Default false. */
  force?: boolean;
  /** Gallery samples per source; default 4 images or 200 points. */
  gallerySize?: number;
  signal?: AbortSignal;
  onProgress?(done: number, total: number, label: string): void;
  onBackend?(info: { name: string; reason: string }): void;
  log?(line: string): void;
}

export async function computeTransferability(config: EnsembleConfig, opts: ComputeOptions = {}): Promise<TransferabilityResult> {
  if (config.task !== 'classification') throw new Error('transferability needs a classification task');
  const attack = resolveAttack(config.attack);
  const choice = opts.backend ?? 'auto';
  const backendName = resolveBackendName(choice);
  const cacheDir = cacheDirOf(config, opts.cacheDir);
  const files = new FileHasher();
  const key = await attackKey(config, backendName, { gallerySize: opts.gallerySize }, files);
  if (!opts.force) {
    const hit = await readAttackResult(cacheDir, key);
    if (hit) return hit;
  }
  const conv = config.members.some((m) => m.source.kind === 'model' || (m.source.kind === 'layers' && m.source.layers.some((l) => l.type === 'conv2d')));
  const backend = await initBackend(choice, { conv });
  opts.onBackend?.(backend);
  const data = await loadDataset(config.data, config.task, opts.dataDir ? { dataDir: opts.dataDir } : {});
  const keys = new Map<string, string>();
  for (const m of config.members) keys.set(m.id, await memberKey(config, m, backendName, files));
  const loaded = await loadMembers(config, data, new MemberCache(cacheDir), keys);
  for (const s of loaded.skipped) opts.log?.(`${s.id}: skipped: ${s.reason}`);
  let result: TransferabilityResult;
  try {
    result = await computeMatrix({
      sources: loaded.sources,
      targets: loaded.targets,
      data,
      attack,
      boundsSource: config.data.bounds ? 'config' : data.isImage ? 'images' : 'data',
      backend: backend.name,
      skipped: loaded.skipped,
      gallerySize: opts.gallerySize,
      key,
      signal: opts.signal,
      onProgress: opts.onProgress,
    });
  } finally {
    await loaded.dispose();
  }
  await writeAttackResult(cacheDir, result);
  return result;
}
