// Attack results are cached like members: `<cacheDir>/attacks/<key>.json`, keyed by every member's
// cache key (so retraining a member or editing a model file invalidates the result), the resolved
// attack spec and the backend. Host-safe: no TensorFlow.js here.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EnsembleConfig } from '../../core/config/types';
import { TRANSFER_FORMAT, TRANSFER_VERSION, type TransferabilityResult } from '../../core/transfer';
import { hashJson } from '../cache/hash';
import { ENGINE_VERSION, atomicWrite } from '../cache/memberCache';
import { FileHasher, memberKey } from '../cache/memberKey';
import { resolveAttack } from './spec';

/** Bumped when a change to the attack engine can change results. */
export const ATTACK_ENGINE_VERSION = 1;

/** The key of a config's transferability result. */
export async function attackKey(config: EnsembleConfig, backend: string, extra: { gallerySize?: number } = {}, files = new FileHasher()): Promise<string> {
  const members: [string, string][] = [];
  for (const m of config.members) members.push([m.id, await memberKey(config, m, backend, files)]);
  return hashJson({
    engine: ENGINE_VERSION,
    attackEngine: ATTACK_ENGINE_VERSION,
    backend,
    members,
    attack: resolveAttack(config.attack),
    gallerySize: extra.gallerySize ?? null,
  }).slice(0, 40);
}

export function attackResultPath(cacheDir: string, key: string): string {
  if (!/^[0-9a-f]{16,64}$/.test(key)) throw new Error(`invalid attack cache key '${key}'`);
  return join(cacheDir, 'attacks', `${key}.json`);
}

/** A cached result, or undefined (missing; an unreadable or foreign file is removed). */
export async function readAttackResult(cacheDir: string, key: string): Promise<TransferabilityResult | undefined> {
  const path = attackResultPath(cacheDir, key);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const r = JSON.parse(text) as TransferabilityResult;
    if (r.format === TRANSFER_FORMAT && r.version === TRANSFER_VERSION && r.key === key && Array.isArray(r.matrix)) return r;
  } catch {
    /* corrupt: removed below */
  }
  await rm(path, { force: true });
  return undefined;
}

export async function writeAttackResult(cacheDir: string, result: TransferabilityResult): Promise<void> {
  await atomicWrite(attackResultPath(cacheDir, result.key), JSON.stringify(result));
}
