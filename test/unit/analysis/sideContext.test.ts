// The side part's lean per-member pass (context.ts buildSideContext) against the full one (buildContext):
// the same p(true class) and NLL to the bit, and the same validation messages, since the side part of a
// two-thread analysis must agree with the one-thread analysis value for value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeEnsemble, analyzeSide } from '../../../src/core/analysis/analyze.js';
import { buildContext, buildSideContext } from '../../../src/core/analysis/context.js';
import { mulberry32 } from '../../../src/core/analysis/random.js';
import type { EnsembleOutputs } from '../../../src/core/outputs.js';
import { sparseRandomOutputs } from './helpers.js';

const outputs = (m: number, n: number, c: number, seed: number): EnsembleOutputs => sparseRandomOutputs(mulberry32(seed), m, n, c);

test('buildSideContext: p(true) and member NLL equal buildContext\'s bit for bit', () => {
  for (const [m, n, c] of [[1, 17, 2], [3, 1000, 10], [5, 333, 4]]) {
    const o = outputs(m, n, c, m * 100 + n);
    const full = buildContext(o, new Float64Array(m).fill(1), 'mean', 15);
    const side = buildSideContext(o);
    assert.deepEqual(side.memberNll, full.memberResults.map((r) => r.metrics.nll), `${m}x${n}x${c}: NLL`);
    assert.deepEqual(side.pTrue, full.pTrue, `${m}x${n}x${c}: p(true)`);
    // and the NLL is the definition: mean of -ln max(p_true, 1e-12)
    let ref = 0;
    for (let t = 0; t < n; t++) ref -= Math.log(Math.max(o.members[0].values[t * c + o.labels[t]], 1e-12));
    assert.ok(Math.abs(side.memberNll[0] - ref / n) <= 1e-12 * Math.max(1, ref / n));
  }
});

test('analyzeSide rejects invalid rows with the one-thread analysis\'s message', () => {
  const o = outputs(3, 50, 3, 7);
  const cases: [string, (v: Float32Array) => void][] = [
    ['negative', (v) => { v[7] = -0.25; }],
    ['NaN', (v) => { v[4] = Number.NaN; }],
    ['sum 1.2', (v) => { v[9] += 0.2; }],
  ];
  for (const [name, spoil] of cases) {
    const values = Float32Array.from(o.members[2].values);
    spoil(values);
    const bad: EnsembleOutputs = { ...o, members: o.members.map((mem, i) => (i === 2 ? { ...mem, values } : mem)) };
    let expected = '';
    try { analyzeEnsemble(bad); } catch (e) { expected = (e as Error).message; }
    assert.match(expected, /m2/, `${name}: the message names the member`);
    assert.throws(() => analyzeSide(bad), { message: expected }, name);
  }
});
