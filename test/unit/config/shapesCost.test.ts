// Shape inference and the cost estimate, against values worked out by hand in the comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inferShapes, finalActivation } from '../../../src/core/config/shapes';
import { estimateModelCost } from '../../../src/core/config/cost';
import type { LayerSpec } from '../../../src/core/config/types';

const R = { start: { line: 0, character: 0, offset: 0 }, end: { line: 0, character: 0, offset: 0 } };
const L = (l: Omit<LayerSpec, 'range'>): LayerSpec => ({ ...l, range: R });

test('conv and pooling arithmetic (valid and same padding, pairs, strides)', () => {
  const t = inferShapes([
    L({ type: 'conv2d', filters: 4, kernelSize: [3, 5] }), // valid: 28-3+1=26, 28-5+1=24
    L({ type: 'conv2d', filters: 6, kernelSize: 3, strides: 2, padding: 'same' }), // ceil(26/2)=13, ceil(24/2)=12
    L({ type: 'averagePooling2d', poolSize: 2 }), // strides = poolSize: floor((13-2)/2)+1=6, floor((12-2)/2)+1=6
    L({ type: 'maxPooling2d', poolSize: 3, strides: 1 }), // 6-3+1=4
    L({ type: 'flatten' }), // 4*4*6=96
    L({ type: 'reshape', targetShape: [8, 12] }),
    L({ type: 'flatten' }),
    L({ type: 'dropout', rate: 0.5 }),
    L({ type: 'dense', units: 10, activation: 'softmax' }),
  ], [28, 28, 1]);
  assert.equal(t.error, undefined);
  assert.deepEqual(t.shapes, [[26, 24, 4], [13, 12, 6], [6, 6, 6], [4, 4, 6], [96], [8, 12], [96], [96], [10]]);
});

test('reshape must keep the number of values', () => {
  const t = inferShapes([L({ type: 'reshape', targetShape: [3, 3] })], [10]);
  assert.deepEqual(t.error, { index: 0, message: 'reshape to [3, 3] needs 9 values but gets [10] from the dataset (10 values)' });
});

test('reshape infers one -1 dimension from the number of values', () => {
  // 784 values: [-1, 28, 1] -> 784 / 28 = 28
  assert.deepEqual(inferShapes([L({ type: 'reshape', targetShape: [-1, 28, 1] })], [784]).shapes, [[28, 28, 1]]);
  assert.deepEqual(inferShapes([L({ type: 'reshape', targetShape: [-1, 3] })], [10]).error, {
    index: 0,
    message: 'reshape to [-1, 3] needs a multiple of 3 values but gets [10] from the dataset (10 values)',
  });
  assert.deepEqual(inferShapes([L({ type: 'reshape', targetShape: [0, 10] })], [10]).error, { index: 0, message: 'reshape to [0, 10]: dimensions must be positive, or -1 for one inferred dimension' });
  assert.deepEqual(inferShapes([L({ type: 'reshape', targetShape: [-1, -1] })], [10]).error, { index: 0, message: 'reshape to [-1, -1]: at most one dimension can be -1' });
});

test('finalActivation looks through dropout and finds an activation layer', () => {
  assert.equal(finalActivation([L({ type: 'dense', units: 3 }), L({ type: 'activation', activation: 'softmax' }), L({ type: 'dropout', rate: 0.1 })]), 'softmax');
  assert.equal(finalActivation([L({ type: 'dense', units: 3, activation: 'tanh' }), L({ type: 'dropout', rate: 0.1 })]), 'tanh');
  assert.equal(finalActivation([L({ type: 'flatten' })]), 'linear');
});

test('cost of a small MLP on iris', () => {
  // params 4*8+8 + 8*3+3 = 67; activations 4 + 8 + 3 = 15; bytes 4*(4*67 + 2*32*15) = 4912
  const c = estimateModelCost([L({ type: 'dense', units: 8, activation: 'relu' }), L({ type: 'dense', units: 3 })], [4], 32);
  assert.deepEqual(c, { params: 67, activationsPerSample: 15, bytes: 4912 });
});

test('cost of a CNN on mnist (conv, pool, batch norm, dense)', () => {
  // conv 3*3*1*4+4 = 40 -> [26,26,4]; pool -> [13,13,4]; batchNorm 4*4 = 16; flatten [676]; dense 676*10+10 = 6770
  // activations 784 + 2704 + 676 + 676 + 676 + 10 = 5526; bytes 4*(4*6826 + 2*1*5526) = 153424
  const c = estimateModelCost([
    L({ type: 'conv2d', filters: 4, kernelSize: 3 }),
    L({ type: 'maxPooling2d', poolSize: 2 }),
    L({ type: 'batchNormalization' }),
    L({ type: 'flatten' }),
    L({ type: 'dense', units: 10 }),
  ], [28, 28, 1], 1);
  assert.deepEqual(c, { params: 6826, activationsPerSample: 5526, bytes: 153424 });
});

test('useBias false drops the biases; layers after a shape error are not counted', () => {
  assert.equal(estimateModelCost([L({ type: 'dense', units: 8, useBias: false })], [4], 1).params, 32);
  const c = estimateModelCost([L({ type: 'dense', units: 8 }), L({ type: 'conv2d', filters: 3 })], [4], 1);
  assert.equal(c.params, 40);
});
