// The attack's geometry: gradients agree with finite differences, FGSM on softmax regression is the
// closed form, and PGD never leaves the epsilon ball or the input bounds.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { craft, singleCrafter } from '../../../src/engine/attack/craft';
import { modelGradient, objective } from '../../../src/engine/attack/objective';
import { resolveAttack, stepOptions } from '../../../src/engine/attack/spec';
import { linearModel, randomMlp, useWasm } from './helpers';

before(useWasm);

test('the objective gradient matches central finite differences (untargeted and targeted)', () => {
  const model = randomMlp(5, 8, 3, 11);
  const xs = [0.3, -0.2, 0.5, 0.1, -0.4, 0.05, 0.6, -0.3, 0.2, 0.0];
  for (const targeted of [false, true]) {
    const labels = { y: tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3) as tf.Tensor2D, t: targeted ? (tf.oneHot(tf.tensor1d([1, 1], 'int32'), 3) as tf.Tensor2D) : undefined };
    const x = tf.tensor2d(xs, [2, 5]);
    const g = modelGradient(model, x, labels).dataSync();
    const f = (v: number[]) => tf.tidy(() => tf.sum(objective(model.logits(tf.tensor2d(v, [2, 5])), labels)).dataSync()[0]);
    const h = 1e-2;
    for (let k = 0; k < xs.length; k++) {
      const up = [...xs];
      const dn = [...xs];
      up[k] += h;
      dn[k] -= h;
      const fd = (f(up) - f(dn)) / (2 * h);
      assert.ok(Math.abs(fd - g[k]) <= 2e-3 + 2e-2 * Math.abs(fd), `feature ${k}: autodiff ${g[k]} vs finite difference ${fd}`);
      if (Math.abs(fd) > 1e-2) assert.equal(Math.sign(g[k]), Math.sign(fd), `sign of feature ${k}`);
    }
    tf.dispose([x, labels.y, labels.t].filter((t) => t !== undefined) as tf.Tensor[]);
  }
  model.dispose();
});

test('FGSM on a 2-class softmax regression is x + eps*sign(W[:,other] - W[:,y]), clipped to the bounds', async () => {
  // W is [features, classes]; worked by hand:
  //   y=0: W[:,1]-W[:,0] = [-2, 1.5, 1, 0] -> sign [-1, 1, 1, 0]
  //   y=1: W[:,0]-W[:,1] = [2, -1.5, -1, 0] -> sign [1, -1, -1, 0]
  const model = linearModel([[1, -1], [0.5, 2], [-2, -1], [0.3, 0.3]], [0.1, -0.2]);
  const x = [0.5, 0.5, 0.5, 0.5, /* y=1 */ 0.05, 0.95, 0.2, 0.4, /* y=0, at the edges */ 0.02, 0.98, 0.05, 0.7];
  const expected = [0.4, 0.6, 0.6, 0.5, 0.15, 0.85, 0.1, 0.4, 0, 1, 0.15, 0.7];
  const x0 = tf.tensor2d(x, [3, 4]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 0], 'int32'), 2) as tf.Tensor2D;
  const lower = tf.zeros([4]);
  const upper = tf.ones([4]);
  const opts = stepOptions(resolveAttack({ method: 'fgsm', norm: 'linf', epsilon: [0.1] }), 0.1);
  const [adv] = await craft(x0, singleCrafter(model, { y }), opts, { lower, upper });
  adv.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `x_adv[${i}] = ${v}, expected ${expected[i]}`));
  tf.dispose([x0, y, lower, upper]);
  model.dispose();
});

test('FGSM on a 3-class softmax regression follows sign(W p - W[:,y]) computed in doubles', async () => {
  const W = [[0.8, -0.4, 0.1], [-0.3, 0.9, -0.6], [0.2, 0.2, -0.7]];
  const b = [0, 0.1, -0.1];
  const model = linearModel(W, b);
  const x = [0.3, 0.6, 0.4];
  const y = 1;
  const z = [0, 1, 2].map((k) => b[k] + x.reduce((s, v, i) => s + v * W[i][k], 0));
  const zmax = Math.max(...z);
  const e = z.map((v) => Math.exp(v - zmax));
  const p = e.map((v) => v / e.reduce((s, u) => s + u, 0));
  const grad = W.map((row) => row.reduce((s, w, k) => s + w * (p[k] - (k === y ? 1 : 0)), 0));
  const expected = x.map((v, i) => Math.min(1, Math.max(0, v + 0.05 * Math.sign(grad[i]))));
  const x0 = tf.tensor2d(x, [1, 3]);
  const oh = tf.oneHot(tf.tensor1d([y], 'int32'), 3) as tf.Tensor2D;
  const lower = tf.zeros([3]);
  const upper = tf.ones([3]);
  const [adv] = await craft(x0, singleCrafter(model, { y: oh }), stepOptions(resolveAttack({ method: 'fgsm', epsilon: [0.05] }), 0.05), { lower, upper });
  adv.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `x_adv[${i}] = ${v}, expected ${expected[i]}`));
  tf.dispose([x0, oh, lower, upper]);
  model.dispose();
});

for (const norm of ['linf', 'l2'] as const) {
  test(`PGD (${norm}) never leaves the epsilon ball or the per-feature bounds`, async () => {
    const d = 6;
    const n = 40;
    const model = randomMlp(d, 16, 4, 5);
    const lo = [0, 0.1, 0.2, 0, -1, 0.4];
    const hi = [1, 0.9, 0.5, 0.05, 1, 0.6];
    const x = Array.from({ length: n * d }, (_, i) => lo[i % d] + ((i * 0.6180339) % 1) * (hi[i % d] - lo[i % d]));
    const eps = norm === 'linf' ? 0.08 : 0.3;
    const x0 = tf.tensor2d(x, [n, d]);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % 4), 'int32'), 4) as tf.Tensor2D;
    const lower = tf.tensor1d(lo);
    const upper = tf.tensor1d(hi);
    const a = resolveAttack({ method: 'pgd', norm, epsilon: [eps], steps: 15, stepSize: eps / 2, randomStart: true, restarts: 2 });
    const advs = await craft(x0, singleCrafter(model, { y }), stepOptions(a, eps), { lower, upper });
    assert.equal(advs.length, 2);
    let moved = 0;
    for (const adv of advs) {
      for (let s = 0; s < n; s++) {
        let linf = 0;
        let l2 = 0;
        for (let k = 0; k < d; k++) {
          const v = adv[s * d + k];
          assert.ok(v >= lo[k] - 1e-6 && v <= hi[k] + 1e-6, `sample ${s} feature ${k} = ${v} outside [${lo[k]}, ${hi[k]}]`);
          const delta = Math.abs(v - x[s * d + k]);
          linf = Math.max(linf, delta);
          l2 += delta * delta;
        }
        const size = norm === 'linf' ? linf : Math.sqrt(l2);
        assert.ok(size <= eps * (1 + 1e-5) + 1e-6, `sample ${s}: ${norm} distance ${size} > ${eps}`);
        if (size > eps / 2) moved++;
      }
    }
    assert.ok(moved > n, 'the attack moved most samples well inside the ball');
    tf.dispose([x0, y, lower, upper]);
    model.dispose();
  });
}
