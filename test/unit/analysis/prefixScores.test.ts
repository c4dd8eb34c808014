// Sample-major scoring of many sub-ensembles at once (ClsScorer.evaluatePrefixes) against full states that
// add the same members in the same order: bitwise the same accuracy and nll.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildContext, combineSum, normalise, type ClsContext } from '../../../src/core/analysis/context.js';
import { mulberry32 } from '../../../src/core/analysis/random.js';
import { ClsScorer } from '../../../src/core/analysis/scorer.js';
import type { EnsembleOutputs } from '../../../src/core/outputs.js';
import { sparseRandomOutputs } from './helpers.js';

const rng = mulberry32(321);

/** sparseRandomOutputs with, every third sample, member 2 = member 1 (ties). */
function outputs(m: number, n: number, c: number): EnsembleOutputs {
  const o = sparseRandomOutputs(rng, m, n, c);
  const [, a, b] = o.members;
  for (let t = 0; t < n; t += 3) for (let k = 0; k < c; k++) b.values[t * c + k] = a.values[t * c + k];
  return o;
}

/** The combined probabilities (a guide for the argmax bounds; the report's). */
function combined(ctx: ClsContext): Float64Array {
  return normalise(combineSum(ctx));
}

test('evaluatePrefixes scores every planned prefix exactly as a full state adding those members in order', () => {
  // orders with repeated members, an order scored only at its end and an empty order
  const orders = [[4, 1, 2, 6, 0, 5, 3], [2, 2, 1], [], [0, 3, 3, 3, 5, 6, 1, 4, 2], [6]];
  const scored = [[0, 1, 2, 3, 4, 5, 6], [2], [], [0, 2, 3, 6, 8], [0]];
  const members: number[] = [];
  const evalAt: number[] = [];
  const orderEnd: number[] = [];
  let results = 0;
  orders.forEach((order, o) => {
    order.forEach((j, p) => { members.push(j); evalAt.push(scored[o].includes(p) ? results++ : -1); });
    orderEnd.push(members.length);
  });
  const plan = { members: Int32Array.from(members), evalAt: Int32Array.from(evalAt), orderEnd: Int32Array.from(orderEnd), results };
  for (const c of [2, 3, 5, 10]) {
    const o = outputs(7, 403, c);
    for (const method of ['mean', 'weighted', 'vote'] as const) {
      const ctx = buildContext(o, Float64Array.from({ length: 7 }, (_, i) => (method === 'weighted' ? 0.5 + i / 4 : 1)), method, 15);
      const idx = Int32Array.from({ length: 190 }, (_, i) => 2 * i + 1);
      const guide = Float64Array.from(ctx.values[3]);
      // each scorer its own guide array: the subsets compute their own bounds (see the last test for shared ones)
      for (const sc of [new ClsScorer(ctx, null, 'nll', combined(ctx)), new ClsScorer(ctx, idx, 'nll', combined(ctx)), new ClsScorer(ctx, idx, 'nll', guide)]) {
        const got = sc.evaluatePrefixes(plan);
        assert.equal(got.length, results);
        orders.forEach((order, o) => {
          const st = sc.create();
          order.forEach((j, p) => {
            sc.add(st, j);
            const e = evalAt[(o === 0 ? 0 : orderEnd[o - 1]) + p];
            if (e >= 0) assert.deepEqual(got[e], sc.evaluate(st), `C=${c} ${method} order ${o} prefix ${p + 1}`);
          });
        });
      }
    }
  }
});

test('candidateLosses (four candidates per pass) equal candidateLoss one by one', () => {
  const o = outputs(7, 403, 5);
  for (const method of ['mean', 'weighted', 'vote'] as const) {
    const ctx = buildContext(o, Float64Array.from({ length: 7 }, (_, i) => (method === 'weighted' ? 0.5 + i / 4 : 1)), method, 15);
    for (const sc of [new ClsScorer(ctx, null, 'nll', combined(ctx)), new ClsScorer(ctx, Int32Array.from({ length: 190 }, (_, i) => 2 * i + 1), 'nll', combined(ctx))]) {
      for (const bounded of [false, true]) {
        const st = sc.create(bounded);
        for (const i of [3, 3, 0]) sc.add(st, i);
        const js = [6, 0, 2, 5, 1, 3, 4];
        assert.deepEqual(sc.candidateLosses(st, js), js.map((j) => sc.candidateLoss(st, j)), `${method} ${sc.ns} ${bounded}`);
      }
    }
  }
});

test('evaluateWithoutEach (four members per pass) equals evaluateWithout one by one', () => {
  const o = outputs(7, 403, 5);
  for (const method of ['mean', 'weighted', 'vote'] as const) {
    const ctx = buildContext(o, Float64Array.from({ length: 7 }, (_, i) => (method === 'weighted' ? 0.5 + i / 4 : 1)), method, 15);
    const idx = Int32Array.from({ length: 190 }, (_, i) => 2 * i + 1);
    for (const sc of [new ClsScorer(ctx, null, 'nll', combined(ctx)), new ClsScorer(ctx, idx, 'nll', combined(ctx))]) {
      const st = sc.create();
      for (let i = 0; i < 7; i++) sc.add(st, i);
      const js = [6, 0, 2, 5, 1, 3, 4];
      const each = sc.evaluateWithoutEach(st, js);
      assert.deepEqual(each, js.map((j) => sc.evaluateWithout(st, j)), `${method} ${sc.ns}`);
    }
  }
});

test('a subset reading the bounds of all samples (same guide, after a full scorer computed them) scores as its states', () => {
  const o = outputs(7, 403, 10);
  for (const method of ['mean', 'weighted', 'vote'] as const) {
    const ctx = buildContext(o, Float64Array.from({ length: 7 }, (_, i) => (method === 'weighted' ? 0.5 + i / 4 : 1)), method, 15);
    const guide = Float64Array.from(ctx.values[3]);
    const full = new ClsScorer(ctx, null, 'nll', guide);
    const plan = { members: Int32Array.from([0, 1, 2, 3, 4, 5, 6]), evalAt: Int32Array.from([-1, -1, -1, -1, -1, -1, 0]), orderEnd: Int32Array.from([7]), results: 1 };
    full.evaluatePrefixes(plan); // every member's bounds over all samples
    const plain = { ...ctx, method: 'mean' as const, coef: new Float64Array(7).fill(1) };
    const idx = Int32Array.from({ length: 190 }, (_, i) => 2 * i + 1);
    for (const sc of [new ClsScorer(plain, idx, 'nll', guide), new ClsScorer(ctx, idx, 'nll', guide)]) {
      const twice = { members: Int32Array.from([5, 2, 2, 0, 6, 1, 3, 4]), evalAt: Int32Array.from([-1, 0, -1, 1, -1, -1, -1, 2]), orderEnd: Int32Array.from([8]), results: 3 };
      const got = sc.evaluatePrefixes(twice);
      const st = sc.create();
      const want: Record<string, number>[] = [];
      [5, 2, 2, 0, 6, 1, 3, 4].forEach((j, p) => { sc.add(st, j); if (twice.evalAt[p] >= 0) want.push(sc.evaluate(st)); });
      assert.deepEqual(got, want, method);
    }
  }
});
