// ONNX members through onnxruntime-node, compared with PyTorch's outputs on the same inputs
// (test/fixtures/models/*.expected.json, written by scripts/fixtures/make_models.py).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadDifferentiableModel, loadMemberOutputs, loadOnnxPredictor, MemberLoadError } from '../../../src/engine/members/loadMember';
import { assertClose, member, modelMember, MODELS, readJson, testDataset } from './helpers';

interface Reference {
  input: number[][];
  logits: number[][];
  probs: number[][];
}
const irisRef = readJson<Reference>(join(MODELS, 'iris_mlp.expected.json'));
const mnistBatch = readJson<{ input: number[][] }>(join(MODELS, 'mnist_batch.json'));
const mnistRef = readJson<{ cnnProbs: number[][]; flatProbs: number[][] }>(join(MODELS, 'mnist.expected.json'));
const iris = testDataset(irisRef.input, [4], 3);
const mnist = testDataset(mnistBatch.input, [28, 28, 1], 10);
const ctx = (d: typeof iris) => ({ nTest: d.nTest, numClasses: d.numClasses, task: d.task, dataset: d, baseDir: MODELS });

describe('ONNX members', () => {
  it('iris MLP (logits out): softmax of onnxruntime outputs equals PyTorch probabilities', async () => {
    const out = await loadMemberOutputs(modelMember(join(MODELS, 'iris_mlp.onnx')), ctx(iris));
    assertClose(out, irisRef.probs.flat(), 1e-5, 'iris probs');
  });

  it('MNIST CNN with NCHW input [N,1,28,28] fed NHWC data equals PyTorch', async () => {
    const out = await loadMemberOutputs(modelMember(join(MODELS, 'mnist_cnn_nchw.onnx')), ctx(mnist));
    assertClose(out, mnistRef.cnnProbs.flat(), 1e-5, 'cnn probs');
  });

  it('a 3-channel NCHW model [N,3,4,4] fed NHWC [4,4,3] data: transposed, equals PyTorch', async () => {
    const rgbRef = readJson<Reference>(join(MODELS, 'rgb_cnn.expected.json'));
    const rgb = testDataset(rgbRef.input, [4, 4, 3], 3);
    const out = await loadMemberOutputs(modelMember(join(MODELS, 'rgb_cnn_nchw.onnx')), ctx(rgb));
    assertClose(out, rgbRef.probs.flat(), 1e-5, 'rgb probs');
  });

  it('the same CNN behind an NHWC input [N,28,28,1] gives the same outputs', async () => {
    const out = await loadMemberOutputs(modelMember(join(MODELS, 'mnist_cnn_nhwc.onnx')), ctx(mnist));
    assertClose(out, mnistRef.cnnProbs.flat(), 1e-5, 'nhwc cnn probs');
  });

  it('a flat [N,784] model ending in softmax: outputs are used as probabilities, not softmaxed again', async () => {
    const out = await loadMemberOutputs(modelMember(join(MODELS, 'mnist_flat.onnx')), ctx(mnist));
    assertClose(out, mnistRef.flatProbs.flat(), 1e-5, 'flat probs');
  });

  it('a fixed batch dim (4) is honoured, the last batch padded; a float64 input is fed float64', async () => {
    for (const file of ['iris_mlp_batch4.onnx', 'iris_mlp_f64.onnx']) {
      const out = await loadMemberOutputs(modelMember(join(MODELS, file)), ctx(iris)); // 10 samples: 4 + 4 + 2
      assertClose(out, irisRef.probs.flat(), 1e-5, file);
    }
  });

  it('of several outputs, the float "probabilities" one is used (an int64 label output is skipped)', async () => {
    const out = await loadMemberOutputs(modelMember(join(MODELS, 'iris_mlp_label_probs.onnx')), ctx(iris));
    assertClose(out, irisRef.probs.flat(), 1e-5, 'label+probs');
  });

  it('regression: one prediction per sample, equal to PyTorch', async () => {
    const regRef = readJson<{ input: number[][]; predictions: number[] }>(join(MODELS, 'iris_reg.expected.json'));
    const reg = testDataset(regRef.input, [4], 1, 'regression');
    const out = await loadMemberOutputs(modelMember(join(MODELS, 'iris_reg.onnx')), ctx(reg));
    assertClose(out, regRef.predictions, 1e-5, 'regression');
  });

  it('batches larger than one inference batch give the same rows', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => irisRef.input[i % irisRef.input.length]);
    const big = testDataset(rows, [4], 3);
    const out = await loadMemberOutputs(modelMember(join(MODELS, 'iris_mlp.onnx')), ctx(big));
    assert.equal(out.length, 600 * 3);
    const k = 599 % irisRef.input.length;
    assertClose(out.subarray(599 * 3), irisRef.probs[k], 1e-5, 'row 599');
  });

  it('a model whose input does not fit the dataset fails naming the file and both shapes', async () => {
    const err = await loadMemberOutputs(modelMember(join(MODELS, 'mnist_cnn_nchw.onnx')), ctx(iris)).catch((e: unknown) => e);
    assert.ok(err instanceof MemberLoadError);
    assert.equal(err.file, join(MODELS, 'mnist_cnn_nchw.onnx'));
    assert.equal(err.toString(), "mnist_cnn_nchw.onnx: model input [N, 1, 28, 28] does not fit the dataset's samples [4] (4 values each)");
  });

  it('a class-count mismatch is reported', async () => {
    const wrong = testDataset(irisRef.input, [4], 4);
    const err = await loadMemberOutputs(modelMember(join(MODELS, 'iris_mlp.onnx')), ctx(wrong)).catch((e: unknown) => e);
    assert.ok(err instanceof MemberLoadError);
    assert.match(err.message, /outputs 3 values per sample, but the dataset has 4 classes/);
  });

  it('a missing .onnx file says so', async () => {
    const err = await loadMemberOutputs(modelMember(join(MODELS, 'absent.onnx')), ctx(iris)).catch((e: unknown) => e);
    assert.ok(err instanceof MemberLoadError);
    assert.equal(err.toString(), 'absent.onnx: file not found');
  });

  it('a file that is not ONNX fails with onnxruntime\'s reason', async () => {
    const notOnnx = member({ kind: 'model', path: join(MODELS, 'mnist_batch.json'), format: 'onnx' });
    const err = await loadMemberOutputs(notOnnx, ctx(iris)).catch((e: unknown) => e);
    assert.ok(err instanceof MemberLoadError);
    assert.match(err.toString(), /^mnist_batch\.json: onnxruntime could not load the model: ./);
  });

  it('the predictor evaluates arbitrary inputs (e.g. adversarial examples) like the test outputs', async () => {
    const predictor = await loadOnnxPredictor(modelMember(join(MODELS, 'mnist_cnn_nchw.onnx')), mnist);
    try {
      const two = mnist.xTest.slice(784, 3 * 784); // samples 1 and 2
      assertClose(await predictor.predictProba(two, 2), mnistRef.cnnProbs.slice(1, 3).flat(), 1e-5, 'predictor');
    } finally {
      await predictor.dispose();
    }
  });

  it('ONNX members are black boxes: no differentiable model', async () => {
    assert.equal(await loadDifferentiableModel(modelMember(join(MODELS, 'iris_mlp.onnx')), iris), null);
  });
});
