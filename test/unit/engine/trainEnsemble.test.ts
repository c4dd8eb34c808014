// The engine end to end on real TensorFlow.js training in real worker threads (dist/worker.js):
// the cache trains only what changed, survives corruption, and cancellation keeps finished members.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseConfig } from '../../../src/core/config/parse';
import type { EnsembleConfig } from '../../../src/core/config/types';
import { inspectCache, trainEnsemble, clearCache } from '../../../src/engine/run';
import { buildReport } from '../../../src/engine/report';

const root = join(__dirname, '../../..');
before(() => {
  if (!existsSync(join(root, 'dist/worker.js'))) {
    const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
    assert.equal(r.status, 0);
  }
});

function configText(hidden2 = 8, epochs = 3): string {
  return `{
  "data": { "source": "moons", "samples": 300, "noise": 0.2, "seed": 1 },
  "defaults": { "epochs": ${epochs}, "batchSize": 32, "learningRate": 0.02 },
  "members": [
    { "id": "a", "layers": [ { "type": "dense", "units": 8, "activation": "tanh" }, { "type": "dense", "units": 2, "activation": "softmax" } ] },
    { "id": "b", "layers": [ { "type": "dense", "units": ${hidden2}, "activation": "relu" }, { "type": "dense", "units": 2, "activation": "softmax" } ] },
    { "id": "s", "repeat": 2, "layers": [ { "type": "dense", "units": 4, "activation": "relu" }, { "type": "dense", "units": 2, "activation": "softmax" } ] }
  ]
}`;
}

function load(dir: string, text: string): EnsembleConfig {
  const file = join(dir, 'toy.ensemble.json');
  writeFileSync(file, text);
  const r = parseConfig(text, file);
  assert.deepEqual(r.problems.filter((p) => p.severity === 'error'), []);
  return r.config!;
}

test('trains every member once; an unchanged config trains nothing; an edit retrains only that member', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'el-train-'));
  let config = load(dir, configText());
  const states: string[] = [];
  const first = await trainEnsemble(config, { workers: 2, onMemberState: (id, s) => states.push(`${id}:${s}`) });
  assert.deepEqual(first.trained.sort(), ['a', 'b', 's#1', 's#2']);
  assert.equal(first.failed.length, 0);
  assert.ok(states.includes('a:queued') && states.includes('a:training') && states.includes('a:trained'));

  const second = await trainEnsemble(config, { workers: 2 });
  assert.deepEqual(second.trained, []);
  assert.deepEqual(second.cached.sort(), ['a', 'b', 's#1', 's#2']);

  config = load(dir, configText(12));
  const before = await inspectCache(config);
  assert.equal(before.b.state, 'stale');
  assert.equal(before.a.state, 'trained');
  const third = await trainEnsemble(config, { workers: 2 });
  assert.deepEqual(third.trained, ['b']);
  assert.deepEqual(third.cached.sort(), ['a', 's#1', 's#2']);
});

test('repeat members differ (seeds), and the same spec trains to identical outputs', async () => {
  const dir1 = mkdtempSync(join(tmpdir(), 'el-det-'));
  const dir2 = mkdtempSync(join(tmpdir(), 'el-det-'));
  const r1 = await buildReport(load(dir1, configText()), { workers: 2 });
  const r2 = await buildReport(load(dir2, configText()), { workers: 1 });
  const o1 = new Map(r1.outputs.members.map((m) => [m.id, m.values]));
  const o2 = new Map(r2.outputs.members.map((m) => [m.id, m.values]));
  for (const id of ['a', 'b', 's#1', 's#2']) assert.deepEqual(o1.get(id), o2.get(id), id);
  assert.notDeepEqual(o1.get('s#1'), o1.get('s#2'));
  // the report's ensemble accuracy equals the accuracy of the averaged probabilities, recomputed here
  const { labels, numClasses, nTest } = r1.outputs;
  let correct = 0;
  for (let i = 0; i < nTest; i++) {
    let best = -1;
    let bestP = -1;
    for (let c = 0; c < numClasses; c++) {
      let p = 0;
      for (const m of r1.outputs.members) p += m.values[i * numClasses + c];
      if (p > bestP) [best, bestP] = [c, p];
    }
    if (best === labels[i]) correct++;
  }
  const acc = (r1.report.ensemble.metrics as { accuracy: number }).accuracy;
  assert.equal(acc, correct / nTest);
  assert.ok(acc > 0.75, `moons ensemble accuracy ${acc}`);
});

test('a corrupt cache entry is reported and rebuilt, others stay', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'el-corrupt-'));
  const config = load(dir, configText());
  await trainEnsemble(config, { workers: 2 });
  const info = await inspectCache(config);
  const out = join(dir, '.ensemble-lens', 'entries', info.a.key, 'outputs.bin');
  const b = readFileSync(out);
  b[0] ^= 1;
  writeFileSync(out, b);
  const logs: string[] = [];
  const r = await trainEnsemble(config, { workers: 2, log: (l) => logs.push(l) });
  assert.deepEqual(r.trained, ['a']);
  assert.ok(logs.some((l) => l.startsWith('a:') && /checksum/.test(l)), logs.join('\n'));
  assert.equal(readdirSync(join(dir, '.ensemble-lens', 'entries')).filter((n) => n.startsWith('.tmp')).length, 0);
});

test('cancelling keeps members that finished and trains the rest next time', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'el-cancel-'));
  const config = load(dir, configText(8, 60));
  const ac = new AbortController();
  const r = await trainEnsemble(config, {
    workers: 1,
    signal: ac.signal,
    onMemberState: (id, s) => {
      if (id === 'a' && s === 'trained') ac.abort();
    },
  });
  assert.equal(r.cancelled, true);
  assert.deepEqual(r.trained, ['a']);
  const info = await inspectCache(config);
  assert.equal(info.a.state, 'trained');
  assert.equal(info.b.state, 'not-trained');
  const again = await trainEnsemble(config, { workers: 2, only: ['b'] });
  assert.deepEqual(again.trained, ['b']);
  assert.equal(await clearCache(config), 2);
  assert.equal((await inspectCache(config)).a.state, 'not-trained');
});

test('a member that fails to load is reported with its file; the others still train', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'el-fail-'));
  writeFileSync(join(dir, 'bad.csv'), 'class_0,class_1\n0.5,0.5\n');
  const text = configText().replace(
    '"members": [',
    '"members": [\n    { "id": "bad", "predictions": "bad.csv" },',
  );
  const config = load(dir, text);
  const r = await trainEnsemble(config, { workers: 2 });
  assert.deepEqual(r.failed.map((f) => f.id), ['bad']);
  assert.match(r.failed[0].message, /1 row|rows/);
  assert.equal(r.trained.length, 4);
});
