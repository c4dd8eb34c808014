// Saved weights: a self-describing binary, and restoring a model from them.
//
// Layout (little-endian):
//   0  4 bytes  magic "ELW1"
//   4  uint32   header length H in bytes
//   8  H bytes  UTF-8 JSON header { version: 1, spec, tensors: [{ name, shape, offset, length }],
//               payloadFloats, checksum } (offset/length in float32 units, checksum = FNV-1a 32 of the payload bytes)
//      pad      zero bytes up to a multiple of 4
//      payload  float32 values of every tensor, in header order
import * as tf from '@tensorflow/tfjs';
import { Network } from './network';
import type { TrainedWeights } from './trainer';

const MAGIC = [0x45, 0x4c, 0x57, 0x31]; // "ELW1"
const VERSION = 1;

interface Header {
  version: number;
  spec: TrainedWeights['spec'];
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
  payloadFloats: number;
  checksum: number;
}

function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Encodes weights as one buffer (the returned array owns its whole ArrayBuffer, so it can be transferred). */
export function serializeWeights(w: TrainedWeights): Uint8Array {
  let offset = 0;
  const tensors = w.tensors.map((t) => {
    const length = t.values.length;
    const expected = t.shape.reduce((p, d) => p * d, 1);
    if (length !== expected) throw new Error(`serializeWeights: tensor ${t.name} has ${length} values for shape [${t.shape}]`);
    const entry = { name: t.name, shape: t.shape, offset, length };
    offset += length;
    return entry;
  });
  const payload = new Float32Array(offset);
  w.tensors.forEach((t, i) => payload.set(t.values, tensors[i].offset));
  const payloadBytes = new Uint8Array(payload.buffer);
  const header: Header = { version: VERSION, spec: w.spec, tensors, payloadFloats: offset, checksum: fnv1a(payloadBytes) };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = Math.ceil((8 + json.length) / 4) * 4;
  const out = new Uint8Array(start + payloadBytes.length);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, json.length, true);
  out.set(json, 8);
  out.set(payloadBytes, start);
  return out;
}

function corrupt(why: string): Error {
  return new Error(`corrupt weights file: ${why}`);
}

/** Decodes `serializeWeights` output; throws `corrupt weights file: ...` on anything malformed or truncated. */
export function deserializeWeights(bytes: Uint8Array): TrainedWeights {
  if (bytes.length < 8) throw corrupt(`only ${bytes.length} bytes`);
  if (MAGIC.some((b, i) => bytes[i] !== b)) throw corrupt('bad magic (not an Ensemble Lens weights file)');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + headerLength > bytes.length) throw corrupt(`header of ${headerLength} bytes runs past the end (${bytes.length} bytes): truncated`);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength))) as Header;
  } catch (e) {
    throw corrupt(`unreadable header (${(e as Error).message})`);
  }
  if (header?.version !== VERSION) throw corrupt(`unsupported version ${String(header?.version)}`);
  if (!header.spec || !Array.isArray(header.spec.layers) || !Array.isArray(header.tensors)) throw corrupt('header lacks spec or tensors');
  const start = Math.ceil((8 + headerLength) / 4) * 4;
  const expectedBytes = header.payloadFloats * 4;
  if (bytes.length - start !== expectedBytes) {
    throw corrupt(`payload is ${bytes.length - start} bytes, expected ${expectedBytes}${bytes.length - start < expectedBytes ? ' (truncated)' : ''}`);
  }
  const payloadBytes = bytes.slice(start, start + expectedBytes); // copy: aligned, and detached from the input
  if (fnv1a(payloadBytes) !== header.checksum) throw corrupt('payload checksum mismatch');
  const payload = new Float32Array(payloadBytes.buffer);
  const tensors = header.tensors.map((t) => {
    const size = t.shape.reduce((p, d) => p * d, 1);
    if (size !== t.length || t.offset < 0 || t.offset + t.length > header.payloadFloats) throw corrupt(`tensor ${t.name} is out of range`);
    return { name: t.name, shape: t.shape, values: payload.slice(t.offset, t.offset + t.length) };
  });
  return { spec: header.spec, tensors };
}

/** A restored model, differentiable w.r.t. its input. */
export interface DifferentiableModel {
  inputShape: number[];
  numClasses: number;
  /** logits for classification (pre-softmax), predictions for regression; x is [n, ...inputShape] in the dataset's input space */
  logits(x: tf.Tensor): tf.Tensor;
  predictProba(x: tf.Tensor): tf.Tensor;
  dispose(): void;
}

/** Network with the saved parameters of `w` (no random draws). */
export function restoreNetwork(w: TrainedWeights): Network {
  const byName = new Map(w.tensors.map((t) => [t.name, t]));
  return new Network(w.spec, {
    kind: 'saved',
    get(name, shape) {
      const t = byName.get(name);
      if (!t) throw new Error(`weights lack tensor ${name}`);
      if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
        throw new Error(`weights tensor ${name} has shape [${t.shape}], the model needs [${shape}]`);
      }
      return t.values;
    },
  });
}

/** Rebuilds a trained model in inference mode (dropout off, batch norm on running statistics). */
export function restoreModel(w: TrainedWeights): DifferentiableModel {
  const net = restoreNetwork(w);
  return {
    inputShape: [...w.spec.inputShape],
    numClasses: w.spec.numClasses,
    logits: (x) => net.logits(x),
    predictProba: (x) => net.predictProba(x),
    dispose: () => net.dispose(),
  };
}
