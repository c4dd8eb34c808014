// What the extension host's thread feels while a report is made: the longest gap between ticks of a
// 1 ms interval timer (the host's event loop: hovers, CodeLens, webview messages all wait on it)
// and the wall time, for the same report computed in-thread (engine/report.ts reportFromCache, what
// the CLI does) and in the report worker (engine/reportWorker, what the extension does). Members are
// .npy prediction files of the analysis benchmark's synthetic outputs (N = 10,000, C = 10), already
// loaded into the cache; the first request of each kind is a warm-up (worker start, JIT).
//   node --import tsx bench/reportThread.bench.ts [M ...]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/core/config/parse';
import type { EnsembleConfig } from '../src/core/config/types';
import { trainEnsemble } from '../src/engine/run';
import { reportFromCache } from '../src/engine/report';
import { ReportWorkerClient, defaultReportWorkerScript } from '../src/engine/reportWorker/client';
import { syntheticOutputs } from './analysis.bench';

/** A little-endian float32 .npy file of shape (n, c). */
function npy(values: Float32Array, n: number, c: number): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n}, ${c}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(values.buffer, values.byteOffset, values.byteLength)]);
}

async function workspace(m: number): Promise<EnsembleConfig> {
  const dir = mkdtempSync(join(tmpdir(), `el-bench-report-${m}-`));
  const o = syntheticOutputs(m);
  writeFileSync(join(dir, 'labels.csv'), 'label\n' + Array.from(o.labels).join('\n') + '\n');
  const members = o.members.map((mem, i) => {
    writeFileSync(join(dir, `m${i}.npy`), npy(mem.values, o.nTest, o.numClasses));
    return `{ "id": "m${i}", "predictions": "m${i}.npy" }`;
  });
  const text = `{ "task": "classification", "data": { "labels": "labels.csv" }, "members": [ ${members.join(', ')} ] }`;
  const file = join(dir, 'bench.ensemble.json');
  writeFileSync(file, text);
  const config = parseConfig(text, file).config!;
  const s = await trainEnsemble(config, { workers: 2 });
  if (s.failed.length) throw new Error(s.failed[0].message);
  return config;
}

/** Runs fn while a 1 ms interval measures the event loop's longest stall. */
async function watched(fn: () => Promise<unknown>): Promise<{ wallMs: number; stallMs: number }> {
  let last = performance.now();
  let stall = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 1);
  const t0 = performance.now();
  await fn();
  const wallMs = performance.now() - t0;
  clearInterval(timer);
  stall = Math.max(stall, performance.now() - last);
  return { wallMs, stallMs: stall };
}

async function main(): Promise<void> {
  const ms = process.argv.slice(2).map(Number);
  const client = new ReportWorkerClient(defaultReportWorkerScript());
  console.log('report from the cache, N=10000, C=10: wall time and longest event-loop stall of the calling thread (best of 3 after a warm-up)');
  console.log('   M   in-thread wall ms   in-thread stall ms   worker wall ms   worker stall ms');
  for (const m of ms.length ? ms : [8, 64, 256]) {
    const config = await workspace(m);
    const best = { tw: Infinity, ts: Infinity, ww: Infinity, ws: Infinity };
    for (let r = 0; r < 4; r++) {
      const a = await watched(() => reportFromCache(config));
      const b = await watched(() => client.request({ config }));
      if (r === 0) continue;
      best.tw = Math.min(best.tw, a.wallMs);
      best.ts = Math.min(best.ts, a.stallMs);
      best.ww = Math.min(best.ww, b.wallMs);
      best.ws = Math.min(best.ws, b.stallMs);
    }
    rmSync(config.dir, { recursive: true, force: true });
    console.log(`${String(m).padStart(4)} ${best.tw.toFixed(0).padStart(19)} ${best.ts.toFixed(0).padStart(20)} ${best.ww.toFixed(0).padStart(16)} ${best.ws.toFixed(1).padStart(17)}`);
  }
  client.dispose();
}

void main();
