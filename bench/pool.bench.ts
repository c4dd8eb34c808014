// Worker-pool scaling: the same members trained through `trainEnsemble` (real worker threads, real
// MNIST digits, wasm backend) with 1 worker and with N workers (N = cores). Prints per-member
// steady-state samples/s (epochs after the first, as reported by the workers) and the aggregate
// throughput over the whole run (all training samples / wall time, including worker start-up).
// Run: npm run build && node --import tsx bench/pool.bench.ts
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/core/config/parse';
import { trainEnsemble } from '../src/engine/run';

const cores = availableParallelism();
const EPOCHS = 3;
const TRAIN = 8000;
const MODELS = {
  'MLP 784-256-256-10 b128': `[ { "type": "flatten" }, { "type": "dense", "units": 256, "activation": "relu" }, { "type": "dense", "units": 256, "activation": "relu" }, { "type": "dense", "units": 10, "activation": "softmax" } ], "batchSize": 128`,
  'CNN c16-p-c32-p-d10 b64': `[ { "type": "conv2d", "filters": 16, "kernelSize": 3, "activation": "relu" }, { "type": "maxPooling2d", "poolSize": 2 }, { "type": "conv2d", "filters": 32, "kernelSize": 3, "activation": "relu" }, { "type": "maxPooling2d", "poolSize": 2 }, { "type": "flatten" }, { "type": "dense", "units": 10, "activation": "softmax" } ], "batchSize": 64`,
};

async function measure(layers: string, members: number, workers: number, epochs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'el-bench-'));
  const text = `{ "data": { "source": "mnist", "train": ${TRAIN}, "test": 500, "seed": 1 },
    "defaults": { "epochs": ${epochs} },
    "members": [ { "id": "m", "repeat": ${members}, "layers": ${layers} } ] }`;
  const file = join(dir, 'bench.ensemble.json');
  writeFileSync(file, text);
  const { config, problems } = parseConfig(text, file);
  if (!config || problems.some((p) => p.severity === 'error')) throw new Error(problems.map((p) => p.message).join('\n'));
  const steady: number[] = [];
  let backend = '';
  const t0 = performance.now();
  const s = await trainEnsemble(config, { workers, backend: 'wasm', onBackend: (b) => (backend = b.name), onEpoch: (_id, p) => p.epoch > 1 && steady.push(p.samplesPerSec) });
  const wall = (performance.now() - t0) / 1000;
  rmSync(dir, { recursive: true, force: true });
  if (s.failed.length) throw new Error(s.failed[0].message);
  const perMember = steady.reduce((a, b) => a + b, 0) / steady.length;
  return { backend, perMember, aggregate: (members * epochs * TRAIN) / wall, wall };
}

async function main() {
  console.log(`worker-pool scaling on ${cores} core(s); ${TRAIN} MNIST digits; members = workers = N`);
  console.log('model                      workers  members  backend  per-member samples/s  aggregate samples/s (wall)  wall s');
  for (const [name, layers] of Object.entries(MODELS)) {
    const epochs = name.startsWith('CNN') ? 2 : EPOCHS;
    const base = await measure(layers, cores, 1, epochs);
    const rows = [[1, base]] as [number, typeof base][];
    if (cores > 1) rows.push([cores, await measure(layers, cores, cores, epochs)]);
    for (const [w, r] of rows) {
      console.log(
        `${name.padEnd(26)} ${String(w).padStart(7)}  ${String(cores).padStart(7)}  ${r.backend.padEnd(7)}  ${Math.round(r.perMember).toLocaleString('en-US').padStart(20)}  ${Math.round(r.aggregate).toLocaleString('en-US').padStart(26)}  ${r.wall.toFixed(1).padStart(6)}`,
      );
    }
    if (rows.length > 1) {
      // Steady state: N members train at once at the per-member rate, vs one at a time.
      const steady = (cores * rows[1][1].perMember) / base.perMember;
      console.log(`${''.padEnd(26)} speed-up with ${cores} workers: steady state ${steady.toFixed(2)}x, whole run incl. start-up ${(rows[1][1].aggregate / base.aggregate).toFixed(2)}x (ideal ${cores}x)`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
