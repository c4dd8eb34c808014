// Benchmark of analyzeEnsemble: N = 10,000 samples, C = 10 classes, M = 8 / 64 / 512 members of
// synthetic seeded Dirichlet-like outputs. Each size runs in its own child process so that its peak
// RSS (process.resourceUsage().maxRSS) is its own. Reports best-of-R wall time, per-phase times of the
// best run, peak memory vs input size, and (when /usr/bin/python3 with numpy is present) the time of
// the vectorised numpy implementation scripts/fixtures/analysis_bench_numpy.py of the same measures.
// Repeats run back to back, as analyses do in a running extension (the numpy script likewise). With
// BENCH_GC_EACH=1 a full gc() precedes every repeat: V8 then drops the hidden classes of the analysis's
// objects and the optimised code that depends on them, so each repeat pays the JIT warm-up again
// (a few tens of ms more at M = 8): the cost of the first analysis after a long idle.
// "TS 2 threads" is analyzeParallel (what the extension and the CLI run): the side part (divergence
// matrices and stacking; from 256 members also error correlation and selection) in a second thread. The outputs
// are in SharedArrayBuffers for every run, as the report path reads them from the cache (MemberCache.get
// with `shared`), so neither thread copies them.
//   npm run bench -- analysis    (M = 8, 64, 512, bundled by esbuild as shipped: see bench/index.ts), then
//   node --expose-gc dist/bench/analysis.bench.js [M ...]
//   node --import tsx --expose-gc bench/analysis.bench.ts [M ...]    (from the sources: ~20% slower)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyzeEnsemble } from '../src/core/analysis/analyze.js';
import { mulberry32 } from '../src/core/analysis/random.js';
import { analyzeParallel, SideWorker } from '../src/engine/analysis/parallel.js';
import type { EnsembleOutputs } from '../src/core/outputs.js';

const N = 10_000;
const C = 10;

/**
 * Seeded synthetic outputs: p_i(s) ∝ Gamma-like draws, a shared per-sample component (members agree on
 * hard samples) plus the member's own noise, with extra mass on the true class of strength 1.5..4.
 * `shared`: the arrays in SharedArrayBuffers.
 */
export function syntheticOutputs(m: number, n = N, c = C, seed = 42, shared = false): EnsembleOutputs {
  const f32 = (len: number) => new Float32Array(shared ? new SharedArrayBuffer(len * 4) : new ArrayBuffer(len * 4));
  const rng = mulberry32(seed);
  const labels = f32(n);
  for (let t = 0; t < n; t++) labels[t] = Math.floor(rng() * c);
  const common = new Float64Array(n * c);
  for (let k = 0; k < n * c; k++) common[k] = -Math.log(rng() + 1e-12);
  const members = [];
  for (let i = 0; i < m; i++) {
    const strength = 1.5 + 2.5 * rng();
    const v = f32(n * c);
    for (let t = 0; t < n; t++) {
      let s = 0;
      for (let k = 0; k < c; k++) {
        const own = -Math.log(rng() + 1e-12);
        const g = (0.5 * common[t * c + k] + 0.5 * own) * (k === labels[t] ? strength : 1);
        v[t * c + k] = g;
        s += g;
      }
      for (let k = 0; k < c; k++) v[t * c + k] /= s;
    }
    members.push({ id: `net${i % 16}#${Math.floor(i / 16)}`, values: v });
  }
  return { task: 'classification', labels, numClasses: c, nTest: n, members };
}

interface ChildResult {
  m: number;
  bestMs: number;
  /** Best wall time of analyzeParallel: the same analysis with its side part in a second thread (engine/analysis/parallel.ts). */
  parallelBestMs: number;
  parallelPhases: Record<string, number>;
  /** Peak RSS of the process after the two-thread runs too (the side worker's heap and the shared copies count). */
  parallelPeakRssMB: number;
  /** Process CPU time (user + system) of the fastest run: less sensitive to other load on a shared machine. */
  bestCpuMs: number;
  allMs: number[];
  phases: Record<string, number>;
  inputMB: number;
  peakRssMB: number;
  baselineRssMB: number;
  /** Size of JSON.stringify(report). */
  jsonMB: number;
  /** Samples behind the symmetric KL / JS matrices (N when exact). */
  divergenceSamples: number;
}

async function child(m: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baselineRssMB = process.memoryUsage().rss / 2 ** 20;
  // in SharedArrayBuffers, as the report path loads them from the cache (so the two-thread runs copy nothing)
  const o = syntheticOutputs(m, N, C, 42, true);
  const inputMB = (m * N * C * 4 + N * 4) / 2 ** 20;
  const repeats = m <= 8 ? 15 : m <= 64 ? 5 : 3;
  const warmups = m <= 64 ? 2 : 1;
  const allMs: number[] = [];
  let phases: Record<string, number> = {};
  let best = Infinity;
  let bestCpuMs = Infinity;
  let jsonMB = 0;
  let divergenceSamples = 0;
  for (let r = 0; r < warmups + repeats; r++) {
    if (process.env.BENCH_GC_EACH === '1') gc?.();
    const timings: Record<string, number> = {};
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const report = analyzeEnsemble(o, { timings });
    const dt = performance.now() - t0;
    const cu = process.cpuUsage(c0);
    if (report.members.length !== m) throw new Error('bad report');
    if (r === 0) jsonMB = JSON.stringify(report).length / 2 ** 20;
    if (report.task === 'classification') divergenceSamples = report.diversity.divergenceSampleCount;
    if (r < warmups) continue;
    allMs.push(dt);
    bestCpuMs = Math.min(bestCpuMs, (cu.user + cu.system) / 1000);
    if (dt < best) { best = dt; phases = timings; }
  }
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  // the same on two threads, after the one-thread runs (so that peak RSS above is the one-thread analysis's)
  const side = new SideWorker();
  let parallelBestMs = Infinity;
  let parallelPhases: Record<string, number> = {};
  const reference = JSON.stringify(analyzeEnsemble(o));
  for (let r = 0; r < warmups + repeats; r++) {
    if (process.env.BENCH_GC_EACH === '1') gc?.();
    const timings: Record<string, number> = {};
    const t0 = performance.now();
    const report = await analyzeParallel(o, { timings }, side);
    const dt = performance.now() - t0;
    if (r === 0 && JSON.stringify(report) !== reference) throw new Error('the two-thread report differs from the one-thread report');
    if (r >= warmups && dt < parallelBestMs) { parallelBestMs = dt; parallelPhases = timings; }
  }
  side.dispose();
  const parallelPeakRssMB = process.resourceUsage().maxRSS / 1024;
  const res: ChildResult = { m, bestMs: best, parallelBestMs, parallelPhases, parallelPeakRssMB, bestCpuMs, allMs, phases, inputMB, peakRssMB, baselineRssMB, jsonMB, divergenceSamples };
  console.log(JSON.stringify(res));
}

interface NumpyResult {
  m: number;
  bestMs: number;
  phases: Record<string, number>;
}

/** The repository's root: the nearest folder above this file with a package.json (bench/ or dist/bench/). */
function repoRoot(): string {
  let d = __dirname;
  while (!existsSync(join(d, 'package.json')) && dirname(d) !== d) d = dirname(d);
  return d;
}

/** Runs the numpy implementation for one M; null (with a note) when Python or numpy is unavailable. */
function numpyRun(m: number): NumpyResult | null {
  const py = '/usr/bin/python3';
  const script = join(repoRoot(), 'scripts', 'fixtures', 'analysis_bench_numpy.py');
  if (!existsSync(py) || !existsSync(script)) return null;
  const r = spawnSync(py, [script, String(m)], { encoding: 'utf8', timeout: 30 * 60_000 });
  if (r.status !== 0) {
    console.log(`numpy comparison skipped for M=${m}: ${(r.stderr || 'no output').trim().split('\n').pop()}`);
    return null;
  }
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() as string) as NumpyResult;
  } catch {
    return null;
  }
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--child') { void child(Number(args[1])); return; }
  const ms = args.length ? args.map(Number) : [8, 64, 512];
  const results: ChildResult[] = [];
  const np: Record<number, NumpyResult | null> = {};
  // TS and numpy alternate per M so that both see similar background load on a shared machine
  for (const m of ms) {
    const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', String(m)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) { console.error(r.stderr); process.exitCode = 1; return; }
    results.push(JSON.parse(r.stdout.trim().split('\n').pop() as string) as ChildResult);
    np[m] = numpyRun(m);
  }
  console.log(`analyzeEnsemble, N=${N}, C=${C} (best of repeats; numpy = scripts/fixtures/analysis_bench_numpy.py, same measures)`);
  console.log('   M   input MB   peak RSS MB   JSON MB   KL/JS samples   TS best ms   TS best cpu ms   TS 2 threads ms   2 threads peak RSS MB   numpy best ms   TS runs ms');
  for (const r of results) {
    const npMs = np[r.m]?.bestMs;
    console.log(`${String(r.m).padStart(4)} ${r.inputMB.toFixed(1).padStart(10)} ${r.peakRssMB.toFixed(0).padStart(13)} ${r.jsonMB.toFixed(1).padStart(9)} ${String(r.divergenceSamples).padStart(15)} ${r.bestMs.toFixed(1).padStart(12)} ${r.bestCpuMs.toFixed(1).padStart(16)} ${r.parallelBestMs.toFixed(1).padStart(17)} ${r.parallelPeakRssMB.toFixed(0).padStart(23)} ${(npMs === undefined ? 'n/a' : npMs.toFixed(1)).padStart(15)}   ${r.allMs.map((x) => x.toFixed(0)).join(' ')}`);
  }
  const fmt = (p: Record<string, number>) => Object.entries(p).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
  for (const r of results) {
    console.log(`M=${r.m} TS phases (ms): ${fmt(r.phases)}`);
    console.log(`M=${r.m} TS 2 threads phases (ms; side: = the side worker's): ${fmt(r.parallelPhases)}`);
    const n = np[r.m];
    if (n) console.log(`M=${r.m} numpy phases (ms): ${fmt(n.phases)}`);
  }
}

// run as a script (bench/index.ts runs the bundle dist/bench/analysis.bench.js), not when tests import syntheticOutputs
if (/analysis\.bench\.[jt]s$/.test(process.argv[1] ?? '')) main();
