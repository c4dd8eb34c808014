// Training and inference throughput of the TensorFlow.js engine, one thread (one pool worker).
// Data: deterministic random MNIST-shaped inputs (784 features in [0,1), 10 classes).
// Models: (a) MLP 784-256-256-10, batch 128; (b) CNN conv3x3x16(relu)-maxpool2-conv3x3x32(relu)-
// maxpool2-flatten-dense10, batch 64. Training samples/s is the steady state (best epoch after a
// warm-up epoch, counting only the training steps); inference is a batched predict (256 rows/batch).
// Each rate is shown per wall-clock second and per CPU-second of this process: on a shared machine the
// second is the more stable estimate of what one otherwise idle core does.
// cpu runs only a few batches: it is ~50x slower.
// Run: node --import tsx --expose-gc bench/training.bench.ts [wasm|cpu ...]
import * as tf from '@tensorflow/tfjs';
import type { LayerSpec, MemberSpec, SourceRange } from '../src/core/config/types';
import type { Dataset } from '../src/core/data/types';
import { createRng } from '../src/core/data/random';
import { initBackend } from '../src/engine/tf/backend';
import { trainMember } from '../src/engine/model/trainer';
import { restoreModel } from '../src/engine/model/serialize';

const pos = { line: 0, character: 0, offset: 0 };
const range: SourceRange = { start: pos, end: pos };
const L = (s: Omit<LayerSpec, 'range'>): LayerSpec => ({ ...s, range });

const MODELS: { name: string; image: boolean; batch: number; layers: LayerSpec[] }[] = [
  {
    name: 'MLP 784-256-256-10',
    image: false,
    batch: 128,
    layers: [L({ type: 'dense', units: 256, activation: 'relu' }), L({ type: 'dense', units: 256, activation: 'relu' }), L({ type: 'dense', units: 10, activation: 'softmax' })],
  },
  {
    name: 'CNN c16-p-c32-p-d10',
    image: true,
    batch: 64,
    layers: [
      L({ type: 'conv2d', filters: 16, kernelSize: 3, activation: 'relu' }),
      L({ type: 'maxPooling2d', poolSize: 2 }),
      L({ type: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu' }),
      L({ type: 'maxPooling2d', poolSize: 2 }),
      L({ type: 'flatten' }),
      L({ type: 'dense', units: 10, activation: 'softmax' }),
    ],
  },
];

function dataset(nTrain: number, nTest: number, image: boolean): Dataset {
  const rng = createRng(42);
  const x = (n: number) => Float32Array.from({ length: n * 784 }, () => rng.next());
  const y = (n: number) => Float32Array.from({ length: n }, () => rng.int(10));
  return {
    name: 'synthetic-mnist', task: 'classification', inputShape: image ? [28, 28, 1] : [784], numClasses: 10,
    xTrain: x(nTrain), yTrain: y(nTrain), xTest: x(nTest), yTest: y(nTest), nTrain, nTest,
    lower: new Float32Array(784), upper: new Float32Array(784).fill(1), isImage: image,
  };
}

function memberOf(layers: LayerSpec[], batchSize: number, epochs: number): MemberSpec {
  return {
    id: 'bench', groupId: 'bench', repeatIndex: 0, repeatCount: 1, source: { kind: 'layers', layers },
    training: { optimizer: 'adam', learningRate: 0.001, epochs, batchSize, seed: 1, bootstrap: false, labelSmoothing: 0, weightDecay: 0 },
    range, idRange: range, entryIndex: 0,
  };
}

async function run(backend: 'wasm' | 'cpu'): Promise<string[][]> {
  const info = await initBackend(backend, { conv: true });
  console.log(`backend ${info.name}: ${info.reason}`);
  const rows: string[][] = [];
  for (const m of MODELS) {
    const slow = backend === 'cpu';
    const batchesPerEpoch = slow ? (m.image ? 2 : 4) : m.image ? 60 : 80;
    const epochs = slow ? 2 : 3;
    const d = dataset(m.batch * batchesPerEpoch, slow ? 128 : 4096, m.image);
    (globalThis as { gc?: () => void }).gc?.();
    // Rates between the first and last batch of each epoch after the first: training steps only.
    // Also per CPU-second of this process, which other load on the machine disturbs less than wall time.
    let mark = { wall: 0, cpu: 0 };
    const wallRates: number[] = [];
    const cpuRates: number[] = [];
    const now = () => {
      const c = process.cpuUsage();
      return { wall: performance.now(), cpu: (c.user + c.system) / 1000 };
    };
    let epoch = 0;
    const r = await trainMember({
      member: memberOf(m.layers, m.batch, epochs),
      dataset: d,
      onBatch: (b, nb) => {
        if (b === 1) {
          epoch++;
          mark = now();
        } else if (b === nb && epoch > 1) {
          const t = now();
          wallRates.push(((nb - 1) * m.batch) / ((t.wall - mark.wall) / 1000));
          cpuRates.push(((nb - 1) * m.batch) / ((t.cpu - mark.cpu) / 1000));
        }
      },
    });
    void r.history;
    const train = Math.max(...wallRates);
    const trainCpu = Math.max(...cpuRates);
    const model = restoreModel(r.weights);
    let infer = 0;
    let inferCpu = 0;
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let lo = 0; lo < d.nTest; lo += 256) {
        const n = Math.min(256, d.nTest - lo);
        tf.tidy(() => model.predictProba(tf.tensor(d.xTest.subarray(lo * 784, (lo + n) * 784), [n, ...d.inputShape])).dataSync());
      }
      infer = Math.max(infer, d.nTest / ((performance.now() - t0) / 1000));
      const c = process.cpuUsage(c0);
      inferCpu = Math.max(inferCpu, d.nTest / ((c.user + c.system) / 1e6));
    }
    model.dispose();
    rows.push([info.name, m.name, String(m.batch), train.toFixed(0), trainCpu.toFixed(0), infer.toFixed(0), inferCpu.toFixed(0)]);
  }
  return rows;
}

async function main(): Promise<void> {
  const which = process.argv.slice(2).filter((a) => a === 'wasm' || a === 'cpu') as ('wasm' | 'cpu')[];
  const rows: string[][] = [['backend', 'model', 'batch', 'train/s (wall)', 'train/s (cpu)', 'infer/s (wall)', 'infer/s (cpu)']];
  for (const b of which.length ? which : (['wasm', 'cpu'] as const)) rows.push(...(await run(b)));
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((v, c) => (c >= 2 ? v.padStart(widths[c]) : v.padEnd(widths[c]))).join('  '));
  console.log('targets (wasm, one worker): MLP >= 10000, CNN >= 1500 train samples/s');
}

void main();
