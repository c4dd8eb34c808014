// Adversarial transferability throughput, one thread (the attack worker's situation).
// Data: bundled MNIST (6,000 train / 2,000 test). Members: 5 MLPs 784-128-10 (relu), seeds 1..5,
// 2 epochs each (trained here; not timed). Attack: PGD L-inf eps 0.1, 10 steps, step 0.025, random
// start, 1 restart, pool 500 (test samples all 5 classify correctly).
// (a) the full matrix: 5 sources x 500 samples x 10 steps, every target evaluated per source;
// (b) the same plus the ensemble attacks ENS, CWA, AdaEA and leave-one-out (5 x ENS on 4 members).
// "samples x steps / s" counts crafting work: rows x pool x steps (each step is one forward+backward
// pass of the attacked model(s) over the whole pool in one batch), over the wall time of the run
// (pool selection and evaluation included). CPU seconds of this process are shown too.
// Run: node --import tsx --expose-gc bench/attack.bench.ts [wasm|cpu]
import { parseConfig } from '../src/core/config/parse';
import { loadDataset } from '../src/engine/data/loadDataset';
import { trainMember } from '../src/engine/model/trainer';
import { restoreModel } from '../src/engine/model/serialize';
import { initBackend } from '../src/engine/tf/backend';
import { computeMatrix } from '../src/engine/attack/matrix';
import { resolveAttack } from '../src/engine/attack/spec';
import { differentiableTarget } from '../src/engine/attack/targets';
import type { AttackSpec } from '../src/core/config/types';

const CONFIG = `{
  "task": "classification",
  "data": { "source": "mnist", "train": 6000, "test": 2000, "seed": 1 },
  "defaults": { "epochs": 2, "batchSize": 64, "optimizer": "adam", "learningRate": 0.002 },
  "members": [ { "id": "mlp", "repeat": 5, "layers": [
    { "type": "flatten" }, { "type": "dense", "units": 128, "activation": "relu" }, { "type": "dense", "units": 10, "activation": "softmax" } ] } ]
}`;

async function main(): Promise<void> {
  const backend = (process.argv[2] ?? 'wasm') as 'wasm' | 'cpu';
  const info = await initBackend(backend);
  const config = parseConfig(CONFIG, '/bench/mnist.ensemble.json').config!;
  const data = await loadDataset(config.data, config.task);
  const sources = [];
  for (const m of config.members) {
    const r = await trainMember({ member: m, dataset: data });
    sources.push({ id: m.id, model: restoreModel(r.weights) });
  }
  const targets = sources.map((s) => differentiableTarget(s.id, s.model, data.inputShape));
  console.log(`backend ${info.name}; ${sources.length} MLP members, pool 500, PGD linf eps 0.1, 10 steps`);
  console.log('run                          | wall s | cpu s | rows x pool x steps | samples x steps / s | mean off-diag | white-box');
  const runs: [string, Partial<AttackSpec>][] = [
    ['(a) matrix', { ensembleAttacks: [] }],
    ['(b) + ENS, CWA, AdaEA, LOO', { ensembleAttacks: ['ens', 'cwa', 'adaea', 'leaveOneOut'] }],
  ];
  for (const [name, over] of runs) {
    const attack = resolveAttack({ method: 'pgd', norm: 'linf', epsilon: [0.1], steps: 10, poolSize: 500, seed: 0, ...over });
    (globalThis as { gc?: () => void }).gc?.();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await computeMatrix({ sources, targets, data, attack, backend: info.name });
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const rows = r.rows.length + Object.keys(r.ensembleAttacks).length + r.leaveOneOut.length;
    const work = rows * r.protocol.poolSize * attack.steps;
    console.log(
      `${name.padEnd(28)} | ${wall.toFixed(2).padStart(6)} | ${((cpu.user + cpu.system) / 1e6).toFixed(2).padStart(5)} | ${`${rows} x ${r.protocol.poolSize} x ${attack.steps}`.padStart(19)} | ${(work / wall).toFixed(0).padStart(19)} | ${(100 * r.summary.meanOffDiagonal!).toFixed(1).padStart(12)}% | ${(100 * r.summary.whiteBoxMean!).toFixed(1)}%`,
    );
    if (name.startsWith('(b)')) {
      for (const [a, row] of Object.entries(r.ensembleAttacks)) console.log(`  ${a}: ensemble column ${(100 * row.rates[row.rates.length - 1]).toFixed(1)}%`);
      console.log(`  leave-one-out mean: ${((100 * r.leaveOneOut.reduce((s, e) => s + e.rate, 0)) / r.leaveOneOut.length).toFixed(1)}%`);
    }
  }
  sources.forEach((s) => s.model.dispose());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
