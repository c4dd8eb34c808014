// The snapshot builder: base64 against Node's own encoder, exact Float32 round trips, image
// quantisation within the dataset's bounds (values worked by hand), grid layout, size checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  base64ToBytes,
  base64ToFloat32,
  buildSnapshot,
  bytesToBase64,
  encodeGrid,
  encodeInputs,
  float32ToBase64,
  gridAxis,
  gridPoints,
} from '../../../src/core/snapshot';
import { decodeBytes, decodeFloat32 } from '../../../webview/data';
import type { EnsembleReport } from '../../../src/core/report';

test('base64 matches Node Buffer for every length mod 3, and round-trips', () => {
  for (let n = 0; n < 50; n++) {
    const b = Uint8Array.from({ length: n * 37 + (n % 3) }, (_, i) => (i * 73 + n) & 255);
    const s = bytesToBase64(b);
    assert.equal(s, Buffer.from(b).toString('base64'));
    assert.deepEqual(base64ToBytes(s), b);
    assert.deepEqual(decodeBytes(s), b);
  }
  assert.throws(() => base64ToBytes('ab$d'), /invalid base64/);
});

test('Float32 values survive exactly, including extremes', () => {
  const a = new Float32Array([0, -0, 1, -1.5, 3.4028234663852886e38, 1.401298464324817e-45, 0.1, Number.NaN]);
  const back = base64ToFloat32(float32ToBase64(a));
  assert.equal(back.length, a.length);
  for (let i = 0; i < a.length; i++) assert.ok(Object.is(back[i], a[i]), `index ${i}`);
  assert.deepEqual(decodeFloat32(float32ToBase64(a.subarray(2, 5))), a.slice(2, 5));
});

test('images are quantised to bytes within [lower, upper]', () => {
  // 2 samples of 2x1 pixels: 0 -> 0, 0.5 -> round(127.5) = 128, 1 -> 255, 2 (above bounds) -> 255.
  const inp = encodeInputs({ inputShape: [2, 1], isImage: true, nTest: 2, xTest: new Float32Array([0, 0.5, 1, 2]) });
  assert.equal(inp.kind, 'image');
  assert.deepEqual(inp.kind === 'image' && inp.shape, [2, 1, 1]);
  assert.deepEqual(inp.kind === 'image' && [...base64ToBytes(inp.pixels)], [0, 128, 255, 255]);
  // Standardised pixels in [-1, 3]: -1 -> 0, 1 -> 127.5 -> 128, 3 -> 255.
  const std = encodeInputs({ inputShape: [3], isImage: true, nTest: 1, xTest: new Float32Array([-1, 1, 3]), lower: new Float32Array([-1, -1, -1]), upper: new Float32Array([3, 3, 3]) });
  assert.deepEqual(std.kind === 'image' && [...base64ToBytes(std.pixels)], [0, 128, 255]);
});

test('tabular inputs keep raw values and feature names; maxInputs caps the count', () => {
  const x = new Float32Array([1.25, -2, 3, 4, 5, 6]);
  const inp = encodeInputs({ inputShape: [2], isImage: false, nTest: 3, xTest: x, featureNames: ['u', 'v'] }, 2);
  assert.equal(inp.kind, 'features');
  if (inp.kind !== 'features') return;
  assert.equal(inp.count, 2);
  assert.deepEqual(inp.featureNames, ['u', 'v']);
  assert.deepEqual([...base64ToFloat32(inp.values)], [1.25, -2, 3, 4]);
});

test('grid axes and points: y outer, x inner', () => {
  assert.deepEqual(gridAxis(0, 10, 3, 0), [0, 5, 10]);
  assert.deepEqual(gridAxis(0, 10, 3, 0.1), [-1, 5, 11]);
  assert.deepEqual([...gridPoints([1, 2], [7, 8])], [1, 7, 2, 7, 1, 8, 2, 8]);
  assert.throws(() => encodeGrid([1, 2], [7, 8], 2, [{ id: 'a', probs: new Float32Array(7) }]), /expected 8/);
});

test('buildSnapshot includes only what it is given and checks sizes', () => {
  const report = { config: { task: 'classification' }, data: { nTest: 2 } } as unknown as EnsembleReport;
  const outputs = { task: 'classification' as const, labels: new Float32Array([0, 1]), numClasses: 2, nTest: 2, members: [{ id: 'm', values: new Float32Array([0.9, 0.1, 0.2, 0.8]) }] };
  const s = buildSnapshot(report, outputs, undefined, { host: 'export' });
  assert.equal(s.host, 'export');
  assert.equal(s.inputs, undefined);
  assert.deepEqual(s.outputs?.memberIds, ['m']);
  assert.deepEqual([...base64ToFloat32(s.outputs?.values[0] ?? '')], [...outputs.members[0].values]);
  assert.throws(() => buildSnapshot(report, { ...outputs, members: [{ id: 'm', values: new Float32Array(3) }] }), /3 outputs, expected 4/);
  assert.throws(() => buildSnapshot(report, outputs, { inputShape: [1], isImage: false, nTest: 3, xTest: new Float32Array(3) }), /3 test samples, outputs 2/);
});
