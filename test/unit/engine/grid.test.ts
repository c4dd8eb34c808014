// Decision-boundary grids (src/engine/grid.ts) on real members trained in real worker threads
// (dist/worker.js): probabilities are distributions, the grid job reproduces the cached test outputs
// exactly, a linear member's boundary is the straight line its weights define, feature-subset members
// see only their column, and what cannot be evaluated is left out with a reason.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, existsSync, statSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { parseConfig } from '../../../src/core/config/parse';
import type { EnsembleConfig } from '../../../src/core/config/types';
import type { Dataset } from '../../../src/core/data/types';
import { base64ToFloat32 } from '../../../src/core/snapshot';
import { loadDataset } from '../../../src/engine/data/loadDataset';
import { trainEnsemble, loadCachedOutputs, cacheDirOf } from '../../../src/engine/run';
import { computeDecisionGrid, evaluateMembersAt, GRID_MARGIN, PREDICTIONS_REASON, type DecisionGrid } from '../../../src/engine/grid';
import { MemberCache } from '../../../src/engine/cache/memberCache';
import { memberKey } from '../../../src/engine/cache/memberKey';
import { resolveBackendName } from '../../../src/engine/backendChoice';
import { deserializeWeights } from '../../../src/engine/model/serialize';
import { runReport } from '../../../src/cli/commands/report';
import type { DashboardSnapshot } from '../../../src/core/webviewProtocol';

const root = join(__dirname, '../../..');
const MODELS = join(root, 'test/fixtures/models');

/** dist/worker.js must know 'grid' jobs: rebuilt when missing or older than the worker's source. */
function ensureWorkerBundle(): void {
  const bundle = join(root, 'dist/worker.js');
  const sources = ['src/engine/pool/worker.ts', 'src/core/protocol.ts'].map((f) => statSync(join(root, f)).mtimeMs);
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= Math.max(...sources)) return;
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  assert.equal(r.status, 0);
}

function load(dir: string, text: string, name = 'moons'): EnsembleConfig {
  const file = join(dir, `${name}.ensemble.json`);
  writeFileSync(file, text);
  const r = parseConfig(text, file);
  assert.deepEqual(r.problems.filter((p) => p.severity === 'error'), []);
  return r.config!;
}

const MOONS = {
  data: { source: 'moons', samples: 300, noise: 0.2, seed: 1, normalize: 'standard' },
  defaults: { epochs: 30, batchSize: 32, learningRate: 0.02 },
  members: [
    { id: 'lin', layers: [{ type: 'dense', units: 2, activation: 'softmax' }] },
    { id: 'mlp', layers: [{ type: 'dense', units: 16, activation: 'tanh' }, { type: 'dense', units: 2, activation: 'softmax' }] },
    { id: 'sub', features: 0.5, layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 2, activation: 'softmax' }] },
    { id: 'p', predictions: 'p.json' },
  ],
};

let dir: string;
let config: EnsembleConfig;
let data: Dataset;
let first: DecisionGrid;

before(async () => {
  ensureWorkerBundle();
  dir = mkdtempSync(join(tmpdir(), 'el-grid-'));
  config = load(dir, JSON.stringify(MOONS, null, 1));
  data = await loadDataset(config.data, config.task);
  writeFileSync(join(dir, 'p.json'), JSON.stringify(Array.from({ length: data.nTest }, () => [0.5, 0.5])));
  const s = await trainEnsemble(config, { workers: 2 });
  assert.deepEqual(s.failed, []);
  const g = await computeDecisionGrid(config, { resolution: 40 });
  assert.ok(g);
  first = g;
});

function probsOf(g: DecisionGrid, id: string): Float32Array {
  const m = g.grid?.members.find((x) => x.id === id);
  assert.ok(m, `grid of ${id}`);
  return base64ToFloat32(m.probs);
}

function argmax2(p: Float32Array, cell: number): number {
  return p[cell * 2 + 1] > p[cell * 2] ? 1 : 0;
}

test('every evaluable member gets a grid of distributions covering the data; the prediction file is omitted with the reason', () => {
  const g = first.grid!;
  assert.deepEqual(g.members.map((m) => m.id), ['lin', 'mlp', 'sub']);
  assert.deepEqual(first.omitted, [{ id: 'p', reason: PREDICTIONS_REASON }]);
  assert.deepEqual(first.evaluated.sort(), ['lin', 'mlp', 'sub']);
  assert.equal(g.numClasses, 2);
  assert.equal(g.xs.length, 40);
  assert.equal(g.ys.length, 40);
  for (const m of g.members) {
    const p = base64ToFloat32(m.probs);
    assert.equal(p.length, 40 * 40 * 2);
    for (let cell = 0; cell < 1600; cell++) {
      assert.ok(p[cell * 2] >= 0 && p[cell * 2 + 1] >= 0);
      assert.ok(Math.abs(p[cell * 2] + p[cell * 2 + 1] - 1) < 1e-5, `${m.id} cell ${cell}`);
    }
  }
  // Every train and test point lies inside the grid, with the margin on both sides.
  for (const [x, n] of [
    [data.xTrain, data.nTrain],
    [data.xTest, data.nTest],
  ] as const) {
    for (let i = 0; i < n; i++) {
      assert.ok(x[2 * i] > g.xs[0] && x[2 * i] < g.xs[39]);
      assert.ok(x[2 * i + 1] > g.ys[0] && x[2 * i + 1] < g.ys[39]);
    }
  }
  const span = (a: number[]) => a[a.length - 1] - a[0];
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of [data.xTrain, data.xTest]) for (let i = 0; i < x.length; i += 2) [lo, hi] = [Math.min(lo, x[i]), Math.max(hi, x[i])];
  assert.ok(Math.abs(span(g.xs) - (hi - lo) * (1 + 2 * GRID_MARGIN)) < 1e-4);
});

test('the grid job on the test inputs reproduces the cached test outputs', async () => {
  const cached = await loadCachedOutputs(config);
  const { probs, omitted } = await evaluateMembersAt(config, data.xTest, data.nTest, data.numClasses, { workers: 2 });
  assert.deepEqual(omitted.map((o) => o.id), ['p']);
  for (const id of ['lin', 'mlp', 'sub']) {
    // Same weights, ops, batches and backend as the test pass after training: bit for bit.
    assert.deepEqual(probs.get(id), cached.get(id), id);
  }
});

test("the nearest grid cell's class agrees with the member's test outputs for most test points", async () => {
  const cached = await loadCachedOutputs(config);
  const g = first.grid!;
  const nearest = (axis: number[], v: number) => Math.round(((v - axis[0]) / (axis[axis.length - 1] - axis[0])) * (axis.length - 1));
  for (const id of ['lin', 'mlp', 'sub']) {
    const p = probsOf(first, id);
    const out = cached.get(id)!;
    let agree = 0;
    for (let i = 0; i < data.nTest; i++) {
      const cell = nearest(g.ys, data.xTest[2 * i + 1]) * g.xs.length + nearest(g.xs, data.xTest[2 * i]);
      if (argmax2(p, cell) === argmax2(out, i)) agree++;
    }
    assert.ok(agree / data.nTest >= 0.9, `${id}: ${agree} of ${data.nTest}`);
  }
});

/** Midpoints between horizontally or vertically adjacent cells whose class differs. */
function flips(p: Float32Array, xs: number[], ys: number[]): [number, number][] {
  const out: [number, number][] = [];
  const nx = xs.length;
  for (let iy = 0; iy < ys.length; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      const k = argmax2(p, iy * nx + ix);
      if (ix + 1 < nx && argmax2(p, iy * nx + ix + 1) !== k) out.push([(xs[ix] + xs[ix + 1]) / 2, ys[iy]]);
      if (iy + 1 < ys.length && argmax2(p, (iy + 1) * nx + ix) !== k) out.push([xs[ix], (ys[iy] + ys[iy + 1]) / 2]);
    }
  }
  return out;
}

test("a linear member's boundary is a straight line: the one its weights define", async () => {
  const g = first.grid!;
  const pts = flips(probsOf(first, 'lin'), g.xs, g.ys);
  assert.ok(pts.length >= 20, `${pts.length} boundary points`);
  // Total least squares: the direction of least variance is the line's normal.
  const n = pts.length;
  const mx = pts.reduce((s, q) => s + q[0], 0) / n;
  const my = pts.reduce((s, q) => s + q[1], 0) / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const [x, y] of pts) {
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
    sxy += (x - mx) * (y - my);
  }
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy); // major axis
  const normal = [-Math.sin(theta), Math.cos(theta)];
  const cell = Math.hypot(g.xs[1] - g.xs[0], g.ys[1] - g.ys[0]);
  const fitWorst = Math.max(...pts.map(([x, y]) => Math.abs((x - mx) * normal[0] + (y - my) * normal[1])));
  assert.ok(fitWorst <= cell, `off the fitted line by ${fitWorst} (a cell is ${cell})`);

  // The line from the weights: (w1 - w0) . x + (b1 - b0) = 0.
  const key = await memberKey(config, config.members[0], resolveBackendName('auto'));
  const w = deserializeWeights((await new MemberCache(cacheDirOf(config)).readWeights(key))!);
  const kernel = w.tensors.find((t) => t.shape.length === 2)!.values; // [2 inputs, 2 classes]
  const bias = w.tensors.find((t) => t.shape.length === 1)!.values;
  const a = kernel[1] - kernel[0];
  const b = kernel[3] - kernel[2];
  const c = bias[1] - bias[0];
  const norm = Math.hypot(a, b);
  const worst = Math.max(...pts.map(([x, y]) => Math.abs(a * x + b * y + c) / norm));
  assert.ok(worst <= cell, `off the weights' line by ${worst}`);
});

test('a feature-subset member sees one column: its classes change along one axis only', () => {
  const g = first.grid!;
  const p = probsOf(first, 'sub');
  const nx = g.xs.length;
  const ny = g.ys.length;
  const constAlongX = Array.from({ length: ny }, (_, iy) => Array.from({ length: nx }, (_, ix) => p[(iy * nx + ix) * 2]).every((v) => v === p[iy * nx * 2]));
  const constAlongY = Array.from({ length: nx }, (_, ix) => Array.from({ length: ny }, (_, iy) => p[(iy * nx + ix) * 2]).every((v) => v === p[ix * 2]));
  assert.ok(constAlongX.every(Boolean) !== constAlongY.every(Boolean), 'exactly one axis is ignored');
});

test('grids come from the cache the second time; Restricted Mode evaluates nothing', async () => {
  const again = await computeDecisionGrid(config, { resolution: 40 });
  assert.ok(again);
  assert.deepEqual(again.cached.sort(), ['lin', 'mlp', 'sub']);
  assert.deepEqual(again.evaluated, []);
  assert.deepEqual(again.grid, first.grid);
  // A damaged grid file is not trusted: that member is evaluated again, to the same values.
  const grids = join(cacheDirOf(config), 'grids');
  const files = readdirSync(grids).filter((f) => f.endsWith('.bin'));
  assert.equal(files.length, 3);
  const bytes = readFileSync(join(grids, files[0]));
  bytes[bytes.length - 1] ^= 0xff;
  writeFileSync(join(grids, files[0]), bytes);
  const repaired = await computeDecisionGrid(config, { resolution: 40 });
  assert.equal(repaired?.evaluated.length, 1);
  assert.deepEqual(repaired?.grid, first.grid);

  const restricted = await computeDecisionGrid(config, { resolution: 24, evaluate: false });
  assert.ok(restricted);
  assert.equal(restricted.grid, undefined);
  assert.deepEqual(restricted.omitted.map((o) => o.id), ['lin', 'mlp', 'sub', 'p']);
  assert.match(restricted.omitted[0].reason, /Restricted Mode/);
});

test('members without cached outputs are omitted as not trained', async () => {
  const other = load(dir, JSON.stringify({ ...MOONS, members: [{ id: 'new', layers: [{ type: 'dense', units: 3, activation: 'relu' }, { type: 'dense', units: 2, activation: 'softmax' }] }] }), 'untrained');
  const g = await computeDecisionGrid(other, { resolution: 10 });
  assert.ok(g);
  assert.equal(g.grid, undefined);
  assert.deepEqual(g.omitted, [{ id: 'new', reason: 'not trained' }]);
});

test('`report --html` exports the grid and the test inputs', async () => {
  const html = join(dir, 'moons.report.html');
  assert.equal(await runReport({ configPath: config.file, backend: 'auto', html, train: false }), 0);
  const json = /<script type="application\/json" id="ensemble-lens-snapshot">(.*?)<\/script>/s.exec(readFileSync(html, 'utf8'))?.[1];
  assert.ok(json);
  const snap = JSON.parse(json) as DashboardSnapshot;
  assert.deepEqual(snap.grid?.members.map((m) => m.id), ['lin', 'mlp', 'sub']);
  assert.equal(snap.grid?.xs.length, 80);
  assert.deepEqual(base64ToFloat32(snap.grid!.members[0].probs).length, 80 * 80 * 2);
  assert.equal(snap.inputs?.kind, 'features');
  assert.equal(snap.inputs?.count, data.nTest);
});

test('data that is not 2-D classification has no grid', async () => {
  const iris = load(dir, JSON.stringify({ data: { source: 'iris' }, members: [{ id: 'a', layers: [{ type: 'dense', units: 3, activation: 'softmax' }] }] }), 'iris');
  assert.equal(await computeDecisionGrid(iris), undefined);
  const rows = ['a,b,c,y', ...Array.from({ length: 40 }, (_, i) => `${i % 7},${(i * 3) % 5},${i % 2},${i % 2}`)];
  writeFileSync(join(dir, 'three.csv'), rows.join('\n'));
  const three = load(dir, JSON.stringify({ data: { train: 'three.csv', label: 'y' }, members: [{ id: 'a', layers: [{ type: 'dense', units: 2, activation: 'softmax' }] }] }), 'three');
  assert.equal(await computeDecisionGrid(three), undefined);
  const reg = load(dir, JSON.stringify({ task: 'regression', data: { source: 'regression', features: 2 }, members: [{ id: 'a', layers: [{ type: 'dense', units: 1 }] }] }), 'reg');
  assert.equal(await computeDecisionGrid(reg), undefined);
});

/** A seeded 2 -> 8 (tanh) -> 2 (softmax) TF.js layers model, written as model.json + weights.bin. */
async function saveTfjs2d(folder: string): Promise<string> {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [2], units: 8, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), biasInitializer: 'randomNormal' }));
  m.add(tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }));
  await m.save(
    tf.io.withSaveHandler(async (a) => {
      writeFileSync(join(folder, 'weights.bin'), new Uint8Array(a.weightData as ArrayBuffer));
      writeFileSync(join(folder, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] }));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  m.dispose();
  return join(folder, 'model.json');
}

test('saved models: a TF.js member gets a grid, and grid jobs of TF.js and ONNX members reproduce their test outputs', async () => {
  const d = mkdtempSync(join(tmpdir(), 'el-grid-saved-'));
  const modelJson = await saveTfjs2d(d);
  const moons = load(d, JSON.stringify({ data: MOONS.data, members: [{ id: 'tfjs', model: modelJson }] }), 'saved');
  assert.deepEqual((await trainEnsemble(moons, { workers: 1 })).failed, []);
  const g = await computeDecisionGrid(moons, { resolution: 30 });
  assert.deepEqual(g?.grid?.members.map((m) => m.id), ['tfjs']);
  assert.deepEqual(g?.omitted, []);
  const p = probsOf(g!, 'tfjs');
  for (let cell = 0; cell < 900; cell++) assert.ok(Math.abs(p[2 * cell] + p[2 * cell + 1] - 1) < 1e-5);

  // ONNX (4-feature iris: no grid, but the same job on the test inputs).
  const iris = load(d, JSON.stringify({ data: { source: 'iris', test: 45, seed: 3, normalize: 'none' }, members: [{ id: 'onnx', model: join(MODELS, 'iris_mlp.onnx') }] }), 'iris-onnx');
  assert.deepEqual((await trainEnsemble(iris, { workers: 1 })).failed, []);
  assert.equal(await computeDecisionGrid(iris), undefined);
  for (const c of [moons, iris]) {
    const ds = await loadDataset(c.data, c.task);
    const cached = await loadCachedOutputs(c);
    const { probs, omitted } = await evaluateMembersAt(c, ds.xTest, ds.nTest, ds.numClasses, { workers: 1 });
    assert.deepEqual(omitted, []);
    const id = c.members[0].id;
    const a = probs.get(id)!;
    const b = cached.get(id)!;
    assert.equal(a.length, b.length);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    assert.ok(worst <= 1e-6, `${id}: max difference ${worst}`);
  }
});
