// Pure pieces of the dashboard: member clustering order, combining outputs (mean / weighted / vote),
// and the combine-weights config edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, parse } from 'jsonc-parser';
import { clusterOrder } from '../../../webview/views/cluster';
import { combineOutputs } from '../../../webview/data';
import { combineWeightsEdits } from '../../../src/extension/dashboard/combineEdit';

test('clustering puts the close pairs next to each other', () => {
  // 0~2 and 1~3 are close (0.1); every other pair is far (0.9).
  const d = [
    [0, 0.9, 0.1, 0.9],
    [0.9, 0, 0.9, 0.1],
    [0.1, 0.9, 0, 0.9],
    [0.9, 0.1, 0.9, 0],
  ];
  const o = clusterOrder(d);
  assert.deepEqual([...o].sort(), [0, 1, 2, 3]);
  assert.equal(Math.abs(o.indexOf(0) - o.indexOf(2)), 1);
  assert.equal(Math.abs(o.indexOf(1) - o.indexOf(3)), 1);
  assert.deepEqual(clusterOrder([[0]]), [0]);
  assert.deepEqual(clusterOrder([[0, null], [null, 0]]), [0, 1]);
});

test('combineOutputs: mean, weighted and vote on 2 samples x 2 classes', () => {
  const a = { id: 'a', values: new Float32Array([0.8, 0.2, 0.4, 0.6]) };
  const b = { id: 'b', values: new Float32Array([0.6, 0.4, 0.0, 1.0]) };
  const c = { id: 'c', values: new Float32Array([0.1, 0.9, 0.3, 0.7]) };
  const close = (x: Float32Array, y: number[]) => y.forEach((v, i) => assert.ok(Math.abs(x[i] - v) < 1e-6, `${i}: ${x[i]} vs ${v}`));
  close(combineOutputs([a, b], 2, 2, { method: 'mean' }, 'classification'), [0.7, 0.3, 0.2, 0.8]);
  // weights 3:1 -> 0.75 a + 0.25 b
  close(combineOutputs([a, b], 2, 2, { method: 'weighted', weights: { a: 3, b: 1 } }, 'classification'), [0.75, 0.25, 0.3, 0.7]);
  // votes: sample 0: a,b say 0, c says 1; sample 1: all say 1.
  close(combineOutputs([a, b, c], 2, 2, { method: 'vote' }, 'classification'), [2 / 3, 1 / 3, 0, 1]);
});

test('combine weights edit keeps comments and sets a weighted mean', () => {
  const text = '{\n  // the ensemble\n  "name": "x",\n  "members": [],\n  "combine": { "method": "mean" } // was mean\n}\n';
  const out = applyEdits(text, combineWeightsEdits(text, { a: 0.1234567891, b: 0.5 }));
  assert.match(out, /\/\/ the ensemble/);
  assert.deepEqual(parse(out).combine, { method: 'weighted', weights: { a: 0.123457, b: 0.5 } });
  const none = '{ "name": "y" }';
  assert.deepEqual(parse(applyEdits(none, combineWeightsEdits(none, { a: 1 }))).combine, { method: 'weighted', weights: { a: 1 } });
});
