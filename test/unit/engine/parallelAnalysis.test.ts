// The analysis on two threads (src/engine/analysis/parallel.ts): the report is analyzeEnsemble's, value
// for value, for every task and combine rule; invalid outputs fail with the same message; a side worker
// that cannot run leaves the work to this thread; small outputs never start one.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeEnsemble } from '../../../src/core/analysis/analyze';
import { LARGE_ENSEMBLE_MEMBERS } from '../../../src/core/analysis/classificationReport';
import type { EnsembleOutputs } from '../../../src/core/outputs';
import { analyzeParallel, SideWorker } from '../../../src/engine/analysis/parallel';
import { syntheticOutputs } from '../../../bench/analysis.bench';

const script = join(__dirname, '../../../dist/analysisWorker.js');
const side = new SideWorker(script);
after(() => side.dispose());

function regression(m: number, n: number): EnsembleOutputs {
  const labels = Float32Array.from({ length: n }, (_, i) => Math.sin(i / 7) * 3);
  const members = Array.from({ length: m }, (_, j) => ({
    id: `r${j}`, values: Float32Array.from(labels, (y, i) => y + 0.4 * Math.cos(i * (j + 2)) + 0.1 * j),
  }));
  return { task: 'regression', labels, numClasses: 1, nTest: n, members };
}

test('two threads give the report of one, for classification (mean, weighted, vote) and regression', async () => {
  const cls = syntheticOutputs(6, 1500, 4, 3);
  const weights = Object.fromEntries(cls.members.map((m, i) => [m.id, i + 1]));
  const cases: [string, EnsembleOutputs, object][] = [
    ['mean', cls, {}],
    ['weighted', cls, { combine: { method: 'weighted', weights } }],
    ['vote', cls, { combine: { method: 'vote' }, selectionMetric: 'accuracy' }],
    ['regression', regression(5, 800), { stackingAlphas: [0.1, 10] }],
    // from LARGE_ENSEMBLE_MEMBERS members on, ensemble selection moves to the side part
    ['mean, 18 members', syntheticOutputs(18, 700, 3, 4), {}],
    [`weighted, ${LARGE_ENSEMBLE_MEMBERS} members, cross-validated selection`, syntheticOutputs(LARGE_ENSEMBLE_MEMBERS, 120, 3, 4), {
      combine: { method: 'weighted', weights: Object.fromEntries(syntheticOutputs(LARGE_ENSEMBLE_MEMBERS, 10, 3, 4).members.map((m, i) => [m.id, 1 + (i % 3)])) }, selectionFolds: 3,
    }],
  ];
  for (const [name, o, opts] of cases) {
    const one = analyzeEnsemble(o, opts);
    const timings: Record<string, number> = {};
    const two = await analyzeParallel(o, { ...opts, timings }, side, 0);
    assert.equal(JSON.stringify(two), JSON.stringify(one), name);
    assert.ok('side:stacking' in timings && 'sizeCurve' in timings, `${name}: both threads timed (${Object.keys(timings)})`);
    const onSide = o.task === 'classification' && o.members.length >= LARGE_ENSEMBLE_MEMBERS;
    assert.deepEqual(['selection' in timings, 'side:selection' in timings], [!onSide, onSide], `${name}: selection computed once, by the ${onSide ? 'side' : 'main'} part`);
    if (o.task === 'classification') {
      assert.deepEqual(['pairwise.errorCorrelation' in timings, 'side:pairwise.errorCorrelation' in timings], [!onSide, onSide], `${name}: error correlation computed once, by the ${onSide ? 'side' : 'main'} part`);
    }
  }
  assert.equal(side.started, 1, 'one side worker served every analysis');
});

test('invalid outputs fail with the message of the one-thread analysis; the side worker stays usable', async () => {
  const o = syntheticOutputs(3, 400, 3, 5);
  const bad: EnsembleOutputs = { ...o, members: o.members.map((m, i) => (i === 1 ? { ...m, values: m.values.map((v, k) => (k === 7 ? -0.5 : v)) } : m)) };
  let expected = '';
  try { analyzeEnsemble(bad); } catch (e) { expected = (e as Error).message; }
  assert.match(expected, /net1/, 'the message names the member');
  await assert.rejects(analyzeParallel(bad, {}, side, 0), { message: expected });
  const good = await analyzeParallel(o, {}, side, 0);
  assert.equal(JSON.stringify(good), JSON.stringify(analyzeEnsemble(o)));
});

test('a side worker that cannot start leaves its part to this thread; small outputs stay on this thread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'el-side-'));
  const broken = join(dir, 'broken.js');
  writeFileSync(broken, "throw new Error('no analysis here');\n");
  const dead = new SideWorker(broken);
  try {
    const o = syntheticOutputs(4, 600, 3, 9);
    assert.equal(JSON.stringify(await analyzeParallel(o, {}, dead, 0)), JSON.stringify(analyzeEnsemble(o)));
    assert.equal(dead.started, 1);
  } finally {
    dead.dispose();
  }
  const idle = new SideWorker(script);
  try {
    const small = syntheticOutputs(3, 200, 3, 1); // 1,800 values, far below PARALLEL_MIN_VALUES
    assert.equal(JSON.stringify(await analyzeParallel(small, {}, idle)), JSON.stringify(analyzeEnsemble(small)));
    assert.equal(idle.started, 0);
  } finally {
    idle.dispose();
  }
});
