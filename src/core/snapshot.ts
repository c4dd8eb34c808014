// Builds the dashboard's snapshot (src/core/webviewProtocol.ts) from a report, the members' outputs and
// the test inputs. Shared by the extension's panel and the HTML export, so both show the same data.
// Typed arrays travel as base64 strings: compact, exact, and plain JSON (postMessage and <script> data).
import type { EnsembleOutputs } from './outputs';
import type { EnsembleReport } from './report';
import type {
  DashboardFinding,
  DashboardSnapshot,
  SnapshotGrid,
  SnapshotInputs,
  SnapshotOutputs,
  TrainingProgress,
} from './webviewProtocol';

/** The parts of a `Dataset` (src/core/data/types.ts) the snapshot reads. */
export interface SnapshotDataset {
  inputShape: number[];
  isImage: boolean;
  nTest: number;
  xTest: Float32Array;
  featureNames?: string[];
  /** Valid range per feature; images are mapped from [lower, upper] to 0..255 (default [0, 1]). */
  lower?: Float32Array;
  upper?: Float32Array;
}

export interface SnapshotOptions {
  findings?: DashboardFinding[];
  grid?: SnapshotGrid;
  training?: TrainingProgress;
  /** Who shows it (default 'extension'). */
  host?: DashboardSnapshot['host'];
  /** At most this many test samples' inputs are included (default 10000). */
  maxInputs?: number;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 of bytes (no Buffer, so it also runs in a browser). */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 4096;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    let s = '';
    let i = start;
    for (; i + 2 < end; i += 3) {
      const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      s += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
    }
    if (end - i === 1) {
      const n = bytes[i] << 16;
      s += B64[n >> 18] + B64[(n >> 12) & 63] + '==';
    } else if (end - i === 2) {
      const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
      s += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + '=';
    }
    parts.push(s);
  }
  return parts.join('');
}

const LOOKUP = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();

/** Decodes standard base64; throws on characters outside the alphabet. */
export function base64ToBytes(s: string): Uint8Array {
  let len = s.length;
  while (len > 0 && s.charCodeAt(len - 1) === 61 /* = */) len--;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c] : -1;
    if (v < 0) throw new Error(`invalid base64 character at ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out.subarray(0, o);
}

/** base64 of a Float32Array's bytes (little-endian on every platform the extension runs on). */
export function float32ToBase64(a: Float32Array): string {
  return bytesToBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

/** The inverse of `float32ToBase64`; throws when the byte count is not a multiple of 4. */
export function base64ToFloat32(s: string): Float32Array {
  const b = base64ToBytes(s);
  if (b.length % 4 !== 0) throw new Error('float32 data has a length that is not a multiple of 4');
  const copy = new Uint8Array(b.length);
  copy.set(b);
  return new Float32Array(copy.buffer);
}

/** The outputs part: labels plus one base64 Float32 block per member. */
export function encodeOutputs(o: EnsembleOutputs): SnapshotOutputs {
  return {
    task: o.task,
    nTest: o.nTest,
    numClasses: o.numClasses,
    memberIds: o.members.map((m) => m.id),
    labels: float32ToBase64(o.labels),
    values: o.members.map((m) => {
      const expected = o.nTest * o.numClasses;
      if (m.values.length !== expected) throw new Error(`member ${m.id}: ${m.values.length} outputs, expected ${expected}`);
      return float32ToBase64(m.values);
    }),
  };
}

/** The inputs part: images quantised to bytes within the dataset's bounds, tabular rows as Float32. */
export function encodeInputs(d: SnapshotDataset, maxInputs = 10000): SnapshotInputs {
  const count = Math.min(d.nTest, maxInputs);
  const dim = d.inputShape.reduce((a, b) => a * b, 1);
  if (d.xTest.length < d.nTest * dim) throw new Error(`xTest has ${d.xTest.length} values, expected ${d.nTest * dim}`);
  if (d.isImage) {
    const shape = d.inputShape.length === 2 ? [...d.inputShape, 1] : [...d.inputShape];
    const px = new Uint8Array(count * dim);
    for (let i = 0; i < px.length; i++) {
      const f = i % dim;
      const lo = d.lower?.[f] ?? 0;
      const hi = d.upper?.[f] ?? 1;
      const t = hi > lo ? (d.xTest[i] - lo) / (hi - lo) : 0;
      px[i] = Math.round(255 * Math.min(1, Math.max(0, t)));
    }
    return { kind: 'image', count, shape, pixels: bytesToBase64(px) };
  }
  const names = d.featureNames && d.featureNames.length === dim ? d.featureNames : Array.from({ length: dim }, (_, i) => `x${i}`);
  return { kind: 'features', count, featureNames: names, values: float32ToBase64(d.xTest.subarray(0, count * dim)) };
}

/** Evenly spaced grid axes covering [lo, hi] widened by `margin` (a fraction of the span) on each side. */
export function gridAxis(lo: number, hi: number, steps: number, margin = 0.05): number[] {
  const span = hi > lo ? hi - lo : 1;
  const a = lo - margin * span;
  const b = hi + margin * span;
  return Array.from({ length: steps }, (_, i) => (steps === 1 ? (a + b) / 2 : a + ((b - a) * i) / (steps - 1)));
}

/** The grid's input points, row-major (y outer, x inner), 2 features each: what the host evaluates members on. */
export function gridPoints(xs: number[], ys: number[]): Float32Array {
  const p = new Float32Array(xs.length * ys.length * 2);
  let k = 0;
  for (const y of ys) {
    for (const x of xs) {
      p[k++] = x;
      p[k++] = y;
    }
  }
  return p;
}

/** The grid part from each member's probabilities on `gridPoints(xs, ys)`. */
export function encodeGrid(xs: number[], ys: number[], numClasses: number, members: { id: string; probs: Float32Array }[]): SnapshotGrid {
  const n = xs.length * ys.length * numClasses;
  return {
    xs,
    ys,
    numClasses,
    members: members.map((m) => {
      if (m.probs.length !== n) throw new Error(`grid of member ${m.id}: ${m.probs.length} values, expected ${n}`);
      return { id: m.id, probs: float32ToBase64(m.probs) };
    }),
  };
}

/** A complete snapshot: the report plus whatever outputs, inputs, grid and training are available. */
export function buildSnapshot(
  report: EnsembleReport,
  outputs?: EnsembleOutputs,
  dataset?: SnapshotDataset,
  opts: SnapshotOptions = {},
): DashboardSnapshot {
  const snap: DashboardSnapshot = { report, host: opts.host ?? 'extension' };
  if (opts.findings) snap.findings = opts.findings;
  if (outputs && outputs.members.length > 0) snap.outputs = encodeOutputs(outputs);
  if (dataset) {
    if (outputs && dataset.nTest !== outputs.nTest) throw new Error(`dataset has ${dataset.nTest} test samples, outputs ${outputs.nTest}`);
    snap.inputs = encodeInputs(dataset, opts.maxInputs);
  }
  if (opts.grid) snap.grid = opts.grid;
  if (opts.training) snap.training = opts.training;
  return snap;
}
