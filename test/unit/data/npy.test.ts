import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { npyToFloat32, parseNpy } from '../../../src/core/data/npy';
import { DataError } from '../../../src/core/data/errors';

// Fixtures and expected values come from numpy: scripts/fixtures/make_npy.py.
const dir = join(__dirname, '../../fixtures/data');
type Expected = { dtype: string; shape: number[]; values: (number | boolean)[] } | { error: string };
const expected = JSON.parse(readFileSync(join(dir, 'npy_expected.json'), 'utf8')) as Record<string, Expected>;

test('every numpy fixture decodes to the dtype, shape and values numpy wrote', () => {
  const names = Object.keys(expected);
  assert.ok(names.length >= 10);
  for (const name of names) {
    const exp = expected[name];
    const bytes = readFileSync(join(dir, name));
    if ('error' in exp) {
      assert.throws(() => parseNpy(bytes, name), (e: unknown) => e instanceof DataError && e.file === name && e.message.includes(exp.error), name);
      continue;
    }
    const a = parseNpy(bytes, name);
    assert.equal(a.dtype, exp.dtype, name);
    assert.deepEqual(a.shape, exp.shape, name);
    assert.deepEqual(Array.from(a.data as ArrayLike<number>), exp.values.map(Number), name);
  }
});

test('dtypes map to typed arrays (int64 through Float64Array)', () => {
  const read = (n: string) => parseNpy(readFileSync(join(dir, n)));
  assert.ok(read('f32_2d.npy').data instanceof Float32Array);
  assert.ok(read('f64_1d.npy').data instanceof Float64Array);
  assert.ok(read('i32_2d.npy').data instanceof Int32Array);
  assert.ok(read('i64_labels.npy').data instanceof Float64Array);
  assert.ok(read('u8_3d.npy').data instanceof Uint8Array);
  assert.deepEqual(npyToFloat32(read('labels_col.npy')), Float32Array.from([1, 0, 2]));
});

test('works on an unaligned view inside a larger buffer', () => {
  const bytes = readFileSync(join(dir, 'f64_1d.npy'));
  const big = new Uint8Array(bytes.length + 3);
  big.set(bytes, 3);
  const a = parseNpy(big.subarray(3));
  assert.deepEqual(Array.from(a.data), (expected['f64_1d.npy'] as { values: number[] }).values);
});

test('rejects non-npy and truncated input with a DataError', () => {
  assert.throws(() => parseNpy(new TextEncoder().encode('a,b\n1,2\n'), 'x.npy'), /not a \.npy file/);
  const bytes = readFileSync(join(dir, 'f32_2d.npy'));
  assert.throws(() => parseNpy(bytes.subarray(0, bytes.length - 4), 't.npy'), /truncated \.npy data/);
});
