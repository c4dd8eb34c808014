import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, deriveSeed, permutation, sampleWithReplacement, shuffle } from '../../../src/core/data/random';

const fixtures = join(__dirname, '../../fixtures/data');

test('xoshiro128** with SplitMix32 seeding matches the independent Python reference', () => {
  // test/fixtures/data/xoshiro128ss.json is written by scripts/fixtures/make_rng_reference.py.
  const ref = JSON.parse(readFileSync(join(fixtures, 'xoshiro128ss.json'), 'utf8')) as Record<string, number[]>;
  assert.equal(Object.keys(ref).length, 4);
  for (const [seed, outs] of Object.entries(ref)) {
    const rng = createRng(Number(seed));
    assert.deepEqual(outs.map(() => rng.nextUint32()), outs, `seed ${seed}`);
  }
});

test('next() is out/2^32: in [0, 1) and tied to the raw stream', () => {
  const a = createRng(5);
  const b = createRng(5);
  for (let i = 0; i < 1000; i++) {
    const u = a.next();
    assert.ok(u >= 0 && u < 1);
    assert.equal(u, b.nextUint32() / 2 ** 32);
  }
});

test('same seed -> same stream, different seed -> different stream', () => {
  const draw = (s: number): number[] => {
    const r = createRng(s);
    return Array.from({ length: 20 }, () => r.next());
  };
  assert.deepEqual(draw(3), draw(3));
  assert.notDeepEqual(draw(3), draw(4));
  assert.notEqual(deriveSeed(3, 'split'), deriveSeed(3, 'bootstrap'));
  assert.notEqual(deriveSeed(3, 'split'), deriveSeed(4, 'split'));
});

test('int(n) stays in range and hits every value about equally', () => {
  const rng = createRng(11);
  const counts = new Array(7).fill(0);
  const n = 70000;
  for (let i = 0; i < n; i++) {
    const k = rng.int(7);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 7);
    counts[k]++;
  }
  // Binomial(70000, 1/7): mean 10000, sd ~92.6; 5 sd is a generous band.
  for (const c of counts) assert.ok(Math.abs(c - 10000) < 463, `count ${c}`);
});

test('normal() has mean 0, variance 1 and symmetric tails', () => {
  const rng = createRng(2);
  const n = 40000;
  let s = 0;
  let ss = 0;
  let beyond2 = 0;
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    s += z;
    ss += z * z;
    if (Math.abs(z) > 2) beyond2++;
  }
  const mean = s / n;
  const variance = ss / n - mean * mean;
  assert.ok(Math.abs(mean) < 0.025, `mean ${mean}`); // se 0.005
  assert.ok(Math.abs(variance - 1) < 0.04, `variance ${variance}`); // se ~0.007
  // P(|Z| > 2) = 0.0455.
  assert.ok(Math.abs(beyond2 / n - 0.0455) < 0.006, `tail ${beyond2 / n}`);
});

test('shuffle and permutation return permutations; sampleWithReplacement repeats', () => {
  const p = permutation(100, createRng(1));
  assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
  assert.notDeepEqual([...p], Array.from({ length: 100 }, (_, i) => i));
  const arr = ['a', 'b', 'c', 'd', 'e'];
  shuffle<string, string[]>(arr, createRng(9));
  assert.deepEqual([...arr].sort(), ['a', 'b', 'c', 'd', 'e']);
  const s = sampleWithReplacement(10, 1000, createRng(1));
  assert.equal(s.length, 1000);
  assert.ok(s.every((v) => v >= 0 && v < 10));
  assert.ok(new Set(s).size === 10, 'all 10 values appear in 1000 draws');
  assert.deepEqual(sampleWithReplacement(10, 50, createRng(8)), sampleWithReplacement(10, 50, createRng(8)));
});
