// The input-layout rule (layout.ts) and the outputs rule (probabilities.ts), on cases worked by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planLayout, toModelDims, toModelLayout } from '../../../src/engine/members/layout';
import { detectOutputKind, toProbabilities } from '../../../src/engine/members/probabilities';
import { assertClose } from './helpers';

describe('planLayout', () => {
  const mnist = [28, 28, 1];
  it('same shape, with dynamic dims as wildcards', () => {
    assert.deepEqual(planLayout([28, 28, 1], mnist), { kind: 'same', dims: mnist });
    assert.deepEqual(planLayout(toModelDims(['h', 28, -1]), mnist), { kind: 'same', dims: mnist });
  });
  it('flat model input and size-1 dims are reshapes', () => {
    assert.deepEqual(planLayout([784], mnist), { kind: 'reshape', dims: [784] });
    assert.deepEqual(planLayout([null], mnist), { kind: 'reshape', dims: [784] });
    assert.deepEqual(planLayout([1, 28, 28], mnist), { kind: 'reshape', dims: [1, 28, 28] });
    assert.deepEqual(planLayout([28, 28], mnist), { kind: 'reshape', dims: [28, 28] });
    assert.deepEqual(planLayout([28, 28, 1], [784]), { kind: 'reshape', dims: [28, 28, 1] });
  });
  it('NCHW with several channels is a transpose', () => {
    assert.deepEqual(planLayout([3, 32, 32], [32, 32, 3]), { kind: 'nhwcToNchw', dims: [3, 32, 32], h: 32, w: 32, c: 3 });
  });
  it('a misfit names both shapes', () => {
    assert.equal(planLayout([3, 32, 32], mnist), "model input [N, 3, 32, 32] does not fit the dataset's samples [28, 28, 1] (784 values each)");
    assert.equal(planLayout([5], [4]), "model input [N, 5] does not fit the dataset's samples [4] (4 values each)");
  });
  it('toModelLayout transposes NHWC to NCHW per sample', () => {
    // Two samples of 1x2 pixels with 3 channels: value = 100*sample + 10*pixel + channel.
    const x = Float32Array.from([0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112]);
    const out = toModelLayout({ kind: 'nhwcToNchw', dims: [3, 1, 2], h: 1, w: 2, c: 3 }, x, 2);
    assert.deepEqual(Array.from(out), [0, 10, 1, 11, 2, 12, 100, 110, 101, 111, 102, 112]);
  });
});

describe('model outputs -> probabilities', () => {
  it('rows of probabilities are kept', () => {
    const p = Float32Array.from([0.2, 0.8, 1, 0]);
    assert.equal(detectOutputKind(p, 2, 2, 'classification', 2), 'probabilities');
    assert.equal(toProbabilities(p, 2, 2, 'probabilities'), p);
  });
  it('negative values or rows not summing to 1 are logits: softmax', () => {
    const z = Float32Array.from([0, Math.log(3), 0.5, 0.5]);
    assert.equal(detectOutputKind(z, 2, 2, 'classification', 2), 'logits');
    assertClose(toProbabilities(z, 2, 2, 'logits'), [0.25, 0.75, 0.5, 0.5], 1e-7);
  });
  it('one output for two classes: probability of class 1, or a logit', () => {
    assert.equal(detectOutputKind(Float32Array.from([0.9, 0.2]), 2, 1, 'classification', 2), 'binaryProbability');
    assertClose(toProbabilities(Float32Array.from([0.9, 0.2]), 2, 1, 'binaryProbability'), [0.1, 0.9, 0.8, 0.2], 1e-7);
    assert.equal(detectOutputKind(Float32Array.from([2, -1]), 2, 1, 'classification', 2), 'binaryLogit');
    assertClose(toProbabilities(Float32Array.from([0]), 1, 1, 'binaryLogit'), [0.5, 0.5], 1e-7);
  });
  it('width mismatches are errors', () => {
    assert.deepEqual(detectOutputKind(new Float32Array(6), 2, 3, 'classification', 4), { error: 'the model outputs 3 values per sample, but the dataset has 4 classes' });
    assert.deepEqual(detectOutputKind(new Float32Array(4), 2, 2, 'regression', 1), { error: 'the model outputs 2 values per sample, a regression member needs 1' });
  });
});
