// Transferability from a config: members trained with the real trainer into the real member cache,
// prediction-file members skipped with a reason, the result cached under attacks/<key>.json, and the
// same run through the attack worker thread (progress, cancellation).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnsembleConfig } from '../../../src/core/config/types';
import { parseConfig } from '../../../src/core/config/parse';
import { MemberCache } from '../../../src/engine/cache/memberCache';
import { memberKey } from '../../../src/engine/cache/memberKey';
import { loadDataset } from '../../../src/engine/data/loadDataset';
import { trainMember } from '../../../src/engine/model/trainer';
import { serializeWeights } from '../../../src/engine/model/serialize';
import { initBackend } from '../../../src/engine/tf/backend';
import { attackKey } from '../../../src/engine/attack/attackCache';
import { computeTransferability } from '../../../src/engine/attack/compute';
import { loadCachedTransferability, runTransferability } from '../../../src/engine/attack/transferability';

const dir = mkdtempSync(join(tmpdir(), 'el-attack-'));
const cacheDir = join(dir, 'cache');
const workerScript = join(__dirname, '../../../src/engine/attack/attackWorker.ts');

function configText(attack: string): string {
  const mlp = (units: number) => `[ { "type": "dense", "units": ${units}, "activation": "tanh" }, { "type": "dense", "units": 3, "activation": "softmax" } ]`;
  return `{
    "task": "classification",
    "data": { "source": "blobs", "samples": 600, "classes": 3, "noise": 1.5, "seed": 4, "normalize": "standard" },
    "defaults": { "epochs": 15, "batchSize": 32, "optimizer": "adam", "learningRate": 0.02 },
    "members": [
      { "id": "a", "layers": ${mlp(16)} },
      { "id": "b", "seed": 7, "layers": ${mlp(24)} },
      { "id": "c", "seed": 9, "layers": ${mlp(8)} },
      { "id": "p", "predictions": "p.csv" }
    ],
    "attack": ${attack}
  }`;
}

function load(attack: string): EnsembleConfig {
  const file = join(dir, 'blobs.ensemble.json');
  writeFileSync(file, configText(attack));
  const r = parseConfig(configText(attack), file);
  assert.ok(r.config, JSON.stringify(r.problems));
  return r.config;
}

const ATTACK = '{ "epsilon": [1.2, 0.6], "steps": 5, "poolSize": 80, "ensembleAttacks": ["ens", "cwa", "adaea", "leaveOneOut"] }';

before(async () => {
  writeFileSync(join(dir, 'p.csv'), 'p0,p1,p2\n');
  await initBackend('wasm');
  const config = load(ATTACK);
  const data = await loadDataset(config.data, config.task);
  const cache = new MemberCache(cacheDir);
  for (const m of config.members.filter((x) => x.source.kind === 'layers').slice(0, 3)) {
    const r = await trainMember({ member: m, dataset: data });
    await cache.put(await memberKey(config, m, 'wasm'), { memberId: m.id, kind: 'layers', backend: 'wasm', millis: 0, history: r.history }, r.outputs, serializeWeights(r.weights));
  }
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('a config with trained members: matrix, skipped prediction file, cached result', async () => {
  const config = load(ATTACK);
  const labels: string[] = [];
  const r = await computeTransferability(config, { backend: 'wasm', cacheDir, onProgress: (_d, _t, l) => labels.push(l) });
  assert.deepEqual(r.rows, ['a', 'b', 'c']);
  assert.deepEqual(r.columns, ['a', 'b', 'c', 'ensemble']);
  assert.deepEqual(r.skipped.map((s) => s.id), ['p']);
  assert.match(r.skipped[0].reason, /cannot be evaluated on new/);
  assert.equal(r.protocol.backend, 'wasm');
  assert.equal(r.protocol.bounds.source, 'data');
  assert.deepEqual(r.protocol.epsilons, [1.2, 0.6]);
  assert.equal(r.sweeps.length, 2);
  assert.deepEqual(Object.keys(r.ensembleAttacks).sort(), ['adaea', 'cwa', 'ens']);
  assert.equal(r.leaveOneOut.length, 3);
  assert.ok(labels.some((l) => l.startsWith('CWA')) && labels.some((l) => l.startsWith('ENS without')));
  assert.ok(r.matrix.every((row, i) => row[i] > 0.5), `white-box success on the diagonal: ${JSON.stringify(r.matrix)}`);
  assert.ok(existsSync(join(cacheDir, 'attacks', `${r.key}.json`)));
  assert.equal(r.key, await attackKey(config, 'wasm'));
  const again = await computeTransferability(config, { backend: 'wasm', cacheDir });
  assert.deepEqual(again, JSON.parse(JSON.stringify(r)), 'the second run is the cached result');
  assert.deepEqual(await loadCachedTransferability(config, { backend: 'wasm', cacheDir }), again);
  // another attack spec is another key
  assert.notEqual(await attackKey(load('{ "epsilon": 0.3 }'), 'wasm'), r.key);
});

test('a member that is not trained is skipped, not fatal', async () => {
  const config = load(ATTACK);
  const d = config.members[1].source;
  if (d.kind === 'layers') d.layers[0].units = 25; // another spec: its cache entry misses
  const r = await computeTransferability(config, { backend: 'wasm', cacheDir });
  assert.deepEqual(r.rows, ['a', 'c']);
  assert.match(r.skipped.find((s) => s.id === 'b')!.reason, /not trained/);
});

test('runTransferability runs in a worker thread with progress, and cancels', async () => {
  const config = load('{ "epsilon": 0.4, "steps": 4, "poolSize": 60, "ensembleAttacks": ["ens"] }');
  let last = 0;
  let backend = '';
  const r = await runTransferability(config, { backend: 'wasm', cacheDir, workerScript, onProgress: (d, t) => (last = d / t), onBackend: (b) => (backend = b.name) });
  assert.equal(backend, 'wasm');
  assert.equal(last, 1);
  assert.deepEqual(r.rows, ['a', 'b', 'c']);
  assert.ok(readdirSync(join(cacheDir, 'attacks')).includes(`${r.key}.json`));

  const abort = new AbortController();
  const slow = load('{ "epsilon": 0.4, "steps": 400, "poolSize": 60, "ensembleAttacks": ["ens", "cwa"] }');
  await assert.rejects(
    runTransferability(slow, { backend: 'wasm', cacheDir, workerScript, signal: abort.signal, cancelGraceMs: 60_000, onProgress: (d) => d > 3 && abort.abort() }),
    (e: Error) => e.name === 'AbortError' && e.message === 'cancelled', // stopped between steps, not terminated
  );
  assert.equal(await loadCachedTransferability(slow, { backend: 'wasm', cacheDir }), undefined, 'nothing cached for a cancelled run');
});
