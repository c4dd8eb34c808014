// Backend selection: forced and automatic choices, their reasons, and training in a worker thread.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, missingKernels, wasmDir } from '../../../src/engine/tf/backend';

function nativeInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

function inWorker(backend: string): Promise<{ info?: { name: string }; outputs?: Float32Array; epochs?: number; tensors?: number; error?: string }> {
  return new Promise((resolve, reject) => {
    // The worker runs TypeScript through tsx's CommonJS hook, like the test itself.
    const code = `require('tsx/cjs'); require(${JSON.stringify(join(__dirname, 'trainWorker.ts'))});`;
    const w = new Worker(code, { eval: true, workerData: { backend } });
    w.once('message', (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

describe('initBackend', () => {
  it('locates the wasm binaries in the package when running from source', () => {
    assert.match(wasmDir(), /tfjs-backend-wasm[\\/]dist[\\/]$/);
  });

  it('forces wasm and registers every training kernel', async () => {
    const info = await initBackend('wasm', { conv: true });
    assert.equal(info.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.deepEqual(missingKernels('wasm', true), []);
  });

  it('forces cpu', async () => {
    assert.deepEqual((await initBackend('cpu')).name, 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
  });

  it('auto picks tensorflow when tfjs-node loads, else wasm, and says why', async () => {
    const info = await initBackend('auto', { conv: true });
    if (nativeInstalled()) assert.equal(info.name, 'tensorflow');
    else {
      assert.equal(info.name, 'wasm');
      assert.match(info.reason, /tfjs-node/);
    }
  });

  it('a forced tensorflow backend that cannot load is a clear error', { skip: nativeInstalled() && 'tfjs-node is installed' }, async () => {
    await assert.rejects(initBackend('tensorflow'), /backend 'tensorflow' is unavailable: @tensorflow\/tfjs-node .*Use 'wasm' or 'auto'/);
  });

  it('trains a CNN member inside a worker thread, leak-free', async () => {
    const r = await inWorker('auto');
    assert.equal(r.error, undefined);
    assert.equal(r.info?.name, nativeInstalled() ? 'tensorflow' : 'wasm');
    assert.equal(r.epochs, 1);
    assert.equal(r.outputs?.length, 16);
    assert.equal(r.tensors, 0);
  });
});
