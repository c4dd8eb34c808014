// TF.js members (model.json written by hand from numpy arrays in scripts/fixtures/make_models.py):
// outputs equal numpy's, logits are the pre-softmax values, gradients match finite differences,
// broken model folders give precise errors, and no tensors are left behind.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { loadDifferentiableModel, loadMemberOutputs, MemberLoadError } from '../../../src/engine/members/loadMember';
import { fileSystemHandler } from '../../../src/engine/members/fsIoHandler';
import { assertClose, modelMember, MODELS, readJson, testDataset } from './helpers';

const ref = readJson<{ input: number[][]; logits: number[][]; probs: number[][] }>(join(MODELS, 'iris_tfjs.expected.json'));
const iris = testDataset(ref.input, [4], 3);
const ctx = { nTest: iris.nTest, numClasses: 3, task: 'classification' as const, dataset: iris, baseDir: MODELS };
const LAYERS = join(MODELS, 'iris_tfjs', 'model.json');
const GRAPH = join(MODELS, 'iris_tfjs_graph', 'model.json');
const FUNCTIONAL = join(MODELS, 'iris_tfjs_functional', 'model.json');
const binRef = readJson<{ input: number[][]; logits: number[][]; probs: number[][] }>(join(MODELS, 'binary_tfjs.expected.json'));

before(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

async function expectError(path: string): Promise<MemberLoadError> {
  const err = await loadMemberOutputs(modelMember(path), { ...ctx, baseDir: undefined }).catch((e: unknown) => e);
  assert.ok(err instanceof MemberLoadError, `expected a MemberLoadError, got ${String(err)}`);
  return err;
}

/** A copy of the layers model folder to break. */
function copyLayers(): string {
  const dir = mkdtempSync(join(tmpdir(), 'members-tfjs-'));
  cpSync(join(MODELS, 'iris_tfjs'), dir, { recursive: true });
  return dir;
}

describe('TF.js members', () => {
  it('layers model outputs equal numpy probabilities', async () => {
    const before = tf.memory().numTensors;
    assertClose(await loadMemberOutputs(modelMember(LAYERS), ctx), ref.probs.flat(), 1e-5, 'layers probs');
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });

  it('graph model outputs equal numpy probabilities', async () => {
    const before = tf.memory().numTensors;
    assertClose(await loadMemberOutputs(modelMember(GRAPH), ctx), ref.probs.flat(), 1e-5, 'graph probs');
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });

  it('a graph model with control flow runs through executeAsync: same outputs, but no gradients', async () => {
    const path = join(MODELS, 'iris_tfjs_graph_async', 'model.json');
    const before = tf.memory().numTensors;
    assertClose(await loadMemberOutputs(modelMember(path), ctx), ref.probs.flat(), 1e-5, 'async graph probs');
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    const err = await loadDifferentiableModel(modelMember(path), iris).catch((e: unknown) => e);
    assert.ok(err instanceof MemberLoadError);
    assert.match(err.message, /executeAsync \(no gradients\)/);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });

  it('a folder stands for its model.json', async () => {
    assertClose(await loadMemberOutputs(modelMember(join(MODELS, 'iris_tfjs')), ctx), ref.probs.flat(), 1e-5, 'folder');
    const err = await loadMemberOutputs(modelMember(join(MODELS, 'predictions-none')), ctx).catch((e: unknown) => e);
    assert.ok(err instanceof MemberLoadError);
    assert.equal(err.toString(), 'predictions-none: file not found');
  });

  it('functional model (Keras-converter layout, final Activation softmax) equals numpy', async () => {
    assertClose(await loadMemberOutputs(modelMember(FUNCTIONAL), ctx), ref.probs.flat(), 1e-5, 'functional probs');
  });

  it('one-unit sigmoid model: two-class probabilities [1 - p, p] and logits [0, z]', async () => {
    const bin = testDataset(binRef.input, [4], 2);
    const path = join(MODELS, 'binary_tfjs', 'model.json');
    const out = await loadMemberOutputs(modelMember(path), { nTest: bin.nTest, numClasses: 2, task: 'classification', dataset: bin });
    assertClose(out, binRef.probs.flat(), 1e-5, 'binary probs');
    const model = await loadDifferentiableModel(modelMember(path), bin);
    assert.ok(model);
    const z = tf.tidy(() => model.logits(tf.tensor2d(binRef.input)));
    assertClose(await z.data(), binRef.logits.flat(), 1e-4, 'binary logits');
    z.dispose();
    model.dispose();
  });

  it('regression: the same one-unit sigmoid model predicts sigmoid(z), its head kept', async () => {
    const reg = testDataset(binRef.input, [4], 1, 'regression');
    const path = join(MODELS, 'binary_tfjs', 'model.json');
    const out = await loadMemberOutputs(modelMember(path), { nTest: reg.nTest, numClasses: 1, task: 'regression', dataset: reg });
    assertClose(out, binRef.probs.map((p) => p[1]), 1e-5, 'regression predictions');
    const model = await loadDifferentiableModel(modelMember(path), reg);
    assert.ok(model);
    assert.equal(model.numClasses, 1);
    const y = tf.tidy(() => model.predictProba(tf.tensor2d(binRef.input)));
    assertClose(await y.data(), binRef.probs.map((p) => p[1]), 1e-5, 'regression predictProba');
    y.dispose();
    model.dispose();
  });

  it('the IOHandler loads weights tfjs accepts directly', async () => {
    const model = await tf.loadLayersModel(fileSystemHandler(LAYERS));
    const y = model.predict(tf.tensor2d(ref.input)) as tf.Tensor;
    assertClose(await y.data(), ref.probs.flat(), 1e-5);
    y.dispose();
    model.dispose();
  });

  for (const [name, path] of [['layers', LAYERS], ['graph', GRAPH], ['functional', FUNCTIONAL]]) {
    it(`${name}: differentiable logits are the pre-softmax values; predictProba their softmax`, async () => {
      const before = tf.memory().numTensors;
      const model = await loadDifferentiableModel(modelMember(path), iris);
      assert.ok(model);
      assert.deepEqual(model.inputShape, [4]);
      assert.equal(model.numClasses, 3);
      const x = tf.tensor2d(ref.input);
      const z = model.logits(x);
      const p = model.predictProba(x);
      assertClose(await z.data(), ref.logits.flat(), 1e-4, 'logits');
      assertClose(await p.data(), ref.probs.flat(), 1e-5, 'probs');
      tf.dispose([x, z, p]);
      model.dispose();
      assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    });

    it(`${name}: gradient of a logit w.r.t. the input matches central finite differences`, async () => {
      const before = tf.memory().numTensors;
      const model = await loadDifferentiableModel(modelMember(path), iris);
      assert.ok(model);
      // Loss: cross-entropy of sample 0 for class 2 (through logits), and logit 1 of sample 3.
      const loss = (x: tf.Tensor): tf.Scalar =>
        tf.tidy(() => {
          const z = model.logits(x);
          const ce = tf.neg(tf.logSoftmax(z).slice([0, 2], [1, 1]).sum());
          return ce.add(z.slice([3, 1], [1, 1]).sum()) as tf.Scalar;
        });
      const x0 = Float64Array.from(ref.input.flat());
      const g = tf.tidy(() => tf.grad(loss)(tf.tensor2d(Float32Array.from(x0), [x0.length / 4, 4])));
      const grad = await g.data();
      g.dispose();
      // Finite differences in float64 around float32 evaluation: h large enough for float32 noise.
      const h = 1e-2;
      const at = (i: number, d: number): number => {
        const xs = Float32Array.from(x0);
        xs[i] += d;
        return tf.tidy(() => loss(tf.tensor2d(xs, [x0.length / 4, 4])).dataSync()[0]);
      };
      for (const i of [0, 1, 2, 3, 12, 13, 14, 15, 5]) {
        const fd = (at(i, h) - at(i, -h)) / (2 * h);
        assert.ok(Math.abs(fd - grad[i]) < 2e-3 + 1e-2 * Math.abs(fd), `d/dx[${i}]: autodiff ${grad[i]} vs finite difference ${fd}`);
      }
      assert.ok(grad.some((v) => Math.abs(v) > 1e-3), 'gradient is not all zero');
      model.dispose();
      assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    });
  }

  it('prediction members have no differentiable model', async () => {
    const spec = modelMember(LAYERS);
    spec.source = { kind: 'predictions', path: '/x.csv', format: 'csv' };
    assert.equal(await loadDifferentiableModel(spec, iris), null);
  });
});

describe('TF.js models saved by TF.js itself', () => {
  it('a conv net on [28, 28, 1] saved with model.save loads, predicts the same and differentiates to the input shape', async () => {
    const before = tf.memory().numTensors;
    const net = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 2, kernelSize: 5, strides: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    const dir = mkdtempSync(join(tmpdir(), 'members-saved-'));
    await net.save(
      tf.io.withSaveHandler(async (a) => {
        const weightData = a.weightData as ArrayBuffer;
        writeFileSync(join(dir, 'weights.bin'), new Uint8Array(weightData));
        const manifest = [{ paths: ['./weights.bin'], weights: a.weightSpecs }];
        writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy, weightsManifest: manifest }));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const images = Array.from({ length: 3 }, (_, k) => Array.from({ length: 784 }, (_, i) => ((i * (k + 3)) % 17) / 16));
    const data = testDataset(images, [28, 28, 1], 10);
    const expected = tf.tidy(() => (net.predict(tf.tensor4d(images.flat(), [3, 28, 28, 1])) as tf.Tensor).dataSync());
    const out = await loadMemberOutputs(modelMember(join(dir, 'model.json')), { nTest: 3, numClasses: 10, task: 'classification', dataset: data });
    assertClose(out, expected, 1e-5, 'saved conv net');

    const model = await loadDifferentiableModel(modelMember(join(dir, 'model.json')), data);
    assert.ok(model);
    const g = tf.tidy(() => tf.grad((x: tf.Tensor) => model.logits(x).slice([0, 0], [1, 1]).sum())(tf.tensor4d(images.flat(), [3, 28, 28, 1])));
    assert.deepEqual(g.shape, [3, 28, 28, 1]);
    assert.ok(tf.tidy(() => g.abs().sum().dataSync()[0]) > 0);
    tf.dispose(g);
    model.dispose();
    net.dispose();
    rmSync(dir, { recursive: true });
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });
});

describe('TF.js model.json errors', () => {
  it('a missing model.json', async () => {
    const err = await expectError(join(MODELS, 'nope', 'model.json'));
    assert.equal(err.message, 'file not found');
    assert.equal(err.file, join(MODELS, 'nope', 'model.json'));
  });

  it('bad JSON points at line and column', async () => {
    const dir = copyLayers();
    const bad = '    "class_name": "Sequential" "config": {}';
    writeFileSync(join(dir, 'model.json'), `{\n  "format": "layers-model",\n  "modelTopology": {\n${bad}\n  }\n}\n`);
    const err = await expectError(join(dir, 'model.json'));
    assert.equal(err.line, 4);
    assert.equal(err.column, bad.indexOf('"config"') + 1); // the token after the missing comma
    assert.match(err.message, /invalid JSON/);
    rmSync(dir, { recursive: true });
  });

  it('a missing weight shard names the shard and points at its entry in model.json', async () => {
    const dir = copyLayers();
    rmSync(join(dir, 'group1-shard1of1.bin'));
    const err = await expectError(join(dir, 'model.json'));
    assert.match(err.message, /weight file group1-shard1of1\.bin not found/);
    assert.equal(err.file, join(dir, 'model.json'));
    const text = readFileSync(join(dir, 'model.json'), 'utf8').split('\n');
    assert.ok(err.line !== undefined && err.column !== undefined);
    assert.equal(text[err.line - 1].slice(err.column - 1), '"group1-shard1of1.bin"');
    rmSync(dir, { recursive: true });
  });

  it('a shard of the wrong size gives both sizes', async () => {
    const dir = copyLayers();
    truncateSync(join(dir, 'group1-shard1of1.bin'), 100);
    const err = await expectError(join(dir, 'model.json'));
    // 4*8 + 8 + 8*3 + 3 = 67 float32 weights = 268 bytes.
    assert.match(err.message, /group1-shard1of1\.bin hold 100 bytes, but weightsManifest\[0\] needs 268/);
    rmSync(dir, { recursive: true });
  });

  it('a model that does not fit the dataset names both shapes', async () => {
    const mnistLike = testDataset([new Array(784).fill(0)], [28, 28, 1], 3);
    const err = await loadMemberOutputs(modelMember(LAYERS), { nTest: 1, numClasses: 3, task: 'classification', dataset: mnistLike, baseDir: MODELS }).catch((e: unknown) => e);
    assert.ok(err instanceof MemberLoadError);
    assert.equal(err.toString(), "iris_tfjs/model.json: model input [N, 4] does not fit the dataset's samples [28, 28, 1] (784 values each)");
  });
});
