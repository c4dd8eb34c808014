// Decision-boundary grids of 2-D classification data: every member's class probabilities on an evenly
// spaced grid over the data, for the dashboard's Decision boundaries tab (src/core/webviewProtocol.ts
// SnapshotGrid). Host side: members run as 'grid' jobs in the worker pool (src/engine/pool/worker.ts);
// this file only picks the grid, reads and writes the grid cache and encodes the result.
//
// The grid lies in the dataset's input space, after its normalisation: the space the models see and the
// one the snapshot's test inputs are drawn in. It covers the train and test points with a margin of
// GRID_MARGIN of their span on each side. Grids are cached per member key and resolution under
// `<cacheDir>/grids/<hash>.bin` (layout: uint32 header length, JSON header, zero padding to 4 bytes,
// float32 probabilities), verified against the header's SHA-256 on every read.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EnsembleConfig, MemberSpec } from '../core/config/types';
import type { Dataset } from '../core/data/types';
import type { BackendChoice } from '../core/protocol';
import { encodeGrid, gridAxis, gridPoints } from '../core/snapshot';
import type { SnapshotGrid } from '../core/webviewProtocol';
import { MemberCache, atomicWrite } from './cache/memberCache';
import { FileHasher, memberKey } from './cache/memberKey';
import { hashBytes, hashJson } from './cache/hash';
import { resolveBackendName } from './backendChoice';
import { isLabelsOnly } from './evaluationData';
import { loadDataset } from './data/loadDataset';
import { JobError, WorkerPool, defaultPoolSize } from './pool/workerPool';
import { cacheDirOf } from './run';

/** Grid points per axis unless asked otherwise. */
export const DEFAULT_GRID_RESOLUTION = 80;
/** Extra room around the data on each side, as a fraction of its span. */
export const GRID_MARGIN = 0.1;
/** Bumped when the cached grid layout or the grid's placement changes: old files then miss. */
const GRID_FORMAT = 1;

export const PREDICTIONS_REASON = 'a prediction file holds fixed test-set outputs; it cannot be evaluated on the grid';

export interface GridOptions {
  /** Absolute cache folder; default the config's. */
  cacheDir?: string;
  backend?: BackendChoice;
  signal?: AbortSignal;
  /** A pool to reuse; otherwise one is made (only when some member must be evaluated) and disposed. */
  pool?: WorkerPool;
  /** Worker threads of a pool made here; default one per member to evaluate, at most one per core. */
  workers?: number;
  /** Points per axis (default 80). */
  resolution?: number;
  /** Folder of packaged data; default the engine's. */
  dataDir?: string;
  /** The config's dataset when the caller has it loaded already (saves loading it again). */
  dataset?: Dataset;
  /** false: use cached grids only and evaluate nothing (Restricted Mode). Default true. */
  evaluate?: boolean;
  /** Write newly evaluated grids to the cache (default true). */
  writeCache?: boolean;
  log?(line: string): void;
}

export interface GridOmission {
  id: string;
  reason: string;
}

export interface DecisionGrid {
  /** The members that have a grid, in config order; absent when none has. */
  grid?: SnapshotGrid;
  /** Members left out, and why (prediction files, not trained, failed to load...). */
  omitted: GridOmission[];
  /** Members whose grid came from the grid cache. */
  cached: string[];
  /** Members evaluated in the worker pool now. */
  evaluated: string[];
  millis: number;
}

/** A member that can be evaluated: its cache key and, for trained members, its weights. */
interface Candidate {
  member: MemberSpec;
  key: string;
  weights?: Uint8Array;
}

function abortError(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}

/** Members that have cached outputs (and weights, if trained here); the others are omitted with a reason. */
async function candidates(config: EnsembleConfig, cache: MemberCache, backend: BackendChoice): Promise<{ ok: Candidate[]; omitted: GridOmission[] }> {
  const name = resolveBackendName(backend);
  const files = new FileHasher();
  const ok: Candidate[] = [];
  const omitted: GridOmission[] = [];
  for (const member of config.members) {
    if (member.source.kind === 'predictions') {
      omitted.push({ id: member.id, reason: PREDICTIONS_REASON });
      continue;
    }
    const key = await memberKey(config, member, name, files);
    const hit = await cache.get(key);
    if (hit.status !== 'hit') {
      omitted.push({ id: member.id, reason: hit.status === 'corrupt' ? hit.reason : member.source.kind === 'layers' ? 'not trained' : 'not loaded yet' });
      continue;
    }
    if (member.source.kind === 'layers') {
      const weights = await cache.readWeights(key);
      if (!weights) {
        omitted.push({ id: member.id, reason: 'its cache entry has no weights' });
        continue;
      }
      ok.push({ member, key, weights });
    } else ok.push({ member, key });
  }
  return { ok, omitted };
}

/**
 * Runs 'grid' jobs: each candidate's class probabilities on `points` (n rows of the dataset's input
 * space). Failures become omissions; a cancel rejects with an AbortError.
 */
async function runGridJobs(
  config: EnsembleConfig,
  todo: Candidate[],
  points: Float32Array,
  width: number,
  opts: GridOptions,
): Promise<{ probs: Map<string, Float32Array>; omitted: GridOmission[] }> {
  const probs = new Map<string, Float32Array>();
  const omitted: GridOmission[] = [];
  if (todo.length === 0) return { probs, omitted };
  const pool = opts.pool ?? new WorkerPool({ size: Math.max(1, Math.min(opts.workers ?? defaultPoolSize(), todo.length)) });
  let jobId = 1;
  try {
    await Promise.all(
      todo.map(async (c) => {
        try {
          const r = await pool.run(
            { jobId: jobId++, kind: 'grid', member: c.member, data: config.data, task: config.task, backend: opts.backend ?? 'auto', baseDir: config.dir, dataDir: opts.dataDir, points, weights: c.weights },
            {},
            opts.signal,
          );
          if (r.outputs.length !== width) omitted.push({ id: c.member.id, reason: `its grid has ${r.outputs.length} values, expected ${width}` });
          else probs.set(c.member.id, r.outputs);
        } catch (e) {
          if (e instanceof JobError && e.cancelled) return;
          omitted.push({ id: c.member.id, reason: (e as Error).message });
        }
      }),
    );
  } finally {
    if (!opts.pool) await pool.dispose();
  }
  if (opts.signal?.aborted) throw abortError();
  return { probs, omitted };
}

/**
 * Every evaluable member's class probabilities on arbitrary inputs: `rows` rows of the dataset's
 * (normalised) input space in `points`, through the worker pool, without the grid cache. Prediction
 * files and members without cached outputs are omitted with the reason.
 */
export async function evaluateMembersAt(
  config: EnsembleConfig,
  points: Float32Array,
  rows: number,
  numClasses: number,
  opts: GridOptions = {},
): Promise<{ probs: Map<string, Float32Array>; omitted: GridOmission[] }> {
  const cache = new MemberCache(cacheDirOf(config, opts.cacheDir));
  const { ok, omitted } = await candidates(config, cache, opts.backend ?? 'auto');
  const r = await runGridJobs(config, ok, points, rows * numClasses, opts);
  return { probs: r.probs, omitted: [...omitted, ...r.omitted] };
}

/** The grid's axes: each feature's range over the train and test rows, widened by GRID_MARGIN. */
export function gridAxesOf(d: Pick<Dataset, 'xTrain' | 'xTest' | 'nTrain' | 'nTest'>, resolution: number): { xs: number[]; ys: number[] } {
  const lo = [Infinity, Infinity];
  const hi = [-Infinity, -Infinity];
  for (const [x, n] of [
    [d.xTrain, d.nTrain],
    [d.xTest, d.nTest],
  ] as const) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 2; j++) {
        const v = x[i * 2 + j];
        if (!Number.isFinite(v)) continue;
        if (v < lo[j]) lo[j] = v;
        if (v > hi[j]) hi[j] = v;
      }
    }
  }
  for (let j = 0; j < 2; j++) if (!(lo[j] <= hi[j])) [lo[j], hi[j]] = [0, 1];
  // Rounded to float32: the points the models see are Float32Array rows, and the axes must name them exactly.
  const axis = (j: number) => gridAxis(lo[j], hi[j], resolution, GRID_MARGIN).map((v) => Math.fround(v));
  return { xs: axis(0), ys: axis(1) };
}

interface GridHeader {
  format: number;
  key: string;
  resolution: number;
  numClasses: number;
  xs: [number, number];
  ys: [number, number];
  length: number;
  sha256: string;
}

function gridFile(cacheDir: string, key: string, resolution: number): string {
  return join(cacheDir, 'grids', `${hashJson({ format: GRID_FORMAT, key, resolution, margin: GRID_MARGIN }).slice(0, 40)}.bin`);
}

/** A cached grid when it is complete and describes exactly this grid; undefined otherwise. */
async function readGrid(file: string, want: Omit<GridHeader, 'sha256' | 'format'>): Promise<Float32Array | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return undefined;
  }
  if (bytes.length < 4) return undefined;
  const hlen = bytes.readUInt32LE(0);
  const start = Math.ceil((4 + hlen) / 4) * 4;
  let h: GridHeader;
  try {
    h = JSON.parse(bytes.subarray(4, 4 + hlen).toString('utf8')) as GridHeader;
  } catch {
    return undefined;
  }
  const fields = (x: Omit<GridHeader, 'sha256' | 'format'>) => JSON.stringify([x.key, x.resolution, x.numClasses, x.length, x.xs, x.ys]);
  if (h?.format !== GRID_FORMAT || fields(h) !== fields(want) || bytes.length - start !== h.length * 4) return undefined;
  const payload = bytes.subarray(start);
  if (hashBytes(payload) !== h.sha256) return undefined;
  const out = new Float32Array(h.length);
  new Uint8Array(out.buffer).set(payload);
  return out;
}

async function writeGrid(file: string, header: Omit<GridHeader, 'sha256' | 'format'>, probs: Float32Array): Promise<void> {
  const payload = new Uint8Array(probs.buffer, probs.byteOffset, probs.byteLength);
  const json = Buffer.from(JSON.stringify({ format: GRID_FORMAT, ...header, sha256: hashBytes(payload) } satisfies GridHeader), 'utf8');
  const start = Math.ceil((4 + json.length) / 4) * 4;
  const out = Buffer.alloc(start + payload.length);
  out.writeUInt32LE(json.length, 0);
  json.copy(out, 4);
  out.set(payload, start);
  await atomicWrite(file, out);
}

/** Data that cannot be 2-D, known without loading it. */
function surelyNot2d(config: EnsembleConfig): boolean {
  return config.task !== 'classification' || isLabelsOnly(config.data) || config.data.source === 'mnist' || config.data.source === 'iris' || config.data.source === 'regression';
}

/**
 * The decision-boundary grid of a config: every member's class probabilities on a resolution x
 * resolution grid. Undefined when the data is not 2-D classification. Cached grids are reused; the
 * others are evaluated in the worker pool (unless `evaluate` is false) and cached.
 */
export async function computeDecisionGrid(config: EnsembleConfig, opts: GridOptions = {}): Promise<DecisionGrid | undefined> {
  const t0 = Date.now();
  if (surelyNot2d(config)) return undefined;
  const data = opts.dataset ?? (await loadDataset(config.data, config.task, opts.dataDir ? { dataDir: opts.dataDir } : undefined));
  if (data.task !== 'classification' || data.inputShape.reduce((a, b) => a * b, 1) !== 2) return undefined;
  const resolution = Math.max(2, Math.floor(opts.resolution ?? DEFAULT_GRID_RESOLUTION));
  const { xs, ys } = gridAxesOf(data, resolution);
  const C = data.numClasses;
  const length = xs.length * ys.length * C;
  const cacheDir = cacheDirOf(config, opts.cacheDir);
  const cache = new MemberCache(cacheDir);
  const { ok, omitted } = await candidates(config, cache, opts.backend ?? 'auto');
  const header = (key: string) => ({ key, resolution, numClasses: C, xs: [xs[0], xs[xs.length - 1]] as [number, number], ys: [ys[0], ys[ys.length - 1]] as [number, number], length });

  const probs = new Map<string, Float32Array>();
  const cached: string[] = [];
  const todo: Candidate[] = [];
  for (const c of ok) {
    const hit = await readGrid(gridFile(cacheDir, c.key, resolution), header(c.key));
    if (hit) {
      probs.set(c.member.id, hit);
      cached.push(c.member.id);
    } else if (opts.evaluate === false) omitted.push({ id: c.member.id, reason: 'its grid is not cached, and evaluating models is off here (Restricted Mode)' });
    else todo.push(c);
  }
  if (opts.signal?.aborted) throw abortError();

  const run = await runGridJobs(config, todo, gridPoints(xs, ys), length, opts);
  omitted.push(...run.omitted);
  const evaluated: string[] = [];
  for (const c of todo) {
    const p = run.probs.get(c.member.id);
    if (!p) continue;
    probs.set(c.member.id, p);
    evaluated.push(c.member.id);
    if (opts.writeCache !== false) {
      await writeGrid(gridFile(cacheDir, c.key, resolution), header(c.key), p).catch((e: Error) => opts.log?.(`grid of ${c.member.id} not cached: ${e.message}`));
    }
  }
  const members = config.members.filter((m) => probs.has(m.id)).map((m) => ({ id: m.id, probs: probs.get(m.id) as Float32Array }));
  const order = new Map(config.members.map((m, i) => [m.id, i]));
  omitted.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return { grid: members.length ? encodeGrid(xs, ys, C, members) : undefined, omitted, cached, evaluated, millis: Date.now() - t0 };
}
