// Cache keys: what determines a member's outputs, hashed. Files (user data, saved models, prediction
// files) enter by content hash, not by path, so moving a workspace keeps its cache and editing a file
// invalidates exactly the members that read it.
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, extname } from 'node:path';
import type { DataSpec, EnsembleConfig, MemberSpec } from '../../core/config/types';
import { ENGINE_VERSION } from './memberCache';
import { hashBytes, hashJson } from './hash';

/** Hashes of file contents, memoised per call site (a train run hashes each file once). */
export class FileHasher {
  private readonly memo = new Map<string, Promise<string>>();

  hash(path: string): Promise<string> {
    let h = this.memo.get(path);
    if (!h) {
      h = readFile(path).then(
        (b) => hashBytes(b),
        () => `missing:${path}`,
      );
      this.memo.set(path, h);
    }
    return h;
  }

  /** A TF.js model is model.json plus its weight shards: hash the folder's .json and .bin files. */
  async hashModel(path: string): Promise<string> {
    if (extname(path).toLowerCase() !== '.json') return this.hash(path);
    const dir = dirname(path);
    let names: string[] = [];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith('.bin')).sort();
    } catch {
      /* missing folder: the main file's hash says so */
    }
    const parts = await Promise.all([this.hash(path), ...names.map((n) => this.hash(join(dir, n)))]);
    return hashJson(parts);
  }
}

async function dataIdentity(data: DataSpec, files: FileHasher): Promise<unknown> {
  const d: Record<string, unknown> = { ...data };
  for (const f of ['train', 'test', 'labels'] as const) {
    const v = data[f];
    if (typeof v === 'string') d[f] = { file: await files.hash(v) };
  }
  return d;
}

/** The key of one member: engine version, backend, task, data and the member's own spec. */
export async function memberKey(config: EnsembleConfig, member: MemberSpec, backend: string, files = new FileHasher()): Promise<string> {
  const src = member.source;
  let source: unknown;
  if (src.kind === 'layers') source = { kind: 'layers', layers: src.layers, training: member.training };
  else if (src.kind === 'model') source = { kind: 'model', format: src.format, file: await files.hashModel(src.path) };
  else source = { kind: 'predictions', format: src.format, file: await files.hash(src.path) };
  return hashJson({
    engine: ENGINE_VERSION,
    // Saved models and prediction files do not depend on the training backend.
    backend: src.kind === 'layers' ? backend : 'any',
    task: config.task,
    data: await dataIdentity(config.data, files),
    source,
  }).slice(0, 40);
}

/** Identifies a config inside a shared cache folder (its path relative to the cache's parent). */
export function configId(config: EnsembleConfig): string {
  return config.file;
}
