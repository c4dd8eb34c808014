// Saved models in the matrix: a TF.js model.json member is a white-box source (its gradients flow),
// an ONNX member is a black-box target (a column, never a row), a prediction file is skipped.
// The TF.js model is trained here on raw iris and saved as model.json + weights.bin (the committed
// iris_tfjs fixture has random weights: too few samples would be in the pool); the ONNX member is the
// committed iris_mlp.onnx fixture (a PyTorch MLP trained on raw iris).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseConfig } from '../../../src/core/config/parse';
import { loadDataset } from '../../../src/engine/data/loadDataset';
import { initBackend } from '../../../src/engine/tf/backend';
import { computeTransferability } from '../../../src/engine/attack/compute';

const MODELS = join(__dirname, '../../fixtures/models');
const dir = mkdtempSync(join(tmpdir(), 'el-attack-saved-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Trains a small Keras-style model on raw iris and writes it as a TF.js layers model folder. */
async function saveTrainedTfjs(folder: string): Promise<string> {
  const text = JSON.stringify({ data: { source: 'iris', test: 45, seed: 3, normalize: 'none' }, members: [{ id: 'p', predictions: 'p.csv' }] });
  const data = await loadDataset(parseConfig(text, join(dir, 'x.ensemble.json')).config!.data, 'classification');
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [4], units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  m.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
  m.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
  const x = tf.tensor2d(data.xTrain, [data.nTrain, 4]);
  const y = tf.oneHot(tf.tensor1d(Array.from(data.yTrain), 'int32'), 3);
  await m.fit(x, y, { epochs: 150, batchSize: 32, verbose: 0 });
  tf.dispose([x, y]);
  await m.save(
    tf.io.withSaveHandler(async (a) => {
      const weights = new Uint8Array(a.weightData as ArrayBuffer);
      writeFileSync(join(folder, 'weights.bin'), weights);
      const manifest = [{ paths: ['weights.bin'], weights: a.weightSpecs }];
      writeFileSync(join(folder, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: a.modelTopology, weightsManifest: manifest }));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  m.dispose();
  return join(folder, 'model.json');
}

test('TF.js members are sources, ONNX members black-box columns, prediction files skipped', async () => {
  await initBackend('wasm');
  writeFileSync(join(dir, 'p.csv'), 'a,b,c\n');
  const modelJson = await saveTrainedTfjs(dir);
  const text = JSON.stringify({
    task: 'classification',
    data: { source: 'iris', test: 45, seed: 3, normalize: 'none' },
    members: [
      { id: 'tfjs', model: modelJson },
      { id: 'onnx', model: join(MODELS, 'iris_mlp.onnx') },
      { id: 'p', predictions: 'p.csv' },
    ],
    attack: { epsilon: [0.5], steps: 10, poolSize: 45, ensembleAttacks: ['ens', 'leaveOneOut'] },
  });
  const file = join(dir, 'iris.ensemble.json');
  writeFileSync(file, text);
  const { config, problems } = parseConfig(text, file);
  assert.ok(config, JSON.stringify(problems));
  const r = await computeTransferability(config, { backend: 'wasm', cacheDir: join(dir, 'cache') });
  assert.deepEqual(r.rows, ['tfjs']);
  assert.deepEqual(r.columns, ['tfjs', 'onnx', 'ensemble']);
  assert.deepEqual(r.columnKinds, ['differentiable', 'black-box', 'ensemble']);
  assert.deepEqual(r.skipped.map((s) => s.id), ['p']);
  assert.ok(r.protocol.poolSize > 10, `pool ${r.protocol.poolSize}`);
  assert.ok(r.matrix[0][0] > 0.3, `white-box success on the TF.js member: ${r.matrix[0][0]}`);
  assert.ok(r.matrix[0][1] > 0, `some transfer to the ONNX member: ${r.matrix[0][1]}`);
  // one differentiable member: no ensemble attack; leave-one-out only for the black-box member
  // (ENS on the one TF.js member = the same attack as its row, same pool)
  assert.deepEqual(r.ensembleAttacks, {});
  assert.deepEqual(r.leaveOneOut.map((e) => [e.heldOut, e.surrogates]), [['onnx', ['tfjs']]]);
  assert.equal(r.leaveOneOut[0].count, Math.round(r.leaveOneOut[0].rate * r.protocol.poolSize));
  assert.equal(r.gallery.kind, 'none');
});
