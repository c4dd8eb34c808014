// Worker-thread entry for backend.test.ts: initialises a backend and trains a tiny member off the
// main thread, then posts back what the test checks.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/engine/tf/backend';
import { trainMember } from '../../../src/engine/model/trainer';
import { L, linearToy, member } from './helpers';

async function main(): Promise<void> {
  const info = await initBackend(workerData.backend, { conv: true });
  const d = linearToy({ nTrain: 32, nTest: 8, inputShape: [4, 4, 1], numClasses: 2 });
  const layers = [L({ type: 'conv2d', filters: 2, kernelSize: 3, activation: 'relu' }), L({ type: 'flatten' }), L({ type: 'dense', units: 2, activation: 'softmax' })];
  const r = await trainMember({ member: member(layers, { epochs: 1 }), dataset: d });
  parentPort!.postMessage({ info, outputs: r.outputs, epochs: r.history.length, tensors: tf.memory().numTensors }, [r.outputs.buffer as ArrayBuffer]);
}

main().catch((e: Error) => parentPort!.postMessage({ error: e.message }));
