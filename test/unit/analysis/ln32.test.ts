// The float32-bit logarithm used for the M*N*C entropies agrees with Math.log to 1e-14 (absolute).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addRowEntropies, clippedLogs } from '../../../src/core/analysis/ln32.js';
import { mulberry32 } from '../../../src/core/analysis/random.js';

test('clippedLogs matches ln max(p, 1e-12) over the float32 range', () => {
  const rng = mulberry32(2);
  const v = Float32Array.from({ length: 200_000 }, (_, i) => (i % 3 === 0 ? rng() : rng() ** 12));
  v.set([0, 1, 1e-12, 1.0000001e-12, 9.99e-13, 0.5, 2 ** -126, 1e-45], 0);
  const out = new Float64Array(v.length);
  clippedLogs(v, out);
  let worst = 0;
  for (let k = 0; k < v.length; k++) worst = Math.max(worst, Math.abs(out[k] - Math.log(Math.max(v[k], 1e-12))));
  assert.ok(worst <= 1e-14, `max error ${worst}`);
  assert.equal(out[1], 0);
});

test('row entropies: -sum p ln p with 0 ln 0 = 0', () => {
  const v = Float32Array.from([0.5, 0.5, 0, 1, 0.25, 0.75]);
  const out = new Float64Array(3);
  addRowEntropies(v, 3, 2, 2, out);
  assert.ok(Math.abs(out[0] - 2 * Math.log(2)) < 1e-14);
  assert.equal(out[1], 0);
  assert.ok(Math.abs(out[2] - 2 * -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75))) < 1e-14);
});
