// The ensemble attacks' pieces against hand computations: ENS is the average of the members'
// gradients; AdaEA's DRF mask and AGM weights; CWA and AdaEA stay in the ball and the bounds and
// raise every surrogate's loss.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { adaEaCrafter, agmWeights, drfMask } from '../../../src/engine/attack/adaea';
import { constrain, direction } from '../../../src/engine/attack/ball';
import { craft } from '../../../src/engine/attack/craft';
import { cwaCrafter } from '../../../src/engine/attack/cwa';
import { crossEntropy, ensembleGradient, modelGradient } from '../../../src/engine/attack/objective';
import { resolveAttack, stepOptions } from '../../../src/engine/attack/spec';
import { linearModel, randomMlp, useWasm } from './helpers';

before(useWasm);

/** Softmax regression in doubles: cross-entropy and its gradient w.r.t. x. */
function linearRef(W: number[][], b: number[], x: number[], y: number) {
  const z = b.map((bk, k) => bk + x.reduce((s, v, i) => s + v * W[i][k], 0));
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const sum = e.reduce((s, v) => s + v, 0);
  const p = e.map((v) => v / sum);
  return { ce: -Math.log(p[y]), grad: W.map((row) => row.reduce((s, w, k) => s + w * (p[k] - (k === y ? 1 : 0)), 0)) };
}

const W1 = [[1, -1, 0.2], [0.5, 0.3, -0.8]];
const b1 = [0, 0.2, -0.1];
const W2 = [[-0.4, 0.9, 0.1], [1.2, -0.2, 0.3]];
const b2 = [0.1, 0, 0];

test('ENS gradient = the average of the members\' gradients', () => {
  const [m1, m2] = [linearModel(W1, b1), linearModel(W2, b2)];
  const x = [0.3, 0.7];
  const xt = tf.tensor2d([x]);
  const y = tf.oneHot(tf.tensor1d([0], 'int32'), 3) as tf.Tensor2D;
  const g = ensembleGradient([m1, m2], xt, { y }).dataSync();
  const r1 = linearRef(W1, b1, x, 0).grad;
  const r2 = linearRef(W2, b2, x, 0).grad;
  [0, 1].forEach((i) => assert.ok(Math.abs(g[i] - (r1[i] + r2[i]) / 2) < 1e-6, `feature ${i}: ${g[i]}`));
  tf.dispose([xt, y]);
  m1.dispose();
  m2.dispose();
});

test('DRF mask: features where the members\' gradients disagree on average are dropped', () => {
  // one channel: cosine = sign agreement (0 where a gradient is 0).
  // pairs (1,2): [1,-1,-1,0], (1,3): [1,-1,-1,1], (2,3): [1,1,1,0]; mean [1, -1/3, -1/3, 1/3] >= -0.3 -> [1, 0, 0, 1]
  const g = [[1, -2, 0.5, 3], [2, 1, -1, 0], [1, 1, -1, 1]].map((v) => tf.tensor2d([v]));
  assert.deepEqual(Array.from(drfMask(g, -0.3).dataSync()), [1, 0, 0, 1]);
  // two channels (NHWC [1,1,2,2]): pixel 0 gradients (1,0) vs (0,1): cosine 0 -> kept; pixel 1 (1,1) vs (-1,-1): -1 -> dropped
  const h = [tf.tensor4d([1, 0, 1, 1], [1, 1, 2, 2]), tf.tensor4d([0, 1, -1, -1], [1, 1, 2, 2])];
  const mask = drfMask(h, -0.3);
  assert.deepEqual(mask.shape, [1, 1, 2, 2]);
  assert.deepEqual(Array.from(mask.dataSync()), [1, 1, 0, 0]);
  tf.dispose([...g, ...h, mask]);
});

test('AGM weights = softmax(beta * other member loss / own loss at each member\'s one-step example)', () => {
  const [m1, m2] = [linearModel(W1, b1), linearModel(W2, b2)];
  const x = [0.3, 0.7];
  const y = 0;
  const step = 0.2;
  const propose = (k: 0 | 1) => {
    const g = linearRef(k === 0 ? W1 : W2, k === 0 ? b1 : b2, x, y).grad;
    return x.map((v, i) => Math.min(1, Math.max(0, v + step * Math.sign(g[i]))));
  };
  const x1 = propose(0);
  const x2 = propose(1);
  const s1 = linearRef(W2, b2, x1, y).ce / linearRef(W1, b1, x1, y).ce;
  const s2 = linearRef(W1, b1, x2, y).ce / linearRef(W2, b2, x2, y).ce;
  const beta = 10;
  const e1 = Math.exp(beta * s1);
  const e2 = Math.exp(beta * s2);
  const xt = tf.tensor2d([x]);
  const yt = tf.oneHot(tf.tensor1d([y], 'int32'), 3) as tf.Tensor2D;
  const lo = tf.zeros([2]);
  const hi = tf.ones([2]);
  const grads = [m1, m2].map((m) => modelGradient(m, xt, { y: yt }));
  const w = agmWeights([m1, m2], grads, xt, (xx, g) => constrain(tf.add(xx, tf.mul(direction(g, 'linf'), step)), xt, step, 'linf', lo, hi), { y: yt }, beta).dataSync();
  assert.ok(Math.abs(w[0] - e1 / (e1 + e2)) < 1e-4 && Math.abs(w[1] - e2 / (e1 + e2)) < 1e-4, `weights ${Array.from(w)} vs ${[e1 / (e1 + e2), e2 / (e1 + e2)]}`);
  tf.dispose([xt, yt, lo, hi, ...grads]);
  m1.dispose();
  m2.dispose();
});

for (const norm of ['linf', 'l2'] as const) {
  test(`CWA and AdaEA (${norm}) stay in the ball and the bounds and raise every surrogate's loss`, async () => {
    const d = 8;
    const n = 30;
    const models = [randomMlp(d, 12, 3, 21), randomMlp(d, 12, 3, 31), randomMlp(d, 12, 3, 41)];
    const x = Array.from({ length: n * d }, (_, i) => (i * 0.3819660113) % 1);
    const x0 = tf.tensor2d(x, [n, d]);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), 'int32'), 3) as tf.Tensor2D;
    const lower = tf.zeros([d]);
    const upper = tf.ones([d]);
    const eps = norm === 'linf' ? 0.1 : 0.4;
    const opts = stepOptions(resolveAttack({ norm, epsilon: [eps], steps: 6, restarts: 1 }), eps);
    const loss = (v: Float32Array | number[]) =>
      tf.tidy(() => models.map((m) => tf.sum(crossEntropy(m.logits(tf.tensor2d(v as number[], [n, d])) as tf.Tensor2D, y)).dataSync()[0]));
    const clean = loss(x);
    for (const crafter of [cwaCrafter(models, { y }), adaEaCrafter(models, { y })]) {
      const before = tf.memory().numTensors;
      const [adv] = await craft(x0, crafter, opts, { lower, upper });
      assert.equal(tf.memory().numTensors, before, 'momentum and masks are freed');
      for (let s = 0; s < n; s++) {
        let linf = 0;
        let l2 = 0;
        for (let k = 0; k < d; k++) {
          const v = adv[s * d + k];
          assert.ok(v >= -1e-6 && v <= 1 + 1e-6);
          linf = Math.max(linf, Math.abs(v - x[s * d + k]));
          l2 += (v - x[s * d + k]) ** 2;
        }
        assert.ok((norm === 'linf' ? linf : Math.sqrt(l2)) <= eps * (1 + 1e-5) + 1e-6);
      }
      loss(adv).forEach((l, k) => assert.ok(l > clean[k], `surrogate ${k}: loss ${l} <= clean ${clean[k]}`));
    }
    tf.dispose([x0, y, lower, upper]);
    models.forEach((m) => m.dispose());
  });
}
