// The member cache: each member's test outputs, trained weights and training history, stored under
// `<cacheDir>/entries/<key>/`, keyed by a content hash of everything that determines the result.
// Writes are atomic (a temporary folder renamed into place); every read is verified against the
// checksums in meta.json, and a corrupt or partial entry is reported, removed and rebuilt, never trusted.
import { mkdir, readFile, rename, rm, writeFile, readdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { EpochProgress } from '../../core/protocol';
import { hashBytes } from './hash';

/** Bumped whenever a change to the engine can change trained results: old entries then miss. */
export const ENGINE_VERSION = 1;
const META_VERSION = 1;

export interface CacheEntryMeta {
  metaVersion: number;
  key: string;
  memberId: string;
  kind: 'layers' | 'model' | 'predictions';
  backend: string;
  createdAt: string;
  millis: number;
  history: EpochProgress[];
  outputs: { length: number; bytes: number; sha256: string };
  weights?: { bytes: number; sha256: string };
}

export interface CacheHit {
  meta: CacheEntryMeta;
  outputs: Float32Array;
}

export type CacheLookup = { status: 'hit'; entry: CacheHit } | { status: 'miss' } | { status: 'corrupt'; reason: string };

export class MemberCache {
  constructor(readonly dir: string) {}

  private entryDir(key: string): string {
    if (!/^[0-9a-f]{16,64}$/.test(key)) throw new Error(`invalid cache key '${key}'`);
    return join(this.dir, 'entries', key);
  }

  /**
   * Reads and verifies an entry. A corrupt entry is removed so that it is rebuilt. `shared`: the outputs in a
   * SharedArrayBuffer, which worker threads then read without a copy (engine/analysis/parallel.ts).
   */
  async get(key: string, opts: { shared?: boolean } = {}): Promise<CacheLookup> {
    const dir = this.entryDir(key);
    let metaText: string;
    try {
      metaText = await readFile(join(dir, 'meta.json'), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        // A folder without meta.json is a partial entry (meta is written last).
        const partial = await exists(dir);
        if (partial) {
          await rm(dir, { recursive: true, force: true });
          return { status: 'corrupt', reason: `cache entry ${key.slice(0, 12)} has no meta.json (partial write); removed` };
        }
        return { status: 'miss' };
      }
      throw e;
    }
    const reason = await this.verify(key, dir, metaText, !!opts.shared);
    if (typeof reason === 'string') {
      await rm(dir, { recursive: true, force: true });
      return { status: 'corrupt', reason: `cache entry ${key.slice(0, 12)}: ${reason}; removed` };
    }
    return { status: 'hit', entry: reason };
  }

  private async verify(key: string, dir: string, metaText: string, shared: boolean): Promise<CacheHit | string> {
    let meta: CacheEntryMeta;
    try {
      meta = JSON.parse(metaText) as CacheEntryMeta;
    } catch {
      return 'meta.json is not valid JSON';
    }
    if (meta.metaVersion !== META_VERSION || meta.key !== key || !meta.outputs) return 'meta.json does not describe this entry';
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, 'outputs.bin'));
    } catch {
      return 'outputs.bin is missing';
    }
    if (bytes.length !== meta.outputs.bytes || bytes.length !== meta.outputs.length * 4) return `outputs.bin has ${bytes.length} bytes, expected ${meta.outputs.bytes}`;
    if (hashBytes(bytes) !== meta.outputs.sha256) return 'outputs.bin checksum mismatch';
    if (meta.weights) {
      try {
        const w = await readFile(join(dir, 'weights.bin'));
        if (w.length !== meta.weights.bytes || hashBytes(w) !== meta.weights.sha256) return 'weights.bin checksum mismatch';
      } catch {
        return 'weights.bin is missing';
      }
    }
    const outputs = new Float32Array(shared ? new SharedArrayBuffer(meta.outputs.length * 4) : new ArrayBuffer(meta.outputs.length * 4));
    new Uint8Array(outputs.buffer).set(bytes);
    return { meta, outputs };
  }

  /** Stores an entry atomically. An existing entry with the same key is replaced. */
  async put(
    key: string,
    info: Omit<CacheEntryMeta, 'metaVersion' | 'key' | 'outputs' | 'weights' | 'createdAt'>,
    outputs: Float32Array,
    weights?: Uint8Array,
  ): Promise<CacheEntryMeta> {
    const final = this.entryDir(key);
    const tmp = join(this.dir, 'entries', `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    await mkdir(tmp, { recursive: true });
    try {
      const outBytes = new Uint8Array(outputs.buffer, outputs.byteOffset, outputs.byteLength);
      await writeFile(join(tmp, 'outputs.bin'), outBytes);
      if (weights) await writeFile(join(tmp, 'weights.bin'), weights);
      const meta: CacheEntryMeta = {
        ...info,
        metaVersion: META_VERSION,
        key,
        createdAt: new Date().toISOString(),
        outputs: { length: outputs.length, bytes: outBytes.byteLength, sha256: hashBytes(outBytes) },
        weights: weights ? { bytes: weights.byteLength, sha256: hashBytes(weights) } : undefined,
      };
      await writeFile(join(tmp, 'meta.json'), JSON.stringify(meta, null, 1));
      await rm(final, { recursive: true, force: true });
      await rename(tmp, final);
      return meta;
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
  }

  /** The trained weights of an entry (verified by `get` first). */
  async readWeights(key: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(join(this.entryDir(key), 'weights.bin')));
    } catch {
      return undefined;
    }
  }

  /** Reads just the meta of an entry, without verifying payloads (cheap; for status displays). */
  async peekMeta(key: string): Promise<CacheEntryMeta | undefined> {
    try {
      const m = JSON.parse(await readFile(join(this.entryDir(key), 'meta.json'), 'utf8')) as CacheEntryMeta;
      return m.key === key ? m : undefined;
    } catch {
      return undefined;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.entryDir(key), { recursive: true, force: true });
  }

  /** Keys of all complete entries. */
  async keys(): Promise<string[]> {
    try {
      return (await readdir(join(this.dir, 'entries'))).filter((k) => /^[0-9a-f]{16,64}$/.test(k));
    } catch {
      return [];
    }
  }

  /** The last key each member of a config was stored under: lets a changed member show as stale. */
  async readIndex(configId: string): Promise<Record<string, string>> {
    try {
      const all = JSON.parse(await readFile(join(this.dir, 'index.json'), 'utf8')) as Record<string, Record<string, string>>;
      return all[configId] ?? {};
    } catch {
      return {};
    }
  }

  async updateIndex(configId: string, entries: Record<string, string>): Promise<void> {
    let all: Record<string, Record<string, string>> = {};
    try {
      all = JSON.parse(await readFile(join(this.dir, 'index.json'), 'utf8')) as typeof all;
    } catch {
      /* missing or corrupt index: rebuilt from scratch */
    }
    all[configId] = { ...(all[configId] ?? {}), ...entries };
    await atomicWrite(join(this.dir, 'index.json'), JSON.stringify(all, null, 1));
  }
}

/** Writes a file through a temporary sibling and a rename, so readers never see half a file. */
export async function atomicWrite(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  await mkdir(join(path, '..'), { recursive: true });
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await readdir(p);
    return true;
  } catch {
    return false;
  }
}
