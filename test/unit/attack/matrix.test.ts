// The transferability matrix end to end on members trained here: shape and counts, the diagonal
// against random-sign noise, restarts, targeted attacks, ensemble attacks, leave-one-out, sweeps,
// gallery, summaries, cancellation, and no tensor leak across a full run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../../src/core/data/types';
import { meanOffDiagonal, sweepTable } from '../../../src/core/transfer';
import type { DifferentiableModel } from '../../../src/engine/members/types';
import { craft, singleCrafter } from '../../../src/engine/attack/craft';
import { computeMatrix, type SourceModel } from '../../../src/engine/attack/matrix';
import { resolveAttack, stepOptions } from '../../../src/engine/attack/spec';
import { argmaxRow, blackBoxTarget, differentiableTarget, gatherRows, type Target } from '../../../src/engine/attack/targets';
import { blobs, tinyImages, trainMlp, useWasm } from './helpers';

let data: Dataset;
let models: DifferentiableModel[];
let sources: SourceModel[];
let targets: Target[];

before(async () => {
  await useWasm();
  data = blobs();
  models = [await trainMlp(data, [16], 1), await trainMlp(data, [24], 2), await trainMlp(data, [12, 12], 3)];
  sources = [{ id: 'a', model: models[0] }, { id: 'b', model: models[1] }];
  // The third member plays an ONNX model: evaluated on adversarial inputs, never differentiated.
  const m3 = models[2];
  targets = [
    differentiableTarget('a', models[0], data.inputShape),
    differentiableTarget('b', models[1], data.inputShape),
    blackBoxTarget('c', { predictProba: (x, n) => differentiableTarget('c', m3, data.inputShape).predict(x, n), dispose: async () => {} }),
  ];
});

after(() => models.forEach((m) => m.dispose()));

const EPS = 0.7;

const attack = (over: Parameters<typeof resolveAttack>[0] = {}) =>
  resolveAttack({ method: 'pgd', norm: 'linf', epsilon: [EPS], steps: 8, restarts: 1, poolSize: 120, seed: 3, ensembleAttacks: ['ens', 'cwa', 'adaea', 'leaveOneOut'], ...over });

test('a 3-member matrix end to end: shape, counts, protocol, ensemble attacks, leave-one-out, gallery; no tensor leak', async () => {
  const before = tf.memory().numTensors;
  const progress: number[] = [];
  const r = await computeMatrix({ sources, targets, data, attack: attack({ epsilon: [EPS, 0.3] }), onProgress: (done, total) => progress.push(done / total) });
  assert.equal(tf.memory().numTensors, before, 'every tensor made by the run is freed');
  assert.deepEqual(r.rows, ['a', 'b']);
  assert.deepEqual(r.columns, ['a', 'b', 'c', 'ensemble']);
  assert.deepEqual(r.columnKinds, ['differentiable', 'differentiable', 'black-box', 'ensemble']);
  const n = r.protocol.poolSize;
  assert.ok(n > 50 && n <= 120, `pool of ${n}`);
  assert.equal(r.pool.length, n);
  // the pool: every member classifies every pool sample correctly
  const x = gatherRows(data.xTest, 2, r.pool);
  for (const t of targets) {
    const p = await t.predict(x, n);
    r.pool.forEach((ti, i) => assert.equal(argmaxRow(p, i, 3), data.yTest[ti]));
  }
  r.matrix.forEach((row, i) => row.forEach((v, j) => assert.equal(v, r.counts[i][j] / n)));
  assert.ok(r.matrix[0][0] > 0.5 && r.matrix[1][1] > 0.5, `white-box success ${r.matrix[0][0]}, ${r.matrix[1][1]}`);
  assert.deepEqual(
    { attack: r.protocol.attack, norm: r.protocol.norm, epsilon: r.protocol.epsilon, steps: r.protocol.steps, stepSize: r.protocol.stepSize, restarts: r.protocol.restarts, seed: r.protocol.seed },
    { attack: 'pgd', norm: 'linf', epsilon: EPS, steps: 8, stepSize: EPS / 4, restarts: 1, seed: 3 },
  );
  assert.equal(r.protocol.bounds.lower!.length, 2);
  for (const name of ['ens', 'cwa', 'adaea'] as const) {
    const row = r.ensembleAttacks[name]!;
    assert.deepEqual(row.surrogates, ['a', 'b']);
    assert.equal(row.rates.length, 4);
    assert.ok(row.rates[3] > 0.3, `${name} fools the ensemble of its own surrogates (${row.rates[3]})`);
  }
  assert.deepEqual(r.leaveOneOut.map((e) => [e.heldOut, e.surrogates]), [['a', ['b']], ['b', ['a']], ['c', ['a', 'b']]]);
  // the black-box member's entry is the ENS row (on every differentiable member) at its column
  assert.equal(r.leaveOneOut[2].rate, r.ensembleAttacks.ens!.rates[2]);
  r.leaveOneOut.forEach((e) => assert.ok(e.rate >= 0 && e.rate <= 1 && e.count === Math.round(e.rate * n)));
  assert.equal(r.sweeps.length, 2);
  assert.deepEqual(r.sweeps[0].matrix, r.matrix);
  assert.equal(sweepTable(r).map((s) => s.epsilon).join(), '0.3,0.7');
  assert.ok(sweepTable(r)[1].meanOffDiagonal! >= sweepTable(r)[0].meanOffDiagonal!, 'a larger epsilon transfers at least as well here');
  assert.equal(r.summary.meanOffDiagonal, (r.matrix[0][1] + r.matrix[0][2] + r.matrix[1][0] + r.matrix[1][2]) / 4);
  assert.equal(r.summary.meanOffDiagonal, meanOffDiagonal(r.rows, r.columns, r.matrix, r.columnKinds));
  assert.equal(r.gallery.kind, 'points');
  if (r.gallery.kind === 'points') {
    const pts = r.gallery.bySource.a;
    assert.equal(pts.length, n);
    pts.forEach((p) => assert.ok(Math.max(Math.abs(p.adversarial[0] - p.x[0]), Math.abs(p.adversarial[1] - p.x[1])) <= EPS + 1e-6));
    assert.equal(pts.filter((p) => p.fooled[0]).length, r.counts[0][0]);
  }
  assert.equal(progress.at(-1), 1);
  assert.ok(JSON.parse(JSON.stringify(r)).matrix.length === 2, 'the result is plain JSON');
});

test('the diagonal beats a random-sign perturbation of the same size', async () => {
  const r = await computeMatrix({ sources, targets, data, attack: attack({ ensembleAttacks: [] }) });
  const n = r.pool.length;
  const x = gatherRows(data.xTest, 2, r.pool);
  let seed = 12345;
  const noisy = x.map((v, k) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return Math.min(data.upper[k % 2], Math.max(data.lower[k % 2], v + (seed & 0x10000 ? EPS : -EPS)));
  });
  for (let i = 0; i < 2; i++) {
    const p = await targets[i].predict(noisy, n);
    const random = r.pool.filter((ti, s) => argmaxRow(p, s, 3) !== data.yTest[ti]).length / n;
    assert.ok(r.matrix[i][i] > random + 0.2, `member ${i}: PGD ${r.matrix[i][i]} vs random sign ${random}`);
  }
});

test('restarts can only increase success', async () => {
  const one = await computeMatrix({ sources, targets, data, attack: attack({ steps: 3, ensembleAttacks: [], restarts: 1 }) });
  const three = await computeMatrix({ sources, targets, data, attack: attack({ steps: 3, ensembleAttacks: [], restarts: 3 }) });
  assert.deepEqual(three.pool, one.pool);
  one.counts.forEach((row, i) => row.forEach((v, j) => assert.ok(three.counts[i][j] >= v, `(${i},${j}): ${three.counts[i][j]} < ${v}`)));
  assert.ok(three.counts.flat().reduce((a, b) => a + b) > one.counts.flat().reduce((a, b) => a + b), 'and here strictly');
});

test('a targeted attack hits its target class more often than an untargeted one', async () => {
  const n = 60;
  const ids = Array.from({ length: n }, (_, i) => i);
  const x0 = tf.tensor2d(gatherRows(data.xTest, 2, ids), [n, 2]);
  const labels = ids.map((i) => data.yTest[i]);
  const goals = labels.map((y) => (y + 1) % 3);
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 3) as tf.Tensor2D;
  const t = tf.oneHot(tf.tensor1d(goals, 'int32'), 3) as tf.Tensor2D;
  const lower = tf.tensor1d(data.lower);
  const upper = tf.tensor1d(data.upper);
  const hits = async (targeted: boolean) => {
    const a = attack({ targeted });
    const [adv] = await craft(x0, singleCrafter(models[0], { y, t: targeted ? t : undefined }), stepOptions(a, EPS), { lower, upper });
    const p = await targets[0].predict(adv, n);
    return goals.filter((g, s) => argmaxRow(p, s, 3) === g).length;
  };
  const targeted = await hits(true);
  const untargeted = await hits(false);
  assert.ok(targeted > untargeted, `targeted ${targeted} vs untargeted ${untargeted} hits of the target class`);
  tf.dispose([x0, y, t, lower, upper]);
  // and through the matrix: entries count hits of the target class
  const r = await computeMatrix({ sources, targets, data, attack: attack({ targeted: true, targetClass: 2, ensembleAttacks: [] }) });
  assert.equal(r.protocol.targetRule, 'fixed');
  r.pool.forEach((ti) => assert.notEqual(data.yTest[ti], 2, 'samples of the target class are not in the pool'));
  assert.ok(r.matrix[0][0] > 0.3);
});

test('cancelling stops the run between steps, frees its tensors and rejects with an AbortError', async () => {
  const before = tf.memory().numTensors;
  const abort = new AbortController();
  await assert.rejects(
    computeMatrix({ sources, targets, data, attack: attack({ steps: 50 }), signal: abort.signal, onProgress: (done) => done === 5 && abort.abort() }),
    (e: Error) => e.name === 'AbortError',
  );
  assert.equal(tf.memory().numTensors, before);
});

test('image data gets a gallery of PNGs with every column prediction', async () => {
  const img = tinyImages();
  const m = [await trainMlp(img, [16], 4, 20), await trainMlp(img, [16], 5, 20)];
  const r = await computeMatrix({
    sources: [{ id: 'p', model: m[0] }, { id: 'q', model: m[1] }],
    targets: [differentiableTarget('p', m[0], img.inputShape), differentiableTarget('q', m[1], img.inputShape)],
    data: img,
    attack: resolveAttack({ epsilon: [0.2], steps: 5, poolSize: 30, ensembleAttacks: ['ens'] }),
  });
  assert.equal(r.gallery.kind, 'images');
  if (r.gallery.kind === 'images') {
    assert.deepEqual([r.gallery.width, r.gallery.height, r.gallery.channels], [4, 4, 1]);
    const g = r.gallery.bySource.p;
    assert.equal(g.length, 4);
    for (const s of g) {
      for (const u of [s.original, s.adversarial, s.perturbation]) {
        assert.match(u, /^data:image\/png;base64,/);
        const png = Buffer.from(u.slice(22), 'base64');
        assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
        assert.equal(png.readUInt32BE(16), 4);
      }
      assert.ok(s.linf <= 0.2 + 1e-6);
      assert.deepEqual(s.predictions.map((p) => p.column), ['p', 'q', 'ensemble']);
      assert.equal(s.predictions[0].clean.label, s.label, 'pool samples are classified correctly');
    }
  }
  assert.equal(r.protocol.bounds.source, 'images');
  m.forEach((x) => x.dispose());
});

test('a source without an input gradient becomes a black-box column and is reported', async () => {
  const base = models[1];
  // argMax/oneHot cut the path from x to the outputs: the input gradient is zero
  const broken: DifferentiableModel = {
    ...base,
    logits: (x) => tf.mul(tf.oneHot(tf.argMax(base.logits(x), 1), 3), 5) as tf.Tensor2D,
    predictProba: (x) => base.predictProba(x),
    dispose: () => {},
  };
  const before = tf.memory().numTensors;
  const r = await computeMatrix({
    sources: [sources[0], { id: 'broken', model: broken }],
    targets: [targets[0], differentiableTarget('broken', broken, data.inputShape)],
    data,
    attack: attack({ ensembleAttacks: [] }),
  });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(r.rows, ['a']);
  assert.deepEqual(r.columnKinds, ['differentiable', 'black-box', 'ensemble']);
  assert.match(r.skipped.find((s) => s.id === 'broken')!.reason, /no usable input gradient/);
  assert.ok(r.matrix[0][0] > 0.5);
});
