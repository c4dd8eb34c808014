import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../src/core/data/random';
import { SPIRAL_TURNS, balancedCounts, blobs, circles, generateSynthetic, moons, regression, spirals, xor } from '../../../src/core/data/synthetic';
import { DataError } from '../../../src/core/data/errors';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const tol = 1e-5; // float32 storage

function classCounts(y: Float32Array, k: number): number[] {
  const c = new Array(k).fill(0);
  for (const v of y) c[v]++;
  return c;
}

test('moons with noise 0: class 0 on the upper unit half-circle at (0,0), class 1 on the lower one at (1,0.5)', () => {
  const s = moons(201, 0, createRng(1));
  assert.equal(s.n, 201);
  assert.deepEqual(classCounts(s.y, 2), [100, 101]); // floor(n/2) outer, the rest inner
  for (let i = 0; i < s.n; i++) {
    const x = s.x[2 * i];
    const y = s.x[2 * i + 1];
    if (s.y[i] === 0) {
      assert.ok(Math.abs(Math.hypot(x, y) - 1) < tol);
      assert.ok(y >= -tol, 'upper half');
    } else {
      assert.ok(Math.abs(Math.hypot(x - 1, y - 0.5) - 1) < tol);
      assert.ok(y <= 0.5 + tol, 'lower half');
    }
  }
  // The end points of the linspace are included: (1,0), (-1,0) and (0,0.5), (2,0.5).
  const has = (px: number, py: number): boolean => {
    for (let i = 0; i < s.n; i++) if (Math.abs(s.x[2 * i] - px) < tol && Math.abs(s.x[2 * i + 1] - py) < tol) return true;
    return false;
  };
  assert.ok(has(1, 0) && has(-1, 0) && has(0, 0.5) && has(2, 0.5));
});

test('noise-free moons and circles are the point sets of scikit-learn (up to row order)', () => {
  // test/fixtures/data/sklearn_synthetic.json: scripts/fixtures/make_sklearn_synthetic.py (shuffle=False).
  type Ref = { n: number; x: number[][]; y: number[] };
  const ref = JSON.parse(readFileSync(join(__dirname, '../../fixtures/data/sklearn_synthetic.json'), 'utf8')) as Record<string, Ref>;
  const rows = (x: ArrayLike<number>, y: ArrayLike<number>): number[][] =>
    Array.from({ length: y.length }, (_, i) => [y[i], x[2 * i], x[2 * i + 1]])
      // Sort on values rounded to 1e-5 so float32 and float64 copies of tied coordinates order alike.
      .map((r) => ({ r, k: r.map((v) => Math.round(v * 1e5)) }))
      .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2])
      .map((e) => e.r);
  for (const key of ['moons_7', 'moons_50', 'circles_7', 'circles_50']) {
    const r = ref[key];
    const ours = key.startsWith('moons') ? moons(r.n, 0, createRng(1)) : circles(r.n, 0, createRng(1));
    const a = rows(ours.x, ours.y);
    const b = rows(r.x.flat(), r.y);
    assert.equal(a.length, b.length);
    a.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - b[i][j]) < 1e-6, `${key} row ${i}: ${row} vs ${b[i]}`)));
  }
});

test('moons noise is Gaussian with std `noise` around the clean curve', () => {
  const clean = moons(4000, 0, createRng(3));
  const noisy = moons(4000, 0.2, createRng(3)); // same shuffle, then noise
  let ss = 0;
  for (let i = 0; i < clean.x.length; i++) {
    assert.equal(noisy.y[i >> 1], clean.y[i >> 1]);
    ss += (noisy.x[i] - clean.x[i]) ** 2;
  }
  const std = Math.sqrt(ss / clean.x.length);
  assert.ok(Math.abs(std - 0.2) < 0.01, `std ${std}`);
});

test('circles with noise 0: outer radius 1, inner radius 0.5 (factor 0.5), balanced', () => {
  const s = circles(300, 0, createRng(2));
  assert.deepEqual(classCounts(s.y, 2), [150, 150]);
  const radii = [new Set<string>(), new Set<string>()];
  for (let i = 0; i < s.n; i++) radii[s.y[i]].add(Math.hypot(s.x[2 * i], s.x[2 * i + 1]).toFixed(5));
  assert.deepEqual([...radii[0]], ['1.00000']);
  assert.deepEqual([...radii[1]], ['0.50000']);
  // Angles are evenly spaced without the endpoint: 150 distinct angles per class, step 2pi/150.
  const angles = [];
  for (let i = 0; i < s.n; i++) if (s.y[i] === 1) angles.push(Math.atan2(s.x[2 * i + 1], s.x[2 * i]));
  angles.sort((a, b) => a - b);
  for (let i = 1; i < angles.length; i++) assert.ok(Math.abs(angles[i] - angles[i - 1] - (2 * Math.PI) / 150) < 1e-4);
});

test('spirals with noise 0 lie on Archimedean spirals r = (theta - 2pi k/K) / (2pi turns)', () => {
  const K = 3;
  const s = spirals(300, 0, K, createRng(4));
  assert.deepEqual(classCounts(s.y, K), [100, 100, 100]);
  for (let i = 0; i < s.n; i++) {
    const k = s.y[i];
    const x = s.x[2 * i];
    const y = s.x[2 * i + 1];
    const r = Math.hypot(x, y);
    assert.ok(r > 0 && r <= 1 + tol);
    // theta = 2pi*turns*r + 2pi k/K, compared modulo 2pi.
    const theta = 2 * Math.PI * SPIRAL_TURNS * r + (2 * Math.PI * k) / K;
    assert.ok(Math.abs(x - r * Math.cos(theta)) < 1e-4 && Math.abs(y - r * Math.sin(theta)) < 1e-4, `point ${i}`);
  }
});

test('blobs: balanced classes around centres in [-10,10]^2 with per-coordinate std = noise', () => {
  const s = blobs(3001, 0.5, 3, createRng(5));
  assert.deepEqual(classCounts(s.y, 3), [1001, 1000, 1000]);
  for (let k = 0; k < 3; k++) {
    const pts: [number, number][] = [];
    for (let i = 0; i < s.n; i++) if (s.y[i] === k) pts.push([s.x[2 * i], s.x[2 * i + 1]]);
    const mx = pts.reduce((a, p) => a + p[0], 0) / pts.length;
    const my = pts.reduce((a, p) => a + p[1], 0) / pts.length;
    assert.ok(Math.abs(mx) < 10.1 && Math.abs(my) < 10.1);
    const sd = Math.sqrt(pts.reduce((a, p) => a + (p[0] - mx) ** 2 + (p[1] - my) ** 2, 0) / (2 * pts.length));
    assert.ok(Math.abs(sd - 0.5) < 0.03, `class ${k} sd ${sd}`);
  }
});

test('xor with noise 0: uniform in [-1,1]^2, label 1 exactly in quadrants I and III', () => {
  const s = xor(2000, 0, createRng(6));
  let ones = 0;
  for (let i = 0; i < s.n; i++) {
    const a = s.x[2 * i];
    const b = s.x[2 * i + 1];
    assert.ok(a >= -1 && a < 1 && b >= -1 && b < 1);
    assert.equal(s.y[i], a * b > 0 ? 1 : 0);
    ones += s.y[i];
  }
  assert.ok(Math.abs(ones - 1000) < 120, `ones ${ones}`); // sd ~22
});

test('regression is Friedman #1 on noise 0; extra features are irrelevant', () => {
  const s = regression(500, 0, 7, createRng(7));
  assert.equal(s.dim, 7);
  for (let i = 0; i < s.n; i++) {
    const v = Array.from(s.x.subarray(i * 7, i * 7 + 7));
    assert.ok(v.every((u) => u >= 0 && u < 1));
    const [x1, x2, x3, x4, x5] = v;
    const expected = 10 * Math.sin(Math.PI * x1 * x2) + 20 * (x3 - 0.5) ** 2 + 10 * x4 + 5 * x5;
    assert.ok(Math.abs(s.y[i] - expected) < 1e-4, `row ${i}: ${s.y[i]} vs ${expected}`);
  }
  // Fewer than 5 features: the missing inputs are 0.5.
  const t = regression(50, 0, 2, createRng(7));
  for (let i = 0; i < t.n; i++) {
    const [x1, x2] = [t.x[2 * i], t.x[2 * i + 1]];
    assert.ok(Math.abs(t.y[i] - (10 * Math.sin(Math.PI * x1 * x2) + 0 + 5 + 2.5)) < 1e-4);
  }
  // Noise: residual std equals `noise`.
  const u = regression(4000, 1.5, 5, createRng(8));
  let ss = 0;
  for (let i = 0; i < u.n; i++) {
    const [x1, x2, x3, x4, x5] = Array.from(u.x.subarray(i * 5, i * 5 + 5));
    ss += (u.y[i] - (10 * Math.sin(Math.PI * x1 * x2) + 20 * (x3 - 0.5) ** 2 + 10 * x4 + 5 * x5)) ** 2;
  }
  assert.ok(Math.abs(Math.sqrt(ss / u.n) - 1.5) < 0.06);
});

test('generators are deterministic in the seed and shuffled', () => {
  for (const name of ['moons', 'circles', 'spirals', 'blobs', 'xor', 'regression'] as const) {
    const a = generateSynthetic(name, { samples: 100 }, createRng(1));
    const b = generateSynthetic(name, { samples: 100 }, createRng(1));
    const c = generateSynthetic(name, { samples: 100 }, createRng(2));
    assert.deepEqual(a.x, b.x, name);
    assert.deepEqual(a.y, b.y, name);
    assert.notDeepEqual(a.x, c.x, name);
  }
  // Shuffled: class 0 rows are not all first.
  const m = moons(100, 0, createRng(1));
  assert.notDeepEqual(Array.from(m.y.subarray(0, 50)), new Array(50).fill(0));
});

test('balancedCounts and parameter validation', () => {
  assert.deepEqual(balancedCounts(10, 3), [4, 3, 3]);
  assert.deepEqual(balancedCounts(2, 3), [1, 1, 0]);
  assert.throws(() => generateSynthetic('blobs', { samples: 10, classes: 1 }, createRng(0)), DataError);
  assert.throws(() => generateSynthetic('moons', { samples: 0 }, createRng(0)), /samples must be a positive integer/);
  assert.throws(() => generateSynthetic('moons', { samples: 10, noise: -1 }, createRng(0)), /noise must be >= 0/);
});
